"""Analyses: improvement gaps and plans, year-over-year changes, distributions, adjustments.

Small hand-made schemes with every expected figure written out, the seed
reports' own tables (seed 002's appendix, seed 000's averages and bands,
seed 004's band shares), every render format in both locales, and
independence from input order.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from parscore import (
    Assessment,
    AssessmentError,
    Assessments,
    Band,
    Entered,
    InputError,
    Node,
    Normalisation,
    NotApplicablePolicy,
    Result,
    Rounding,
    Scheme,
    evaluate,
    get_scheme,
    get_scheme_package,
    parse_decimal,
    round_half_up,
)
from parscore.analysis import (
    Plan,
    PlanDiscrepancy,
    PlanError,
    PlanItem,
    Unmatched,
    adjustments,
    compare_years,
    distribution,
    gap_table,
    load_plan,
    loads_plan,
    plan_problems,
)
from parscore.tables import Table

D = Decimal
SCHEMES = Path(__file__).resolve().parents[1] / "schemes"
DAK_GLONG_PLAN = SCHEMES / "dak_nong_district_2023" / "examples" / "dak-glong-2023" / "plan-2024.toml"
FORMATS = ("text", "md", "csv", "json")
LOCALES = ("en", "vi")


# --- a small scheme, by hand -------------------------------------------------------------
#
# Field 1 (max 10) has criteria 1.1 (max 4) and 1.2 (max 6); field 2 (max 5)
# is a leaf.  Bands: Tốt from 12, Khá 8 to below 12, Yếu below 8.
#
#   2023  1.1  1.2  2   field 1  total  band  rank
#   a     3.5  6    4   9.5      13.5   Tốt   1
#   b     2    4.5  5   6.5      11.5   Khá   2
#   c     1    3    2.5 4        6.5    Yếu   3
#   e     0    2    1   2        3      Yếu   4
#
#   2022  1.1  1.2  2   field 1  total  band  rank
#   b     4    6    3   10       13     Tốt   1
#   a     4    5    3   9        12     Tốt   2
#   c     3    4    2   7        9      Khá   3
#   d     1    1    1   2        3      Yếu   4


def small_scheme(year: int = 2023, **changes: object) -> Scheme:
    arguments: dict[str, object] = {
        "id": f"vn.demo.commune.{year}",
        "title": "Chỉ số CCHC",
        "issuer": "UBND huyện Demo",
        "level": "commune",
        "year": year,
        "fields": (
            Node("1", "Chỉ đạo, điều hành", D(10), children=(
                Node("1.1", "Kế hoạch CCHC", D(4), rule=Entered()),
                Node("1.2", "Báo cáo", D(6), rule=Entered()),
            )),
            Node("2", "Thể chế", D(5), rule=Entered()),
        ),
        "bands": (Band("Tốt", D(12)), Band("Khá", D(8), D(12)), Band("Yếu", D(0), D(8))),
    }
    arguments.update(changes)
    return Scheme(**arguments)  # type: ignore[arg-type]


def unit(uid: str, name: str, a: object, b: object, c: object,
         self_assessed: dict[str, object] | None = None) -> Assessment:
    return Assessment.of(uid, name, appraised={"1.1": a, "1.2": b, "2": c}, self_assessed=self_assessed)


def units_2023() -> list[Assessment]:
    return [
        unit("a", "UBND xã A", "3,5", 6, 4),
        unit("b", "UBND xã B", 2, "4,5", 5),
        unit("c", "UBND thị trấn C", 1, 3, "2,5"),
        unit("e", "UBND xã E", 0, 2, 1),
    ]


def units_2022() -> list[Assessment]:
    return [
        unit("a", "UBND xã A", 4, 5, 3),
        unit("b", "UBND xã B", 4, 6, 3),
        unit("c", "UBND thị trấn C", 3, 4, 2),
        unit("d", "UBND xã D", 1, 1, 1),
    ]


@pytest.fixture
def after() -> Result:
    return evaluate(small_scheme(2023), units_2023())


@pytest.fixture
def before() -> Result:
    return evaluate(small_scheme(2022), units_2022())


def small_plan(**changes: object) -> Plan:
    arguments: dict[str, object] = {
        "unit": "a",
        "year": 2024,
        "total_target": "15",
        "items": (
            PlanItem("1", "10"),
            PlanItem("1.1", "4", "Ban hành kế hoạch đúng hạn", "Phòng Nội vụ"),
            PlanItem("1.2", "6"),
            PlanItem("2", "4,5", "Rà soát văn bản", "Phòng Tư pháp"),
        ),
    }
    arguments.update(changes)
    return Plan(**arguments)  # type: ignore[arg-type]


# --- the gap table -------------------------------------------------------------------------


def test_gap_table_rows_by_hand(after: Result) -> None:
    table = gap_table(after, "a")
    assert table.name == "gaps"
    assert [c.key for c in table.columns] == ["code", "title", "max", "points", "gap", "percentage"]
    assert table.rows == (
        ("1", "Chỉ đạo, điều hành", D(10), D("9.5"), D("0.5"), D(95)),
        ("1.1", "Kế hoạch CCHC", D(4), D("3.5"), D("0.5"), D("87.5")),
        ("1.2", "Báo cáo", D(6), D(6), D(0), D(100)),
        ("2", "Thể chế", D(5), D(4), D(1), D(80)),
        ("", "Tổng điểm", D(15), D("13.5"), D("1.5"), D(90)),
    )
    assert table.notes == ()


def test_gap_table_by_name_equals_by_id(after: Result) -> None:
    assert gap_table(after, "UBND xã A") == gap_table(after, "a")


GAP_TEXT_EN = """\
Improvement gaps: UBND xã A (vn.demo.commune.2023)

Code  Field / criterion   Max  Points 2023  Gap  % of max
----  ------------------  ---  -----------  ---  --------
1     Chỉ đạo, điều hành   10          9.5  0.5    95.0 %
1.1   Kế hoạch CCHC         4          3.5  0.5    87.5 %
1.2   Báo cáo               6            6    0   100.0 %
2     Thể chế               5            4    1    80.0 %
      Tổng điểm            15         13.5  1.5    90.0 %
"""

GAP_TEXT_VI = """\
Điểm chưa đạt: UBND xã A (vn.demo.commune.2023)

Mã   Lĩnh vực / tiêu chí  Điểm tối đa  Điểm 2023 đạt được  Điểm chưa đạt  Tỷ lệ đạt
---  -------------------  -----------  ------------------  -------------  ---------
1    Chỉ đạo, điều hành            10                 9,5            0,5     95,0 %
1.1  Kế hoạch CCHC                  4                 3,5            0,5     87,5 %
1.2  Báo cáo                        6                   6              0    100,0 %
2    Thể chế                        5                   4              1     80,0 %
     Tổng điểm                     15                13,5            1,5     90,0 %
"""

GAP_MD_EN = """\
### Improvement gaps: UBND xã A (vn.demo.commune.2023)

| Code | Field / criterion | Max | Points 2023 | Gap | % of max |
| --- | --- | ---: | ---: | ---: | ---: |
| 1 | Chỉ đạo, điều hành | 10 | 9.5 | 0.5 | 95.0 % |
| 1.1 | Kế hoạch CCHC | 4 | 3.5 | 0.5 | 87.5 % |
| 1.2 | Báo cáo | 6 | 6 | 0 | 100.0 % |
| 2 | Thể chế | 5 | 4 | 1 | 80.0 % |
|  | Tổng điểm | 15 | 13.5 | 1.5 | 90.0 % |
"""

GAP_MD_VI = """\
### Điểm chưa đạt: UBND xã A (vn.demo.commune.2023)

