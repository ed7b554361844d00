"""The one error body of the API, and the statuses every operation documents with it.

Every refusal (a DomainError, a validation error, ninja's own 401/403/429, a body the parser
refuses) is answered by the exception handlers in `api.py` as `{"code": ..., "detail": ...}`,
whatever the operation. So that the OpenAPI document says so for every operation (schemathesis's
status-code check found 401, 404 and 422 answered but not documented), `document_errors` adds
the statuses below to each operation that does not already declare them, with this schema.
"""

from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, WithJsonSchema

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
WRITES = ("post", "put", "patch", "delete")

# Who can answer what: any operation may refuse its input (400 unreadable body or values the
# database cannot hold, 422 invalid fields) or not find what it names (404); an operation that
# needs a token also answers 401 (no/bad token) and 403 (a role or a CSRF check refused it);
# a write may also meet a conflict (409), the request-size limit (413) or a throttle (429).
ALWAYS = {400: "Permintaan tidak dapat dibaca", 404: "Tidak ditemukan", 422: "Data tidak sah"}
AUTHENTICATED = {401: "Perlu token API yang sah", 403: "Tidak berwenang"}
WRITE = {409: "Bertentangan dengan data yang ada", 413: "Terlalu besar", 429: "Terlalu sering"}


class ErrorOut(Schema):
    """An error answer: a stable machine-readable `code` and a message for people."""

    model_config = ConfigDict(extra="allow")

    code: str
    detail: str
    field: str | None = None
    errors: Any = None


SCHEMA_NAME = "ErrorOut"


def document_errors(openapi: dict) -> dict:
    """Add the error statuses each operation can answer, with ErrorOut, where not declared."""
    components = openapi.setdefault("components", {}).setdefault("schemas", {})
    components[SCHEMA_NAME] = ErrorOut.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    ref = {"$ref": f"#/components/schemas/{SCHEMA_NAME}"}
    for path_item in openapi.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            statuses = dict(ALWAYS)
            if operation.get("security"):
                statuses.update(AUTHENTICATED)
            if method in WRITES:
                statuses.update(WRITE)
            responses = operation.setdefault("responses", {})
            for status, description in statuses.items():
                if status not in responses and str(status) not in responses:
                    responses[status] = {
                        "description": description,
                        "content": {"application/json": {"schema": ref}},
                    }
    return openapi


def choice(choices):
    """A field typed by a model's TextChoices, documented inline (its values), not as a shared
    component: ninja names components by class name, so `Status` of bookings and `Status` of
    requests were one component and a valid "open" answer failed its own schema."""
    return Annotated[
        choices, WithJsonSchema({"type": "string", "enum": [str(v) for v in choices.values]})
    ]
