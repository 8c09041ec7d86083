"""Settings for the fuzz tests: the property tests' profiles, and a count of the inputs tried.

The profile is the one ``HYPOTHESIS_PROFILE`` picks for the property tests
(``fast`` by default, ``long`` for a deliberate search)::

    HYPOTHESIS_PROFILE=long python -m pytest tests/fuzz

Each fuzz test sets its own number of examples for that profile (see
``harness.EXAMPLES``): a loader call is far cheaper than an evaluation, so
the fuzz tests try more inputs than the property tests and still keep the
fast profile's run short.  The number of inputs each loader was given is
printed at the end of the run.
"""

from __future__ import annotations

from typing import Any

from property.conftest import PROFILE  # registers and loads the profiles

from .harness import EXAMPLES, TRIED


def pytest_report_header() -> str:
    return f"fuzz profile: {PROFILE} (up to {EXAMPLES} inputs a fuzz test)"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TRIED:
        return
    terminalreporter.section(f"fuzz inputs tried ({PROFILE} profile)")
    for loader, count in sorted(TRIED.items()):
        terminalreporter.write_line(f"{loader:>12}: {count}")
    terminalreporter.write_line(f"{'total':>12}: {sum(TRIED.values())}")
