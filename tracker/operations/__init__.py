"""Every write Hilltrack makes, as plain functions shared by views, the CLI and tests.

Operations flush but never commit: the caller owns the unit of work.
"""


class OperationError(ValueError):
    """A business rule refused the change; ``field`` names the form field to blame, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
