"""Expected failures: the CLI prints them as one line and exits non-zero, never with a traceback."""


class AnttError(Exception):
    """A failure the user can act on (bad URL, server down, bad path, rejected input)."""


class WarehouseUnavailable(AnttError):
    """The warehouse server cannot be reached."""
