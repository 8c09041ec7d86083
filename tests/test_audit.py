"""Audits of printed figures alone: Krông Nô's tables (seed 000), Phù Yên's summary (seed 004).

Expected findings are written from the reports, not from the code: the
Krông Nô report ranks field 2 and field 6 wrongly, states an average of 67,6
in section V.1 against the 67,75 of its table, and prints field maxima that
add up to 100,5 for a 100-point scheme; every total, band, overall rank and
field average is right.  The Phù Yên report lists Tân Lang both as moving up
and as keeping its step, and Mường Bang in neither; its counts, shares and
average change add up.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import parscore_schemes
import pytest

from parscore import (
    AssessmentError,
    InputError,
    Scheme,
    get_scheme,
    get_scheme_package,
    loads_published,
    loads_scheme,
)
from parscore.audit import (
    Summary,
    audit,
    audit_published,
    audit_summary,
    discrepancy_table,
    load_summary,
    loads_summary,
)
from parscore.published import Published
from parscore.units import UnitRegistry

D = Decimal
SCHEMES = Path(parscore_schemes.__file__).parent
KRONG_NO = "vn.dak-nong.krong-no.commune.2022"

# The twelve communes of seed 000 with their official names (section III).
KRONG_NO_UNITS = {
    "nam-nung": "UBND xã Nâm Nung",
    "dak-mam": "UBND thị trấn Đắk Mâm",
    "nam-da": "UBND xã Nam Đà",
    "nam-xuan": "UBND xã Nam Xuân",
    "tan-thanh": "UBND xã Tân Thành",
    "dak-nang": "UBND xã Đắk Nang",
    "dak-sor": "UBND xã Đắk Sôr",
    "quang-phu": "UBND xã Quảng Phú",
    "duc-xuyen": "UBND xã Đức Xuyên",
    "nam-ndir": "UBND xã Nâm N'Đir",
    "dak-dro": "UBND xã Đắk Drô",
    "buon-choah": "UBND xã Buôn Choah",
}

# The report's own errors, as (where, subject, printed, computed).
KRONG_NO_ERRORS = [
    # Field 2: 10, 9, 8,5, 8, 7,5, 6,5, 6 are dense ranks 1 to 7; the table prints 6,5 as 4 and 6 as 5.
    ("section IV.2, field 2 table", "UBND xã Đức Xuyên", "4", "6"),
    ("section IV.2, field 2 table", "UBND xã Buôn Choah", "4", "6"),
    ("section IV.2, field 2 table", "UBND xã Năm N'Đir", "5", "7"),
    ("section IV.2, field 2 table", "rank 4", "8, 6.5", "one score per rank"),
    ("section IV.2, field 2 table", "rank 5", "7.5, 6", "one score per rank"),
    ("section IV.2, field 2 table", "UBND xã Quảng Phú", "rank 5", "better than rank 4"),
    ("section IV.2, field 2 table", "UBND xã Đăk Drô", "rank 5", "better than rank 4"),
    # Field 6: 8,1 and 8 share rank 7, which shifts every later rank by one.
    ("section IV.6, field 6 table", "UBND xã Đăk Sôr", "7", "8"),
    ("section IV.6, field 6 table", "UBND xã Nâm N'Đir", "8", "9"),
    ("section IV.6, field 6 table", "UBND xã Quảng Phú", "9", "10"),
    ("section IV.6, field 6 table", "UBND xã Đứk Xuyên", "10", "11"),
    ("section IV.6, field 6 table", "rank 7", "8.1, 8", "one score per rank"),
    # 17,5 + 10 + 20,5 + 17,5 + 8,5 + 21,5 + 5,0 = 100,5, but section I.4 states 100 points.
    ("field tables", "sum of the field maxima", "100.5", "100"),
    # Section V.1 states 67,6; the twelve printed totals average 813 / 12 = 67,75.
    ("section V.1", "average total", "67.6", "67.75"),
]


@pytest.fixture(scope="module")
def krong_no() -> tuple[Scheme, Published]:
    package = get_scheme_package(KRONG_NO)
    published = package.load_example("communes-2022").published
    assert published is not None
    return package.load_scheme(), published


def test_krong_no_audit_finds_exactly_the_reports_own_errors(krong_no: tuple[Scheme, Published]) -> None:
    scheme, published = krong_no
    found = audit(scheme, published, UnitRegistry.of(KRONG_NO_UNITS))
    assert [(d.where, d.subject, d.published, d.computed) for d in found] == KRONG_NO_ERRORS
    # Reading every printed figure as rounded changes nothing: the errors are not rounding.
    assert audit(scheme, published, UnitRegistry.of(KRONG_NO_UNITS), rounded=True) == found


def test_krong_no_totals_bands_ranks_and_averages_are_consistent(krong_no: tuple[Scheme, Published]) -> None:
    scheme, published = krong_no
    found = audit(scheme, published, UnitRegistry.of(KRONG_NO_UNITS))
    # Nothing in the ranking table: every total is the sum of its seven printed field points
    # (e.g. Nâm Nung 17,5 + 10 + 16,8 + 17 + 7,5 + 9,6 + 2 = 80,4), every band and rank follows,
    # and the printed average 67,75 is the mean of the twelve totals.
    assert [d for d in found if d.where == "section III, ranking table"] == []
    # Field averages agree at their printed precision (field 2: 94 / 12 = 7,833… printed 7,8).
    assert [d for d in found if "average" in d.subject and d.where != "section V.1"] == []
    assert [d for d in found if d.subject.endswith("maximum")] == []


def test_krong_no_audit_agrees_with_the_recomputation_from_assessments(
    krong_no: tuple[Scheme, Published],
) -> None:
    # compare_published, which evaluates the assessments, finds the same errors in the tables;
    # the audit adds the maxima that do not add up (a source note there).
    scheme, published = krong_no
    example = get_scheme_package(KRONG_NO).load_example("communes-2022")
    expected = [(e.where, e.subject, e.published, e.computed) for e in example.expected]
    audited = audit(scheme, published, UnitRegistry.of(KRONG_NO_UNITS))
    found = [(d.where, d.subject, d.published, d.computed) for d in audited]
    assert [f for f in found if f not in expected] == [
        ("field tables", "sum of the field maxima", "100.5", "100")
    ]
    assert [e for e in expected if e not in found] == []


def test_krong_no_needs_its_official_names(krong_no: tuple[Scheme, Published]) -> None:
    # From the tables alone "UBND xã Tân Thành" (ranking table) and "UBND Tân Thành" (alias of
    # tan-thanh) cannot be known to be one commune: without the file's [units] table the audit
    # refuses to guess; with it, it needs no registry.
    scheme, published = krong_no
    assert dict(published.units)["tan-thanh"] == "UBND xã Tân Thành"
    with pytest.raises(InputError, match="alias 'UBND Tân Thành' points to unknown unit id 'tan-thanh'"):
        audit(scheme, attrs.evolve(published, units=()))
    assert audit(scheme, published) == audit(scheme, published, UnitRegistry.of(KRONG_NO_UNITS))
    # A printed variant not in the alias table stops the audit and names the candidate.
    aliases = tuple((k, v) for k, v in published.aliases if k != "UBND xã Đứk Xuyên")
    with pytest.raises(AssessmentError) as info:
        audit(scheme, attrs.evolve(published, aliases=aliases), UnitRegistry.of(KRONG_NO_UNITS))
    assert (
        "unknown unit 'UBND xã Đứk Xuyên': add it to the alias table;"
        " candidates: duc-xuyen (UBND xã Đức Xuyên)"
    ) in str(info.value)


def test_the_audit_as_a_table(krong_no: tuple[Scheme, Published]) -> None:
    scheme, published = krong_no
    report = audit_published(scheme, published, UnitRegistry.of(KRONG_NO_UNITS))
    table = report.table()
    assert len(table.rows) == 14
    assert table.render("csv", "vi").splitlines()[0] == "Vị trí;Nội dung;Số liệu công bố;Tính lại;Giải thích"
    assert report.unchecked == ()
    assert discrepancy_table(report.discrepancies).column("computed")[-1] == "67.75"


@pytest.mark.parametrize(
    ("scheme_id", "example", "expected"),
    [
        # Tam Nông: fields, deductions, total 80,47 and maxima all agree (SOURCE.md: no contradiction).
        ("vn.dong-thap.district.2021", "tam-nong-2021", []),
        # Tây Sơn: every printed total and sub-total equals the sum of its printed parts.
        ("vn.binh-dinh.district.2021", "tay-son-2021", []),
        # Đắk Glong: section I.2 prints field 7 out of 15 and field 8 as 17,02/23 against the
        # appendix's 15,5 and 9,51/13; its maxima add up to 109,5, not 100.
        ("vn.dak-nong.district.2023", "dak-glong-2023", [
            ("section I.2, Lĩnh vực 7", "field 7 maximum", "15", "15.5"),
            ("section I.2, Lĩnh vực 8", "field 8 maximum", "23", "13"),
            ("field tables", "sum of the field maxima", "109.5", "100"),
            ("section I.2, Lĩnh vực 8", "UBND huyện Đắk Glong", "17.02", "9.51"),
        ]),
        # Phù Yên's published.toml holds only the field maxima, which agree.
        ("vn.son-la.phu-yen.commune.2022", "communes-2022-summary", []),
    ],
)
def test_the_other_built_in_reports(scheme_id: str, example: str, expected: list[tuple[str, ...]]) -> None:
    package = get_scheme_package(scheme_id)
    published = package.load_example(example).published
    assert published is not None
    found = audit(package.load_scheme(), published)
    assert [(d.where, d.subject, d.published, d.computed) for d in found] == expected


# --- a hand-made report with every kind of error -----------------------------------

SCHEME = """\
format = 1
id = "vn.test-audit.commune.2024"
title = "Audit"
issuer = "Test issuer"
level = "commune"
year = 2024

