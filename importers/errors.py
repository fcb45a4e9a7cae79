"""The one error every importer raises: a feed that cannot be used, and why."""

from __future__ import annotations


class FeedError(Exception):
    """A feed could not be fetched or understood; the message says what a person can do."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


class FeedNotFound(FeedError):
    """The feed host answered 404: the address has moved, or the page does not exist (a
    committee not formed in this session)."""
