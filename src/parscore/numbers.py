"""Exact numbers: parsing points as ``Decimal`` and rounding half-up.

Reports mix a decimal comma and a decimal point ("4,5" and "4.5"), so text is
parsed deliberately: at most one separator, no thousands grouping, never via
``float``.  Rounding is half-up, as Vietnamese reports round.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable
from decimal import Decimal

__all__ = ["divide", "exact_sum", "format_decimal", "parse_decimal", "places", "round_half_up", "trim"]

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)")

#: Context for the few divisions parscore makes (percentages, averages,
#: normalisation): far more digits than any report prints, and the same
#: everywhere, so results do not depend on the caller's context.
CONTEXT = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999)


#: Context for sums and products of points: every accepted number has at most
#: ``MAX_INTEGER_DIGITS`` + ``MAX_DECIMALS`` digits, so no sum or product of two
#: of them needs more than this precision, and none is ever rounded.
EXACT = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999)
#: No plausible score, count or ratio has more digits than these.
MAX_INTEGER_DIGITS = 15
MAX_DECIMALS = 10


def parse_decimal(value: object) -> Decimal:
    """Turn points given as ``Decimal``, ``int`` or text into a finite ``Decimal``.

    Text may use a decimal comma or point and surrounding spaces.  Floats,
    booleans, NaN and infinities are refused with a ``ValueError`` that says
    what came, because each would silently lose or invent precision.

    >>> parse_decimal("4,5"), parse_decimal(" 17.5 "), parse_decimal(3)
    (Decimal('4.5'), Decimal('17.5'), Decimal('3'))
    """
    return _bounded(_parse(value))


def _parse(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got the boolean {value!r}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"expected a finite number, got {value}")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        raise ValueError(
            f"expected an exact number (Decimal, int or text), got the float {value!r};"
            " pass it as text such as '4.5' to keep it exact"
        )
    if isinstance(value, str):
        text = value.strip()
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"expected a number such as 4,5 or 4.5, got {value!r}")
        return Decimal(text.replace(",", "."))
    raise ValueError(f"expected a number, got {type(value).__name__} {value!r}")


def _bounded(number: Decimal) -> Decimal:
    """Refuse numbers no score has, so that exact arithmetic stays cheap and finite."""
    if not number:
        return number
    if number.adjusted() >= MAX_INTEGER_DIGITS:
        raise ValueError(
            f"expected a number with at most {MAX_INTEGER_DIGITS} digits before the decimal point,"
            f" got {number}"
        )
    if number.normalize(EXACT).as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]
        raise ValueError(f"expected a number with at most {MAX_DECIMALS} decimals, got {number}")
    return number


def places(value: Decimal) -> int:
    """How many decimals ``value`` is written with (``4.50`` → 2, ``80`` → 0).

    >>> places(Decimal("4.50")), places(Decimal("80")), places(Decimal("1E+1"))
    (2, 0, 0)
    """
    # Plain notation has exactly -exponent digits after the point; ``str``
    # writes it for every exponent up to 0 but the smallest, and is twice as
    # fast as ``as_tuple``.  Exponent notation (``1E+1``, ``1E-7``, or ``1e+1``
    # in a context with ``capitals=0``) is read from the tuple.
    text = str(value)
    if "E" in text or "e" in text:
        exponent = value.as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else 0
    point = text.find(".")
    return 0 if point < 0 else len(text) - point - 1


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """The sum of ``values``, never rounded, whatever the caller's decimal context.

    >>> exact_sum([Decimal("17.5"), Decimal("83")])
    Decimal('100.5')
    """
    total = Decimal(0)
    for value in values:
        total = EXACT.add(total, value)
    return total


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round to ``places`` decimals, halves away from zero, as reports do.

    >>> round_half_up(Decimal("7.8333"), 1), round_half_up(Decimal("2.345"), 2)
    (Decimal('7.8'), Decimal('2.35'))
    """
    return value.quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)


def format_decimal(value: Decimal, comma: bool = False) -> str:
    """Write a ``Decimal`` in plain notation, never with an exponent.

    >>> format_decimal(Decimal("1E+1")), format_decimal(Decimal("4.50"), comma=True)
    ('10', '4,50')
    """
    text = f"{value:f}"
    if text.startswith("-") and value == 0:
        text = text[1:]
    return text.replace(".", ",") if comma else text


def divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    """Divide in parscore's fixed context, trimming trailing zeros of exact results."""
    quotient = CONTEXT.divide(numerator, denominator)
    if CONTEXT.multiply(quotient, denominator) == numerator:
        return trim(quotient)
    return quotient


def trim(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation.

    >>> trim(Decimal("4.50")), trim(Decimal("100.00"))
    (Decimal('4.5'), Decimal('100'))
    """
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=CONTEXT)
    return value.normalize(CONTEXT)
