"""Reproducing the published 2022 PAR Index of Krông Nô's communes (seed 000).

Every expected figure here is copied by hand from the report
(``shared/seeds/000_4469cf28880e5adf.txt``), not computed from the bundled
data: the test checks that the scheme and the transcribed points give back
what the district published, and that ``compare_published`` finds exactly
the report's own contradictions, no more and no fewer.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import parscore
from parscore import compare_published, evaluate, get_scheme, get_scheme_package
from parscore.numbers import round_half_up

KRONG_NO = "vn.dak-nong.krong-no.commune.2022"
D = Decimal

# Section III, the ranking table: rank, unit (official name), appraised total, band.
PUBLISHED_RANKING = [
    (1, "nam-nung", "UBND xã Nâm Nung", "80.4", "Tốt"),
    (2, "dak-mam", "UBND thị trấn Đắk Mâm", "80", "Tốt"),
    (3, "nam-da", "UBND xã Nam Đà", "79.1", "Khá"),
    (4, "nam-xuan", "UBND xã Nam Xuân", "71.4", "Khá"),
    (5, "tan-thanh", "UBND xã Tân Thành", "70.4", "Khá"),
    (6, "dak-nang", "UBND xã Đắk Nang", "65.7", "Trung bình"),
    (7, "dak-sor", "UBND xã Đắk Sôr", "62.4", "Trung bình"),
    (8, "quang-phu", "UBND xã Quảng Phú", "61.8", "Trung bình"),
    (9, "duc-xuyen", "UBND xã Đức Xuyên", "61.2", "Trung bình"),
    (10, "nam-ndir", "UBND xã Nâm N'Đir", "60.4", "Trung bình"),
    (11, "dak-dro", "UBND xã Đắk Drô", "60.2", "Trung bình"),
    (12, "buon-choah", "UBND xã Buôn Choah", "60", "Trung bình"),
]

# Section IV: each field's maximum and average, as printed.
PUBLISHED_FIELDS = [
    ("1", "17.5", "10.25"),
    ("2", "10", "7.8"),
    ("3", "20.5", "12.9"),
    ("4", "17.5", "16.9"),
    ("5", "8.5", "7.7"),
    ("6", "21.5", "8.29"),
    ("7", "5.0", "3.8"),
]


@pytest.fixture(scope="module")
def scheme() -> parscore.Scheme:
    return get_scheme(KRONG_NO)


@pytest.fixture(scope="module")
def example() -> tuple[parscore.Assessments, parscore.Published]:
    package = get_scheme_package(KRONG_NO)
    assert package.examples == ("communes-2022",)
    example = package.load_example("communes-2022")
    assert example.published is not None
    return example.assessments, example.published


@pytest.fixture(scope="module")
def result(
    scheme: parscore.Scheme, example: tuple[parscore.Assessments, parscore.Published]
) -> parscore.Result:
    return evaluate(scheme, example[0])


def test_the_scheme(scheme: parscore.Scheme) -> None:
    assert scheme.id == KRONG_NO
    assert (scheme.issuer, scheme.level, scheme.year) == ("UBND huyện Krông Nô", "commune", 2022)
    assert len(scheme.fields) == 7
    assert [(f.code, f.max) for f in scheme.fields] == [(code, D(m)) for code, m, _ in PUBLISHED_FIELDS]
    # Five bands, section I.4.
    assert [(b.name, b.lower, b.upper) for b in sorted(scheme.bands, key=lambda b: b.lower)] == [
        ("Yếu", D(0), D(60)),
        ("Trung bình", D(60), D(70)),
        ("Khá", D(70), D(80)),
        ("Tốt", D(80), D(95)),
        ("Xuất sắc", D(95), None),
    ]


def test_the_source_states_100_points_but_the_fields_add_up_to_100_5(scheme: parscore.Scheme) -> None:
    assert scheme.max_total == D("100.5")
    assert scheme.source_notes() == (
        "the source states a total of 100 points, but its field maxima add up to 100.5"
        " (17.5 + 10 + 20.5 + 17.5 + 8.5 + 21.5 + 5)",
    )


def test_twelve_communes_are_assessed(example: tuple[parscore.Assessments, parscore.Published]) -> None:
    assessments, _ = example
    assert assessments.scheme_id == KRONG_NO
    assert sorted(a.unit.id for a in assessments) == sorted(row[1] for row in PUBLISHED_RANKING)


def test_totals_bands_and_ranks_as_published(result: parscore.Result) -> None:
    assert [(u.rank, u.unit_id, u.name, u.score, u.band.name) for u in result.units] == [
        (rank, uid, name, D(total), band) for rank, uid, name, total, band in PUBLISHED_RANKING
    ]
    # The district publishes raw totals: nothing is normalised.
    assert all(u.raw_total == u.normalised_total and u.max_total == D("100.5") for u in result.units)


def test_field_averages_at_the_reports_precision(result: parscore.Result) -> None:
    averages = dict(result.field_averages())
    for code, _, printed in PUBLISHED_FIELDS:
        places = max(0, -D(printed).as_tuple().exponent)  # type: ignore[operator]
        assert round_half_up(averages[code], places) == D(printed), code
    # Field 1's average is exact; field 2's is 7.833…, printed 7.8.
    assert averages["1"] == D("10.25")
    assert averages["2"] != D("7.8")


def test_overall_average(result: parscore.Result) -> None:
    assert result.average_total() == D("67.75")
    assert result.scheme.band_for(result.average_total()).name == "Trung bình"


def test_per_field_ranks_are_dense(result: parscore.Result) -> None:
    # Field 1's table (section IV.1) ranks 8.5, 8.5 → 6, 6 and then 8 → 7.
    field_1 = {u.unit_id: u.field_rank("1") for u in result.units}
    assert field_1 == {
        "nam-nung": 1, "nam-da": 2, "dak-mam": 3, "nam-xuan": 4, "nam-ndir": 5, "dak-nang": 6,
        "tan-thanh": 6, "duc-xuyen": 7, "quang-phu": 7, "dak-dro": 8, "dak-sor": 9, "buon-choah": 10,
    }
    # Field 4: eleven communes on 17 share rank 1, Tân Thành on 16 is 2nd.
    field_4 = {u.unit_id: u.field_rank("4") for u in result.units}
    assert field_4 == {**{row[1]: 1 for row in PUBLISHED_RANKING}, "tan-thanh": 2}


# The report's own contradictions, as (where, subject, published, computed).
FIELD_2 = "section IV.2, field 2 table"
FIELD_6 = "section IV.6, field 6 table"
EXPECTED_DISCREPANCIES = {
    # Field 2 (section IV.2): after 7.5 (rank 5) the report restarts at 4 and 5.
    (FIELD_2, "UBND xã Đức Xuyên", "4", "6"),
    (FIELD_2, "UBND xã Buôn Choah", "4", "6"),
    (FIELD_2, "UBND xã Năm N'Đir", "5", "7"),
    (FIELD_2, "rank 4", "8, 6.5", "one score per rank"),
    (FIELD_2, "rank 5", "7.5, 6", "one score per rank"),
    (FIELD_2, "UBND xã Quảng Phú", "rank 5", "better than rank 4"),
    (FIELD_2, "UBND xã Đăk Drô", "rank 5", "better than rank 4"),
    # Field 6 (section IV.6): 8.1 and 8 share rank 7, so everything below is one rank too high.
    (FIELD_6, "UBND xã Đăk Sôr", "7", "8"),
    (FIELD_6, "UBND xã Nâm N'Đir", "8", "9"),
    (FIELD_6, "UBND xã Quảng Phú", "9", "10"),
    (FIELD_6, "UBND xã Đứk Xuyên", "10", "11"),
    (FIELD_6, "rank 7", "8.1, 8", "one score per rank"),
    # Section V.1 states an average of 67.6; the table (section III) says 67.75.
    ("section V.1", "average total", "67.6", "67.75"),
}


def test_compare_published_finds_exactly_the_reports_contradictions(
    result: parscore.Result, example: tuple[parscore.Assessments, parscore.Published]
) -> None:
    _, published = example
    found = compare_published(result, published)
    assert {(d.where, d.subject, d.published, d.computed) for d in found} == EXPECTED_DISCREPANCIES
    assert len(found) == len(EXPECTED_DISCREPANCIES)


def test_discrepancy_messages_say_what_disagrees(
    result: parscore.Result, example: tuple[parscore.Assessments, parscore.Published]
) -> None:
    found = {(d.where, d.subject): d for d in compare_published(result, example[1])}
    rank = found[(FIELD_2, "UBND xã Đức Xuyên")]
    assert rank.message == "rank printed 4, computed 6"
    assert str(rank) == f"{FIELD_2}: UBND xã Đức Xuyên: rank printed 4, computed 6"
    assert found[(FIELD_6, "rank 7")].message == "rank 7 is shared by different points (8.1, 8)"
    average = found[("section V.1", "average total")]
    assert "67.6" in average.message and "67.75" in average.message
    inverted = found[(FIELD_2, "UBND xã Quảng Phú")]
    assert inverted.message == (
        "UBND xã Quảng Phú has 7.5 points but rank 5, below units with fewer points:"
        " UBND xã Đức Xuyên (6.5, rank 4), UBND xã Buôn Choah (6.5, rank 4)"
    )


def test_compare_published_sees_a_changed_point(
    scheme: parscore.Scheme, example: tuple[parscore.Assessments, parscore.Published]
) -> None:
    # Guard against a comparison that agrees with anything: move 0.5 points
    # of Nâm Nung's field 7 and the total, the field table and the ranks must disagree.
    assessments, published = example
    items = []
    for item in assessments:
        if item.unit.id == "nam-nung":
            item = parscore.Assessment.of(
                item.unit.id, item.unit.name,
                appraised={o.code: ("2,5" if o.code == "7" else o.appraised) for o in item.observations},
            )
        items.append(item)
    changed = evaluate(scheme, parscore.Assessments(assessments.scheme_id, tuple(items)))
    extra = {
        (d.where, d.subject, d.published, d.computed) for d in compare_published(changed, published)
    } - EXPECTED_DISCREPANCIES
    assert ("section III, ranking table", "UBND xã Năm Nung", "80.4", "80.9") in extra
    assert ("section IV.7, field 7 table", "UBND xã Năm Nung", "2", "2.5") in extra
    average = ("section III, ranking table", "average total", "67.75", "67.79166666666666666666666666666667")
    assert average in extra
