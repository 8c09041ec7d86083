"""Scheme diffs: what changed between two editions, and whether their scores compare."""

from __future__ import annotations

from decimal import Decimal

import attrs

from parscore import Scheme, available_schemes, get_scheme, loads_scheme
from parscore.rules import Deduction, Entered, Tier, Tiers
from parscore.schemediff import ChangeKind, describe_rule, diff_schemes

HEADER = """\
format = 1
id = "vn.test-diff.commune.{year}"
title = "Bộ tiêu chí {year}"
issuer = "UBND huyện Thử"
level = "commune"
year = {year}
"""

OLD = HEADER.format(year=2023) + """
[ranking]
method = "competition"

[[bands]]
name = "Tốt"
from = 20

[[bands]]
name = "Khá"
from = 15
to = 20

[[bands]]
name = "Yếu"
from = 0
to = 15

[[fields]]
code = "1"
title = "Chỉ đạo điều hành"
max = 10

[[fields.criteria]]
code = "1.1"
title = "Kế hoạch CCHC"
max = 4

[[fields.criteria]]
code = "1.2"
title = "Báo cáo CCHC"
max = 6
rule = { kind = "pass_fail" }

[[fields]]
code = "2"
title = "Cải cách thể chế"
max = 10

[[fields.criteria]]
code = "2.1"
title = "Rà soát văn bản"
max = 10
rule = { kind = "ratio" }

[[fields]]
code = "3"
title = "Tài chính công"
max = 5
"""

NEW = HEADER.format(year=2024) + """
[ranking]
method = "dense"

[rounding]
normalised = 2

[normalisation]
scale = 100

[[bands]]
name = "Tốt"
from = 80

[[bands]]
name = "Khá"
from = 50
to = 80

[[bands]]
name = "Kém"
from = 0
to = 50

[[fields]]
code = "1"
title = "Chỉ đạo, điều hành"
max = 12

[[fields.criteria]]
code = "1.1"
title = "Kế hoạch CCHC"
max = 4
rule = { kind = "entered", step = 0.25 }

[[fields.criteria]]
code = "1.2"
title = "Báo cáo CCHC"
max = 5
rule = { kind = "pass_fail" }

[[fields.criteria]]
code = "1.3"
title = "Kiểm tra CCHC"
max = 3

[[fields]]
code = "2"
title = "Tài chính công"
max = 5

[[fields]]
code = "3"
title = "Cải cách thể chế"
max = 8

[[fields.criteria]]
code = "3.1"
title = "Rà soát văn bản"
max = 8
rule = { kind = "ratio" }

[[fields]]
code = "4"
title = "Chuyển đổi số"
max = 5

[[fields.criteria]]
code = "4.1"
title = "Dịch vụ công trực tuyến"
max = 5
"""


def rows(old: Scheme, new: Scheme) -> list[tuple[str, str | None, str | None, str | None, str | None]]:
    return [(c.kind.value, c.old_code, c.new_code, c.old, c.new) for c in diff_schemes(old, new).changes]


def test_two_hand_made_editions() -> None:
    assert rows(loads_scheme(OLD), loads_scheme(NEW)) == [
        ("title", "1", "1", "Chỉ đạo điều hành", "Chỉ đạo, điều hành"),
        ("max", "1", "1", "10", "12"),
        ("rule", "1.1", "1.1", "entered", "entered (step 0.25)"),
        ("max", "1.2", "1.2", "6", "5"),
        ("added", None, "1.3", None, "Kiểm tra CCHC (max 3)"),
        # Fields 2 and 3 swapped places; 2.1 moved with its field, so it is not listed apart.
        ("moved", "3", "2", "3", "2"),
        ("moved", "2", "3", "2", "3"),
        ("max", "2", "3", "10", "8"),
        ("max", "2.1", "3.1", "10", "8"),
        # A new field: its criterion 4.1 comes with it.
        ("added", None, "4", None, "Chuyển đổi số (max 5)"),
        ("band", None, None, "Tốt ≥ 20", "Tốt ≥ 80"),
        ("band", None, None, "Khá ≥ 15, < 20", "Khá ≥ 50, < 80"),
        ("band", None, None, None, "Kém ≥ 0, < 50"),
        ("band", None, None, "Yếu ≥ 0, < 15", None),
        ("total", None, None, "25", "30"),
        ("scale", None, None, "none", "100"),
        ("rounding", None, None, "none", "2 decimals"),
        ("ranking", None, None, "competition", "dense"),
    ]


