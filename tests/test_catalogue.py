"""The error catalogue: every code can be raised, and every message has exactly one code.

Each entry's example is run as its kind says (``EXAMPLE_KINDS``) and must
raise a parscore error carrying a problem (or being an error) of exactly
that code, with the message the catalogue shows.  Every invalid scheme
fixture and a broad sweep of damaged documents are read, and each problem
they give must match exactly one entry.  The reference page is the
catalogue's ``markdown()``, so the two cannot drift.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import pytest

import parscore
from parscore import (
    InputError,
    ParscoreError,
    Problem,
    audit_published,
    audit_summary,
    compare_published,
    evaluate,
    loads_assessments,
    loads_plan,
    loads_published,
    loads_scheme,
    loads_summary,
    loads_tracking,
    read_assessments,
)
from parscore.catalogue import (
    AREAS,
    CATALOGUE,
    EXAMPLE_ASSESSMENTS,
    EXAMPLE_KINDS,
    EXAMPLE_SCHEME,
    PYTHON_PRELUDE,
    ErrorCode,
    ErrorExample,
    code_of,
    markdown,
)
from parscore.golden import loads_expected

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "reference" / "error-codes.md"
INVALID = sorted((ROOT / "tests" / "data" / "schemes" / "invalid").glob("*.toml"))


def _run_python(text: str, folder: Path) -> None:
    """Run a Python example as the reference page says, then undo what it did to the interpreter."""
    saved_path = list(sys.path)
    saved_modules = dict(sys.modules)
    namespace: dict[str, Any] = {
        "__name__": "example", "EXAMPLE_SCHEME": EXAMPLE_SCHEME, "EXAMPLE_ASSESSMENTS": EXAMPLE_ASSESSMENTS,
    }
    try:
        exec(compile(PYTHON_PRELUDE + "\n" + text, "example", "exec"), namespace)
    finally:
        sys.path[:] = saved_path
        for name, module in list(sys.modules.items()):
            if name not in saved_modules and str(getattr(module, "__file__", "") or "").startswith(str(folder)):
                del sys.modules[name]
        for name, module in saved_modules.items():
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
        importlib.invalidate_caches()


def trigger(example: ErrorExample, folder: Path) -> ParscoreError | None:
    """Use ``example`` as its kind says, in ``folder`` (the working directory); what it raised."""
    scheme = loads_scheme(EXAMPLE_SCHEME) if example.kind not in ("scheme", "python") else None
    kind, text = example.kind, example.text
    try:
        if kind == "scheme":
            loads_scheme(text, file="scheme.toml")
        elif kind == "assessments":
            loads_assessments(text, file="assessments.toml")
        elif kind == "published":
            loads_published(text, file="published.toml")
        elif kind == "plan":
            loads_plan(text, file="plan.toml")
        elif kind == "tracking":
            loads_tracking(text, file="tracking.toml")
        elif kind == "summary":
            loads_summary(text, file="summary.toml")
        elif kind == "evaluate":
            assert scheme is not None
            evaluate(scheme, loads_assessments(text, file="assessments.toml"))
        elif kind == "compare":
            assert scheme is not None
            result = evaluate(scheme, loads_assessments(EXAMPLE_ASSESSMENTS))
            compare_published(result, loads_published(text, file="published.toml"))
        elif kind == "audit":
            assert scheme is not None
            audit_published(scheme, loads_published(text, file="published.toml"))
        elif kind == "audit summary":
            audit_summary(loads_summary(text, file="summary.toml"), scheme)
        elif kind in ("csv", "json"):
            (folder / f"assessments.{kind}").write_text(text, encoding="utf-8")
            read_assessments(f"assessments.{kind}", scheme)
        elif kind == "python":
            _run_python(text, folder)
        else:  # pragma: no cover - a kind the catalogue does not have
            raise AssertionError(f"unknown example kind {kind!r}")
    except ParscoreError as exc:
        return exc
    return None


def carried(error: ParscoreError) -> list[tuple[str | None, str, str]]:
    """What an error carries: (code, message, as printed) of each problem, or of the error itself."""
    if isinstance(error, InputError):
        return [(p.code, p.message, str(p)) for p in error.problems]
    return [(error.code, str(error), str(error))]


def matching(message: str) -> list[str]:
    """The codes of every entry whose pattern matches ``message``."""
    return [entry.code for entry in CATALOGUE if entry.matches(message)]


# --- (a) every code can be raised ------------------------------------------------------------


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.code)
def test_the_example_raises_its_code(
    entry: ErrorCode, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if ".xlsx" in entry.example.text and entry.code != "PS630":
        pytest.importorskip("openpyxl")
    monkeypatch.chdir(tmp_path)
    error = trigger(entry.example, tmp_path)
    assert error is not None, f"{entry.code}: the example raised nothing"
    found = carried(error)
    ours = [printed for code, _, printed in found if code == entry.code]
    assert ours, f"{entry.code}: the example gave {found}"
    assert ours[0] == entry.example.message
    assert all(code is not None for code, _, _ in found), f"{entry.code}: a problem without a code: {found}"
    if not isinstance(error, InputError):
        assert error.code == entry.code


# --- (b) every message has exactly one code ------------------------------------------------------


def _problems(load: Callable[[], object]) -> list[str]:
    try:
        load()
    except ParscoreError as exc:
        return [message for _, message, _ in carried(exc)]
    return []


def _assert_coded(messages: list[str], where: str) -> None:
    for message in messages:
        codes = matching(message)
        assert len(codes) == 1, f"{where}: {message!r} matches {codes or 'no code'}"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_every_problem_of_an_invalid_scheme_fixture_has_one_code(path: Path) -> None:
    messages = _problems(lambda: loads_scheme(path.read_text(encoding="utf-8"), file=path.name))
    assert messages, f"{path.name} loads"
    _assert_coded(messages, path.name)


#: Values that do not belong where a document has a value.
BAD_VALUES = (
    '"abc"', '""', '" "', "true", "-1", "0", "1.5", "nan", "-inf", "[1]", "[]", "{ a = 1 }", "{}",
    "1e20", "0.00000000001", "1979-05-27", "07:32:00", '"4,5,6"', '"n/a"', "1e9999999999999999999",
)
#: Lines that do not belong anywhere in a document.
BAD_LINES = ("colour = 1", "[[bands]]", "[rounding]", "x = [", "= 1", "[[fields.criteria]]", 'units = "x"')

_ASSIGNMENT = re.compile(r"^(\s*[A-Za-z0-9_\"'.-]+\s*=\s*)(.+)$")


def _damaged(text: str) -> Iterator[str]:
    """``text`` with, one at a time, each value replaced by bad ones, each line removed, bad lines added."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        match = _ASSIGNMENT.match(line)
        if match:
            for value in BAD_VALUES:
                yield "\n".join([*lines[:i], match.group(1) + value, *lines[i + 1:]])
        yield "\n".join(lines[:i] + lines[i + 1:])
    for line in BAD_LINES:
        yield f"{line}\n{text}"
        yield f"{text}\n{line}\n"


