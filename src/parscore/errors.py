"""Errors raised by parscore, each naming what went wrong and where.

Every error parscore raises derives from one root, so a caller can catch
``ParscoreError`` and know it came from here:

    ParscoreError
    ├── InputError            bad input; carries every ``Problem`` found
    │   ├── SchemeError       a scheme (TOML file or Python objects) is invalid
    │   └── AssessmentError   assessments or published figures do not fit the scheme
    ├── PluginError           an installed scheme or rule plug-in cannot be used
    │   └── SchemeNotFoundError
    ├── UnitError             a printed unit name matches no unit, or several
    │   ├── UnknownUnitError
    │   └── AmbiguousUnitError
    └── MissingDependencyError  an optional extra (pandas, matplotlib, openpyxl) is missing

An ``InputError`` is raised only after the whole input was read, so its
message lists every problem, one per line, each with its place::

    schemes/x.toml: 2 problems
      - line 12: field 3 › criterion 3.6 (fields[2].criteria[5].max): ...
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "AmbiguousUnitError",
    "AssessmentError",
    "InputError",
    "MissingDependencyError",
    "ParscoreError",
    "PluginError",
    "Problem",
    "SchemeError",
    "SchemeNotFoundError",
    "UnitError",
    "UnknownUnitError",
]


@attrs.frozen
class Problem:
    """One thing wrong with an input, with as much of its place as is known.

    ``key`` is the path of keys in the source document (``fields[2].max``),
    ``node`` the path in the scheme tree (``field 3 › criterion 3.6``),
    ``line`` and ``column`` are 1-based and only set where known.
    """

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None
    node: str | None = None

    def place(self) -> str:
        """The place of the problem as a short prefix, without the file."""
        parts = []
        if self.line is not None:
            parts.append(
                f"line {self.line}"
                + (f", column {self.column}" if self.column is not None else "")
            )
        if self.node:
            parts.append(self.node)
        where = ": ".join(parts)
        if self.key:
            where = f"{where} ({self.key})" if where else self.key
        return where

    def __str__(self) -> str:
        place = self.place()
        return f"{place}: {self.message}" if place else self.message

    @property
    def code(self) -> str | None:
        """The catalogue code of the message (``PS217``), or ``None`` for a rule plug-in's own words."""
        from .catalogue import code_of

        entry = code_of(self.message)
        return None if entry is None else entry.code


class ParscoreError(Exception):
    """The root of every error parscore raises."""

    @property
    def code(self) -> str | None:
        """The catalogue code of the error (see ``parscore.catalogue``), or ``None``."""
        from .catalogue import code_of

        entry = code_of(str(self))
        return None if entry is None else entry.code


class InputError(ParscoreError):
    """Input that parscore cannot accept, with every problem found in it."""

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("an InputError needs at least one problem")
        files = {p.file for p in self.problems if p.file}
        self.source = source or (files.pop() if len(files) == 1 else None)
        super().__init__(self._render())

    @property
    def code(self) -> str | None:
        """The code of the first problem; each problem has its own ``code``."""
        return self.problems[0].code

    def _render(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        head = f"{self.source}: " if self.source else ""
        lines = [f"{head}{count} {noun}"]
        for problem in self.problems:
            prefix = ""
            if problem.file and problem.file != self.source:
                prefix = f"{problem.file}: "
            lines.append(f"  - {prefix}{problem}")
        return "\n".join(lines)


class SchemeError(InputError):
    """A scheme is malformed or inconsistent."""


class AssessmentError(InputError):
    """Assessments are malformed or do not fit their scheme."""


class PluginError(ParscoreError):
    """An installed scheme plug-in cannot be listed or loaded."""


class SchemeNotFoundError(PluginError, LookupError):
    """No installed scheme has the requested id."""


class UnitError(ParscoreError, ValueError):
    """A printed unit name that cannot be identified with one unit.

    ``candidates`` are the ids of the units it may mean, for the message
    and for tools that offer them; none of them is ever chosen silently.
    A ``ValueError`` too, as callers of ``published.resolve_unit`` expect.
    """

    def __init__(self, message: str, name: str, candidates: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.name = name
        self.candidates = candidates


class UnknownUnitError(UnitError):
    """No unit has this id, name or alias (maybe a near miss: see ``candidates``)."""


class AmbiguousUnitError(UnitError):
    """Several units have this name, or its alias points to several units."""


class MissingDependencyError(ParscoreError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""