def test_the_changes_in_words_and_as_a_table() -> None:
    diff = diff_schemes(loads_scheme(OLD), loads_scheme(NEW))
    assert not diff.comparable
    messages = [c.message for c in diff.changes]
    assert messages[5] == "field 3 'Tài chính công' is now field 2"
    assert messages[2] == "criterion 1.1: scoring rule entered → entered (step 0.25)"
    assert diff.of_kind(ChangeKind.MAX)[0].message_vi == "lĩnh vực 1: điểm tối đa 10 → 12"
    table = diff.table()
    assert table.render("csv").splitlines()[:2] == [
        "Change,Old code,New code,Was,Is,Explanation",
        "title changed,1,1,Chỉ đạo điều hành,\"Chỉ đạo, điều hành\","
        "\"field 1: title 'Chỉ đạo điều hành' → 'Chỉ đạo, điều hành'\"",
    ]
    assert table.notes == (("Scores under the two editions are not directly comparable.",
                            "Điểm theo hai bộ tiêu chí không so sánh trực tiếp được."),)
    vi = diff.table("vi").render("md", "vi")
    assert "| chuyển vị trí | 3 | 2 | 3 | 2 | lĩnh vực 3 “Tài chính công” nay là lĩnh vực 2 |" in vi
    assert (
        "| thêm mới |  | 1.3 |  | Kiểm tra CCHC (max 3) |"
        " tiêu chí 1.3 “Kiểm tra CCHC” (tối đa 3 điểm) là mới |"
    ) in vi


def test_a_criterion_that_keeps_its_code_under_another_parent() -> None:
    old = loads_scheme(HEADER.format(year=2023) + """
[[bands]]
name = "Đạt"
from = 0
[[fields]]
code = "1"
title = "Thủ tục hành chính"
max = 4
[[fields.criteria]]
code = "1.1"
title = "Công khai TTHC"
max = 4
[[fields]]
code = "2"
title = "Công vụ"
max = 2
""")
    new = loads_scheme(HEADER.format(year=2024) + """
[[bands]]
name = "Đạt"
from = 0
[[fields]]
code = "1"
title = "Chính quyền số"
max = 4
[[fields.criteria]]
code = "1.1"
title = "Công khai TTHC"
max = 4
[[fields]]
code = "2"
title = "Thủ tục hành chính"
max = 2
""")
    assert rows(old, new) == [
        # Old field 1 is new field 2 (same title); criterion 1.1 stays 1.1, so its parent changed.
        ("added", None, "1", None, "Chính quyền số (max 4)"),
        ("moved", "1.1", "1.1", "1 Thủ tục hành chính", "1 Chính quyền số"),
        ("moved", "1", "2", "1", "2"),
        ("max", "1", "2", "4", "2"),
        ("structure", "1", "2", "1 part", "a leaf"),
        ("removed", "2", None, "Công vụ (max 2)", None),
    ]
    assert diff_schemes(old, new).changes[1].message == (
        "criterion 1.1 keeps its code under a different parent: the old 1 'Thủ tục hành chính' is now 2"
    )


def test_a_renamed_band_and_a_leaf_split_into_parts() -> None:
    old = loads_scheme(OLD)
    fields = list(old.fields)
    fields[2] = attrs.evolve(fields[2], title="Tài chính công.")
    new = attrs.evolve(old, bands=[attrs.evolve(b, name="Kém") if b.name == "Yếu" else b for b in old.bands])
    assert rows(old, new) == [("band", None, None, "Yếu", "Kém")]
    assert rows(old, attrs.evolve(old, fields=fields)) == [
        ("title", "3", "3", "Tài chính công", "Tài chính công."),
    ]
    assert diff_schemes(old, attrs.evolve(old, fields=fields)).comparable