def _documents() -> dict[str, tuple[Callable[[str], object], str]]:
    example = loads_scheme(EXAMPLE_SCHEME)
    small = "\n".join(EXAMPLE_SCHEME.split("\n")[:22])
    small_scheme = small + '\n\n[[bands]]\nname = "Đạt"\nfrom = 0\n'
    return {
        "scheme": (lambda t: loads_scheme(t, file="scheme.toml"), small_scheme),
        "example scheme": (lambda t: loads_scheme(t, file="scheme.toml"), EXAMPLE_SCHEME),
        "assessments": (lambda t: loads_assessments(t, file="a.toml"), EXAMPLE_ASSESSMENTS),
        "evaluated assessments": (lambda t: evaluate(example, loads_assessments(t)), EXAMPLE_ASSESSMENTS),
        "published": (
            lambda t: compare_published(evaluate(example, loads_assessments(EXAMPLE_ASSESSMENTS)), loads_published(t)),
            _PUBLISHED,
        ),
        "audited": (lambda t: audit_published(example, loads_published(t)), _PUBLISHED),
        "plan": (lambda t: loads_plan(t, file="plan.toml"), _PLAN),
        "tracking": (lambda t: loads_tracking(t, file="tracking.toml"), _TRACKING),
        "summary": (lambda t: audit_summary(loads_summary(t, file="summary.toml"), example), _SUMMARY),
        "expected": (lambda t: loads_expected(t, file="expected.toml"), _EXPECTED),
    }