[source]
document = "QĐ 1"
stated_total = 10

[ranking]
method = "competition"

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

[[fields.criteria]]
code = "1.1"
title = "Một một"
max = 4

[[fields.criteria]]
code = "1.2"
title = "Một hai"
max = 2

[[fields]]
code = "2"
title = "Hai"
max = 4
"""

PUBLISHED = """\
scheme = "vn.test-audit.commune.2024"
source = "Báo cáo thử"

[results]
where = "bảng 1"
average = "7,4"
average_band = "Tốt"

[[results.rows]]
rank = 1
unit = "Xã A"
total = "9"
band = "Tốt"

[[results.rows]]
rank = 2
unit = "Xã B"
total = "8"
band = "Khá"

[[results.rows]]
rank = 2
unit = "Xã C"
total = "5,5"
band = "Khá"

[[fields]]
code = "1"
where = "bảng 2"
max = "6"
average = "4,9"

[[fields.rows]]
rank = 1
unit = "Xã A"
points = "6"

[[fields.rows]]
rank = 2
unit = "Xã B"
points = "4,5"

[[fields.rows]]
rank = 3
unit = "Xã C"
points = "4"

[[fields]]
code = "2"
where = "bảng 3"
max = "5"

[[fields.rows]]
unit = "Xã A"
points = "3"