def test_the_same_scheme_has_no_changes() -> None:
    for listed in available_schemes():
        scheme = get_scheme(listed.id)
        diff = diff_schemes(scheme, scheme)
        assert diff.changes == () and diff.comparable
        assert diff.table().notes[0][0] == (
            "Scores under the two editions are comparable: only titles changed."
        )


def test_krong_no_2022_against_phu_yen_2022() -> None:
    # Two commune schemes of 2022 (seeds 000 and 004): 7 fields summing to 100,5, raw scores,
    # five bands, dense ranks; against 8 fields summing to 70, normalised to 100, four bands.
    diff = diff_schemes(
        get_scheme("vn.dak-nong.krong-no.commune.2022"), get_scheme("vn.son-la.phu-yen.commune.2022")
    )
    assert not diff.comparable
    moved = diff.of_kind(ChangeKind.MOVED)
    assert [(c.old_code, c.new_code) for c in moved] == [("5", "6"), ("6", "7"), ("7", "8")]
    assert moved[0].message == "field 5 'Cải cách tài chính công' is now field 6"
    added = diff.of_kind(ChangeKind.ADDED)
    assert [(c.new_code, c.new) for c in added] == [("5", "Cải cách công vụ (max 8)")]
    assert [(c.old_code, c.new_code, c.old, c.new) for c in diff.of_kind(ChangeKind.MAX)] == [
        ("1", "1", "17.5", "11.5"), ("2", "2", "10", "6.5"), ("3", "3", "20.5", "14"),
        ("4", "4", "17.5", "5.5"), ("6", "7", "21.5", "12"), ("7", "8", "5", "4"),
    ]
    assert [(c.old, c.new) for c in diff.of_kind(ChangeKind.TOTAL)] == [("100.5", "70"), ("100", "none")]
    assert [(c.old, c.new) for c in diff.of_kind(ChangeKind.SCALE)] == [("none", "100")]
    assert [(c.old, c.new) for c in diff.of_kind(ChangeKind.RANKING)] == [("dense", "competition")]
    assert len(diff.of_kind(ChangeKind.BAND)) == 9  # 4 bands added, 5 removed
    assert diff.of_kind(ChangeKind.REMOVED) == ()


def test_tam_nong_2021_against_tay_son_2021() -> None:
    # Two district schemes of 2021 (seeds 003 and 001): the same 100 points, but field 8
    # (the survey, 40 points) is a field of its own in Tây Sơn, and its fields 3 to 7 have parts.
    diff = diff_schemes(get_scheme("vn.dong-thap.district.2021"), get_scheme("vn.binh-dinh.district.2021"))
    assert diff.of_kind(ChangeKind.TOTAL, ChangeKind.SCALE) == ()
    assert [c.new_code for c in diff.of_kind(ChangeKind.STRUCTURE)] == ["3", "4", "5", "6", "7"]
    added = [c.new_code for c in diff.of_kind(ChangeKind.ADDED)]
    assert added[-1] == "8" and "8.1" not in added
    assert [(c.old, c.new) for c in diff.of_kind(ChangeKind.BAND)] == [("unbanded", "(not published)")]


def test_describe_rule() -> None:
    assert describe_rule(None) == "none"
    assert describe_rule(Entered()) == "entered"
    assert describe_rule(Deduction(per=Decimal("0.25"))) == "deduction (per 0.25, floor 0)"
    tiers = Tiers((Tier(Decimal(1), Decimal(2)), Tier(Decimal("0.85"), Decimal(1))))
    assert describe_rule(tiers) == "tiers (tiers [(at_least 1, points 2), (at_least 0.85, points 1)])"


def test_a_diff_and_its_reverse_mirror_each_other() -> None:
    schemes = [get_scheme(s.id) for s in available_schemes()]
    for a in schemes:
        for b in schemes:
            forward, backward = diff_schemes(a, b), diff_schemes(b, a)
            assert len(forward.of_kind(ChangeKind.ADDED)) == len(backward.of_kind(ChangeKind.REMOVED))
            assert len(forward.of_kind(ChangeKind.MAX)) == len(backward.of_kind(ChangeKind.MAX))
            assert forward.comparable == backward.comparable == (a.id == b.id)
