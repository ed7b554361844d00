"""Domain errors raised by services; pages turn them into messages, the API into 4xx answers."""


class DomainError(Exception):
    """A rule of the domain refused the request. The message is for the user (Indonesian)."""

    status = 400
    code = "invalid"

    def __init__(
        self,
        message,
        *,
        code: str | None = None,
        field: str | None = None,
        data: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        # Extra, JSON-ready facts for the API answer (e.g. the booking a clash is with).
        self.data = data or {}
        if code:
            self.code = code


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"
