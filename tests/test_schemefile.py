"""Schemes as TOML files: reading from disk, writing back, hashing, custom rules."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import attrs
import pytest

from parscore import (
    BUILTIN_RULES,
    SchemeError,
    _toml,
    dumps_scheme,
    get_scheme,
    load_scheme,
    loads_scheme,
    scheme_hash,
)

DATA = Path(__file__).parent / "data" / "schemes"
VALID = sorted((DATA / "valid").glob("*.toml"))
KRONG_NO = "vn.dak-nong.krong-no.commune.2022"

MINIMAL = (DATA / "valid" / "minimal.toml").read_text(encoding="utf-8")


def test_load_scheme_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "scheme.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_scheme(path) == loads_scheme(MINIMAL)
    assert load_scheme(str(path)).id == "vn.test-minimal.commune.2024"


def test_load_scheme_names_the_path_in_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(MINIMAL.replace("max = 10", "max = -1"), encoding="utf-8")
    with pytest.raises(SchemeError) as info:
        load_scheme(path)
    assert str(info.value) == (
        f"{path}: 1 problem\n  - line 16: field 1 (fields[0].max): max must be above 0, got -1"
    )


def test_load_scheme_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    with pytest.raises(SchemeError) as info:
        load_scheme(path)
    assert str(info.value).startswith(f"{path}: 1 problem\n  - cannot read the scheme: ")
    assert "No such file or directory" in str(info.value)


def test_load_scheme_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(MINIMAL.replace("Minimal", "Đ").encode("utf-8").replace("Đ".encode(), b"\xd0"))
    with pytest.raises(SchemeError) as info:
        load_scheme(path)
    assert "cannot read the scheme: 'utf-8' codec can't decode byte 0xd0" in str(info.value)


def test_documents_over_the_size_limit_are_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(_toml, "MAX_BYTES", 100)
    with pytest.raises(SchemeError) as info:
        loads_scheme(MINIMAL, file="big.toml")
    assert str(info.value) == "big.toml: 1 problem\n  - document is larger than the 100 bytes parscore reads"
    path = tmp_path / "big.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(SchemeError, match=r"cannot read the scheme: .* is \d+ bytes, more than the 100"):
        load_scheme(path)


def test_problems_without_a_line_come_last() -> None:
    text = MINIMAL.replace('id = "vn.test-minimal.commune.2024"\n', "").replace("max = 10", 'max = "x"')
    with pytest.raises(SchemeError) as info:
        loads_scheme(text, file="s.toml")
    assert [(p.line, p.key) for p in info.value.problems] == [(15, "fields[0].max"), (None, "id")]


# --- writing ------------------------------------------------------------------


def test_dumps_scheme_minimal() -> None:
    assert dumps_scheme(loads_scheme(MINIMAL)) == "\n".join(
        [
            "format = 1",
            'id = "vn.test-minimal.commune.2024"',
            'title = "Minimal"',
            'issuer = "Test issuer"',
            'level = "commune"',
            "year = 2024",
            "revision = 0",
            "",
            "[ranking]",
            'method = "competition"',
            "",
            "[rounding]",
            "",
            "[[bands]]",
            'name = "Đạt"',
            "from = 0",
            "",
            "[[fields]]",
            'code = "1"',
            'title = "Lĩnh vực duy nhất"',
            "max = 10",
            'rule = { kind = "entered" }',
            "",
        ]
    )


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_dumps_then_loads_gives_an_equal_scheme(path: Path) -> None:
    scheme = loads_scheme(path.read_text(encoding="utf-8"))
    again = loads_scheme(dumps_scheme(scheme))
    assert again == scheme
    assert scheme_hash(again) == scheme_hash(scheme)
    # Writing is stable: the second writing is the first.
    assert dumps_scheme(again) == dumps_scheme(scheme)


def test_dumps_then_loads_the_builtin_scheme() -> None:
    scheme = get_scheme(KRONG_NO)
    again = loads_scheme(dumps_scheme(scheme))
    assert again == scheme
    assert again.source is not None and again.source.stated_total == Decimal(100)


def test_dumps_escapes_text() -> None:
    text = MINIMAL.replace('title = "Minimal"', 'title = "Quote \\" and \\\\ and \\n new line"')
    scheme = loads_scheme(text)
    assert scheme.title == 'Quote " and \\ and \n new line'
    assert loads_scheme(dumps_scheme(scheme)).title == scheme.title


# --- hashing ------------------------------------------------------------------


def test_scheme_hash_format_and_value() -> None:
    digest = scheme_hash(loads_scheme(MINIMAL))
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", digest)
    # Provenance records carry this hash: it must not change between versions
    # unless the canonical form is changed on purpose.
    assert digest == "sha256:c8507e0f7dbe703b7170b9b0e34c433d12d993c1eebacbe18865b3eabee94923"


def test_scheme_hash_ignores_layout() -> None:
    tables = loads_scheme((DATA / "valid" / "decimal_comma.toml").read_text(encoding="utf-8"))
    inline = loads_scheme((DATA / "valid" / "inline_tables.toml").read_text(encoding="utf-8"))
    assert tables == inline
    assert scheme_hash(tables) == scheme_hash(inline)
    # Comments, blank lines, key order and "10" against 10.0 do not matter either.
    reordered = "\n".join(
        [
            "# a comment",
            "year = 2024",
            'level = "commune"',
            'issuer = "Test issuer"',
            'title = "Minimal"',
            'id = "vn.test-minimal.commune.2024"',
            "format = 1",
            "",
            "[[fields]]",
            "max = 10.0  # the same maximum",
            'title = "Lĩnh vực duy nhất"',
            'code = "1"',
            'rule = { kind = "entered" }',
            "",
            "[[bands]]",
            'from = "0,0"',
            'name = "Đạt"',
        ]
    )
    assert scheme_hash(loads_scheme(reordered)) == scheme_hash(loads_scheme(MINIMAL))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("max = 10", "max = 11"),
        ('title = "Lĩnh vực duy nhất"', 'title = "Lĩnh vực khác"'),
        ('name = "Đạt"', 'name = "Đạt yêu cầu"'),
        ("max = 10", 'max = 10\nrule = { kind = "pass_fail" }'),
        ("max = 10", 'max = 10\nrule = { kind = "entered", step = 0.5 }'),
        ("max = 10", 'max = 10\nnot_applicable = "full"'),
        ("year = 2024", "year = 2024\nrevision = 1"),
        ('id = "vn.test-minimal.commune.2024"', 'id = "vn.test-other.commune.2024"'),
        ("year = 2024", "year = 2024\n[ranking]\nmethod = 'dense'"),
    ],
)
def test_scheme_hash_changes_with_content(old: str, new: str) -> None:
    assert old in MINIMAL
    changed = loads_scheme(MINIMAL.replace(old, new, 1))
    assert scheme_hash(changed) != scheme_hash(loads_scheme(MINIMAL))


# --- custom rules -------------------------------------------------------------


@attrs.frozen
class Fixed:
    """A third-party rule: a fixed share of the maximum when the value is 'có'."""

    share: Decimal
    kind: ClassVar[str] = "fixed"
    takes: ClassVar[str] = "'có' or 'không'"

    def parse(self, raw: object) -> bool:
        if raw not in ("có", "không"):
            raise ValueError(f"expected 'có' or 'không', got {raw!r}")
        return raw == "có"

    def problems(self, max_points: Decimal) -> list[str]:
        return [] if 0 < self.share <= 1 else [f"share must be in (0, 1], got {self.share}"]

    def points(self, value: Decimal | bool, max_points: Decimal) -> Decimal:
        return self.share * max_points if value else Decimal(0)

    def explain(self, value: Decimal | bool, max_points: Decimal) -> str:
        return f"fixed {self.points(value, max_points)}"


def test_custom_rules_can_be_passed_to_the_loader() -> None:
    text = MINIMAL.replace("max = 10", 'max = 10\nrule = { kind = "fixed", share = 0.5 }')
    with pytest.raises(SchemeError, match="unknown rule kind 'fixed'; known kinds: bonus, deduction,"):
        loads_scheme(text)
    rules = {**BUILTIN_RULES, "fixed": Fixed}
    scheme = loads_scheme(text, rules=rules)
    assert scheme.fields[0].rule == Fixed(Decimal("0.5"))
    assert loads_scheme(dumps_scheme(scheme), rules=rules) == scheme
    bad = MINIMAL.replace("max = 10", 'max = 10\nrule = { kind = "fixed", share = 2 }')
    with pytest.raises(SchemeError) as info:
        loads_scheme(bad, rules=rules, file="s.toml")
    assert str(info.value) == (
        "s.toml: 1 problem\n  - line 17: field 1 (fields[0].rule): share must be in (0, 1], got 2"
    )


def test_a_restricted_rule_set_refuses_other_kinds() -> None:
    text = MINIMAL.replace("max = 10", 'max = 10\nrule = { kind = "survey" }')
    with pytest.raises(SchemeError, match=r"unknown rule kind 'survey'; known kinds: entered \(a rule plug-in"):
        loads_scheme(text, rules={"entered": BUILTIN_RULES["entered"]})


# --- locating keys --------------------------------------------------------------


def test_key_lines() -> None:
    text = "\n".join(
        [
            'id = "x"',  # 1
            "[source]",  # 2
            'document = "d"',  # 3
            "[[fields]]",  # 4
            'code = "1"',  # 5
            "[[fields.criteria]]",  # 6
            'code = "1.1"',  # 7
            "[[fields]]",  # 8
            'code = "2"',  # 9
            "[[fields.criteria]]",  # 10
            "max = 1",  # 11
            "[[fields.criteria.subcriteria]]",  # 12
            'rule = { kind = "pass_fail" }',  # 13
            'note = """',  # 14
            "code = 'not a key'",  # 15
            '"""',  # 16
            "[[fields.criteria]]",  # 17
            'a."b.c" = 1',  # 18
        ]
    )
    lines = _toml.key_lines(text)
    assert lines["id"] == 1
    assert lines["source"] == 2
    assert lines["source.document"] == 3
    assert lines["fields"] == 4
    assert lines["fields[0]"] == 4
    assert lines["fields[0].code"] == 5
    assert lines["fields[0].criteria[0].code"] == 7
    assert lines["fields[1]"] == 8
    assert lines["fields[1].code"] == 9
    assert lines["fields[1].criteria[0].max"] == 11
    assert lines["fields[1].criteria[0].subcriteria[0].rule"] == 13
    assert lines["fields[1].criteria[0].subcriteria[0].note"] == 14
    assert "fields[1].criteria[0].subcriteria[0].code" not in lines
    assert lines["fields[1].criteria[1]"] == 17
    assert lines["fields[1].criteria[1].a.b.c"] == 18
