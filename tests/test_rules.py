"""Leaf rules: points, explanations and refusals, one rule kind at a time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parscore.rules import (
    BUILTIN_RULES,
    Bonus,
    Deduction,
    Entered,
    PassFail,
    Ratio,
    Rule,
    Survey,
    Tier,
    Tiers,
)

D = Decimal


def score(rule: Rule, raw: object, max_points: str) -> tuple[str, str]:
    """Parse ``raw`` as an assessment would give it; the points and the explanation."""
    value = rule.parse(raw)
    points = rule.points(value, D(max_points))
    return str(points), rule.explain(value, D(max_points))


def refusal(rule: Rule, raw: object, max_points: str) -> str:
    with pytest.raises(ValueError) as info:
        value = rule.parse(raw)
        rule.points(value, D(max_points))
    return str(info.value)


def test_builtin_rules_by_kind() -> None:
    assert dict(BUILTIN_RULES) == {
        "entered": Entered,
        "pass_fail": PassFail,
        "ratio": Ratio,
        "tiers": Tiers,
        "deduction": Deduction,
        "bonus": Bonus,
        "survey": Survey,
    }
    for cls in BUILTIN_RULES.values():
        assert isinstance(cls.takes, str) and cls.takes


# --- entered ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "points", "explanation"),
    [
        ("1,5", "1.5", "entered 1.5 of 2"),
        ("1.5", "1.5", "entered 1.5 of 2"),
        (2, "2", "entered 2 of 2"),
        (0, "0", "entered 0 of 2"),
        (D("0.1"), "0.1", "entered 0.1 of 2"),
    ],
)
def test_entered(raw: object, points: str, explanation: str) -> None:
    assert score(Entered(), raw, "2") == (points, explanation)


@pytest.mark.parametrize(
    ("raw", "points"), [("1,75", "1.75"), ("0.25", "0.25"), ("2", "2"), ("0", "0")]
)
def test_entered_with_step(raw: object, points: str) -> None:
    assert score(Entered(step=D("0.25")), raw, "2") == (points, f"entered {points} of 2")


@pytest.mark.parametrize(
    ("rule", "raw", "message"),
    [
        (Entered(), "2.5", "points must be between 0 and the maximum 2, got 2.5"),
        (Entered(), "-0,5", "points must be between 0 and the maximum 2, got -0.5"),
        (Entered(step=D("0.25")), "1.3", "points must be a multiple of 0.25, got 1.3"),
        (Entered(step=D("0.5")), "0,25", "points must be a multiple of 0.5, got 0.25"),
        (Entered(), True, "expected a number, got the boolean True"),
        (Entered(), "đạt", "expected a number such as 4,5 or 4.5, got 'đạt'"),
        (Entered(), 1.5, "got the float 1.5"),
    ],
)
def test_entered_refuses(rule: Rule, raw: object, message: str) -> None:
    assert message in refusal(rule, raw, "2")


# --- pass / fail ------------------------------------------------------------


@pytest.mark.parametrize("raw", [True, "true", "đạt", "Đạt", " ĐẠT ", "yes", "pass"])
def test_pass_fail_passed(raw: object) -> None:
    assert score(PassFail(), raw, "2.5") == ("2.5", "passed → 2.5")


@pytest.mark.parametrize("raw", [False, "false", "không đạt", "Không đạt", " KHÔNG ĐẠT ", "no", "fail"])
def test_pass_fail_not_passed(raw: object) -> None:
    assert score(PassFail(), raw, "2.5") == ("0", "not passed → 0")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("maybe", "expected true or false (đạt / không đạt), got 'maybe'"),
        (1, "expected true or false (đạt / không đạt), got 1"),
        (D(1), "expected true or false (đạt / không đạt), got Decimal('1')"),
        ("", "expected true or false (đạt / không đạt), got ''"),
    ],
)
def test_pass_fail_refuses(raw: object, message: str) -> None:
    assert refusal(PassFail(), raw, "2") == message


def test_pass_fail_points_refuses_a_number() -> None:
    with pytest.raises(ValueError, match=r"^expected true or false, got Decimal\('1'\)$"):
        PassFail().points(D(1), D(2))


# --- ratio ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "points", "explanation"),
    [
        ("0,85", "3.40", "ratio 0.85 × 4 → 3.40"),
        ("1", "4", "ratio 1 × 4 → 4"),
        ("0", "0", "ratio 0 × 4 → 0"),
        ("0.333", "1.332", "ratio 0.333 × 4 → 1.332"),
    ],
)
def test_ratio(raw: object, points: str, explanation: str) -> None:
    result = score(Ratio(), raw, "4")
    assert D(result[0]) == D(points)
    assert result[1] == explanation


@pytest.mark.parametrize(
    ("raw", "points", "explanation"),
    [
        ("0.4", "0", "ratio 0.4 below threshold 0.5 → 0"),
        ("0.49", "0", "ratio 0.49 below threshold 0.5 → 0"),
        # At the threshold the ratio counts in full.
        ("0.5", "2", "ratio 0.5 × 4 → 2.0"),
        ("0,75", "3", "ratio 0.75 × 4 → 3.00"),
    ],
)
def test_ratio_with_threshold(raw: object, points: str, explanation: str) -> None:
    result = score(Ratio(threshold=D("0.5")), raw, "4")
    assert D(result[0]) == D(points)
    assert result[1] == explanation


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1.2", "ratio must be between 0 and 1, got 1.2"),
        ("-0.1", "ratio must be between 0 and 1, got -0.1"),
        ("85%", "expected a number such as 4,5 or 4.5, got '85%'"),
    ],
)
def test_ratio_refuses(raw: object, message: str) -> None:
    assert refusal(Ratio(), raw, "4") == message


# --- tiers ------------------------------------------------------------------

DISBURSEMENT = Tiers((Tier(D("0.85"), D("2.5")), Tier(D(1), D(5)), Tier(D(0), D(0))))


@pytest.mark.parametrize(
    ("raw", "points", "explanation"),
    [
        ("1", "5", "value 1 reaches tier ≥ 1 → 5"),
        ("1,2", "5", "value 1.2 reaches tier ≥ 1 → 5"),
        ("0.99", "2.5", "value 0.99 reaches tier ≥ 0.85 → 2.5"),
        ("0.85", "2.5", "value 0.85 reaches tier ≥ 0.85 → 2.5"),
        ("0.849", "0", "value 0.849 reaches tier ≥ 0 → 0"),
        ("0", "0", "value 0 reaches tier ≥ 0 → 0"),
    ],
)
def test_tiers(raw: object, points: str, explanation: str) -> None:
    # The tiers are deliberately listed out of order: the highest reached counts.
    assert score(DISBURSEMENT, raw, "5") == (points, explanation)


def test_tiers_refuse_a_value_below_every_tier() -> None:
    assert refusal(DISBURSEMENT, "-1", "5") == "value -1 is below the lowest tier (0)"
    only = Tiers((Tier(D("0.5"), D(1)),))
    assert refusal(only, "0.4", "5") == "value 0.4 is below the lowest tier (0.5)"


# --- deduction --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "points", "explanation"),
    [
        (0, "2", "deduction 0 × 0.25 from 2 → 2.00"),
        (2, "1.5", "deduction 2 × 0.25 from 2 → 1.50"),
        ("2,0", "1.5", "deduction 2 × 0.25 from 2 → 1.50"),
        (8, "0", "deduction 8 × 0.25 from 2 → 0.00"),
        (9, "0", "deduction 9 × 0.25 from 2 stops at the floor → 0"),
    ],
)
def test_deduction(raw: object, points: str, explanation: str) -> None:
    result = score(Deduction(per=D("0.25")), raw, "2")
    assert D(result[0]) == D(points)
    assert result[1] == explanation


@pytest.mark.parametrize(
    ("raw", "points", "explanation"),
    [
        (1, "1.5", "deduction 1 × 0.5 from 2 → 1.5"),
        (3, "0.5", "deduction 3 × 0.5 from 2 → 0.5"),
        (4, "0.5", "deduction 4 × 0.5 from 2 stops at the floor → 0.5"),
        (100, "0.5", "deduction 100 × 0.5 from 2 stops at the floor → 0.5"),
    ],
)
def test_deduction_with_floor(raw: object, points: str, explanation: str) -> None:
    result = score(Deduction(per=D("0.5"), floor=D("0.5")), raw, "2")
    assert D(result[0]) == D(points)
    assert result[1] == explanation


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1.5", "expected a whole number of occurrences (0 or more), got 1.5"),
        (-1, "expected a whole number of occurrences (0 or more), got -1"),
        (True, "expected a number, got the boolean True"),
        ("two", "expected a number such as 4,5 or 4.5, got 'two'"),
    ],
)
def test_deduction_refuses(raw: object, message: str) -> None:
    assert refusal(Deduction(per=D("0.25")), raw, "2") == message


def test_deduction_points_refuses_a_fraction_given_directly() -> None:
    with pytest.raises(ValueError, match=r"^occurrences must be a whole number, 0 or more, got 1\.5$"):
        Deduction(per=D(1)).points(D("1.5"), D(2))


# --- bonus ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "points", "explanation"),
    [
        (0, "0", "bonus 0 × 0.75 → 0.00"),
        (1, "0.75", "bonus 1 × 0.75 → 0.75"),
        (2, "1.5", "bonus 2 × 0.75 → 1.50"),
        (3, "1.5", "bonus 3 × 0.75 = 2.25, capped at 1.5 → 1.5"),
    ],
)
def test_bonus_with_cap(raw: object, points: str, explanation: str) -> None:
    result = score(Bonus(per_item=D("0.75"), cap=D("1.5")), raw, "2")
    assert D(result[0]) == D(points)
    assert result[1] == explanation


def test_bonus_without_cap_is_capped_at_the_maximum() -> None:
    result = score(Bonus(per_item=D("0.75")), 3, "2")
    assert result == ("2", "bonus 3 × 0.75 = 2.25, capped at 2 → 2")
    result = score(Bonus(per_item=D("0.75")), 2, "2")
    assert D(result[0]) == D("1.5")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0.5", "expected a whole number of items (0 or more), got 0.5"),
        (-2, "expected a whole number of items (0 or more), got -2"),
    ],
)
def test_bonus_refuses(raw: object, message: str) -> None:
    assert refusal(Bonus(per_item=D(1)), raw, "2") == message


def test_bonus_points_refuses_a_negative_given_directly() -> None:
    with pytest.raises(ValueError, match=r"^items must be a whole number, 0 or more, got -1$"):
        Bonus(per_item=D(1)).points(D(-1), D(2))


# --- survey -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "points", "explanation"),
    [
        ("87,5", "7", "survey index 87.5 % of 8 → 7.000"),
        (100, "8", "survey index 100 % of 8 → 8.00"),
        (0, "0", "survey index 0 % of 8 → 0.00"),
        ("33.333", "2.66664", "survey index 33.333 % of 8 → 2.66664"),
    ],
)
def test_survey(raw: object, points: str, explanation: str) -> None:
    result = score(Survey(), raw, "8")
    assert D(result[0]) == D(points)
    assert result[1] == explanation


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("100.5", "survey index must be between 0 and 100, got 100.5"),
        (-1, "survey index must be between 0 and 100, got -1"),
    ],
)
def test_survey_refuses(raw: object, message: str) -> None:
    assert refusal(Survey(), raw, "8") == message


# --- parameter checks ---------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "problems"),
    [
        (Entered(), []),
        (Entered(step=D("0.25")), []),
        (Entered(step=D(0)), ["step must be above 0, got 0"]),
        (Entered(step=D(-1)), ["step must be above 0, got -1"]),
        (PassFail(), []),
        (Survey(), []),
        (Ratio(), []),
        (Ratio(threshold=D(0)), []),
        (Ratio(threshold=D(1)), []),
        (Ratio(threshold=D("1.5")), ["threshold must be between 0 and 1, got 1.5"]),
        (Ratio(threshold=D("-0.1")), ["threshold must be between 0 and 1, got -0.1"]),
        (Tiers(()), ["tiers must list at least one tier"]),
        (Tiers((Tier(D(0), D(0)),)), []),
        (DISBURSEMENT, []),
        (
            Tiers((Tier(D(0), D(-1)), Tier(D(1), D(6)))),
            [
                "tier at 0 gives -1, outside 0 to the maximum 5",
                "tier at 1 gives 6, outside 0 to the maximum 5",
            ],
        ),
        (
            Tiers((Tier(D(0), D(0)), Tier(D("0.85"), D(3)), Tier(D(1), D(2)))),
            ["tier at 0.85 gives more (3) than the higher tier at 1 (2)"],
        ),
        (Deduction(per=D("0.25")), []),
        (Deduction(per=D(1), floor=D(5)), []),
        (Deduction(per=D(0)), ["per must be above 0, got 0"]),
        (
            Deduction(per=D(-1), floor=D(6)),
            ["per must be above 0, got -1", "floor must be between 0 and the maximum 5, got 6"],
        ),
        (Deduction(per=D(1), floor=D(-1)), ["floor must be between 0 and the maximum 5, got -1"]),
        (Bonus(per_item=D(1)), []),
        (Bonus(per_item=D(1), cap=D(5)), []),
        (Bonus(per_item=D(0)), ["per_item must be above 0, got 0"]),
        (Bonus(per_item=D(1), cap=D(0)), ["cap must be above 0 and at most the maximum 5, got 0"]),
        (Bonus(per_item=D(1), cap=D(6)), ["cap must be above 0 and at most the maximum 5, got 6"]),
    ],
)
def test_rule_parameter_problems(rule: Rule, problems: list[str]) -> None:
    assert rule.problems(D(5)) == problems


def test_duplicate_tiers_are_reported_once() -> None:
    rule = Tiers((Tier(D(1), D(5)), Tier(D(1), D(4))))
    assert rule.problems(D(5)) == ["two tiers start at 1"]


def test_rules_are_values() -> None:
    # Frozen and compared by value, so schemes holding them compare by value.
    assert Deduction(per=D("0.5")) == Deduction(per=D("0.50"))
    assert Deduction(per=D("0.5")) != Deduction(per=D("0.5"), floor=D(1))
    with pytest.raises(AttributeError):
        Deduction(per=D(1)).per = D(2)  # type: ignore[misc]
