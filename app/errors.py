"""Errors the services raise. Each message is one line a user can act on."""


class OmsError(Exception):
    """A business rule refused the action; nothing was changed."""


class NotFound(OmsError):
    pass


class InvalidTransition(OmsError):
    pass


class StockShortage(OmsError):
    pass


class ConcurrencyConflict(OmsError):
    """Someone else changed or holds the record; reload and try again."""


class ValidationFailed(OmsError):
    """Input was rejected; `problems` lists every problem, one line each."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class PermissionDenied(OmsError):
    """The acting user's role may not do this (app.domain.permissions); nothing changed."""