| Mã | Lĩnh vực / tiêu chí | Điểm tối đa | Điểm 2023 đạt được | Điểm chưa đạt | Tỷ lệ đạt |
| --- | --- | ---: | ---: | ---: | ---: |
| 1 | Chỉ đạo, điều hành | 10 | 9,5 | 0,5 | 95,0 % |
| 1.1 | Kế hoạch CCHC | 4 | 3,5 | 0,5 | 87,5 % |
| 1.2 | Báo cáo | 6 | 6 | 0 | 100,0 % |
| 2 | Thể chế | 5 | 4 | 1 | 80,0 % |
|  | Tổng điểm | 15 | 13,5 | 1,5 | 90,0 % |
"""

GAP_CSV_EN = """\
Code,Field / criterion,Max,Points 2023,Gap,% of max
1,"Chỉ đạo, điều hành",10,9.5,0.5,95
1.1,Kế hoạch CCHC,4,3.5,0.5,87.5
1.2,Báo cáo,6,6,0,100
2,Thể chế,5,4,1,80
,Tổng điểm,15,13.5,1.5,90
"""

GAP_CSV_VI = """\
Mã;Lĩnh vực / tiêu chí;Điểm tối đa;Điểm 2023 đạt được;Điểm chưa đạt;Tỷ lệ đạt
1;Chỉ đạo, điều hành;10;9,5;0,5;95
1.1;Kế hoạch CCHC;4;3,5;0,5;87,5
1.2;Báo cáo;6;6;0;100
2;Thể chế;5;4;1;80
;Tổng điểm;15;13,5;1,5;90
"""


def _json_gap(title: str, headings: list[str]) -> str:
    keys = ["code", "title", "max", "points", "gap", "percentage"]
    kinds = ["text", "text", "number", "number", "number", "percent"]
    columns = ",\n".join(
        f'    {{\n      "key": "{k}",\n      "heading": "{h}",\n      "kind": "{kind}"\n    }}'
        for k, h, kind in zip(keys, headings, kinds, strict=True)
    )
    rows = [
        ("1", "Chỉ đạo, điều hành", "10", "9.5", "0.5", "95"),
        ("1.1", "Kế hoạch CCHC", "4", "3.5", "0.5", "87.5"),
        ("1.2", "Báo cáo", "6", "6", "0", "100"),
        ("2", "Thể chế", "5", "4", "1", "80"),
        ("", "Tổng điểm", "15", "13.5", "1.5", "90"),
    ]
    body = ",\n".join(
        "    {\n" + ",\n".join(f'      "{k}": "{v}"' for k, v in zip(keys, row, strict=True)) + "\n    }"
        for row in rows
    )
    return (
        f'{{\n  "table": "gaps",\n  "title": "{title}",\n  "columns": [\n{columns}\n  ],\n'
        f'  "rows": [\n{body}\n  ],\n  "notes": []\n}}\n'
    )


GAP_JSON_EN = _json_gap(
    "Improvement gaps: UBND xã A (vn.demo.commune.2023)",
    ["Code", "Field / criterion", "Max", "Points 2023", "Gap", "% of max"],
)
GAP_JSON_VI = _json_gap(
    "Điểm chưa đạt: UBND xã A (vn.demo.commune.2023)",
    ["Mã", "Lĩnh vực / tiêu chí", "Điểm tối đa", "Điểm 2023 đạt được", "Điểm chưa đạt", "Tỷ lệ đạt"],
)


@pytest.mark.parametrize(
    ("format", "locale", "expected"),
    [
        ("text", "en", GAP_TEXT_EN),
        ("text", "vi", GAP_TEXT_VI),
        ("md", "en", GAP_MD_EN),
        ("md", "vi", GAP_MD_VI),
        ("csv", "en", GAP_CSV_EN),
        ("csv", "vi", GAP_CSV_VI),
        ("json", "en", GAP_JSON_EN),
        ("json", "vi", GAP_JSON_VI),
    ],
)
def test_gap_table_renders(after: Result, format: str, locale: str, expected: str) -> None:
    assert gap_table(after, "a").render(format, locale) == expected  # type: ignore[arg-type]


def test_gap_table_sorted_by_gap(after: Result) -> None:
    table = gap_table(after, "a", sort="gap")
    # Gaps: 2 → 1, field 1 → 0.5, 1.1 → 0.5 (tie: scheme order), 1.2 → 0; total last.
    assert table.column("code") == ("2", "1", "1.1", "1.2", "")
    assert table.column("gap") == (D(1), D("0.5"), D("0.5"), D(0), D("1.5"))


def test_gap_table_top_keeps_largest_leaf_gaps(after: Result) -> None:
    # Unit a's leaves lost 1.1 → 0.5 and 2 → 1 (1.2 lost nothing).
    assert gap_table(after, "a", top=1).column("code") == ("2", "")
    assert gap_table(after, "a", top=5).column("code") == ("1.1", "2", "")
    assert gap_table(after, "a", top=5, sort="gap").column("code") == ("2", "1.1", "")
    table = gap_table(after, "a", top=1)
    assert table.rows[-1] == ("", "Tổng điểm", D(15), D("13.5"), D("1.5"), D(90))
    assert table.notes == ((
        "the criterion with the largest gap (of 2 that lost points); the total row is the whole unit's",
        "1 tiêu chí có điểm chưa đạt lớn nhất (trong 2 tiêu chí bị mất điểm); dòng tổng là của cả đơn vị",
    ),)


def test_gap_table_top_notes_a_tie_at_the_cut(after: Result) -> None:
    # Unit c lost 3 on 1.1 (1 of 4), 3 on 1.2 (3 of 6) and 2.5 on field 2.
    table = gap_table(after, "c", top=1)
    assert table.column("code") == ("1.1", "")
    assert table.notes[1] == (
        "1.1, 1.2 tie at the cut with a gap of 3; the first in the scheme's order are kept",
        "1.1, 1.2 bằng nhau ở ngưỡng cắt (chưa đạt 3); giữ các tiêu chí đứng trước theo thứ tự bộ tiêu chí",
    )


def test_gap_table_with_plan(after: Result) -> None:
    table = gap_table(after, "a", small_plan())
    assert [c.key for c in table.columns] == [
        "code", "title", "max", "points", "gap", "percentage", "target", "to_target", "tasks", "office",
    ]
    assert table.title == ("Improvement plan 2024: UBND xã A (vn.demo.commune.2023)",
                           "Kế hoạch cải thiện năm 2024: UBND xã A (vn.demo.commune.2023)")
    assert table.rows == (
        ("1", "Chỉ đạo, điều hành", D(10), D("9.5"), D("0.5"), D(95), D(10), D("0.5"), None, None),
        ("1.1", "Kế hoạch CCHC", D(4), D("3.5"), D("0.5"), D("87.5"), D(4), D("0.5"),
         "Ban hành kế hoạch đúng hạn", "Phòng Nội vụ"),
        ("1.2", "Báo cáo", D(6), D(6), D(0), D(100), D(6), D(0), None, None),
        ("2", "Thể chế", D(5), D(4), D(1), D(80), D("4.5"), D("0.5"), "Rà soát văn bản", "Phòng Tư pháp"),
        ("", "Tổng điểm", D(15), D("13.5"), D("1.5"), D(90), D(15), D("1.5"), None, None),
    )
    # Field 1's target 10 is its criteria's 4 + 6, but 10 + 4.5 is not the total 15.
    assert table.notes == (
        ("plan: total target: the total target is 15, but the fields' targets add up to 14.5",
         "kế hoạch: tổng mục tiêu là 15, nhưng mục tiêu của các lĩnh vực cộng lại là 14,5"),
        ("plan: total target: the total target is 15, but the targets down to criterion level add up to 14.5",
         "kế hoạch: tổng mục tiêu là 15, nhưng mục tiêu đến cấp tiêu chí cộng lại là 14,5"),
    )
    assert "Mục tiêu năm 2024" in table.render("text", "vi")


def test_gap_table_plan_notes(after: Result) -> None:
    plan = small_plan(items=(PlanItem("1.1", "3"), PlanItem("9", "1")), total_target="13")
    table = gap_table(after, "a", plan)
    assert table.column("target") == (None, D(3), None, None, D(13))
    assert table.column("to_target") == (None, D("-0.5"), None, None, D("-0.5"))
    assert table.notes == (
        ("no target in the plan for: 1, 1.2, 2", "kế hoạch không có mục tiêu cho: 1, 1.2, 2"),
        ("targets below the points already achieved: 1.1 (3 < 3.5)",
         "mục tiêu thấp hơn điểm đã đạt: 1.1 (3 < 3,5)"),
        ("the total target 13 is below the points already achieved (13.5)",
         "tổng mục tiêu 13 thấp hơn điểm đã đạt (13,5)"),
        ("plan: item 9: unknown criterion '9': scheme 'vn.demo.commune.2023' has no such code",
         "kế hoạch: mã '9' không có trong bộ tiêu chí 'vn.demo.commune.2023'"),
    )


def test_gap_table_refuses_wrong_arguments(after: Result) -> None:
    with pytest.raises(ValueError, match="no unit 'UBND xã Z' in this result"):
        gap_table(after, "UBND xã Z")
    with pytest.raises(ValueError, match=r"the plan is for unit 'b', not 'a' \(UBND xã A\)"):
        gap_table(after, "a", small_plan(unit="b"))
    with pytest.raises(ValueError, match="the plan is for unit 'nowhere'"):
        gap_table(after, "a", small_plan(unit="nowhere"))
    with pytest.raises(ValueError, match="sort must be 'code' or 'gap'"):
        gap_table(after, "a", sort="points")  # type: ignore[arg-type]
    for top in (0, -1, True, "3"):
        with pytest.raises(ValueError, match="top must be a whole number of at least 1"):
            gap_table(after, "a", top=top)  # type: ignore[arg-type]


def test_gap_table_normalised_and_dropped() -> None:
    scheme = small_scheme(
        normalisation=Normalisation(D(100)),
        rounding=Rounding(normalised=2),
        bands=(Band("Đạt", D(50)), Band("Chưa đạt", D(0), D(50))),
        fields=(
            Node("1", "Chỉ đạo, điều hành", D(10), children=(
                Node("1.1", "Kế hoạch CCHC", D(4), rule=Entered(), not_applicable=NotApplicablePolicy.DROP),
                Node("1.2", "Báo cáo", D(6), rule=Entered()),
            )),
            Node("2", "Thể chế", D(5), rule=Entered()),
        ),
    )
    result = evaluate(scheme, [unit("a", "UBND xã A", "n/a", 5, 4)])
    table = gap_table(result, "a")
    # 1.1 is dropped: the unit is scored on 11 points, 9 of them earned: 9 × 100 ÷ 11 = 81.82.
    assert table.rows == (
        ("1", "Chỉ đạo, điều hành", D(6), D(5), D(1), D("83.33333333333333333333333333333333")),
        ("1.1", "Kế hoạch CCHC", D(0), D(0), D(0), None),
        ("1.2", "Báo cáo", D(6), D(5), D(1), D("83.33333333333333333333333333333333")),
        ("2", "Thể chế", D(5), D(4), D(1), D(80)),
        ("", "Tổng điểm", D(11), D(9), D(2), D("81.81818181818181818181818181818182")),
    )
    assert table.notes == (
        ("points are raw; the score on a scale of 100 is 81.82",
         "điểm là điểm thô; điểm quy về thang 100 là 81,82"),
        ("not applicable, left out of the maximum: 1.1", "không phát sinh, không tính vào điểm tối đa: 1.1"),
    )


# --- plans ------------------------------------------------------------------------------------


def test_plan_item_reads_numbers_exactly() -> None:
    item = PlanItem(" 2.1 ", "2,5", "Cập nhật", "Phòng Tư pháp")
    assert item == PlanItem("2.1", D("2.5"), "Cập nhật", "Phòng Tư pháp")
    with pytest.raises(ValueError, match="float"):
        PlanItem("1", 1.5)
    with pytest.raises(ValueError, match="more than one item for 1"):
        Plan("a", 2024, (PlanItem("1", "1"), PlanItem("1", "2")))


def test_plan_problems_by_hand() -> None:
    plan = Plan(
        "a", 2024,
        (
            PlanItem("1", "9"),          # criteria below add up to 5 + 5 = 10
            PlanItem("1.1", "5"),        # above its maximum 4
            PlanItem("1.2", "5"),
            PlanItem("2", "-1"),         # below 0
            PlanItem("7", "1"),          # no such code
            PlanItem("3", tasks="Thêm"),  # no such code either, and no target
        ),
        scheme="vn.demo.commune.2022",
        total_target="15",
    )
    found = plan_problems(small_scheme(2023), plan)
    assert [(d.where, d.subject, d.published, d.computed) for d in found] == [
        ("scheme", "scheme", "vn.demo.commune.2022", "vn.demo.commune.2023"),
        ("items[5].code", "item 3", "3", ""),
        ("items[4].code", "item 7", "7", ""),
        ("items[0].target", "field 1 target", "9", "10"),
        ("items[1].target", "criterion 1.1 target", "5", "4"),
        ("items[3].target", "field 2 target", "-1", "0"),
        ("total_target", "total target", "15", "8"),
        ("total_target", "total target", "15", "9"),
    ]
    assert [d.message for d in found] == [
        "the plan is for scheme 'vn.demo.commune.2022', not 'vn.demo.commune.2023'",
        "unknown criterion '3': scheme 'vn.demo.commune.2023' has no such code",
        "unknown criterion '7': scheme 'vn.demo.commune.2023' has no such code",
        "the target is 9, but its criteria's targets add up to 10 (5 + 5)",
        "target 5 is above the maximum 4",
        "target -1 is below 0",
        "the total target is 15, but the fields' targets add up to 8",
        "the total target is 15, but the targets down to criterion level add up to 9",
    ]
    assert found[3].message_vi == (
        "lĩnh vực 1: mục tiêu là 9, nhưng mục tiêu của các tiêu chí cộng lại là 10 (5 + 5)")
    assert str(found[4]) == "items[1].target: criterion 1.1 target: target 5 is above the maximum 4"


def test_plan_problems_partial_children() -> None:
    plan = Plan("a", 2024, (PlanItem("1", "10"), PlanItem("1.2", "6")))
    (found,) = plan_problems(small_scheme(), plan)
    assert (found.where, found.subject, found.published, found.computed) == (
        "items[0].target", "field 1 target", "10", "no target for 1.1")
    assert found.message == (
        "its criterion 1.1 has no target, so the target 10 cannot be checked against theirs")


def test_plan_problems_consistent_plan() -> None:
    plan = small_plan(total_target="14,5", scheme="vn.demo.commune.2023")
    assert plan_problems(small_scheme(), plan) == ()
    # A plan with field targets only is complete at field level.
    fields_only = Plan("a", 2024, (PlanItem("1", 9), PlanItem("2", 5)), total_target=14)
    assert plan_problems(small_scheme(), fields_only) == ()


def test_dak_glong_plan_loads() -> None:
    plan = load_plan(DAK_GLONG_PLAN)
    assert (plan.unit, plan.year, plan.total_target, plan.scheme) == ("dak-glong", 2024, D(100), None)
    assert plan.source is not None and plan.source.startswith("Kế hoạch khắc phục")
    assert len(plan.items) == 8 + 45
    assert plan.item("2") == PlanItem("2", D(11))
    assert plan.item("2.1") == PlanItem(
        "2.1", D("2.5"), "Cập nhật, tham mưu đầy đủ thể chế hóa văn bản QPPL", "Phòng Tư pháp")
    assert plan.item("9.9") is None
    assert plan.file == str(DAK_GLONG_PLAN)
    assert plan.line("items[8].target") == 80


def test_dak_glong_plan_problems() -> None:
    scheme = get_scheme("vn.dak-nong.district.2023")
    found = plan_problems(scheme, load_plan(DAK_GLONG_PLAN))
    assert found == (
        PlanDiscrepancy(
            "items[8].target", "field 2 target", "11", "10.5",
            "the target is 11, but its criteria's targets add up to 10.5 (2.5 + 1.5 + 4.5 + 2)",
            "lĩnh vực 2: mục tiêu là 11, nhưng mục tiêu của các tiêu chí cộng lại là 10,5"
            " (2,5 + 1,5 + 4,5 + 2)",
            str(DAK_GLONG_PLAN), 80,
        ),
        PlanDiscrepancy(
            "total_target", "total target", "100", "99.5",
            "the total target is 100, but the criteria's targets add up to 99.5",
            "tổng mục tiêu là 100, nhưng mục tiêu của các tiêu chí cộng lại là 99,5",
            str(DAK_GLONG_PLAN), 28,
        ),
    )
    assert str(found[0]) == (
        f"{DAK_GLONG_PLAN}, line 80, items[8].target: field 2 target:"
        " the target is 11, but its criteria's targets add up to 10.5 (2.5 + 1.5 + 4.5 + 2)"
    )


#: Seed 002's appendix as printed: Stt, Điểm chuẩn, Điểm 2023 đạt được, Mục tiêu năm 2024.
APPENDIX = """\
1 14 13,5 14
1.1 2 2 2
1.2 1 1 1
1.3 2 2 2
1.4 4 4 4
1.5 1,5 1,5 1,5
1.6 1,5 1 1,5
1.7 2 2 2
2 11 10,5 11
2.1 3 2,5 2,5
2.2 1,5 1,5 1,5
2.3 4.5 4,5 4.5
2.4 2 2 2
3 17 13,567 17
3.1 1 1 1
3.2 1 1 1
3.3 1 1 1
3.4 7 6,931 7
3.5 1 1 1
3.6 2 1,636 2
3.7 3 0.5 3
3.8 1 0.5 1
4 7.5 7.5 7.5
4.1 1 1 1
4.2 2 2 2
4.3 1,5 1,5 1,5
4.4 1 1 1
4.5 1 1 1
4.6 1 1 1
5 11 7,25 11
5.1 2 0 2
5.2 0,5 0,5 0,5
5.3 0,5 0,5 0,5
5.4 0,5 0,5 0,5
5.5 1 0,5 1
5.6 5 4 5
5.7 1.5 1.25 1.5
6 11 8,961 11
6.1 4 3.961 4
6.2 1 1 1
6.3 5 4 5
6.4 1 0 1
7 15,5 7,634 15,5
7.1 8 6,092 8
7.2 4 0,542 4
7.3 2 1 2
7.4 1,5 0 1,5
8 13 9,51 13
8.1 10 7,51 10
8.2 1 1 1
8.3 0.5 0 0.5
8.4 0.5 0.5 0.5
8.6 1 0.5 1
"""


def test_seed_002_appendix_reproduced() -> None:
    scheme = get_scheme("vn.dak-nong.district.2023")
    example = get_scheme_package(scheme.id).load_example("dak-glong-2023")
    plan = load_plan(DAK_GLONG_PLAN)
    table = gap_table(evaluate(scheme, example.assessments), "dak-glong", plan)
    printed = [line.split() for line in APPENDIX.splitlines()]
    body = table.records()[:-1]
    assert [r["code"] for r in body] == [p[0] for p in printed]
    for record, (code, max_points, points, target) in zip(body, printed, strict=True):
        assert (record["max"], record["points"], record["target"]) == (
            parse_decimal(max_points), parse_decimal(points), parse_decimal(target)), code
        assert record["gap"] == parse_decimal(max_points) - parse_decimal(points)
        assert record["to_target"] == parse_decimal(target) - parse_decimal(points)
        is_field = "." not in code
        assert (record["tasks"] is None) is is_field and (record["office"] is None) is is_field, code
    by_code = {r["code"]: r for r in body}
    assert by_code["3.3"]["tasks"] == (
        "- Công bố 100% quyết định, danh mục TTHC kịp thời, đúng quy định. 100% TTHC được công khai"
        " đầy đủ trên Cổng thông tin điện tử của huyện. - Cập nhật TTHC và các văn bản quy định về TTHC"
        " vào Cơ sở dữ liệu quốc gia kịp thời theo hướng dẫn. - Đơn đốc, hướng dẫn việc công khai TTHC,"
        " đảm bảo 100% TTHC quy định thực hiện theo cơ chế một cửa, cơ chế một cửa liên thông được công"
        " khai, đầy đủ, kịp thời, đúng quy định tại Bộ phận Tiếp nhận và trả kết quả UBND các cấp. -"
        " Cập nhật kịp thời, chính xác 100% tiến độ, kết quả giải quyết hồ sơ TTHC trên Cổng dịch vụ"
        " công của tỉnh."
    )
    assert by_code["8.6"]["office"] == "Phòng Tài chính – Kế hoạch; UBND các xã, các đơn vị liên quan"
    assert by_code["6.1"]["office"] == "Phòng Tài chính - Kế hoạch"
    # TỔNG ĐIỂM: 100 / 78,42 / 100; the exact sum is 78.422, printed to 2 decimals.
    total = table.records()[-1]
    assert (total["code"], total["title"], total["max"], total["points"], total["target"]) == (
        "", "Tổng điểm", D(100), D("78.422"), D(100))
    assert round_half_up(D("78.422"), 2) == D("78.42")
    assert (total["gap"], total["to_target"]) == (D("21.578"), D("21.578"))
    text = table.render("text", "vi")
    assert "Mục tiêu năm 2024" in text and "Điểm 2023 đạt được" in text and "Đơn vị chủ trì" in text
    # The plan's two inconsistencies are the table's notes.
    assert table.notes == (
        ("plan: field 2 target: the target is 11, but its criteria's targets add up to 10.5"
         " (2.5 + 1.5 + 4.5 + 2)",
         "kế hoạch: lĩnh vực 2: mục tiêu là 11, nhưng mục tiêu của các tiêu chí cộng lại là 10,5"
         " (2,5 + 1,5 + 4,5 + 2)"),
        ("plan: total target: the total target is 100, but the criteria's targets add up to 99.5",
         "kế hoạch: tổng mục tiêu là 100, nhưng mục tiêu của các tiêu chí cộng lại là 99,5"),
    )


def test_seed_002_largest_gaps() -> None:
    scheme = get_scheme("vn.dak-nong.district.2023")
    example = get_scheme_package(scheme.id).load_example("dak-glong-2023")
    table = gap_table(evaluate(scheme, example.assessments), "dak-glong", sort="gap", top=5)
    # 7.2: 4 − 0,542; 3.7: 3 − 0.5; 8.1: 10 − 7,51; 5.1: 2 − 0; 7.1: 8 − 6,092.
    assert table.column("code") == ("7.2", "3.7", "8.1", "5.1", "7.1", "")
    assert table.column("gap") == (D("3.458"), D("2.5"), D("2.49"), D(2), D("1.908"), D("21.578"))


PLAN_TEXT = """\
unit = "a"
year = 2024
scheme = "vn.demo.commune.2023"
total_target = 15

