"""Published figures: reading them, matching unit names, and checking them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from parscore import (
    Assessment,
    AssessmentError,
    Result,
    compare_published,
    evaluate,
    load_published,
    loads_published,
    loads_scheme,
)
from parscore.published import Claim, FieldTable, Published, PublishedRow, resolve_unit

D = Decimal

SCHEME = """\
format = 1
id = "vn.test-published.commune.2024"
title = "Published"
issuer = "Test issuer"
level = "commune"
year = 2024

[ranking]
method = "dense"

[[bands]]
name = "Tốt"
from = 8

[[bands]]
name = "Khá"
from = 0
to = 8

[[fields]]
code = "1"
title = "Một"
max = 6

[[fields]]
code = "2"
title = "Hai"
max = 4
"""

UNITS = {"nam-nung": "UBND xã Nâm Nung", "nam-da": "UBND xã Nam Đà", "dak-mam": "UBND thị trấn Đắk Mâm"}


@pytest.fixture(scope="module")
def result() -> Result:
    # Totals: Nâm Nung 6 + 3 = 9 (Tốt), Nam Đà 5 + 3 = 8 (Tốt), Đắk Mâm 4 + 1.5 = 5.5 (Khá).
    # Field 2: 3, 3, 1.5 → dense ranks 1, 1, 2.  Average total 22.5 / 3 = 7.5.
    scheme = loads_scheme(SCHEME)
    return evaluate(
        scheme,
        [
            Assessment.of("nam-nung", UNITS["nam-nung"], appraised={"1": 6, "2": 3}),
            Assessment.of("nam-da", UNITS["nam-da"], appraised={"1": 5, "2": 3}),
            Assessment.of("dak-mam", UNITS["dak-mam"], appraised={"1": 4, "2": "1,5"}),
        ],
    )


PUBLISHED = """\
scheme = "vn.test-published.commune.2024"
source = "Báo cáo thử"

[aliases]
"UBND xã Năm Nung" = "nam-nung"
"UBND thị trấn Đắc Mâm" = "dak-mam"

[results]
where = "section III"
average = "7,5"
average_band = "khá"

[[results.rows]]
rank = 1
unit = "UBND xã Năm Nung"
total = "9,0"
band = "Tốt"

[[results.rows]]
rank = 2
unit = "nam-da"
total = 8
band = "tốt"

[[results.rows]]
rank = 3
unit = "UBND thị trấn Đắc Mâm"
total = "5,5"
band = "Khá"

[[fields]]
code = "2"
where = "section IV.2"
max = 4
average = "2,5"

[[fields.rows]]
rank = 1
unit = "UBND xã Năm Nung"
points = 3

[[fields.rows]]
rank = 1
unit = "UBND xã Nam Đà"
points = 3

[[fields.rows]]
rank = 2
unit = "UBND thị trấn Đắc Mâm"
points = "1,5"