[[fields.rows]]
unit = "Xã B"
points = "4,5"

[[claims]]
what = "points"
unit = "Xã A"
codes = ["1.1"]
value = "4"
where = "phụ lục"

[[claims]]
what = "points"
unit = "Xã A"
codes = ["1.2"]
value = "1"
where = "phụ lục"

[[claims]]
what = "deduction"
unit = "Xã A"
codes = ["1", "2"]
value = "1,5"
where = "mục II"

[[claims]]
what = "points"
unit = "Xã C"
codes = ["1"]
value = "4,6"
where = "mục III"

[[claims]]
what = "average_points"
codes = ["2"]
value = "3"
where = "mục IV"
"""


def test_every_kind_of_inconsistency_in_a_hand_made_report() -> None:
    found = audit(loads_scheme(SCHEME), loads_published(PUBLISHED))
    assert [(d.where, d.subject, d.published, d.computed) for d in found] == [
        # Xã B: 4,5 + 4,5 = 9, printed 8; and 8 is in band Tốt, printed Khá.
        ("bảng 1", "Xã B", "8", "9"),
        ("bảng 1", "Xã B", "Khá", "Tốt"),
        # Competition ranks of 9, 8 and 5,5 are 1, 2 and 3.
        ("bảng 1", "Xã C", "2", "3"),
        ("bảng 1", "rank 2", "8, 5.5", "one score per rank"),
        # (9 + 8 + 5,5) / 3 = 7,5, printed 7,4; and 7,4 is in band Khá, printed Tốt.
        ("bảng 1", "average total", "7.4", "7.5"),
        ("bảng 1", "average band", "Tốt", "Khá"),
        # (6 + 4,5 + 4) / 3 = 4,8333…, printed 4,9.
        ("bảng 2", "field 1 average", "4.9", "4.833333333333333333333333333333333"),
        ("bảng 3", "field 2 maximum", "5", "4"),
        ("bảng 3", "Xã C", "missing", "listed"),
        # The printed maxima add up to 6 + 5 = 11; the scheme states 10.
        ("field tables", "sum of the field maxima", "11", "10"),
        # Xã C's field 1 is printed 4 in bảng 2 and 4,6 in mục III.
        ("bảng 2", "Xã C", "4", "4.6"),
        # Xã A's field 1 is printed 6, but its printed parts 1.1 and 1.2 add up to 4 + 1 = 5.
        ("bảng 2", "Xã A", "6", "5"),
        # Xã A lost (6 + 4) − (6 + 3) = 1 point on fields 1 and 2; the text states 1,5.
        ("mục II", "Xã A: deduction of 1, 2", "1.5", "1"),
    ]
    messages = [d.message for d in found]
    assert messages[0] == "total printed 8, but its field points add up to 4.5 + 4.5 = 9"
    assert messages[10] == "points printed 4, but mục III prints 4.6 for field 1"
    assert messages[11] == "points printed 6, but the parts of 1 add up to 4 + 1 = 5"
    # Field 2 is printed for two of the three units only: Xã C's total and the average of
    # field 2 cannot be checked, and the audit says so.
    report = audit_published(loads_scheme(SCHEME), loads_published(PUBLISHED))
    assert report.unchecked == (
        ("bảng 1: the totals of 1 of 3 units are not recomputed:"
         " their field points are not all printed (Xã C)",
         "bảng 1: không tính lại tổng điểm của 1/3 đơn vị:"
         " điểm các lĩnh vực không được công bố đầy đủ (Xã C)"),
        ("mục IV: average_points 3: not every unit's points on these codes are printed",
         "mục IV: average_points 3: không phải mọi đơn vị đều có điểm được công bố cho các mã này"),
    )
    assert report.table().notes == report.unchecked


CONSISTENT = """\
scheme = "vn.test-audit.commune.2024"
source = "Báo cáo đúng"

