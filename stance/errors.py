"""Exception hierarchy: every error a user can cause says what, where and how to fix it."""

from __future__ import annotations


class StanceError(Exception):
    """Base class of every error raised on purpose by ``stance``."""


class ConfigError(StanceError, ValueError):
    """A configuration file or value is invalid (names the file and the key)."""


class DataFormatError(StanceError, ValueError):
    """An input record cannot be read; ``location`` is ``file:line`` when known."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        self.reason = message
        super().__init__(f"{self.location}: {message}" if self.location else message)

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else str(self.path)


class ModelNotLoadedError(StanceError, RuntimeError):
    """A model artifact is missing or was not loaded before predicting."""


class StoreError(StanceError, RuntimeError):
    """The SQLite store cannot be opened or has an unknown schema version."""


class UnknownActorError(StanceError, KeyError):
    """A name given by the user matches no actor id, display name or alias."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])