[[claims]]
what = "average_total"
value = "7,5"
where = "section V"
text = "đạt 7,5 điểm"
"""


def test_loads_published() -> None:
    published = loads_published(PUBLISHED, file="p.toml")
    assert published.scheme == "vn.test-published.commune.2024"
    assert published.source == "Báo cáo thử"
    assert published.aliases == (("UBND thị trấn Đắc Mâm", "dak-mam"), ("UBND xã Năm Nung", "nam-nung"))
    assert published.results_where == "section III"
    assert published.results == (
        PublishedRow("UBND xã Năm Nung", D("9.0"), 1, "Tốt"),
        PublishedRow("nam-da", D(8), 2, "tốt"),
        PublishedRow("UBND thị trấn Đắc Mâm", D("5.5"), 3, "Khá"),
    )
    assert (published.average, published.average_band) == (D("7.5"), "khá")
    assert published.fields == (
        FieldTable(
            "2", "section IV.2",
            (
                PublishedRow("UBND xã Năm Nung", D(3), 1),
                PublishedRow("UBND xã Nam Đà", D(3), 1),
                PublishedRow("UBND thị trấn Đắc Mâm", D("1.5"), 2),
            ),
            D(4), D("2.5"),
        ),
    )
    assert [(c.what, c.value, c.where, c.text) for c in published.claims] == [
        ("average_total", D("7.5"), "section V", "đạt 7,5 điểm"),
    ]


def test_load_published_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "published.toml"
    path.write_text(PUBLISHED, encoding="utf-8")
    assert load_published(path) == loads_published(PUBLISHED)
    with pytest.raises(AssessmentError, match="cannot read the published figures: "):
        load_published(tmp_path / "missing.toml")


def test_a_row_needs_exactly_one_of_total_or_points() -> None:
    text = 'scheme = "s.x"\nsource = "r"\n[results]\nwhere = "w"\n' \
           'rows = [{ unit = "a", total = 1, points = 2 }, { unit = "b" }]\n'
    with pytest.raises(AssessmentError) as info:
        loads_published(text, file="p.toml")
    assert str(info.value) == "\n".join(
        [
            "p.toml: 2 problems",
            "  - line 5 (results.rows[0]): a row needs exactly one of 'total' or 'points'",
            "  - line 5 (results.rows[1]): a row needs exactly one of 'total' or 'points'",
        ]
    )


def test_published_documents_are_strict() -> None:
    with pytest.raises(AssessmentError) as info:
        loads_published('scheme = "s.x"\ncolour = 1\n', file="p.toml")
    assert sorted(str(p) for p in info.value.problems) == [
        "line 2 (colour): unknown key 'colour'",
        "results: required key is missing",
        "source: required key is missing",
    ]


def test_the_published_report_agrees(result: Result) -> None:
    assert compare_published(result, loads_published(PUBLISHED)) == ()


# --- unit names -----------------------------------------------------------------


def test_resolve_unit_by_id_name_or_alias() -> None:
    aliases = {"UBND xã Năm Nung": "nam-nung"}
    assert resolve_unit("nam-da", UNITS, aliases) == "nam-da"
    assert resolve_unit(" UBND xã Nam Đà ", UNITS, aliases) == "nam-da"
    assert resolve_unit("UBND xã Năm Nung", UNITS, aliases) == "nam-nung"


def test_resolve_unit_accepts_nfd_spellings() -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "UBND xã Nam Đà")
    assert nfd != "UBND xã Nam Đà"
    assert resolve_unit(nfd, UNITS, {}) == "nam-da"
    alias = unicodedata.normalize("NFD", "UBND xã Năm Nung")
    assert resolve_unit("UBND xã Năm Nung", UNITS, {alias: "nam-nung"}) == "nam-nung"


def test_resolve_unit_never_guesses() -> None:
    # "Năm" for "Nâm": a near miss is an error that suggests the candidate.
    with pytest.raises(ValueError) as info:
        resolve_unit("UBND xã Năm Nung", UNITS, {})
    assert str(info.value) == (
        "unknown unit 'UBND xã Năm Nung': add it to the alias table; candidates: nam-nung (UBND xã Nâm Nung)"
    )
    with pytest.raises(ValueError) as info:
        resolve_unit("Hoàn toàn khác", UNITS, {})
    assert str(info.value) == "unknown unit 'Hoàn toàn khác': add it to the alias table"
    with pytest.raises(ValueError, match=r"^alias 'X' points to unknown unit id 'nobody'$"):
        resolve_unit("X", UNITS, {"X": "nobody"})


# --- discrepancies --------------------------------------------------------------


def published(**changes: object) -> Published:
    base = loads_published(PUBLISHED)
    import attrs

    return attrs.evolve(base, **changes)


def found(result: Result, pub: Published) -> list[tuple[str, str, str, str]]:
    return [(d.where, d.subject, d.published, d.computed) for d in compare_published(result, pub)]


def test_a_printed_number_agrees_at_its_own_precision(result: Result) -> None:
    # Field 2's average is exactly 2.5: "2,5", "2,50" and (2.5 rounded half-up) "3"
    # agree, "2,6" and "2" do not.
    base = loads_published(PUBLISHED)
    for printed, agrees in (("2.5", True), ("2.50", True), ("3", True), ("2.6", False), ("2", False)):
        table = FieldTable("2", "section IV.2", base.fields[0].rows, D(4), D(printed))
        assert (found(result, published(fields=(table,))) == []) is agrees, printed


def test_wrong_totals_bands_and_ranks(result: Result) -> None:
    rows = (
        PublishedRow("UBND xã Năm Nung", D("9.1"), 1, "Tốt"),
        PublishedRow("nam-da", D(8), 3, "Khá"),
        PublishedRow("UBND thị trấn Đắc Mâm", D("5.5"), 2, "Khá"),
    )
    assert found(result, published(results=rows, average=D("7.4"), average_band="Tốt")) == [
        ("section III", "UBND xã Năm Nung", "9.1", "9"),
        ("section III", "nam-da", "Khá", "Tốt"),
        ("section III", "nam-da", "3", "2"),
        ("section III", "UBND thị trấn Đắc Mâm", "2", "3"),
        ("section III", "nam-da", "rank 3", "better than rank 2"),
        ("section III", "average total", "7.4", "7.5"),
        ("section III", "average band", "Tốt", "Khá"),
    ]


def test_a_unit_missing_from_a_table(result: Result) -> None:
    base = loads_published(PUBLISHED)
    assert found(result, published(results=base.results[:2])) == [
        ("section III", "UBND thị trấn Đắk Mâm", "missing", "evaluated"),
    ]


def test_a_field_table_that_disagrees(result: Result) -> None:
    rows = (
        PublishedRow("UBND xã Năm Nung", D(3), 1),
        PublishedRow("UBND xã Nam Đà", D("2.5"), 2),
        PublishedRow("UBND thị trấn Đắc Mâm", D("1.5"), 2),
    )
    table = FieldTable("2", "section IV.2", rows, D(5), D("2.5"))
    assert found(result, published(fields=(table,))) == [
        ("section IV.2", "field 2 maximum", "5", "4"),
        ("section IV.2", "UBND xã Nam Đà", "2.5", "3"),
        ("section IV.2", "UBND xã Nam Đà", "2", "1"),
        ("section IV.2", "rank 2", "2.5, 1.5", "one score per rank"),
    ]


def test_a_report_about_another_scheme(result: Result) -> None:
    assert found(result, published(scheme="vn.test-other.commune.2024")) == [
        ("report", "scheme", "vn.test-other.commune.2024", "vn.test-published.commune.2024"),
    ]


def test_a_claim_that_disagrees(result: Result) -> None:
    claim = Claim("average_total", D("7.6"), "section V")
    assert found(result, published(claims=(claim,))) == [("section V", "average total", "7.6", "7.5")]


def test_names_that_cannot_be_matched_are_an_error(result: Result) -> None:
    rows = (PublishedRow("UBND xã Nam Nung", D(9), 1),)
    table = FieldTable("9", "section IV.9", (), None, None)
    claim = Claim("median", D(1), "section V")
    with pytest.raises(AssessmentError) as info:
        compare_published(result, published(results=rows, fields=(table,), claims=(claim,)))
    messages = [str(p) for p in info.value.problems]
    assert messages[0] == (
        "section III: unknown unit 'UBND xã Nam Nung': add it to the alias table;"
        " candidates: nam-nung (UBND xã Nâm Nung)"
    )
    assert messages[1] == "section IV.9: scheme 'vn.test-published.commune.2024' has no criterion '9'"
    assert messages[2].startswith("section V: unknown claim 'median'; known: 'average_total'")
    assert len(messages) == 3
    assert info.value.source == "Báo cáo thử"


# --- rank consistency at a country's scale -----------------------------------------------------


def _naive_rank_consistency(table: str, rows: tuple[PublishedRow, ...]) -> list[tuple[str, ...]]:
    """The check as first written, comparing every row with every other: the reference."""
    found = []
    ranked = [r for r in rows if r.rank is not None]
    by_rank: dict[int, set[Decimal]] = {}
    for row in ranked:
        assert row.rank is not None
        by_rank.setdefault(row.rank, set()).add(row.points)
    for rank_value, values in sorted(by_rank.items()):
        if len(values) > 1:
            shown = ", ".join(format(v, "f") for v in sorted(values, reverse=True))
            found.append((table, f"rank {rank_value}", shown, "one score per rank",
                          f"rank {rank_value} is shared by different points ({shown})"))
    for a in ranked:
        assert a.rank is not None
        below = [b for b in ranked if a.points > b.points and b.rank is not None and a.rank > b.rank]
        if below:
            names = ", ".join(f"{b.unit} ({format(b.points, 'f')}, rank {b.rank})" for b in below)
            best = min(b.rank for b in below if b.rank is not None)
            found.append((table, a.unit, f"rank {a.rank}", f"better than rank {best}",
                          f"{a.unit} has {format(a.points, 'f')} points but rank {a.rank}, below units with"
                          f" fewer points: {names}"))
    return found


@pytest.mark.parametrize("seed", range(40))
def test_rank_consistency_finds_what_comparing_every_pair_finds(seed: int) -> None:
    import random

    from parscore.published import _rank_consistency

    rng = random.Random(seed)
    size = rng.choice([0, 1, 2, 5, 30, 200])
    points = [D(rng.randint(0, 40)) / rng.choice([1, 2, 4]) for _ in range(size)]
    ordered = sorted(points, reverse=True)
    rows = []
    for k, value in enumerate(points):
        rank: int | None = 1 + sum(1 for p in ordered if p > value)  # right, ties shared
        if rng.random() < seed / 80:  # mistakes: a wrong rank, none at all, the same value written otherwise
            rank = rng.choice([None, rng.randint(1, size + 2)])
        if rng.random() < 0.2:
            value = value.quantize(D("0.01"))
        rows.append(PublishedRow(f"Xã {k:03d}", value, rank))
    rng.shuffle(rows)
    found = _rank_consistency("Biểu 1", tuple(rows))
    assert [(d.where, d.subject, d.published, d.computed, d.message) for d in found] == _naive_rank_consistency(
        "Biểu 1", tuple(rows)
    )


def test_rank_consistency_at_scale_lists_each_offender_once() -> None:
    # A country's table with one total mistyped: only the row out of order is
    # reported, with every row it now outranks wrongly, in table order.
    from parscore.published import _rank_consistency

    rows = [PublishedRow(f"Xã {k:05d}", D(20000 - k) / 100, k + 1) for k in range(20000)]
    rows[15000] = PublishedRow(rows[15000].unit, rows[15000].points + 1, rows[15000].rank)
    found = _rank_consistency("Biểu 1", tuple(rows))
    assert [(d.subject, d.published, d.computed) for d in found] == [
        ("Xã 15000", "rank 15001", "better than rank 14902")
    ]
    assert found[0].message.count("(") == 99  # Xã 14901 (50.99, rank 14902) to Xã 14999 (50.01, rank 15000)
    assert "fewer points: Xã 14901 (50.99, rank 14902), Xã 14902 (50.98, rank 14903)," in found[0].message