[results]
where = "bảng 1"
average = "7,5"
average_band = "Khá"

[[results.rows]]
rank = 1
unit = "Xã A"
total = "9"
band = "Tốt"

[[results.rows]]
rank = 2
unit = "Xã B"
total = "8"
band = "Tốt"

[[results.rows]]
rank = 3
unit = "Xã C"
total = "5,5"
band = "Khá"

[[fields]]
code = "1"
where = "bảng 2"
max = "6"
average = "4,8"

[[fields.rows]]
rank = 1
unit = "Xã A"
points = "6"

[[fields.rows]]
rank = 2
unit = "Xã B"
points = "4,5"

[[fields.rows]]
rank = 3
unit = "Xã C"
points = "4"

[[fields]]
code = "2"
where = "bảng 3"
max = "4"
average = "3,17"

[[fields.rows]]
rank = 1
unit = "Xã B"
points = "3,5"

[[fields.rows]]
rank = 2
unit = "Xã A"
points = "3"

[[fields.rows]]
rank = 2
unit = "Xã C"
points = "1,5"

[[claims]]
what = "deduction"
unit = "Xã A"
codes = ["1", "2"]
value = "1"
where = "mục II"
"""


def test_a_report_that_agrees_with_itself() -> None:
    scheme = loads_scheme(SCHEME)
    # (3,5 + 3 + 1,5) / 3 = 2,666…: a printed 3,17 is wrong, and so is rank 2 for 1,5.
    found = audit(scheme, loads_published(CONSISTENT))
    assert [(d.subject, d.published, d.computed) for d in found] == [
        ("Xã C", "2", "3"),
        ("rank 2", "3, 1.5", "one score per rank"),
        ("field 2 average", "3.17", "2.666666666666666666666666666666667"),
    ]
    fixed = CONSISTENT.replace('average = "3,17"', 'average = "2,67"').replace(
        'rank = 2\nunit = "Xã C"\npoints = "1,5"', 'rank = 3\nunit = "Xã C"\npoints = "1,5"'
    )
    assert audit(scheme, loads_published(fixed)) == ()


def test_rounded_figures_are_compared_as_ranges() -> None:
    scheme = loads_scheme(SCHEME.replace("stated_total = 10", "stated_total = 10"))
    text = """\
