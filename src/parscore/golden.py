"""Golden cases: worked examples a scheme plug-in ships, and their check.

An example is a folder with ``assessments.toml``, optionally the report's
``published.toml`` and an ``expected.toml`` that lists the discrepancies the
report is known to contain (its own arithmetic or ranking errors).  Running
an example evaluates the assessments, compares the result with what was
published, and passes when exactly the expected discrepancies are found:
a new one (the scheme or parscore changed) or a missing one (an error is
no longer caught) both fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs

from . import _toml
from .assessments import Assessments
from .errors import AssessmentError, Problem
from .evaluation import Result, evaluate
from .model import Scheme
from .published import Discrepancy, Published, compare_published

__all__ = ["Example", "ExampleOutcome", "ExpectedDiscrepancy", "loads_expected", "run_example"]


@attrs.frozen
class ExpectedDiscrepancy:
    """A discrepancy an example's report is known to contain."""

    where: str
    subject: str
    published: str
    computed: str

    @classmethod
    def of(cls, discrepancy: Discrepancy) -> ExpectedDiscrepancy:
        return cls(discrepancy.where, discrepancy.subject, discrepancy.published, discrepancy.computed)

    def __str__(self) -> str:
        return f"{self.where}: {self.subject}: published {self.published}, computed {self.computed}"


@attrs.frozen
class Example:
    """A worked example: inputs, what was published, and the known discrepancies."""

    name: str
    assessments: Assessments
    published: Published | None = None
    expected: tuple[ExpectedDiscrepancy, ...] = ()
    expected_source_notes: tuple[str, ...] = ()


@attrs.frozen
class ExampleOutcome:
    """What running an example gave, and whether it matched its expectations."""

    example: str
    result: Result
    discrepancies: tuple[Discrepancy, ...]
    unexpected: tuple[ExpectedDiscrepancy, ...]
    missing: tuple[ExpectedDiscrepancy, ...]
    unexpected_notes: tuple[str, ...]
    missing_notes: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not (self.unexpected or self.missing or self.unexpected_notes or self.missing_notes)

    def report(self) -> str:
        """A few lines saying what matched and what did not."""
        lines = []
        verdict = "ok" if self.passed else "FAILED"
        known = len(self.discrepancies) - len(self.unexpected)
        lines.append(
            f"{self.example}: {verdict} ({len(self.result.units)} units,"
            f" {known} known discrepancies in the report)"
        )
        lines += [f"  unexpected discrepancy: {d}" for d in self.unexpected]
        lines += [f"  expected discrepancy not found: {d}" for d in self.missing]
        lines += [f"  unexpected source note: {n}" for n in self.unexpected_notes]
        lines += [f"  expected source note not found: {n}" for n in self.missing_notes]
        return "\n".join(lines)


@attrs.frozen
class _Expected:
    discrepancies: list[ExpectedDiscrepancy] = attrs.Factory(list)
    source_notes: list[str] = attrs.Factory(list)


def loads_expected(
    text: str, *, file: str | None = None
) -> tuple[tuple[ExpectedDiscrepancy, ...], tuple[str, ...]]:
    """Read an ``expected.toml``: known discrepancies and source notes."""
    data, found = _toml.parse(text, file)
    if data is not None:
        parsed = _toml.structure(_toml.make_converter(), data, _Expected, "", found)
        if parsed is not None and not found:
            return tuple(parsed.discrepancies), tuple(parsed.source_notes)
    raise AssessmentError(_toml.locate(found, text, file) or [Problem("unreadable", file=file)], source=file)


def _difference(
    got: Iterable[ExpectedDiscrepancy], want: Iterable[ExpectedDiscrepancy]
) -> tuple[ExpectedDiscrepancy, ...]:
    remaining = list(want)
    extra = []
    for item in got:
        if item in remaining:
            remaining.remove(item)
        else:
            extra.append(item)
    return tuple(extra)


def run_example(scheme: Scheme, example: Example) -> ExampleOutcome:
    """Evaluate ``example`` and check it against its published and expected figures."""
    result = evaluate(scheme, example.assessments)
    discrepancies = compare_published(result, example.published) if example.published else ()
    got = [ExpectedDiscrepancy.of(d) for d in discrepancies]
    notes = scheme.source_notes()
    return ExampleOutcome(
        example.name,
        result,
        tuple(discrepancies),
        _difference(got, example.expected),
        _difference(example.expected, got),
        tuple(n for n in notes if n not in example.expected_source_notes),
        tuple(n for n in example.expected_source_notes if n not in notes),
    )


def example_from_folder(folder: Path, name: str | None = None) -> Example:
    """Load an example folder from the file system (for plug-ins under development)."""
    from .assessments import load_assessments
    from .published import load_published

    published = load_published(folder / "published.toml") if (folder / "published.toml").exists() else None
    expected: tuple[tuple[ExpectedDiscrepancy, ...], tuple[str, ...]] = ((), ())
    if (folder / "expected.toml").exists():
        path = folder / "expected.toml"
        expected = loads_expected(_toml.read_text(path), file=str(path))
    return Example(name or folder.name, load_assessments(folder / "assessments.toml"), published, *expected)
