"""Fuzzing every text loader: only located ``ParscoreError``s escape, whatever the text.

The loaders: schemes, assessments, published figures, expected
discrepancies, mid-year tracking, summaries and improvement plans (TOML),
and results (JSON).  Each gets mutations of the valid documents shipped
under ``schemes/`` (and of generated schemes and assessments, and of the
Krông Nô results), documents of the other kinds, every value replaced by
awkward ones, and a few hundred kilobytes of input; see ``harness.py`` for
the invariant and ``mutations.py`` for the mutations.
"""

from __future__ import annotations

import functools
import json
import random
import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parscore import (
    AssessmentError,
    InputError,
    ParscoreError,
    Scheme,
    SchemeError,
    _toml,
    dumps_assessments,
    dumps_scheme,
)
from parscore.analysis import load_plan
from parscore.assessments import load_assessments
from parscore.audit import load_summary
from parscore.projection import load_tracking
from parscore.published import load_published
from parscore.resultfile import ResultError, load_result
from parscore.schemefile import load_scheme
from property.strategies import assessments_for, schemes

from .harness import EXAMPLES, FILE, KRONG_NO, LOADERS, PROFILE, SEEDS, TRIED, check
from .mutations import Documents, mutated, reshaped, reshaped_json

KINDS = sorted(LOADERS)
ALL_SEEDS = Documents(text for kind in KINDS for text in SEEDS[kind])
FUZZ = settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
#: Tests whose inputs are costly to draw or to read try a tenth as many.
FEW = settings(FUZZ, max_examples=max(EXAMPLES // 10, 5))


@pytest.mark.parametrize("kind", KINDS)
def test_every_seed_document_loads(kind: str) -> None:
    for text in SEEDS[kind]:
        assert check(kind, text) is not None


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(data=st.data())
def test_text_mutations_give_located_errors_only(kind: str, data: st.DataObject) -> None:
    check(kind, data.draw(mutated(SEEDS[kind]), label="text"))


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(data=st.data())
def test_structural_mutations_give_located_errors_only(kind: str, data: st.DataObject) -> None:
    reshape = reshaped_json if kind == "result" else reshaped
    check(kind, data.draw(reshape(SEEDS[kind]), label="text"))


@pytest.mark.parametrize("kind", KINDS)
@FEW
@given(data=st.data())
def test_documents_of_another_kind_give_located_errors_only(kind: str, data: st.DataObject) -> None:
    if data.draw(st.booleans(), label="as it is"):
        check(kind, ALL_SEEDS[data.draw(st.integers(0, len(ALL_SEEDS) - 1), label="document")])
    else:
        check(kind, data.draw(mutated(ALL_SEEDS, max_mutations=2), label="text"))


@FEW
@given(schemes(), st.data())
def test_mutated_generated_schemes_give_located_errors_only(scheme: Scheme, data: st.DataObject) -> None:
    text = dumps_scheme(scheme)
    check("scheme", data.draw(mutated(Documents([text])) | reshaped(Documents([text])), label="text"))


@FEW
@given(schemes(metadata=False).flatmap(assessments_for), st.data())
def test_mutated_generated_assessments_give_located_errors_only(assessments: object, data: st.DataObject) -> None:
    text = dumps_assessments(assessments)  # type: ignore[arg-type]
    check("assessments", data.draw(mutated(Documents([text])) | reshaped(Documents([text])), label="text"))


# --- oversized documents ---------------------------------------------------------------------------

#: A few hundred kilobytes: far more than any real document of these kinds.
BIG = 300_000


def _big(kind: str) -> str:
    """A valid document of ``kind`` grown past ``BIG`` characters with more of its own entries."""
    text = max(SEEDS[kind], key=len)
    if kind == "result":
        data = json.loads(text)
        units = data["units"]
        data["units"] = [{**u, "id": f"{u['id']}-{n}"} for n in range(2 * BIG // len(text) + 1) for u in units]
        return json.dumps(data, ensure_ascii=False, indent=2)
    if kind == "assessments":
        head, _, units = text.partition("[[units]]")
        blocks = []
        while sum(map(len, blocks)) < BIG:
            n = len(blocks)
            blocks.append(re.sub(r'(?m)^id = "([^"]*)"', rf'id = "\1-{n}"', "[[units]]" + units))
        return head + "".join(blocks)
    # Comments are the one thing every kind may repeat freely.
    filler = "# " + "Chỉ số cải cách hành chính, điểm thẩm định. " * 2 + "\n"
    return text + filler * (BIG // len(filler) + 1)


@pytest.mark.parametrize("kind", KINDS)
@settings(FUZZ, max_examples=max(EXAMPLES // 30, 2))
@given(data=st.data())
def test_oversized_documents_give_located_errors_only(kind: str, data: st.DataObject) -> None:
    big = _big(kind)
    assert len(big) >= BIG
    if data.draw(st.booleans(), label="as it is"):
        check(kind, big)
    else:
        check(kind, data.draw(mutated(Documents([big]), max_mutations=2), label="text"))


@pytest.mark.parametrize("kind", KINDS)
def test_the_size_cap_is_enforced(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = max(SEEDS[kind], key=len)
    monkeypatch.setattr(_toml, "MAX_BYTES", len(text.encode("utf-8")))
    assert check(kind, text) is not None
    for over in (text + " ", text + "é", text.replace("a", "ạ", 1)):
        with pytest.raises(InputError) as caught:
            LOADERS[kind](over, file=FILE)
        TRIED[kind] += 1
        # The one problem without a line, key or tree path: it is about the whole document.
        (problem,) = caught.value.problems
        assert problem.message == f"document is larger than the {_toml.MAX_BYTES} bytes parscore reads"
        assert problem.file == FILE


_FILE_LOADERS = {
    "scheme": (load_scheme, SchemeError),
    "assessments": (load_assessments, AssessmentError),
    "published": (load_published, AssessmentError),
    "tracking": (load_tracking, InputError),
    "summary": (load_summary, InputError),
    "plan": (load_plan, InputError),
    "result": (functools.partial(load_result, scheme=KRONG_NO), ResultError),
}


@pytest.mark.parametrize("kind", sorted(_FILE_LOADERS))
def test_a_file_over_the_size_cap_is_refused_unread(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load, error = _FILE_LOADERS[kind]
    path = tmp_path / "big.toml"
    path.write_text(max(SEEDS[kind], key=len), encoding="utf-8")
    monkeypatch.setattr(_toml, "MAX_BYTES", path.stat().st_size - 1)
    monkeypatch.setattr(Path, "read_bytes", _must_not_read)
    with pytest.raises(error) as caught:
        load(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert "more than the" in problem.message


def _must_not_read(self: Path) -> bytes:
    raise AssertionError(f"{self} was read although it is over the size cap")


@pytest.mark.parametrize("kind", sorted(_FILE_LOADERS))
@FEW
@given(data=st.data())
def test_files_cut_anywhere_give_parscore_errors_only(kind: str, data: st.DataObject) -> None:
    # Cut inside a character, the bytes are no longer UTF-8: the file cannot be read at all.
    load, _ = _FILE_LOADERS[kind]
    raw = data.draw(st.sampled_from(SEEDS[kind])).encode("utf-8")
    cut = data.draw(st.integers(0, len(raw)), label="cut")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cut.toml"
        path.write_bytes(raw[:cut] + data.draw(st.sampled_from((b"", b"\xff", b"\xc3", b"\xe1\xba"))))
        TRIED[kind] += 1
        try:
            load(path)
        except ParscoreError as exc:
            if isinstance(exc, InputError):
                assert all(p.file == str(path) for p in exc.problems)


# --- every value of a document, replaced ------------------------------------------------------------

#: Values that once broke a loader, or could: numbers Python or ``Decimal`` cannot hold or write out,
#: NaN and infinities, and values of every other type.
AWKWARD = (
    "0x" + "f" * 4000, "[0x" + "f" * 4000 + "]", "{ a = 0x" + "f" * 4000 + " }", "9" * 4301,
    "1e99999999999999999999", "nan", "-inf", "1e400", "99999999999999999999", "-1", "0", "true",
    "1979-05-27", "[]", "{}", '"\\u0000"', '"-1"', '"NaN"', '""',
)
_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_ASSIGNMENT = re.compile(rf"^(\s*{_KEY}(?:\s*\.\s*{_KEY})*\s*=\s*)")


@pytest.mark.parametrize("kind", sorted(set(KINDS) - {"result"}))
def test_every_value_replaced_by_an_awkward_one_gives_located_errors_only(kind: str) -> None:
    # With the long profile, every value of every document, one at a time; else a fixed sample of them.
    replacements = [
        (seed, i, value)
        for seed in SEEDS[kind]
        for i, line in enumerate(seed.split("\n"))
        if _ASSIGNMENT.match(line) and not line.lstrip().startswith("#")
        for value in AWKWARD
    ]
    if PROFILE != "long":
        replacements = random.Random(kind).sample(replacements, min(len(replacements), EXAMPLES // 2))
    for seed, i, value in replacements:
        lines = seed.split("\n")
        found = _ASSIGNMENT.match(lines[i])
        assert found is not None
        check(kind, "\n".join([*lines[:i], found.group(1) + value, *lines[i + 1:]]))


# --- once bugs, now guarded ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "line",
    [
        pytest.param("nested = " + "[" * 3000 + "]" * 3000, id="deep-arrays"),
        pytest.param("nested = " + "{ a = " * 3000 + "1" + " }" * 3000, id="deep-tables"),
        pytest.param("number = " + "9" * 4301, id="too-many-digits"),
        pytest.param("number = 0x" + "f" * 4000, id="huge-hexadecimal"),
        pytest.param('aliases = { "x[" = 1 }', id="bracket-in-a-key"),
        pytest.param('scheme = { "a.b[" = { "c[" = 0x' + "f" * 4000 + " } }", id="bracket-keys-huge-value"),
    ],
)
def test_pathological_lines_give_located_errors(kind: str, line: str) -> None:
    for seed in SEEDS[kind]:
        check(kind, f"{line}\n{seed}")
        check(kind, f"{seed}\n{line}\n")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[" * 100_000 + "]" * 100_000, id="deep-arrays"),
        pytest.param('{"a": ' * 5000 + "1" + "}" * 5000, id="deep-objects"),
        pytest.param('{"format": ' + "9" * 5000 + "}", id="too-many-digits"),
        pytest.param('{"format": NaN}', id="nan"),
        pytest.param('{"format": -Infinity}', id="infinity"),
        pytest.param("\ufeff{}", id="bom"),
        pytest.param("", id="empty"),
        pytest.param("[]", id="array"),
        pytest.param('"text"', id="text"),
        pytest.param('{"format": "parscore result 1", "format": "parscore result 1"}', id="duplicate-key"),
    ],
)
def test_pathological_results_give_located_errors(text: str) -> None:
    check("result", text)
    check("result", "\n\n" + text)


def test_lines_are_counted_as_toml_counts_them() -> None:
    # U+2028 (line separator) and U+0085 may stand in TOML strings; they do not end a line.
    text = max(SEEDS["scheme"], key=len)
    title = re.search(r'(?m)^title = "', text)
    assert title is not None
    text = text[: title.end()] + "\u2028\x85" + text[title.end():]
    broken = text.replace("\nmax = ", "\nmax = true # ", 1)
    with pytest.raises(SchemeError) as caught:
        LOADERS["scheme"](broken, file=FILE)
    (problem,) = [p for p in caught.value.problems if "boolean" in p.message or "true" in p.message]
    assert problem.line is not None
    assert "max = true" in broken.split("\n")[problem.line - 1]


def test_nfd_text_is_read_as_nfc() -> None:
    # Not a crash: the same document in NFD and NFC gives the same assessments.
    text = max(SEEDS["assessments"], key=len)
    nfc = check("assessments", text)
    nfd = check("assessments", unicodedata.normalize("NFD", text))
    assert nfc is not None and nfc == nfd