_PUBLISHED = """\
scheme = "vn.example.huyen-a.commune.2024"
source = "Báo cáo số 12/BC-UBND"
decimals = 1

[aliases]
"Xã A" = "xa-a"

[results]
where = "Bảng 1"
average = 11.1
rows = [
  { unit = "Xã A", rank = 1, total = 13.4, band = "Khá" },
  { unit = "UBND xã B", rank = 2, total = 8.8 },
]

[[fields]]
code = "1"
where = "Bảng 2"
max = 6
rows = [{ unit = "Xã A", points = 5.5 }, { unit = "UBND xã B", points = 3 }]

[[claims]]
what = "points"
unit = "Xã A"
codes = ["1.1", "1.2"]
value = 5.5
where = "Mục III"
"""
_PLAN = """\
unit = "xa-a"
year = 2025
scheme = "vn.example.huyen-a.commune.2024"
total_target = "15"

[[items]]
code = "1.2"
target = "4"
tasks = "Báo cáo đúng hạn"
office = "Văn phòng"
"""
_TRACKING = """\
year = 2025
items = 7
scale = 100

[[statuses]]
status = "achieved"
count = 5
points = "40,5"
of = 7

[[statuses.items]]
number = "1.1"
title = "Kế hoạch CCHC"
points = 2

[[survey]]
year = 2024
points = 8

[projection]
keep = "survey"
min_gain = 1
gain_from = "in_progress"
outcome = "above"
target = 80
"""
_SUMMARY = """\
scheme = "vn.example.huyen-a.commune.2024"
year = 2024
units = 2

[aliases]
"Xã A" = "UBND xã A"

[[bands]]
name = "Khá"
where = "Mục II"
count = 1
units = ["UBND xã A"]

[[bands]]
name = "Chưa tốt"
where = "Mục II"
count = 1
units = ["UBND xã B"]

[points_since_previous.rose]
where = "Mục III"
count = 1
units = ["Xã A"]

[[fields]]
code = "1"
average = 4.3
max = 6
"""
_EXPECTED = """\
source_notes = ["a note"]

[[discrepancies]]
where = "Bảng 1"
subject = "UBND xã A"
published = "13.5"
computed = "13.4"
"""

DOCUMENTS = _documents()


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_every_problem_of_a_damaged_document_has_one_code(kind: str) -> None:
    load, text = DOCUMENTS[kind]
    assert not _problems(lambda: load(text)), f"the {kind} seed is not valid"
    seen = 0
    for damaged in _damaged(text):
        messages = _problems(functools.partial(load, damaged))
        _assert_coded(messages, kind)
        seen += len(messages)
    assert seen > 20


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_every_problem_of_a_damaged_csv_file_has_one_code(layout: Literal["long", "wide"], tmp_path: Path) -> None:
    scheme = loads_scheme(EXAMPLE_SCHEME)
    assessments = loads_assessments(EXAMPLE_ASSESSMENTS)
    good = tmp_path / "good.csv"
    parscore.write_assessments(assessments, good, layout=layout)
    rows = good.read_text(encoding="utf-8").splitlines()
    cells = ("", "abc", "4,5,6", "1 234", "-1", "99", "true", "n/a", "1.2.3", "appraised", "code")
    path = tmp_path / "damaged.csv"
    seen = 0
    for r, c in itertools.product(range(len(rows)), range(len(rows[0].split(",")))):
        for cell in cells:
            damaged = [row.split(",") for row in rows]
            if c < len(damaged[r]):
                damaged[r][c] = cell
            path.write_text("\n".join(",".join(row) for row in damaged) + "\n", encoding="utf-8")
            messages = _problems(lambda: read_assessments(path, scheme))
            _assert_coded(messages, f"{layout} row {r} column {c} = {cell!r}")
            seen += len(messages)
    assert seen > 20


def test_every_problem_of_a_damaged_json_file_has_one_code(tmp_path: Path) -> None:
    scheme = loads_scheme(EXAMPLE_SCHEME)
    good = tmp_path / "good.json"
    parscore.write_assessments(loads_assessments(EXAMPLE_ASSESSMENTS), good)
    text = good.read_text(encoding="utf-8")
    path = tmp_path / "damaged.json"
    replacements = ('"abc"', '""', "[1]", "{}", "null", "true", "1e20", "NaN", '"4,5,6"', "1.5", "[", '"x": 1, "x": 2')
    values = list(re.finditer(r'(?<=: )("[^"]*"|\[|\{|true|false|-?[0-9.]+)', text))
    seen = 0
    for match in values:
        for value in replacements:
            path.write_text(text[:match.start()] + value + text[match.end():], encoding="utf-8")
            messages = _problems(lambda: read_assessments(path, scheme))
            _assert_coded(messages, f"{value} at {match.start()}")
            seen += len(messages)
    assert seen > 20