[[items]]
code = "1.1"
target = "3,5"
tasks = "Ban hành kế hoạch"
office = "Phòng Nội vụ"

[[items]]
code = "2"
target = 4.5
"""


def test_loads_plan() -> None:
    plan = loads_plan(PLAN_TEXT, file="plan.toml")
    assert plan == Plan(
        "a", 2024, (PlanItem("1.1", D("3.5"), "Ban hành kế hoạch", "Phòng Nội vụ"), PlanItem("2", D("4.5"))),
        scheme="vn.demo.commune.2023", total_target=D(15),
    )
    assert plan.line("items[1].target") == 14
    assert plan.line("items[1]") == 12
    assert plan.line("nowhere") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("unit = 'a'\n", ["plan.toml: 1 problem", "  - year: required key is missing"]),
        (
            "unit = 'a'\nyear = '2024'\ncolour = 1\n",
            ["plan.toml: 2 problems", "  - line 2 (year): expected a whole number, got text '2024'",
             "  - line 3 (colour): unknown key 'colour'"],
        ),
        (
            "unit = ' '\nyear = 2024\n\n[[items]]\ncode = '1'\ntarget = 'abc'\n",
            ["plan.toml: 1 problem",
             "  - line 6 (items[0].target): expected a number such as 4,5 or 4.5, got 'abc'"],
        ),
        (
            "unit = ' '\nyear = 2024\n\n[[items]]\ncode = '1'\n\n[[items]]\ncode = '1'\ntarget = 1\n"
            "\n[[items]]\ncode = ''\ntarget = 1\n",
            ["plan.toml: 4 problems",
             "  - line 1 (unit): unit must name the unit (its id or name)",
             "  - line 4 (items[0]): an item needs a target, tasks or an office",
             "  - line 8 (items[1].code): duplicate code '1', also items[0]",
             "  - line 12 (items[2].code): code must not be empty"],
        ),
        ("unit = 'a'\nyear = 2024\n[[items]\n", None),
    ],
)
def test_loads_plan_reports_every_problem(text: str, expected: list[str] | None) -> None:
    with pytest.raises(PlanError) as caught:
        loads_plan(text, file="plan.toml")
    assert isinstance(caught.value, InputError)
    if expected is None:
        assert str(caught.value).startswith("plan.toml: 1 problem\n  - line 3")
        assert "not valid TOML" in str(caught.value)
    else:
        assert str(caught.value).splitlines() == expected


def test_load_plan_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="cannot read the plan"):
        load_plan(tmp_path / "nowhere.toml")


# --- year-over-year comparison -------------------------------------------------------------


def test_compare_years_by_hand(before: Result, after: Result) -> None:
    comparison = compare_years(before, after)
    assert comparison.units.rows == (
        ("a", "UBND xã A", D(12), D("13.5"), D("1.5"), "rose / tăng điểm",
         2, 1, 1, "up / tăng bậc", "Tốt", "Tốt", "kept / giữ bậc"),
        ("b", "UBND xã B", D(13), D("11.5"), D("-1.5"), "fell / giảm điểm",
         1, 2, -1, "down / giảm bậc", "Tốt", "Khá", "down / giảm bậc"),
        ("c", "UBND thị trấn C", D(9), D("6.5"), D("-2.5"), "fell / giảm điểm",
         3, 3, 0, "kept / giữ bậc", "Khá", "Yếu", "down / giảm bậc"),
    )
    assert comparison.fields.rows == (
        ("a", "UBND xã A", "1", "1", "Chỉ đạo, điều hành", D(9), D("9.5"), D("0.5")),
        ("a", "UBND xã A", "2", "2", "Thể chế", D(3), D(4), D(1)),
        ("b", "UBND xã B", "1", "1", "Chỉ đạo, điều hành", D(10), D("6.5"), D("-3.5")),
        ("b", "UBND xã B", "2", "2", "Thể chế", D(3), D(5), D(2)),
        ("c", "UBND thị trấn C", "1", "1", "Chỉ đạo, điều hành", D(7), D(4), D(-3)),
        ("c", "UBND thị trấn C", "2", "2", "Thể chế", D(2), D("2.5"), D("0.5")),
    )
    assert comparison.summary.rows == (
        ("compared / so sánh", 3, None, "UBND xã A, UBND xã B, UBND thị trấn C"),
        ("rose / tăng điểm", 1, D("1.5"), "UBND xã A"),
        ("fell / giảm điểm", 2, D(4), "UBND xã B, UBND thị trấn C"),
        ("unchanged / không đổi", 0, None, ""),
        ("moved up a band / tăng bậc xếp loại", 0, None, ""),
        ("kept the band / giữ bậc xếp loại", 1, None, "UBND xã A"),
        ("moved down a band / giảm bậc xếp loại", 2, None, "UBND xã B, UBND thị trấn C"),
        ("moved up in rank / tăng bậc xếp hạng", 1, None, "UBND xã A"),
        ("kept the rank / giữ bậc xếp hạng", 1, None, "UBND thị trấn C"),
        ("moved down in rank / giảm bậc xếp hạng", 1, None, "UBND xã B"),
        ("only in 2022 / chỉ có năm 2022", 1, None, "UBND xã D"),
        ("only in 2023 / chỉ có năm 2023", 1, None, "UBND xã E"),
    )
    assert comparison.unmatched == Unmatched((), (), ("d",), ("e",))
    assert comparison.summary.notes == (
        ("net change of the 3 units compared: -2.5 points,"
         " -0.83 on average",
         "thay đổi của 3 đơn vị được so sánh: tổng -2,5 điểm,"
         " bình quân -0,83"),
        ("units only in 2022: d (UBND xã D)", "đơn vị chỉ có năm 2022: d (UBND xã D)"),
        ("units only in 2023: e (UBND xã E)", "đơn vị chỉ có năm 2023: e (UBND xã E)"),
    )


SUMMARY_TEXT_VI = """\
Tổng hợp thay đổi từ năm 2022 đến năm 2023

