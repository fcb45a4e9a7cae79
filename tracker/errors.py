"""The refusal every layer shares: a business rule said no, with a message a person can act on."""


class OperationError(ValueError):
    """A business rule refused the change; ``field`` names the form field to blame, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
