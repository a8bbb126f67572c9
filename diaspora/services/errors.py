"""Domain errors raised by services and turned into pages or form errors by the views."""


class DomainError(Exception):
    """A use case refused: the message is safe to show to the user."""


class ValidationFailed(DomainError):
    """Input that breaks a rule: `reasons` maps a field name (or "" for the form) to messages."""

    def __init__(self, reasons: dict[str, list[str]] | str):
        if isinstance(reasons, str):
            reasons = {"": [reasons]}
        self.reasons = reasons
        super().__init__("; ".join(m for ms in reasons.values() for m in ms))


class PermissionDenied(DomainError):
    pass


class NotFound(DomainError):
    pass


class InvalidToken(DomainError):
    """A signed link that is tampered with, expired, already used or for somebody else."""
