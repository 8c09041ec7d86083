"""Ranks with ties: equal scores share a rank, never split by input order.

>>> rank({"a": 9, "b": 8, "c": 8, "d": 7}, RankMethod.COMPETITION)
{'a': 1, 'b': 2, 'c': 2, 'd': 4}
>>> rank({"a": 9, "b": 8, "c": 8, "d": 7}, RankMethod.DENSE)
{'a': 1, 'b': 2, 'c': 2, 'd': 3}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import TypeVar

from .model import RankMethod

__all__ = ["rank", "rank_values"]

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


def rank_values(scores: Sequence[Decimal | int], method: RankMethod) -> list[int]:
    """The rank of each score, in the order given: what ``rank`` gives each key.

    Only the distinct scores are sorted, so ranking a country's units takes
    one pass over them; equal scores (``8`` and ``8.0``) share a rank.

    >>> rank_values([7, 9, 8, 8], RankMethod.COMPETITION)
    [4, 1, 2, 2]
    >>> rank_values([7, 9, 8, 8], RankMethod.DENSE)
    [3, 1, 2, 2]
    """
    counts = Counter(scores)
    rank_of: dict[Decimal | int, int] = {}
    above = 0
    for position, score in enumerate(sorted(counts, reverse=True), start=1):
        rank_of[score] = above + 1 if method is RankMethod.COMPETITION else position
        above += counts[score]
    return list(map(rank_of.__getitem__, scores))
