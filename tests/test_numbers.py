"""Exact numbers: parsing points and rounding half-up."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parscore.numbers import divide, format_decimal, parse_decimal, places, round_half_up, trim


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4,5", "4.5"),
        ("4.5", "4.5"),
        (" 17.5 ", "17.5"),
        ("\t0,25\n", "0.25"),
        ("17", "17"),
        ("-1,5", "-1.5"),
        ("+2", "2"),
        (",5", "0.5"),
        (".5", "0.5"),
        ("100", "100"),
        (0, "0"),
        (3, "3"),
        (-2, "-2"),
        (10**14, "100000000000000"),
        ("999999999999999,9999999999", "999999999999999.9999999999"),
    ],
)
def test_parse_decimal_accepts(raw: object, expected: str) -> None:
    value = parse_decimal(raw)
    assert type(value) is Decimal
    assert value == Decimal(expected)
    # Exactly the digits given, not merely an equal value.
    assert str(value) == expected


def test_parse_decimal_keeps_a_decimal_as_given() -> None:
    given = Decimal("2.50")
    value = parse_decimal(given)
    assert value is given
    assert str(value) == "2.50"


def test_parse_decimal_comma_and_point_agree() -> None:
    assert parse_decimal("4,75") == parse_decimal("4.75") == Decimal("4.75")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (4.5, "expected an exact number (Decimal, int or text), got the float 4.5;"
              " pass it as text such as '4.5' to keep it exact"),
        (0.1, "got the float 0.1"),
        (True, "expected a number, got the boolean True"),
        (False, "expected a number, got the boolean False"),
        (Decimal("NaN"), "expected a finite number, got NaN"),
        (Decimal("sNaN"), "expected a finite number, got sNaN"),
        (Decimal("Infinity"), "expected a finite number, got Infinity"),
        (Decimal("-Infinity"), "expected a finite number, got -Infinity"),
        ("NaN", "expected a number such as 4,5 or 4.5, got 'NaN'"),
        ("inf", "expected a number such as 4,5 or 4.5, got 'inf'"),
        ("1,234.5", "expected a number such as 4,5 or 4.5, got '1,234.5'"),
        ("1.234,5", "expected a number such as 4,5 or 4.5, got '1.234,5'"),
        ("1 234", "expected a number such as 4,5 or 4.5, got '1 234'"),
        ("", "expected a number such as 4,5 or 4.5, got ''"),
        ("   ", "expected a number such as 4,5 or 4.5, got '   '"),
        ("abc", "expected a number such as 4,5 or 4.5, got 'abc'"),
        ("4,5 điểm", "expected a number such as 4,5 or 4.5, got '4,5 điểm'"),
        ("1e3", "expected a number such as 4,5 or 4.5, got '1e3'"),
        ("0x10", "expected a number such as 4,5 or 4.5, got '0x10'"),
        (None, "expected a number, got NoneType None"),
        ([1], "expected a number, got list [1]"),
    ],
)
def test_parse_decimal_refuses(raw: object, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_decimal(raw)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        # Half-up, not banker's rounding: halves go away from zero.
        ("2.345", 2, "2.35"),
        ("0.125", 2, "0.13"),
        ("2.5", 0, "3"),
        ("3.5", 0, "4"),
        ("0.5", 0, "1"),
        ("1.005", 2, "1.01"),
        ("7.8333", 1, "7.8"),
        ("7.85", 1, "7.9"),
        ("12.91666", 1, "12.9"),
        ("8.291666", 2, "8.29"),
        ("2.344999", 2, "2.34"),
        # Negative values: the half goes away from zero too.
        ("-2.345", 2, "-2.35"),
        ("-0.125", 2, "-0.13"),
        ("-2.5", 0, "-3"),
        ("-2.4", 0, "-2"),
        # Padding to the requested places.
        ("4", 2, "4.00"),
        ("67.75", 2, "67.75"),
        ("0", 1, "0.0"),
    ],
)
def test_round_half_up(value: str, places: int, expected: str) -> None:
    result = round_half_up(Decimal(value), places)
    assert str(result) == expected


def test_round_half_up_ignores_the_callers_context() -> None:
    import decimal

    with decimal.localcontext() as ctx:
        ctx.rounding = decimal.ROUND_HALF_EVEN
        assert str(round_half_up(Decimal("0.125"), 2)) == "0.13"
        assert str(round_half_up(Decimal("2.5"), 0)) == "3"


@pytest.mark.parametrize(
    ("value", "comma", "expected"),
    [
        ("1E+1", False, "10"),
        ("4.50", False, "4.50"),
        ("4.50", True, "4,50"),
        ("-0", False, "0"),
        ("-0.0", False, "0.0"),
        ("0.00001", False, "0.00001"),
        ("-1.5", True, "-1,5"),
    ],
)
def test_format_decimal(value: str, comma: bool, expected: str) -> None:
    assert format_decimal(Decimal(value), comma=comma) == expected


def test_divide_exact_results_are_trimmed() -> None:
    assert str(divide(Decimal(10), Decimal(4))) == "2.5"
    assert str(divide(Decimal("813"), Decimal(12))) == "67.75"
    assert str(divide(Decimal("100.0"), Decimal("2"))) == "50"


def test_divide_inexact_results_keep_34_digits() -> None:
    third = divide(Decimal(1), Decimal(3))
    assert str(third) == "0." + "3" * 34
    assert str(divide(Decimal(94), Decimal(12))) == "7.833333333333333333333333333333333"


def test_trim() -> None:
    assert str(trim(Decimal("4.50"))) == "4.5"
    assert str(trim(Decimal("100.00"))) == "100"
    assert str(trim(Decimal("1E+2"))) == "100"
    assert str(trim(Decimal("0.000"))) == "0"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (10**15, "at most 15 digits before the decimal point, got 1000000000000000"),
        ("1e999999999", "expected a number such as 4,5 or 4.5"),
        (Decimal("1E+999999999"), "at most 15 digits before the decimal point"),
        ("0,00000000001", "at most 10 decimals, got 1E-11"),
        ("5,", "expected a number such as 4,5 or 4.5, got '5,'"),
        ("١٢", "expected a number such as 4,5 or 4.5"),
    ],
)
def test_parse_decimal_refuses_numbers_no_score_has(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_decimal(raw)


@given(st.decimals(allow_nan=True, allow_infinity=True) | st.builds(Decimal, st.sampled_from(
    ["4.50", "80", "1E+1", "1E-7", "0.000001", "0.0000001", "-0.00", "0E-10", "1.2345E-3", "123E-2", "sNaN", "NaN12"]
)))
def test_places_is_minus_the_exponent(value: Decimal) -> None:
    exponent = value.as_tuple().exponent
    assert places(value) == (max(0, -exponent) if isinstance(exponent, int) else 0)


def test_places_whatever_the_context_writes() -> None:
    import decimal

    with decimal.localcontext() as context:
        context.capitals = 0
        assert [places(Decimal(t)) for t in ("1E+1", "1.5E-7", "4.50")] == [0, 8, 2]
