"""Every update names the version it is based on: the If-Match header or a `version` field."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_noop
from ninja.errors import HttpError

from careteams.errors import DomainError


class PreconditionFailed(HttpError):
    def __init__(self, message: str) -> None:
        super().__init__(412, message)


class PreconditionRequired(DomainError):
    status = 428
    title = gettext_noop("Precondition required")


def base_version(request: HttpRequest, body_version: int | None = None) -> int:
    header = request.headers.get("If-Match")
    from_header: int | None = None
    if header is not None:
        text = header.strip().removeprefix("W/").strip('"')
        if not text.isdigit() or not 0 < len(text) < 10:
            raise DomainError(
                gettext('If-Match must be a version the server gave, like "3".'), field="If-Match"
            )
        from_header = int(text)
    if from_header is not None and body_version is not None and from_header != body_version:
        raise PreconditionFailed(
            gettext("If-Match and the version field disagree: send one version.")
        )
    version = from_header if from_header is not None else body_version
    if version is None:
        raise PreconditionRequired(
            gettext("Say which version this change is based on (If-Match or a version field)."),
            field="version",
        )
    return version


def tag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'