Nội dung                                Số đơn vị  Số điểm  Gồm
--------------------------------------  ---------  -------  -------------------------------------
compared / so sánh                              3           UBND xã A, UBND xã B, UBND thị trấn C
rose / tăng điểm                                1      1,5  UBND xã A
fell / giảm điểm                                2        4  UBND xã B, UBND thị trấn C
unchanged / không đổi                           0
moved up a band / tăng bậc xếp loại             0
kept the band / giữ bậc xếp loại                1           UBND xã A
moved down a band / giảm bậc xếp loại           2           UBND xã B, UBND thị trấn C
moved up in rank / tăng bậc xếp hạng            1           UBND xã A
kept the rank / giữ bậc xếp hạng                1           UBND thị trấn C
moved down in rank / giảm bậc xếp hạng          1           UBND xã B
only in 2022 / chỉ có năm 2022                  1           UBND xã D
only in 2023 / chỉ có năm 2023                  1           UBND xã E
* thay đổi của 3 đơn vị được so sánh: tổng -2,5 điểm, bình quân -0,83
* đơn vị chỉ có năm 2022: d (UBND xã D)
* đơn vị chỉ có năm 2023: e (UBND xã E)
"""


def test_compare_years_summary_renders(before: Result, after: Result) -> None:
    assert compare_years(before, after).summary.render("text", "vi") == SUMMARY_TEXT_VI


def test_compare_years_field_deltas_add_up(before: Result, after: Result) -> None:
    comparison = compare_years(before, after)
    for record in comparison.units.records():
        deltas = [r["change"] for r in comparison.fields.records() if r["unit"] == record["unit"]]
        assert all(isinstance(d, Decimal) for d in deltas)
        assert sum(deltas, D(0)) == record["change"]  # type: ignore[arg-type]


def test_compare_years_across_a_scheme_change(before: Result) -> None:
    # 2023 renumbers field 2 as 3 and adds field 4; bands renamed, three of them still.
    fields = (
        Node("1", "CHỈ ĐẠO,  ĐIỀU HÀNH", D(10), children=(
            Node("1.1", "Kế hoạch CCHC", D(4), rule=Entered()),
            Node("1.2", "Báo cáo", D(6), rule=Entered()),
        )),
        Node("3", "Thể chế", D(5), rule=Entered()),
        Node("4", "Chuyển đổi số", D(2), rule=Entered()),
    )
    scheme = small_scheme(2023, fields=fields,
                          bands=(Band("A", D(12)), Band("B", D(8), D(12)), Band("C", D(0), D(8))))
    after = evaluate(scheme, [
        Assessment.of("a", "UBND xã A", appraised={"1.1": 4, "1.2": 6, "3": 2, "4": 1}),
        Assessment.of("b", "UBND xã B", appraised={"1.1": 4, "1.2": 6, "3": 3, "4": 0}),
    ])
    unmapped = compare_years(before, after)
    assert unmapped.unmatched == Unmatched(("2",), ("3", "4"), ("c", "d"), ())
    assert [r["field_after"] for r in unmapped.fields.records()] == ["1", "1"]
    assert ("fields of 2022 with no counterpart in 2023: 2",
            "lĩnh vực năm 2022 không có lĩnh vực tương ứng năm 2023: 2") in unmapped.units.notes
    assert ("fields of 2023 with no counterpart in 2022: 3, 4",
            "lĩnh vực năm 2023 không có lĩnh vực tương ứng năm 2022: 3, 4") in unmapped.units.notes
    assert ("the two years' bands have different names: compared by position from the lowest",
            "tên các mức xếp loại hai năm khác nhau: so sánh theo thứ tự từ mức thấp nhất",
            ) in unmapped.units.notes

    mapped = compare_years(before, after, field_map={"2": "3"})
    assert mapped.unmatched == Unmatched((), ("4",), ("c", "d"), ())
    # a: 2022 rank 2 (12, Tốt), 2023 rank 1 (13, A); b: 2022 rank 1 (13, Tốt), 2023 rank 1 (13, A).
    assert mapped.units.rows == (
        ("a", "UBND xã A", D(12), D(13), D(1), "rose / tăng điểm", 2, 1, 1, "up / tăng bậc",
         "Tốt", "A", "kept / giữ bậc"),
        ("b", "UBND xã B", D(13), D(13), D(0), "unchanged / không đổi", 1, 1, 0, "kept / giữ bậc",
         "Tốt", "A", "kept / giữ bậc"),
    )
    assert mapped.fields.rows == (
        ("a", "UBND xã A", "1", "1", "CHỈ ĐẠO,  ĐIỀU HÀNH", D(9), D(10), D(1)),
        ("a", "UBND xã A", "2", "3", "Thể chế", D(3), D(2), D(-1)),
        ("b", "UBND xã B", "1", "1", "CHỈ ĐẠO,  ĐIỀU HÀNH", D(10), D(10), D(0)),
        ("b", "UBND xã B", "2", "3", "Thể chế", D(3), D(3), D(0)),
    )
    assert mapped.units.notes == (
        ("the scales differ (15 in 2022, 17 in 2023); scores are compared as published",
         "thang điểm khác nhau (15 năm 2022, 17 năm 2023); điểm được so sánh như đã công bố"),
        ("the two years' bands have different names: compared by position from the lowest",
         "tên các mức xếp loại hai năm khác nhau: so sánh theo thứ tự từ mức thấp nhất"),
        ("field 2 of 2022 is compared with field 3 of 2023",
         "lĩnh vực 2 năm 2022 được so với lĩnh vực 3 năm 2023"),
        ("fields of 2023 with no counterpart in 2022: 4",
         "lĩnh vực năm 2023 không có lĩnh vực tương ứng năm 2022: 4"),
        ("units only in 2022: c (UBND thị trấn C), d (UBND xã D)",
         "đơn vị chỉ có năm 2022: c (UBND thị trấn C), d (UBND xã D)"),
    )


def test_compare_years_notes_changed_maxima_and_titles(before: Result) -> None:
    fields = (
        Node("1", "Chỉ đạo", D(9), children=(
            Node("1.1", "Kế hoạch CCHC", D(4), rule=Entered()),
            Node("1.2", "Báo cáo", D(5), rule=Entered()),
        )),
        Node("2", "Thể chế", D(5), rule=Entered()),
    )
    after = evaluate(small_scheme(2023, fields=fields), [unit("a", "UBND xã A", 4, 5, 5)])
    notes = compare_years(before, after).units.notes
    assert ("field 1: the maximum changed from 10 to 9", "lĩnh vực 1: điểm tối đa đổi từ 10 thành 9") in notes
    assert ("field 1: the title changed from 'Chỉ đạo, điều hành' to 'Chỉ đạo'",
            "lĩnh vực 1: tên đổi từ 'Chỉ đạo, điều hành' thành 'Chỉ đạo'") in notes


def test_compare_years_bands_not_comparable(before: Result) -> None:
    after = evaluate(small_scheme(2023, bands=(Band("Đạt", D(10)), Band("Chưa đạt", D(0), D(10)))),
                     [unit("a", "UBND xã A", 4, 5, 3)])
    comparison = compare_years(before, after)
    assert comparison.units.column("band_direction") == (None,)
    assert [r[:2] for r in comparison.summary.rows[4:7]] == [
        ("moved up a band / tăng bậc xếp loại", None),
        ("kept the band / giữ bậc xếp loại", None),
        ("moved down a band / giảm bậc xếp loại", None),
    ]
    assert ("the two years have different numbers of bands: bands are not compared",
            "số mức xếp loại hai năm khác nhau: không so sánh xếp loại") in comparison.units.notes


def test_compare_years_unit_map(before: Result) -> None:
    after = evaluate(small_scheme(2023), [
        unit("xa-a", "UBND xã A (mới)", "3,5", 6, 4), unit("b", "UBND xã B", 4, 6, 3),
    ])
    comparison = compare_years(before, after, unit_map={"UBND xã A": "xa-a"})
    assert comparison.units.column("unit") == ("xa-a", "b")
    assert comparison.unmatched == Unmatched((), (), ("c", "d"), ())
    assert ("unit a of 2022 is compared with unit xa-a of 2023",
            "đơn vị a năm 2022 được so với đơn vị xa-a năm 2023") in comparison.units.notes
    with pytest.raises(ValueError, match="unit_map 'x' → 'b'"):
        compare_years(before, after, unit_map={"x": "b"})
    with pytest.raises(ValueError, match="pairs a unit twice"):
        compare_years(before, after, unit_map={"a": "b", "UBND xã B": "b"})


def test_compare_years_same_year_and_bad_field_map(after: Result) -> None:
    comparison = compare_years(after, after)
    assert comparison.units.title == ("Changes", "Thay đổi")
    assert comparison.units.columns[2].en == "Score before"
    assert comparison.units.column("points_direction") == ("unchanged / không đổi",) * 4
    assert comparison.summary.rows[3][:2] == ("unchanged / không đổi", 4)
    assert not comparison.unmatched
    with pytest.raises(ValueError, match="has no field '9'"):
        compare_years(after, after, field_map={"9": "1"})
    with pytest.raises(ValueError, match="has no field '9'"):
        compare_years(after, after, field_map={"1": "9"})
    with pytest.raises(ValueError, match="maps more than one field to 1"):
        compare_years(after, after, field_map={"1": "1", "2": "1"})


# --- distributions ------------------------------------------------------------------------------


def test_distribution_by_hand(after: Result) -> None:
    result = distribution(after)
    # Field 1: 9.5, 6.5, 4, 2; field 2: 4, 5, 2.5, 1; totals 13.5, 11.5, 6.5, 3.
    assert result.fields.rows == (
        ("1", "Chỉ đạo, điều hành", D(10), D("5.5"), D(2), D("9.5"), D("7.5")),
        ("2", "Thể chế", D(5), D("3.125"), D(1), D(5), D(4)),
        ("", "Tổng điểm", D(15), D("8.625"), D(3), D("13.5"), D("10.5")),
    )
    assert result.bands.rows == (
        ("Tốt", D(12), None, 1, D(25), "UBND xã A"),
        ("Khá", D(8), D(12), 1, D(25), "UBND xã B"),
        ("Yếu", D(0), D(8), 2, D(50), "UBND thị trấn C, UBND xã E"),
    )
    assert result.bands.notes == (
        ("Tốt: 1 unit, 25.0 %", "Tốt: 1 đơn vị, 25,0 %"),
        ("Khá: 1 unit, 25.0 %", "Khá: 1 đơn vị, 25,0 %"),
        ("Yếu: 2 units, 50.0 %", "Yếu: 2 đơn vị, 50,0 %"),
    )


DISTRIBUTION_TEXT = """\
Points per field: vn.demo.commune.2023