scheme = "vn.test-audit.commune.2024"
source = "Báo cáo làm tròn"

[results]
where = "bảng 1"

[[results.rows]]
unit = "Xã A"
total = "8,4"

[[fields]]
code = "1"
where = "bảng 2"

[[fields.rows]]
unit = "Xã A"
points = "5,2"

[[fields]]
code = "2"
where = "bảng 3"

[[fields.rows]]
unit = "Xã A"
points = "3,3"
"""
    published = loads_published(text)
    # Taken as exact, 5,2 + 3,3 = 8,5 is not the printed 8,4.
    exact = audit(scheme, published)
    assert [(d.subject, d.published, d.computed) for d in exact] == [("Xã A", "8.4", "8.5")]
    # Taken as rounded, 5,15 + 3,25 = 8,40 prints 8,4: no inconsistency.
    assert audit(scheme, published, rounded=True) == ()
    far = loads_published(text.replace('total = "8,4"', 'total = "8,3"'))
    assert [(d.subject, d.published) for d in audit(scheme, far, rounded=True)] == [("Xã A", "8.3")]


def test_a_normalised_scheme_recomputes_the_score_from_raw_points() -> None:
    scheme = get_scheme("vn.son-la.phu-yen.commune.2022")
    rows = "\n".join(
        f'[[fields]]\ncode = "{code}"\nwhere = "Biểu {code}"\n'
        f'[[fields.rows]]\nunit = "Tường Phù"\npoints = "{p}"\n'
        for code, p in zip("12345678", ["10", "6", "12", "5", "7", "5", "6", "3"], strict=True)
    )
    text = f"""\
