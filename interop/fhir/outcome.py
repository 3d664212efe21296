"""OperationOutcome: every FHIR error, with the HTTP status that goes with it."""

from typing import Any

ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    429: "throttled",
}


def operation_outcome(status: int, diagnostics: str, *, expression: str = "") -> dict[str, Any]:
    issue: dict[str, Any] = {
        "severity": "error",
        "code": ISSUE_CODES.get(status, "exception"),
        "diagnostics": diagnostics,
    }
    if expression:
        issue["expression"] = [expression]
    return {"resourceType": "OperationOutcome", "issue": [issue]}