Code  Field               Max  Average  Lowest  Highest  Spread
----  ------------------  ---  -------  ------  -------  ------
1     Chỉ đạo, điều hành   10     5.50       2      9.5     7.5
2     Thể chế               5     3.13       1        5       4
      Tổng điểm            15     8.63       3     13.5    10.5
* 4 units
"""


def test_distribution_averages_exact_in_csv_rounded_in_text(after: Result) -> None:
    table = distribution(after).fields
    assert table.render("text") == DISTRIBUTION_TEXT
    assert table.render("csv").splitlines()[2] == "2,Thể chế,5,3.125,1,5,4"


def test_distribution_without_units() -> None:
    result = distribution(evaluate(small_scheme(), []))
    assert result.fields.rows[-1] == ("", "Tổng điểm", D(15), None, None, None, None)
    assert result.bands.column("units") == (0, 0, 0)
    assert result.bands.column("percentage") == (None, None, None)
    assert result.bands.notes[0] == ("Tốt: 0 units", "Tốt: 0 đơn vị")


def test_seed_000_distribution() -> None:
    scheme = get_scheme("vn.dak-nong.krong-no.commune.2022")
    example = get_scheme_package(scheme.id).load_example("communes-2022")
    result = distribution(evaluate(scheme, example.assessments))
    # Section IV's per-field averages and section III's average, as printed.
    printed = ["10,25", "7,8", "12,9", "16,9", "7,7", "8,29", "3,8", "67,75"]
    for average, text in zip(result.fields.column("average"), printed, strict=True):
        value = parse_decimal(text)
        exponent = value.as_tuple().exponent
        assert isinstance(average, Decimal) and isinstance(exponent, int)
        assert round_half_up(average, -exponent) == value
    assert result.fields.rows[1][3:] == (D("7.833333333333333333333333333333333"), D(6), D(10), D(4))
    # Section III's bands: 2 Tốt, 3 Khá, 7 Trung bình.
    assert result.bands.column("units") == (0, 2, 3, 7, 0)
    assert [vi for _, vi in result.bands.notes] == [
        "Xuất sắc: 0 đơn vị, 0,0 %", "Tốt: 2 đơn vị, 16,7 %", "Khá: 3 đơn vị, 25,0 %",
        "Trung bình: 7 đơn vị, 58,3 %", "Yếu: 0 đơn vị, 0,0 %",
    ]


SEED_004_BANDS = {
    "Nhóm A": [],
    "Nhóm B": ["Tường Phù", "Thị trấn", "Tường Tiến", "Tường Phong"],
    "Nhóm C": ["Huy Bắc", "Tường Thượng", "Tân Lang", "Huy Hạ", "Quang Huy", "Huy Tân", "Mường Lang",
               "Gia Phù", "Mường Bang", "Sập Xa", "Mường Cơi", "Mường Do", "Nam Phong", "Đá Đỏ",
               "Suối Bau", "Bắc Phong"],
    "Nhóm D": ["Tân Phong", "Tường Hạ", "Kim Bon", "Suối Tọ", "Huy Thượng", "Mường Thải", "Huy Tường"],
}


def _filled(maxima: list[Decimal], total: Decimal) -> dict[str, Decimal]:
    """Raw points adding up to ``total``, filling the fields in order up to their maxima."""
    points = {}
    for i, max_points in enumerate(maxima):
        points[str(i + 1)] = min(max_points, total)
        total -= points[str(i + 1)]
    return points


def test_seed_004_band_shares() -> None:
    """Seed 004's band counts and shares ("Nhóm B ... Tỷ lệ 14,8%").

    The report prints no per-commune points, only who is in each band (in
    rank order), the best (77,14 = 54/70) and the worst (30 = 21/70).  The
    raw points below are chosen to fall in the printed bands; the counts,
    shares and members are the report's.
    """
    scheme = get_scheme("vn.son-la.phu-yen.commune.2022")
    maxima = [f.max for f in scheme.fields]
    raw = ([D(54), D(52), D(51), D("49.5")] + [D("48.5") - D("0.5") * i for i in range(16)]
           + [D(34), D(33), D(32), D(31), D(30), D(29), D(21)])
    names = [n for members in SEED_004_BANDS.values() for n in members]
    assessments = [Assessment.of(f"u{i:02}", name, appraised=_filled(maxima, points))
                   for i, (name, points) in enumerate(zip(names, raw, strict=True))]
    result = evaluate(scheme, assessments)
    assert (result.units[0].name, result.units[0].score) == ("Tường Phù", D("77.14"))
    assert (result.units[-1].name, result.units[-1].score) == ("Huy Tường", D(30))
    bands = distribution(result).bands
    assert bands.column("band") == tuple(SEED_004_BANDS)
    assert bands.column("units") == (0, 4, 16, 7)
    assert bands.column("names") == tuple(", ".join(m) for m in SEED_004_BANDS.values())
    assert bands.notes == (
        ("Nhóm A: 0 units, 0.0 %", "Nhóm A: 0 đơn vị, 0,0 %"),
        ("Nhóm B: 4 units, 14.8 %", "Nhóm B: 4 đơn vị, 14,8 %"),
        ("Nhóm C: 16 units, 59.3 %", "Nhóm C: 16 đơn vị, 59,3 %"),
        ("Nhóm D: 7 units, 25.9 %", "Nhóm D: 7 đơn vị, 25,9 %"),
    )
    shares = bands.column("percentage")
    assert shares[1] == D("14.81481481481481481481481481481481")
    assert "| Nhóm B | 70 | 90 | 4 | 14,8 % |" in bands.render("md", "vi")


# --- self-assessment against appraisal -------------------------------------------------------


def _self_assessed() -> list[Assessment]:
    return [
        unit("a", "UBND xã A", "3,5", 6, 4, {"1.1": 4, "1.2": 6, "2": 5}),        # 15 against 13.5
        unit("b", "UBND xã B", 2, "4,5", 5, {"1.1": 2, "1.2": "4,5", "2": "4,5"}),  # 11 against 11.5
        unit("c", "UBND thị trấn C", 1, 3, "2,5", {"1.1": 2, "1.2": 3, "2": "2,5"}),  # 7.5 against 6.5
        unit("e", "UBND xã E", 0, 2, 1, {"1.1": 0, "1.2": 2, "2": 1}),            # 3 against 3
    ]


def test_adjustments_by_hand() -> None:
    result = adjustments(small_scheme(), _self_assessed())
    assert result.ranking.rows == (
        (1, "a", "UBND xã A", D(15), D("13.5"), D("1.5"), 2),
        (2, "c", "UBND thị trấn C", D("7.5"), D("6.5"), D(1), 1),
        (3, "e", "UBND xã E", D(3), D(3), D(0), 0),
        (4, "b", "UBND xã B", D(11), D("11.5"), D("-0.5"), 1),
    )
    assert result.ranking.notes == ((
        "2 units scored themselves above the appraisal, 1 below, 1 exactly",
        "2 đơn vị tự chấm cao hơn điểm thẩm định, 1 đơn vị thấp hơn, 1 đơn vị bằng",
    ),)
    assert result.nodes.rows[:4] == (
        ("a", "UBND xã A", "1", "Chỉ đạo, điều hành", D(10), D(10), D("9.5"), D("0.5")),
        ("a", "UBND xã A", "1.1", "Kế hoạch CCHC", D(4), D(4), D("3.5"), D("0.5")),
        ("a", "UBND xã A", "1.2", "Báo cáo", D(6), D(6), D(6), D(0)),
        ("a", "UBND xã A", "2", "Thể chế", D(5), D(5), D(4), D(1)),
    )
    assert result.nodes.column("unit") == ("a",) * 4 + ("b",) * 4 + ("c",) * 4 + ("e",) * 4
    assert result.nodes.rows[7] == ("b", "UBND xã B", "2", "Thể chế", D(5), D("4.5"), D(5), D("-0.5"))


def test_adjustments_ties_share_a_rank() -> None:
    items = _self_assessed()
    items[1] = unit("b", "UBND xã B", 2, "4,5", 5, {"1.1": 3, "1.2": "4,5", "2": 5})  # 12.5 against 11.5
    ranking = adjustments(small_scheme(), items).ranking
    assert [(r[0], r[1]) for r in ranking.rows] == [(1, "a"), (2, "b"), (2, "c"), (4, "e")]


def test_adjustments_from_results_already_evaluated() -> None:
    """Results given for either basis are used as they are, and give the same tables."""
    scheme, items = small_scheme(), Assessments(None, tuple(_self_assessed()))
    appraised, claimed = evaluate(scheme, items), evaluate(scheme, items, basis="self_assessed")
    expected = adjustments(scheme, items)
    for given in ({"appraised": appraised}, {"self_assessed": claimed},
                  {"appraised": appraised, "self_assessed": claimed}):
        found = adjustments(scheme, items, **given)  # type: ignore[arg-type]
        assert (found.nodes, found.ranking) == (expected.nodes, expected.ranking)
        assert [t.render(f, loc) for t in (found.nodes, found.ranking) for f in FORMATS for loc in LOCALES] == [
            t.render(f, loc) for t in (expected.nodes, expected.ranking) for f in FORMATS for loc in LOCALES
        ]


def test_adjustments_refuse_results_of_something_else() -> None:
    scheme, items = small_scheme(), Assessments(None, tuple(_self_assessed()))
    appraised, claimed = evaluate(scheme, items), evaluate(scheme, items, basis="self_assessed")
    with pytest.raises(ValueError, match=r"^appraised: the result given is on the self_assessed values"):
        adjustments(scheme, items, appraised=claimed)
    with pytest.raises(ValueError, match=r"^self_assessed: the result given is on the appraised values"):
        adjustments(scheme, items, self_assessed=appraised)
    other = evaluate(small_scheme(2022), items.items)
    with pytest.raises(ValueError, match=r"^appraised: the result given is of scheme 'vn.demo.commune.2022',"
                                          r" not 'vn.demo.commune.2023'$"):
        adjustments(scheme, items, appraised=other)
    edited = evaluate(small_scheme(title="Chỉ số khác"), items)
    with pytest.raises(ValueError, match=r"^appraised: .* another version of scheme 'vn.demo.commune.2023'$"):
        adjustments(scheme, items, appraised=edited)
    fewer = evaluate(scheme, items.items[:2])
    with pytest.raises(ValueError, match=r"^appraised: .* not of these assessments' units: no result for: c, e$"):
        adjustments(scheme, items, appraised=fewer)
    with pytest.raises(ValueError, match=r"units not in the assessments: c, e$"):
        adjustments(scheme, items.items[:2], appraised=appraised)


def test_adjustments_of_results_holding_floats_are_refused() -> None:
    # Results built by hand may hold anything: a float among their points still
    # reaches the table's own check, which refuses it.
    import attrs

    scheme, items = small_scheme(), Assessments(None, tuple(_self_assessed()))

    def with_float(result: Result, value: float) -> Result:
        first = result.units[0]
        points = (*first.points[:1], value, *first.points[2:])
        return attrs.evolve(result, units=(attrs.evolve(first, points=points), *result.units[1:]))

    appraised = with_float(evaluate(scheme, items), 3.5)
    claimed = with_float(evaluate(scheme, items, basis="self_assessed"), 4.0)
    with pytest.raises(ValueError, match=r"^table 'adjustments' row 1: floats are not exact, got 4.0$"):
        adjustments(scheme, items, appraised=appraised, self_assessed=claimed)


def test_field_changes_of_results_holding_floats_are_refused() -> None:
    import attrs

    scheme, items = small_scheme(), Assessments(None, tuple(_self_assessed()))
    def with_float(result: Result, value: float) -> Result:
        last = result.units[-1]  # field 2 is its last node
        return attrs.evolve(result, units=(*result.units[:-1], attrs.evolve(last, points=(*last.points[:-1], value))))

    before, after = with_float(evaluate(scheme, items), 1.5), with_float(evaluate(scheme, items), 2.0)
    with pytest.raises(ValueError, match=r"^table 'field_changes' row 7: floats are not exact, got 1.5$"):
        compare_years(before, after)


def test_adjustments_need_self_assessed_values() -> None:
    items = _self_assessed()
    items[3] = unit("e", "UBND xã E", 0, 2, 1, {"1.1": 0})
    with pytest.raises(AssessmentError) as caught:
        adjustments(small_scheme(), items)
    assert str(caught.value).splitlines() == [
        "assessments: 2 problems",
        "  - field 1 › criterion 1.2: unit 'e': no self-assessed value",
        "  - field 2: unit 'e': no self-assessed value",
    ]


# --- independence from input order ---------------------------------------------------------


def _shuffled(items: list[Assessment], seed: int) -> Assessments:
    rng = random.Random(seed)
    out = []
    for item in items:
        observations = list(item.observations)
        rng.shuffle(observations)
        out.append(Assessment(item.unit, tuple(observations)))
    rng.shuffle(out)
    return Assessments(None, tuple(out))


def _tables(before: Result, after: Result, assessments: Assessments) -> list[Table]:
    comparison = compare_years(before, after)
    spread = distribution(after)
    adjusted = adjustments(after.scheme, assessments)
    return [
        gap_table(after, "a", small_plan()), gap_table(after, "c", sort="gap", top=2),
        comparison.units, comparison.fields, comparison.summary,
        spread.fields, spread.bands, adjusted.nodes, adjusted.ranking,
    ]


def _renders(tables: list[Table]) -> list[str]:
    return [t.render(f, loc) for t in tables for f in FORMATS for loc in LOCALES]  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(5))
def test_renders_do_not_depend_on_input_order(seed: int) -> None:
    def results(order: int | None) -> list[str]:
        old, new = units_2022(), _self_assessed()
        if order is None:
            old_in, new_in = Assessments(None, tuple(old)), Assessments(None, tuple(new))
        else:
            old_in, new_in = _shuffled(old, order), _shuffled(new, order + 100)
        before, after = evaluate(small_scheme(2022), old_in), evaluate(small_scheme(2023), new_in)
        return _renders(_tables(before, after, new_in))

    assert results(seed) == results(None)


def test_plan_item_order_does_not_change_the_gap_table(after: Result) -> None:
    plan = small_plan(items=(*small_plan().items, PlanItem("9", "1"), PlanItem("7", "2")), total_target="16")
    reordered = small_plan(items=tuple(reversed(plan.items)), total_target="16")
    assert _renders([gap_table(after, "a", reordered)]) == _renders([gap_table(after, "a", plan)])
