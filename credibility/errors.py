"""One exception hierarchy for everything the library rejects.

Every error carries enough context to be reported as a single line: the file
(when there is one), the field inside it, and what was expected there.
"""

from __future__ import annotations

__all__ = [
    "CredibilityError",
    "ExpressionError",
    "GameFileError",
    "GameTooLargeError",
    "ParameterError",
    "UnknownGameError",
    "readable_size",
]


def readable_size(size: float) -> str:
    """A number of bytes as a message says it: in bytes, kB, MB, GB or TB (powers of 1000).

    Examples
    --------
    >>> readable_size(512), readable_size(8_000), readable_size(2.4e9)
    ('512 bytes', '8 kB', '2 GB')
    """
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{size:.0f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


class CredibilityError(ValueError):
    """Base class of every error the library raises on bad input.

    Parameters
    ----------
    message : str
        What went wrong and what was expected.
    file : str, optional
        The game file the problem is in.
    field : str, optional
        The dotted path of the offending field inside the file.
    """

    def __init__(self, message: str, *, file: str | None = None, field: str | None = None):
        self.message = message
        self.file = file
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message

    def located(self, *, file: str | None = None, field: str | None = None) -> CredibilityError:
        """Return a copy of this error with a file and field filled in where missing."""
        return type(self)(
            self.message,
            file=self.file or file,
            field=self.field or field,
        )


class GameFileError(CredibilityError):
    """A game file is malformed: a missing, unknown or ill-typed field."""


class ExpressionError(CredibilityError):
    """An expression string is not in the whitelisted grammar."""


class ParameterError(CredibilityError):
    """A parameter value is unknown, malformed or outside its bounds."""


class GameTooLargeError(CredibilityError):
    """A game is too large for the requested (exact) method."""


class UnknownGameError(CredibilityError, KeyError):
    """A catalog name that does not exist."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return CredibilityError.__str__(self)
