"""The small error hierarchy of dolmakit.

ConfigError is the user's to fix before anything runs (exit code 2); RecordError is one bad input
record, which goes to the errors output and never stops a run; FatalError stops the run (exit 1).
"""


class DolmakitError(Exception):
    """Base of every error dolmakit raises on purpose."""


class ConfigError(DolmakitError):
    """A config file or override is wrong; the message names the file, the key, what is allowed."""

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None):
        self.message = message  # without the file and key, for a caller that names its own
        self.source = source
        self.key = key
        where = ": ".join(part for part in (source, key) if part)
        super().__init__(f"{where}: {message}" if where else message)


class RecordError(DolmakitError):
    """One input record could not be read or processed; it lands in errors/ with this cause."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


class FatalError(DolmakitError):
    """The run cannot go on (for example the error fraction is above its bound)."""
