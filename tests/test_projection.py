"""Mid-year tracking and projection: Tam Nông's mid-2022 report (seed 003).

Every expected figure is written from the report
(``shared/seeds/003_933172e9032a9438.txt``, section I): 57 criteria, 66,5
direct-assessment points and 33,5 survey points; "Tự chấm đạt 50/57: chiếm
57 điểm", "Không đạt 1/57: chiếm 0,5 điểm", "Đang thực hiện 4/57: chiếm 6
điểm" (2: 1,5đ; 8: 1đ; 22: 2đ; 23: 1,5đ), "Dự kiến không đạt 2/57: chiếm 3
điểm"; survey points 29,1 (2020) and 26,61 (2021); a target of 85; and the
claim that keeping the survey points and gaining at least 2 points on the
criteria in progress gives "trên 85 điểm".
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import parscore_schemes
import pytest

from parscore import InputError
from parscore.projection import (
    Outcome,
    Status,
    Tracking,
    load_tracking,
    loads_tracking,
    project,
)

D = Decimal
TRACKING = (
    Path(parscore_schemes.__file__).parent
    / "tam_nong_district_2021" / "examples" / "tam-nong-2021" / "tracking-2022.toml"
)


@pytest.fixture(scope="module")
def tracking() -> Tracking:
    return load_tracking(TRACKING)


def test_the_tracking_file_is_read_as_transcribed(tracking: Tracking) -> None:
    assert (tracking.scheme, tracking.unit, tracking.year) == ("vn.dong-thap.district.2021", "tam-nong", 2022)
    assert (tracking.items, tracking.direct_max, tracking.survey_max, tracking.scale) == (
        57, D("66.5"), D("33.5"), D(100)
    )
    assert [(g.status, g.label, g.count, g.of, g.points) for g in tracking.statuses] == [
        (Status.ACHIEVED, "Tự chấm đạt", 50, 57, D(57)),
        (Status.NOT_ACHIEVED, "Không đạt", 1, 57, D("0.5")),
        (Status.IN_PROGRESS, "Đang thực hiện", 4, 57, D(6)),
        (Status.EXPECTED_TO_FAIL, "Dự kiến không đạt", 2, 57, D(3)),
    ]
    in_progress = tracking.statuses[2].items
    assert [(i.numbers, i.title, i.points) for i in in_progress] == [
        (("2",), "Thực hiện chế độ báo cáo CCHC", D("1.5")),
        (("8",), "thực hiện nhiệm vụ UBND Tỉnh giao", D(1)),
        (("22",), "Báo cáo về kiểm soát TTHC", D(2)),
        (("23",), "tình hình phản ánh kiến nghị của cá nhân, tổ chức đối với việc giải quyết TTHC", D("1.5")),
    ]
    (group,) = tracking.statuses[3].items
    assert (group.numbers, group.kind, group.points, group.label) == (("50", "51"), "TCTP", None, "50, 51")
    assert [(s.year, s.points) for s in tracking.survey] == [(2020, D("29.1")), (2021, D("26.61"))]
    assert tracking.target is not None and tracking.target.points == D(85)
    assert tracking.statuses[0].text == "Tự chấm đạt 50/57: chiếm 57 điểm;"


def test_guaranteed_best_and_needed(tracking: Tracking) -> None:
    p = project(tracking)
    assert p.survey_year == 2021  # last year's survey points are carried by default
    assert (p.achieved, p.survey, p.guaranteed) == (D(57), D("26.61"), D("83.61"))  # 57 + 26,61
    assert (p.in_progress, p.best) == (D(6), D("89.61"))  # 83,61 + 6
    assert (p.not_achieved, p.expected_to_fail) == (D("0.5"), D(3))
    assert p.ceiling == D("96.5")  # 57 + 6 + 33,5
    assert p.target == D(85)
    assert p.needed == D("1.39")  # 85 − 83,61
    assert p.reachable is True


def test_above_85_needs_strictly_more_than_1_39(tracking: Tracking) -> None:
    p = project(tracking)
    # Reaching 85 ("đạt 85 điểm") needs at least 1,39; "trên 85 điểm" needs more than 1,39.
    assert p.score_with(D("1.39")) == D(85)
    assert p.meets(D("1.39")) is True
    assert p.meets(D("1.39"), Outcome.ABOVE) is False
    assert p.meets(D("1.40"), Outcome.ABOVE) is True
    assert p.meets(D("1.38")) is False
    # The report's own gain of 2 points: 57 + 26,61 + 2 = 85,61.
    assert p.score_with(D(2)) == D("85.61")
    assert p.meets(D(2), Outcome.ABOVE) is True


def test_the_criteria_in_progress_that_could_supply_the_points(tracking: Tracking) -> None:
    p = project(tracking)
    assert [(c.item.label, c.item.points, c.reaches, c.exceeds) for c in p.candidates] == [
        ("22", D(2), True, True),
        ("2", D("1.5"), True, True),
        ("23", D("1.5"), True, True),
        ("8", D(1), False, False),
    ]
    assert p.fewest_to_reach == 1  # criterion 22 alone (2 ≥ 1,39)


def test_the_statuses_account_for_the_57_criteria_and_the_66_5_points(tracking: Tracking) -> None:
    checks = {c.subject: c for c in project(tracking).checks}
    assert all(c.agrees for c in checks.values())
    counts = checks["criteria by status"]
    assert (counts.stated, counts.computed, counts.arithmetic) == ("57", "57", "50 + 1 + 4 + 2 = 57")
    points = checks["points by status"]
    assert (points.stated, points.computed, points.arithmetic) == ("66.5", "66.5", "57 + 0.5 + 6 + 3 = 66.5")
    assert checks["in_progress: points of the criteria named"].arithmetic == "1.5 + 1 + 2 + 1.5 = 6"
    assert checks["in_progress: criteria named"].arithmetic == "1 + 1 + 1 + 1 = 4 (2; 8; 22; 23)"
    assert checks["not_achieved: points of the criteria named"].arithmetic == "0.5 = 0.5"
    assert checks["expected_to_fail: criteria named"].arithmetic == "2 = 2 (50, 51)"
    # TCTP 50 and 51 have no points of their own: their 3 points are not checked item by item.
    assert "expected_to_fail: points of the criteria named" not in checks
    assert checks["direct + survey maxima"].arithmetic == "66.5 + 33.5 = 100"
    assert checks["survey points 2021"].arithmetic == "0 ≤ 26.61 ≤ 33.5"
    assert project(tracking).discrepancies == ()


def test_the_reports_projection_holds_with_either_years_survey_points(tracking: Tracking) -> None:
    claim = project(tracking).claim
    assert claim is not None and claim.agrees
    assert claim.stated == "above 85" and claim.computed == "85.61"
    assert claim.arithmetic == (
        "57 + 26.61 (survey 2021) + 2 = 85.61 > 85; the gain of 2 is within the 6 points in progress"
    )
    p2020 = project(tracking, survey_year=2020)
    assert (p2020.survey, p2020.guaranteed, p2020.needed) == (D("29.1"), D("86.1"), D(0))
    assert p2020.claim is not None and p2020.claim.computed == "88.1"  # 57 + 29,1 + 2
    assert p2020.fewest_to_reach == 0
    with pytest.raises(ValueError, match="no survey points for 2019; recorded: 2020, 2021"):
        project(tracking, survey_year=2019)


def test_tables_in_english_and_vietnamese(tracking: Tracking) -> None:
    p = project(tracking)
    table = p.table()
    assert dict(zip(table.column("key"), table.column("points"), strict=True)) == {
        "achieved": D(57), "survey": D("26.61"), "guaranteed": D("83.61"), "in_progress": D(6),
        "best": D("89.61"), "not_achieved": D("0.5"), "expected_to_fail": D(3), "ceiling": D("96.5"),
        "target": D(85), "needed": D("1.39"),
    }
    text = table.render("text")
    assert "Reaching 85 needs a gain of at least 1.39;" in text
    assert "a score above 85 needs strictly more than 1.39." in text
    vi = p.table("vi").render("md", "vi")
    assert "| needed | điểm cần thêm để đạt mục tiêu | 1,39 |" in vi
    assert "trên 85 điểm cần thêm nhiều hơn 1,39 điểm" in vi
    assert p.candidates_table().render("csv").splitlines()[1] == "22,Báo cáo về kiểm soát TTHC,2,yes,yes"
    assert p.checks_table().render("csv", "vi").splitlines()[0] == (
        "Vị trí;Nội dung;Số liệu báo cáo;Tính lại;Phép tính;Khớp"
    )


INCONSISTENT = """\
year = 2024
items = 11
direct_max = "70"
[[statuses]]
status = "achieved"
count = 6
of = 11
points = "50"
[[statuses]]
status = "in_progress"
count = 3
points = "12"
[[statuses.items]]
number = "4"
title = "A"
points = "5"
[[statuses.items]]
number = "5"
title = "B"
points = "5"
[[statuses]]
status = "expected_to_fail"
count = 1
points = "3"
[[statuses.items]]
number = "5"
title = "B"
[target]
points = "80"
[projection]
keep = "nothing"
min_gain = "15"
gain_from = "in_progress"
outcome = "at_least"
target = "65"
"""


def test_an_inconsistent_tracking_is_reported() -> None:
    p = project(loads_tracking(INCONSISTENT))
    found = {(d.subject, d.published, d.computed) for d in p.discrepancies}
    assert found == {
        ("criteria by status", "11", "10"),  # 6 + 3 + 1 = 10
        ("points by status", "70", "65"),  # 50 + 12 + 3 = 65
        ("in_progress: criteria named", "3", "2"),
        ("in_progress: points of the criteria named", "12", "10"),  # 5 + 5
        ("criterion 5", "in_progress, expected_to_fail", "one status"),
        ("projection target", "65", "80"),
        ("the report's projection", "at least 65", "65"),  # 50 + 15 = 65, but only 12 in progress
    }
    # No survey: the guaranteed score is what is achieved; 80 cannot be reached (50 + 12 = 62).
    assert (p.survey_year, p.guaranteed, p.best, p.needed, p.reachable) == (None, D(50), D(62), D(30), False)
    assert p.fewest_to_reach is None


def test_tracking_errors_carry_lines_and_keys() -> None:
    text = """\
