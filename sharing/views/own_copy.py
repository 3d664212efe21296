"""A client's own copy (subject access): the page that lists the copies produced, and the
producing itself (a POST: recorded, then the file)."""

import json
import uuid

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from careteams.http import AuthedRequest
from careteams.models import Door
from careteams.reading import in_readers_language
from clients.selectors.records import client_get
from sharing import fhir_copy, pdf
from sharing.models import CopyFormat
from sharing.selectors import own_copy as selectors
from sharing.services.own_copy import own_copy_record


@login_required
@require_GET
def own_copy(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    client, copies = selectors.own_copies_of(user=request.user, client_id=client_id)
    return render(
        request,
        "sharing/own_copy.html",
        {"client": client, "copies": copies, "formats": CopyFormat.choices},
    )


@login_required
@require_POST
def own_copy_produce(request: AuthedRequest, client_id: uuid.UUID) -> HttpResponse:
    """Recorded first (who, when, which form), then gathered, so the copy lists itself."""
    client = client_get(user=request.user, client_id=client_id)
    chosen = request.POST.get("format", "")
    own_copy_record(client=client, actor=request.user, format=chosen)
    door = Door.PDF if chosen == CopyFormat.PDF else Door.PAGE
    copy = selectors.own_copy_gather(user=request.user, client_id=client.pk, door=door)
    stem = f"record-{client.family_name}-{client.given_name}".replace(" ", "-")
    if chosen == CopyFormat.PDF:
        with in_readers_language(request.user, client.team.language):
            body = pdf.own_copy_pdf(copy=copy, name=client.full_name)
        response = HttpResponse(body, content_type="application/pdf")
        filename = f"{stem}.pdf"
    else:
        # The FHIR API's own base (interop/views/fhir.py), so the entries' fullUrls resolve.
        base = request.build_absolute_uri("/fhir")
        bundle = fhir_copy.own_copy_bundle(client=client, base=base, copy=copy)
        response = HttpResponse(
            # The encoder turns translated labels (lazy strings: Omaha terms) into text.
            json.dumps(bundle, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder),
            content_type="application/fhir+json; charset=utf-8",
        )
        filename = f"{stem}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
