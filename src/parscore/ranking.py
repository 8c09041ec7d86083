"""Ranks with ties: equal scores share a rank, never split by input order.

>>> rank({"a": 9, "b": 8, "c": 8, "d": 7}, RankMethod.COMPETITION)
{'a': 1, 'b': 2, 'c': 2, 'd': 4}
>>> rank({"a": 9, "b": 8, "c": 8, "d": 7}, RankMethod.DENSE)
{'a': 1, 'b': 2, 'c': 2, 'd': 3}
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from operator import itemgetter
from typing import TypeVar

from .model import RankMethod

__all__ = ["rank"]

K = TypeVar("K", bound=str)


def rank(scores: Mapping[K, Decimal | int], method: RankMethod) -> dict[K, int]:
    """Rank keys by score, highest first, in key order within a tie."""
    # Sorting by key, then stably by score descending, orders as the key
    # (-score, key) does, without making a tuple and a negated Decimal per
    # item: ``reverse=True`` keeps equal scores in their (key) order.
    ordered = sorted(scores.items(), key=itemgetter(0))
    ordered.sort(key=itemgetter(1), reverse=True)
    ranks: dict[K, int] = {}
    previous: Decimal | int | None = None
    current = 0
    for position, (key, score) in enumerate(ordered, start=1):
        if score != previous:
            current = position if method is RankMethod.COMPETITION else current + 1
            previous = score
        ranks[key] = current
    return ranks
