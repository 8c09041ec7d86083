"""What the fuzz tests share: the loaders, their valid documents, and the invariant.

The invariant: a loader given any text either returns, or raises a
``ParscoreError``; an ``InputError`` names the file in every problem and
places each one by a line, a key path or a tree path (a line, when given,
is a line of the text).  Anything else escaping, or a loader running for
more than ``TIME_LIMIT`` seconds of CPU time, is a bug.
"""

from __future__ import annotations

import collections
import functools
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import attrs

from parscore import InputError, ParscoreError, evaluate, get_scheme, get_scheme_package
from parscore.analysis import loads_plan
from parscore.assessments import loads_assessments
from parscore.audit import loads_summary
from parscore.golden import loads_expected
from parscore.projection import loads_tracking
from parscore.published import loads_published
from parscore.resultfile import dumps_result, loads_result
from parscore.schemefile import loads_scheme

from .mutations import Documents

__all__ = [
    "EXAMPLES",
    "FILE",
    "KRONG_NO",
    "LOADERS",
    "PROFILE",
    "SEEDS",
    "TIME_LIMIT",
    "TRIED",
    "Hang",
    "assert_located",
    "check",
    "time_limit",
]

ROOT = Path(__file__).resolve().parents[2]
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "fast")
#: Inputs tried by each fuzz test, per profile.
EXAMPLES = {"fast": 60, "long": 5000}.get(PROFILE, 60)
#: The name every fuzzed document is given, which every problem must carry.
FILE = "fuzzed.toml"
#: No loader may take longer than this (CPU seconds) on one input (a few hundred KB at most).
TIME_LIMIT = 20
#: Inputs given to each loader in this run, for the summary at the end.
TRIED: collections.Counter[str] = collections.Counter()

Loader = Callable[..., object]

#: The scheme the fuzzed results are read against: Krông Nô's, whose worked example they come from.
KRONG_NO = get_scheme("vn.dak-nong.krong-no.commune.2022")

#: Every text loader of parscore, by the kind of document it reads.
LOADERS: dict[str, Loader] = {
    "scheme": loads_scheme,
    "assessments": loads_assessments,
    "published": loads_published,
    "expected": loads_expected,
    "tracking": loads_tracking,
    "summary": loads_summary,
    "plan": loads_plan,
    "result": functools.partial(loads_result, scheme=KRONG_NO),
}

_FILES = {
    "scheme": "scheme.toml",
    "assessments": "assessments.toml",
    "published": "published.toml",
    "expected": "expected.toml",
    "tracking": "tracking-*.toml",
    "summary": "summary-*.toml",
    "plan": "plan-*.toml",
}


def _results() -> tuple[str, ...]:
    assessments = get_scheme_package(KRONG_NO.id).load_example("communes-2022").assessments
    some = attrs.evolve(assessments, items=assessments.items[::3])
    return dumps_result(evaluate(KRONG_NO, assessments)), dumps_result(evaluate(KRONG_NO, some))


def _seeds(kind: str) -> tuple[str, ...]:
    if kind == "result":
        return _results()
    paths = sorted((ROOT / "schemes").rglob(_FILES[kind]))
    texts = tuple(p.read_text(encoding="utf-8") for p in paths)
    assert texts, f"no {kind} documents under schemes/"
    return texts


#: The valid documents of each kind shipped with parscore: what the fuzzers mutate.
SEEDS: dict[str, Documents] = {kind: Documents(_seeds(kind)) for kind in LOADERS}


class Hang(BaseException):
    """A loader ran past ``TIME_LIMIT`` (a ``BaseException``, so no loader can swallow it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``Hang`` after ``seconds`` of the process's own CPU time (a busy machine does not count)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"no answer after {seconds} s of CPU time")

    previous = signal.signal(signal.SIGVTALRM, expire)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def check(kind: str, text: str, **options: Any) -> object | None:
    """Give ``text`` to the loader of ``kind``; fail unless the invariant holds.

    Returns what the loader returned, or ``None`` when it refused the text.
    """
    TRIED[kind] += 1
    try:
        with time_limit(TIME_LIMIT):
            return LOADERS[kind](text, file=FILE, **options)
    except ParscoreError as exc:
        if isinstance(exc, InputError):
            assert_located(exc, text)
        return None


def assert_located(exc: InputError, text: str) -> None:
    lines = text.count("\n") + 1
    for problem in exc.problems:
        assert problem.file == FILE, f"no file: {problem!r}"
        assert problem.line is not None or problem.key or problem.node, f"no place: {problem!r}"
        assert problem.line is None or 1 <= problem.line <= lines, f"line out of the text: {problem!r}"
        assert problem.message.strip(), f"no message: {problem!r}"
    str(exc)  # the message renders