scheme = "vn.son-la.phu-yen.commune.2022"
source = "thử"
[results]
where = "Biểu số 1"
[[results.rows]]
unit = "Tường Phù"
total = "{{total}}"
band = "Nhóm B"
{rows}"""
    # 54 raw points of 70 on a 100 scale: 77,142857… rounded to 2 decimals, as the report prints.
    assert audit(scheme, loads_published(text.replace("{total}", "77,14"))) == ()
    wrong = audit(scheme, loads_published(text.replace("{total}", "77,2")))
    assert [(d.published, d.computed) for d in wrong] == [("77.2", "77.14")]
    assert wrong[0].message == (
        "total printed 77.2, but its field points add up to 10 + 6 + 12 + 5 + 7 + 5 + 6 + 3 = 54,"
        " × 100 ÷ 70 = 77.14285714285714285714285714285714 → 77.14"
    )


# --- the summary of Phù Yên (seed 004) ----------------------------------------------

SUMMARY = SCHEMES / "phu_yen_2022" / "examples" / "communes-2022-summary" / "summary-2022.toml"


@pytest.fixture(scope="module")
def summary() -> Summary:
    return load_summary(SUMMARY)


def test_the_summary_is_read_as_transcribed(summary: Summary) -> None:
    assert (summary.scheme, summary.year, summary.previous_year, summary.units) == (
        "vn.son-la.phu-yen.commune.2022", 2022, 2021, 27
    )
    assert [(b.name, b.count, b.share) for b in summary.bands] == [
        ("Nhóm A", 0, None), ("Nhóm B", 4, D("14.8")), ("Nhóm C", 16, D("59.3")), ("Nhóm D", 7, D("25.9")),
    ]
    moves = dict(summary.points_since_previous)
    assert (moves["rose"].count, moves["rose"].points, moves["fell"].count, moves["fell"].points) == (
        8, D("69.5"), 19, D("192.56")
    )
    steps = dict(summary.steps_since_previous)
    assert steps["kept"].units == ("Tân Lang", "Huy Hạ")
    assert summary.average is not None and (summary.average.points, summary.average.change_points) == (
        D("57.9"), D("4.56")
    )


def test_the_summary_audit_finds_tan_lang_twice_and_muong_bang_nowhere(summary: Summary) -> None:
    result = audit_summary(summary, get_scheme("vn.son-la.phu-yen.commune.2022"))
    assert [(d.where, d.subject, d.published, d.computed) for d in result.discrepancies] == [
        ("section III.1", "Tân Lang", "up, kept", "exactly one"),
        ("section III.1", "Mường Bang", "none", "exactly one"),
        # 16 + 2 + 9 = 27 names, but only 26 distinct communes.
        ("section III.1", "steps_since_previous: every unit exactly once", "27", "26"),
    ]
    assert not result.consistent


def test_the_summary_audit_confirms_the_consistent_figures(summary: Summary) -> None:
    checks = {c.subject: c for c in audit_summary(summary).checks}
    bands = checks["band counts"]
    assert (bands.agrees, bands.arithmetic) == (True, "0 + 4 + 16 + 7 = 27 (Nhóm A, Nhóm B, Nhóm C, Nhóm D)")
    for band, share, arithmetic in [
        ("Nhóm B", "14.8", "4 / 27 × 100 = 14.8148… → 14.8"),
        ("Nhóm C", "59.3", "16 / 27 × 100 = 59.2593… → 59.3"),
        ("Nhóm D", "25.9", "7 / 27 × 100 = 25.9259… → 25.9"),
    ]:
        check = checks[f"{band}: share (%)"]
        assert (check.agrees, check.stated, check.arithmetic) == (True, share, arithmetic)
    assert checks["bands: every unit exactly once"].agrees
    rose_fell = checks["points_since_previous: counts"]
    assert (rose_fell.agrees, rose_fell.arithmetic) == (True, "8 + 19 = 27 (rose, fell)")
    assert checks["points_since_previous: every unit exactly once"].agrees
    change = checks["change of the average"]
    assert (change.agrees, change.stated, change.computed) == (True, "-4.56", "-4.56")
    assert change.arithmetic.startswith("(69.5 − 192.56) / 27 = -4.557778… → -4.56")
    steps = checks["steps_since_previous: counts"]
    assert (steps.agrees, steps.arithmetic) == (True, "16 + 2 + 9 = 27 (up, kept, down)")
    spread = checks["spread"]
    assert (spread.agrees, spread.arithmetic) == (True, "77.14 − 30 = 47.14")
    assert checks["on time + late"].arithmetic == "24 + 3 = 27"
    average = checks["average from the field averages"]
    assert average.agrees and "the average lies in [57.36; 58.24]" in average.arithmetic


def test_a_summary_audit_table(summary: Summary) -> None:
    table = audit_summary(summary).table()
    assert table.render("csv").splitlines()[0] == "Where,Subject,Stated,Computed,Arithmetic,Agrees"
    assert table.column("agrees").count(False) == 3


def test_summary_lists_must_resolve_exactly() -> None:
    listed = '"Huy Hạ", "Quang Huy", "Mường Lang", "Gia Phù", "Mường Bang"'
    assert SUMMARY.read_text(encoding="utf-8").count(listed) == 1  # the fell list
    text = SUMMARY.read_text(encoding="utf-8").replace(listed, listed.replace("Huy Hạ", "Huy Ha"))
    with pytest.raises(InputError) as info:
        audit_summary(loads_summary(text))
    assert "unknown unit 'Huy Ha': add it to the alias table; candidates: Huy Hạ (Huy Hạ)" in str(info.value)
    aliased = text + '\n[aliases]\n"Huy Ha" = "Huy Hạ"\n'
    assert len(audit_summary(loads_summary(aliased)).discrepancies) == 3


def test_summary_errors_carry_lines_and_keys() -> None:
    text = """\
scheme = "x"
year = 2022
units = 0
[[bands]]
name = "A"
where = "s"
count = -1
[[bands]]
name = "A"
where = "s"
count = 1
[steps_since_previous.sideways]
where = "s"
count = 1
[average]
where = "s"
points = "5"
change = "lên"
"""
    with pytest.raises(InputError) as info:
        loads_summary(text, file="summary.toml")
    assert [str(p) for p in info.value.problems] == [
        "line 18 (average.change): expected one of 'tăng', 'giảm', got text 'lên'",
    ]
    fixed = text.replace('change = "lên"', 'change = "tăng"')
    with pytest.raises(InputError) as info:
        loads_summary(fixed, file="summary.toml")
    assert [str(p) for p in info.value.problems] == [
        "line 3 (units): units must be at least 1, got 0",
        "line 12 (steps_since_previous.sideways): unknown category 'sideways'; known: up, kept, down",
        "line 7 (bands[0].count): a count must not be negative, got -1",
        "line 9 (bands[1].name): duplicate band 'A'",
    ]