year = 2022
items = 0
colour = "red"

[[statuses]]
status = "done"
count = -1
points = "x"

[[statuses]]
status = "achieved"
count = 1
points = "1"

[[statuses.items]]
number = "1"
numbers = ["1"]
title = "T"

[[survey]]
year = 2021
points = "1"

[[survey]]
year = 2021
points = "2"
"""
    with pytest.raises(InputError) as info:
        loads_tracking(text, file="tracking.toml")
    messages = [str(p) for p in info.value.problems]
    assert "line 3 (colour): unknown key 'colour'" in messages
    assert any(m.startswith("line 6 (statuses[0].status): expected one of 'achieved'") for m in messages)
    assert "line 8 (statuses[0].points): expected a number such as 4,5 or 4.5, got 'x'" in messages
    valid_shape = (
        text.replace('colour = "red"\n', "")
        .replace('status = "done"', 'status = "achieved"')
        .replace('points = "x"', 'points = "2"')
    )
    with pytest.raises(InputError) as info:
        loads_tracking(valid_shape, file="tracking.toml")
    assert [str(p) for p in info.value.problems] == [
        "line 6 (statuses[0].count): count must not be negative, got -1",
        "line 14 (statuses[1].items[0]): an item needs exactly one of 'number' or 'numbers'",
        "line 2 (items): items must be at least 1, got 0",
        "line 24 (survey[1].year): survey points of 2021 are given twice",
    ]


def test_a_tracking_file_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the tracking file"):
        load_tracking(tmp_path / "missing.toml")
    with pytest.raises(InputError, match="not valid TOML"):
        loads_tracking("year = ")