def test_every_message_the_catalogue_examples_give_has_one_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for i, entry in enumerate(CATALOGUE):
        folder = tmp_path / str(i)
        folder.mkdir()
        monkeypatch.chdir(folder)
        if ".xlsx" in entry.example.text and entry.code != "PS630" and importlib.util.find_spec("openpyxl") is None:
            continue
        error = trigger(entry.example, folder)
        assert error is not None
        _assert_coded([message for _, message, _ in carried(error)], entry.code)


# --- (c) the catalogue itself -------------------------------------------------------------------


def test_codes_are_unique_sorted_and_in_their_areas() -> None:
    codes = [entry.code for entry in CATALOGUE]
    assert all(re.fullmatch(r"PS[1-9][0-9]{2}", code) for code in codes)
    assert codes == sorted(set(codes))
    assert {code[2] for code in codes} == {digit for digit, _ in AREAS}
    assert all(entry.example.kind in EXAMPLE_KINDS for entry in CATALOGUE)
    assert len({entry.title for entry in CATALOGUE}) == len(CATALOGUE)


def test_patterns_do_not_overlap_on_the_examples() -> None:
    for entry in CATALOGUE:
        message = entry.example.message
        assert message, f"{entry.code} has no example message"
        # The printed problem adds its place before the message; the message itself is one of its ends.
        assert matching(message) == [entry.code] or any(
            matching(message[at + 2:]) == [entry.code] for at in _places(message)
        ), f"{entry.code}: {message!r} matches {matching(message)}"


def _places(printed: str) -> Iterator[int]:
    for found in re.finditer(r": ", printed):
        yield found.start()


def test_code_of_finds_the_entry_and_none_for_foreign_messages() -> None:
    entry = code_of("max must be above 0, got 0")
    assert entry is not None and entry.code == "PS213"
    assert code_of("share must be in (0, 1], got 2") is None  # a rule plug-in's own words
    # A message quoting another error is classified by the outer one.
    quoted = "plug-in vendor failed to import 'p' for scheme 'x': ValueError: expected a number, got the boolean True"
    found = code_of(quoted)
    assert found is not None and found.code == "PS610"


def test_values_quoted_with_double_quotes_have_their_code() -> None:
    # Python quotes a text holding an apostrophe with double quotes: Nâm N'Đir.
    registry = parscore.UnitRegistry.of({"nam-ndir": "UBND xã Nâm N'Đir"})
    with pytest.raises(parscore.UnknownUnitError) as raised:
        registry.resolve("UBND xa Nâm N'Đir")
    assert '"UBND xa Nâm N\'Đir"' in str(raised.value)
    assert raised.value.code == "PS701"
    with pytest.raises(parscore.AssessmentError) as assessed:
        evaluate(loads_scheme(EXAMPLE_SCHEME), [parscore.Assessment.of("nam-n'dir", "UBND xã Nâm N'Đir")])
    assert {p.code for p in assessed.value.problems} == {"PS404"}


def test_problems_and_errors_carry_their_code() -> None:
    assert Problem("required key is missing", key="year").code == "PS107"
    assert Problem("share must be in (0, 1], got 2").code is None
    with pytest.raises(parscore.SchemeError) as raised:
        loads_scheme("format = 2")
    assert raised.value.code == raised.value.problems[0].code
    assert parscore.PluginError("package 'p' has no scheme.toml").code == "PS605"
    assert parscore.UnknownUnitError("unknown unit 'x': add it to the alias table", "x").code == "PS701"


def test_the_reference_page_is_the_catalogue() -> None:
    assert PAGE.read_text(encoding="utf-8") == markdown(), (
        "docs/reference/error-codes.md is out of date: python -m parscore.catalogue > docs/reference/error-codes.md"
    )


def test_the_reference_page_has_a_section_per_code() -> None:
    text = markdown()
    for entry in CATALOGUE:
        assert f"### {entry.code}: {entry.title} {{#{entry.code}}}" in text
