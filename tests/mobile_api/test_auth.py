"""Signing devices in and out, tokens, tickets, rate limits and problem+json errors."""

import hashlib
from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import DeviceToken
from careteams.models import User
from realtime.tickets import ticket_redeem
from tests.conftest import PASSWORD, Cast
from tests.mobile_api.conftest import Api, is_problem

pytestmark = pytest.mark.django_db


def sign_in(api: Api, email: str, password: str = PASSWORD, device: str = "Siân's tablet") -> Api:
    response = api.post(
        "/auth/sign-in", {"email": email, "password": password, "device_name": device}
    )
    assert response.status_code == 201, response.content
    return Api(response.json()["token"])


def test_a_member_signs_in_with_email_and_password_and_gets_a_named_device_token(
    cast: Cast, anonymous: Api
) -> None:
    response = anonymous.post(
        "/auth/sign-in",
        {"email": "Nurse@Example.test", "password": PASSWORD, "device_name": "Siân's tablet"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["user"]["email"] == "nurse@example.test"
    assert body["device"]["name"] == "Siân's tablet"
    assert body["device"]["current"] is True
    me = Api(body["token"]).get("/me")
    assert me.status_code == 200
    assert me.json()["memberships"][0]["team"]["id"] == str(cast.team.id)


def test_only_a_hash_of_the_token_is_stored(cast: Cast, anonymous: Api) -> None:
    api = sign_in(anonymous, "nurse@example.test")
    stored = DeviceToken.objects.get()
    assert api.token is not None
    assert stored.token_hash == hashlib.sha256(api.token.encode()).hexdigest()
    assert api.token not in str(list(DeviceToken.objects.values()))


def test_a_wrong_password_and_an_unknown_email_get_the_same_401(cast: Cast, anonymous: Api) -> None:
    wrong = anonymous.post(
        "/auth/sign-in", {"email": "nurse@example.test", "password": "nope", "device_name": "x"}
    )
    unknown = anonymous.post(
        "/auth/sign-in", {"email": "who@example.test", "password": "nope", "device_name": "x"}
    )
    assert is_problem(wrong, 401)["detail"] == is_problem(unknown, 401)["detail"]
    assert not DeviceToken.objects.exists()


def test_a_deactivated_user_cannot_sign_in_and_their_tokens_stop_working(
    cast: Cast, api_as: Callable[[User], Api], anonymous: Api
) -> None:
    api = api_as(cast.nurse)
    User.objects.filter(pk=cast.nurse.pk).update(is_active=False)
    is_problem(api.get("/me"), 401)
    is_problem(
        anonymous.post(
            "/auth/sign-in",
            {"email": "nurse@example.test", "password": PASSWORD, "device_name": "x"},
        ),
        401,
    )


def test_a_missing_field_at_sign_in_is_named_in_the_problem(anonymous: Api, db: None) -> None:
    body = is_problem(anonymous.post("/auth/sign-in", {"email": "a@example.test"}), 422)
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"password", "device_name"}


def test_a_user_lists_their_own_devices_and_last_use(
    cast: Cast, anonymous: Api, api_as: Callable[[User], Api]
) -> None:
    phone = sign_in(anonymous, "nurse@example.test", device="Phone")
    sign_in(anonymous, "nurse@example.test", device="Tablet")
    api_as(cast.carer)
    listed = phone.get("/auth/tokens").json()
    assert sorted(d["name"] for d in listed) == ["Phone", "Tablet"]
    assert [d["current"] for d in listed if d["name"] == "Phone"] == [True]
    assert next(d for d in listed if d["name"] == "Phone")["last_used_at"] is not None


def test_a_revoked_token_gets_401(cast: Cast, anonymous: Api) -> None:
    phone = sign_in(anonymous, "nurse@example.test", device="Phone")
    tablet = sign_in(anonymous, "nurse@example.test", device="Tablet")
    tablet_id = next(d["id"] for d in phone.get("/auth/tokens").json() if d["name"] == "Tablet")
    assert phone.delete(f"/auth/tokens/{tablet_id}").status_code == 204
    body = is_problem(tablet.get("/me"), 401)
    assert "Bearer" in tablet.get("/me")["WWW-Authenticate"]
    assert body["type"].endswith("unauthenticated")
    assert phone.get("/me").status_code == 200


def test_someone_elses_token_cannot_be_revoked_and_is_not_found(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    carer = api_as(cast.carer)
    nurse_token = api_as(cast.nurse)
    nurse_token_id = DeviceToken.objects.filter(user=cast.nurse).values_list("id", flat=True)[0]
    is_problem(carer.delete(f"/auth/tokens/{nurse_token_id}"), 404)
    assert nurse_token.get("/me").status_code == 200


def test_no_token_or_a_made_up_token_gets_401_problem(db: None) -> None:
    is_problem(Api().get("/me"), 401)
    is_problem(Api("made-up").get("/me"), 401)


def test_a_socket_ticket_is_issued_for_the_token_user_and_redeems_once(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    response = api_as(cast.carer).post("/socket-ticket")
    assert response.status_code == 201
    ticket = response.json()["ticket"]
    redeemed = ticket_redeem(ticket=ticket)
    assert redeemed is not None
    assert redeemed.user == cast.carer
    assert ticket_redeem(ticket=ticket) is None


def test_sign_in_is_rate_limited_per_address_with_retry_after(
    cast: Cast, anonymous: Api, settings: object
) -> None:
    settings.API_SIGN_IN_RATE = (3, 60)  # type: ignore[attr-defined]
    body = {"email": "nurse@example.test", "password": "wrong", "device_name": "x"}
    for _ in range(3):
        is_problem(anonymous.post("/auth/sign-in", body), 401)
    limited = anonymous.post("/auth/sign-in", body)
    is_problem(limited, 429)
    assert 1 <= int(limited["Retry-After"]) <= 60


def test_writes_are_rate_limited_per_user_but_reads_are_not(
    cast: Cast, api_as: Callable[[User], Api], settings: object
) -> None:
    settings.API_WRITE_RATE = (2, 60)  # type: ignore[attr-defined]
    api = api_as(cast.nurse)
    for _ in range(2):
        assert api.post("/socket-ticket").status_code == 201
    is_problem(api.post("/socket-ticket"), 429)
    assert api.get("/me").status_code == 200
    assert api_as(cast.carer).post("/socket-ticket").status_code == 201


def test_an_unknown_api_path_and_a_wrong_method_are_problems_not_html(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    api = api_as(cast.nurse)
    is_problem(api.get("/no/such/thing"), 404)
    wrong = api.put("/me", {})
    is_problem(wrong, 405)
    assert wrong["Allow"] == "GET"
    is_problem(Client().get("/api/v2/anything"), 404)


def test_the_openapi_document_says_errors_are_problem_json(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    me = schema["paths"]["/api/v1/me"]["get"]["responses"]
    assert "application/problem+json" in me["404"]["content"]
    assert "application/json" in me["200"]["content"]


def test_the_docs_page_loads_swagger_from_our_own_origin_under_the_csp(db: None) -> None:
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    html = page.content.decode()
    assert "cdn" not in html.lower()
    assert 'src="/api/v1/docs/assets/swagger-ui-bundle.js"' in html
    asset = Client().get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    assert "javascript" in asset["Content-Type"]
    assert Client().get("/api/v1/docs/assets/..%2Fsettings.py").status_code == 404
