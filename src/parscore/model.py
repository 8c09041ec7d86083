"""The scheme tree and its policies: what a PAR Index scheme is.

A ``Scheme`` holds fields (lĩnh vực), each a ``Node`` whose children are
criteria (tiêu chí) and whose grandchildren are sub-criteria (tiêu chí thành
phần).  Codes are hierarchical (``3``, ``3.6``, ``3.6.2``); every leaf has a
scoring rule; every parent's maximum is the exact sum of its children's.

A ``Scheme`` checks itself when built and raises ``SchemeError`` listing every
problem, so an invalid scheme never reaches the evaluator.
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

import attrs

from .errors import Problem, SchemeError
from .numbers import exact_sum, trim
from .numbers import format_decimal as _fmt
from .numbers import places as _written_places
from .rules import Entered, Rule

__all__ = [
    "Band",
    "Node",
    "Normalisation",
    "NotApplicablePolicy",
    "RankMethod",
    "Ranking",
    "Rounding",
    "Scheme",
    "Source",
    "level_name",
    "scheme_problems",
]

#: Scheme ids carry the issuer, level and year: ``<country>.<issuer…>.<level>.<year>``
#: in lower-case words joined by dots, such as ``vn.dak-nong.krong-no.commune.2022``
#: (country, province, district; level; year).  Corrections of the same year keep
#: the id and raise ``revision``.
SCHEME_ID = re.compile(
    r"[a-z]{2}(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+\.(?P<level>[a-z]+(?:-[a-z]+)*)\.(?P<year>[0-9]{4})"
)
_CODE_PART = re.compile(r"[0-9A-Za-z]+")
_LEVELS = ("field", "criterion", "sub-criterion")
#: Where each level's children sit in TOML.
CHILD_KEYS = ("criteria", "subcriteria")


class NotApplicablePolicy(enum.Enum):
    """What a leaf reported as not applicable (không phát sinh) earns.

    ``FULL`` gives it its maximum; ``DROP`` removes it from the unit's
    maximum, so the unit's normalised score is computed on what applied.
    """

    FULL = "full"
    DROP = "drop"


class RankMethod(enum.Enum):
    """How equal scores share ranks: competition 1-2-2-4 or dense 1-2-2-3."""

    COMPETITION = "competition"
    DENSE = "dense"


def _nodes(items: Iterable[Node]) -> tuple[Node, ...]:
    return tuple(items)


def _bands(items: Iterable[Band]) -> tuple[Band, ...]:
    return tuple(items)


@attrs.frozen
class Node:
    """A field, criterion or sub-criterion with its maximum points.

    A node with ``children`` is scored by their sum; a node without is a
    leaf scored by its ``rule``.
    """

    code: str
    title: str
    max: Decimal
    rule: Rule | None = None
    not_applicable: NotApplicablePolicy | None = None
    children: tuple[Node, ...] = attrs.field(default=(), converter=_nodes)
    note: str | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()


@attrs.frozen
class Band:
    """A band (xếp loại) for scores in ``[lower, upper)``; the top band has no upper."""

    name: str
    lower: Decimal
    upper: Decimal | None = None

    def contains(self, score: Decimal) -> bool:
        return score >= self.lower and (self.upper is None or score < self.upper)


@attrs.frozen
class Ranking:
    """How units are ranked: by score, highest first; ties share a rank."""

    method: RankMethod = RankMethod.COMPETITION


@attrs.frozen
class Rounding:
    """Where the scheme rounds (half-up) and to how many decimals.

    ``leaf`` rounds computed leaf points (ratios, surveys); ``normalised``
    rounds the normalised total.  ``None`` means that value is never rounded.
    """

    leaf: int | None = None
    normalised: int | None = None


@attrs.frozen
class Normalisation:
    """Scale the raw total to ``scale`` (e.g. 70 raw points to a 100 scale)."""

    scale: Decimal


@attrs.frozen
class Source:
    """The document a scheme was transcribed from, and what it states."""

    document: str
    issuer: str | None = None
    date: str | None = None
    title: str | None = None
    #: The total the document claims, checked against the fields' maxima.
    stated_total: Decimal | None = None
    notes: str | None = None


_PLURALS = {"field": "fields", "criterion": "criteria", "sub-criterion": "sub-criteria", "item": "items"}


def level_name(depth: int, count: int = 1) -> str:
    """The name of the tree level at ``depth`` (1 = field), plural unless ``count`` is 1."""
    name = _LEVELS[depth - 1] if depth <= len(_LEVELS) else "item"
    return name if count == 1 else _PLURALS[name]


def _node_label(code: str) -> str:
    return f"{level_name(code.count('.') + 1)} {code}"


def tree_path(code: str) -> str:
    """``field 3 › criterion 3.6`` for code ``3.6``."""
    parts = code.split(".")
    return " › ".join(_node_label(".".join(parts[: i + 1])) for i in range(len(parts)))


@attrs.frozen
class Scheme:
    """A complete, validated scheme for one issuer, level and year.

    Building one checks everything at once and raises ``SchemeError``
    listing every problem.
    """

    id: str
    title: str
    issuer: str
    level: str
    year: int
    fields: tuple[Node, ...] = attrs.field(converter=_nodes)
    bands: tuple[Band, ...] = attrs.field(converter=_bands)
    ranking: Ranking = Ranking()
    rounding: Rounding = Rounding()
    normalisation: Normalisation | None = None
    source: Source | None = None
    revision: int = 0
    total: Decimal | None = None
    format: int = 1
    description: str | None = None

    def __attrs_post_init__(self) -> None:
        problems = scheme_problems(self)
        if problems:
            raise SchemeError(problems, source=f"scheme {self.id!r}")

    @property
    def max_total(self) -> Decimal:
        """The sum of the fields' maxima: the most a unit can earn."""
        return exact_sum(f.max for f in self.fields)

    @property
    def scale(self) -> Decimal:
        """The scale bands apply to: the normalisation scale or the total."""
        return self.normalisation.scale if self.normalisation else self.max_total

    def nodes(self) -> Iterator[Node]:
        """Every node, in tree order."""
        for field in self.fields:
            yield from field.walk()

    def leaves(self) -> Iterator[Node]:
        """Every leaf, in tree order."""
        return (n for n in self.nodes() if n.is_leaf)

    def node(self, code: str) -> Node:
        """The node with ``code``; ``KeyError`` names it if there is none."""
        for node in self.nodes():
            if node.code == code:
                return node
        raise KeyError(f"scheme {self.id!r} has no criterion {code!r}")

    def band_for(self, score: Decimal) -> Band:
        """The band ``score`` falls in."""
        for band in self.bands:
            if band.contains(score):
                return band
        raise ValueError(f"score {_fmt(score)} is in no band of scheme {self.id!r}")

    def source_notes(self) -> tuple[str, ...]:
        """Where the source document contradicts the scheme as modelled.

        These are not errors in the scheme: the scheme follows what the
        source publishes in detail, and these notes say where the source's
        own summary disagrees with it.
        """
        notes = []
        if self.source and self.source.stated_total is not None:
            if self.source.stated_total != self.max_total:
                maxima = " + ".join(_fmt(f.max) for f in self.fields)
                notes.append(
                    f"the source states a total of {_fmt(self.source.stated_total)} points,"
                    f" but its field maxima add up to {_fmt(self.max_total)} ({maxima})"
                )
        return tuple(notes)

    def _repr_html_(self) -> str:
        from .notebook import scheme_html

        return scheme_html(self)


# --- validation -----------------------------------------------------------


def _node_problems(
    node: Node, depth: int, key: str, parent_code: str | None, seen: dict[str, str]
) -> Iterator[Problem]:
    where = {"key": key, "node": tree_path(node.code) if node.code else None}
    code = node.code
    expected_prefix = f"{parent_code}." if parent_code else ""
    if not code.startswith(expected_prefix) or not _CODE_PART.fullmatch(
        code[len(expected_prefix) :]
    ):
        example = f"{expected_prefix}1"
        yield Problem(
            f"code {code!r} must be its parent's code followed by one more part, such as {example!r}",
            key=f"{key}.code",
            node=where["node"],
        )
    if code in seen:
        yield Problem(
            f"duplicate code {code!r}, also used at {seen[code]}",
            key=f"{key}.code",
            node=where["node"],
        )
    else:
        seen[code] = key
    if not node.title.strip():
        yield Problem("title must not be empty", key=f"{key}.title", node=where["node"])
    if node.max <= 0:
        yield Problem(
            f"max must be above 0, got {_fmt(node.max)}", key=f"{key}.max", node=where["node"]
        )
    if node.children:
        if depth >= len(_LEVELS):
            yield Problem(
                f"a {level_name(depth)} cannot have children: schemes have at most"
                f" {len(_LEVELS)} levels (field › criterion › sub-criterion)",
                key=key,
                node=where["node"],
            )
        if node.rule is not None:
            yield Problem(
                "only leaves have a rule: this node's points are the sum of its children",
                key=f"{key}.rule",
                node=where["node"],
            )
        if node.not_applicable is not None:
            yield Problem(
                "only leaves have a not_applicable policy",
                key=f"{key}.not_applicable",
                node=where["node"],
            )
        total = exact_sum(c.max for c in node.children)
        if total != node.max:
            listed = " + ".join(_fmt(c.max) for c in node.children)
            yield Problem(
                f"the children's maxima add up to {_fmt(total)} ({listed}),"
                f" not to this node's max {_fmt(node.max)}",
                key=f"{key}.max",
                node=where["node"],
            )
        child_key = CHILD_KEYS[min(depth, len(CHILD_KEYS)) - 1]
        for i, child in enumerate(node.children):
            yield from _node_problems(child, depth + 1, f"{key}.{child_key}[{i}]", code, seen)
    elif node.rule is None:
        yield Problem("a leaf needs a scoring rule", key=f"{key}.rule", node=where["node"])
    elif node.max > 0:
        for message in node.rule.problems(node.max):
            yield Problem(message, key=f"{key}.rule", node=where["node"])


def _band_problems(bands: Sequence[Band], scale: Decimal | None) -> Iterator[Problem]:
    """Gaps, overlaps and misplaced bands; ``scale`` is ``None`` when it is not known
    because a maximum it depends on is already reported as invalid."""
    if not bands:
        yield Problem("a scheme needs at least one band", key="bands")
        return
    indexed = sorted(enumerate(bands), key=lambda ib: ib[1].lower)
    names: dict[str, int] = {}
    for i, band in enumerate(bands):
        if band.name in names:
            yield Problem(
                f"duplicate band name {band.name!r}, also bands[{names[band.name]}]",
                key=f"bands[{i}].name",
            )
        names.setdefault(band.name, i)
        if band.upper is not None and band.upper <= band.lower:
            yield Problem(
                f"band {band.name!r} must end above where it starts:"
                f" from {_fmt(band.lower)} to {_fmt(band.upper)}",
                key=f"bands[{i}].to",
            )
    first_i, first = indexed[0]
    if first.lower > 0:
        yield Problem(
            f"gap: scores from 0 to below {_fmt(first.lower)} fall in no band",
            key=f"bands[{first_i}].from",
        )
    elif first.lower < 0:
        yield Problem(
            f"the lowest band {first.name!r} must start at 0, got {_fmt(first.lower)}",
            key=f"bands[{first_i}].from",
        )
    for (i, low), (j, high) in itertools.pairwise(indexed):
        if low.upper is None:
            yield Problem(
                f"only the highest band may leave out 'to': band {low.name!r} is followed"
                f" by {high.name!r} from {_fmt(high.lower)}",
                key=f"bands[{i}]",
            )
        elif low.upper < high.lower:
            yield Problem(
                f"gap: scores from {_fmt(low.upper)} to below {_fmt(high.lower)} fall in no band"
                f" (between {low.name!r} and {high.name!r})",
                key=f"bands[{i}].to",
            )
        elif low.upper > high.lower:
            yield Problem(
                f"overlap: bands {low.name!r} and {high.name!r} both hold scores from"
                f" {_fmt(high.lower)} to below {_fmt(low.upper)}",
                key=f"bands[{j}].from",
            )
    top_i, top = indexed[-1]
    if top.upper is not None:
        yield Problem(
            f"the highest band {top.name!r} must leave out 'to': it holds every score"
            f" from {_fmt(top.lower)}" + (f" up to the scale ({_fmt(scale)})" if scale is not None else ""),
            key=f"bands[{top_i}].to",
        )
    if scale is not None and top.lower > scale:
        yield Problem(
            f"band {top.name!r} starts at {_fmt(top.lower)}, above the scale {_fmt(scale)}",
            key=f"bands[{top_i}].from",
        )


def scheme_problems(scheme: Scheme) -> tuple[Problem, ...]:
    """Every problem with ``scheme``, in document order; empty when it is valid."""
    found: list[Problem] = []
    matched = SCHEME_ID.fullmatch(scheme.id)
    if not matched:
        found.append(
            Problem(
                "id must be <country>.<issuer…>.<level>.<year> in lower-case words joined by dots,"
                f" such as 'vn.dak-nong.krong-no.commune.2022', got {scheme.id!r}",
                key="id",
            )
        )
    else:
        if matched["level"] != scheme.level:
            found.append(
                Problem(f"the id says level {matched['level']!r} but level is {scheme.level!r}", key="level")
            )
        if int(matched["year"]) != scheme.year:
            found.append(
                Problem(f"the id says year {matched['year']} but year is {scheme.year}", key="year")
            )
    for name in ("title", "issuer", "level"):
        if not getattr(scheme, name).strip():
            found.append(Problem(f"{name} must not be empty", key=name))
    if scheme.format != 1:
        found.append(
            Problem(
                f"this parscore reads scheme format 1, the scheme is written for format {scheme.format}",
                key="format",
            )
        )
    if scheme.revision < 0:
        found.append(Problem(f"revision must be 0 or more, got {scheme.revision}", key="revision"))
    if not scheme.fields:
        found.append(Problem("a scheme needs at least one field", key="fields"))
    seen: dict[str, str] = {}
    for i, field in enumerate(scheme.fields):
        found.extend(_node_problems(field, 1, f"fields[{i}]", None, seen))
    max_total = scheme.max_total
    if scheme.total is not None and scheme.total != max_total:
        found.append(
            Problem(
                f"total is {_fmt(scheme.total)} but the fields' maxima add up to {_fmt(max_total)}",
                key="total",
            )
        )
    if scheme.normalisation is not None and scheme.normalisation.scale <= 0:
        found.append(
            Problem(
                f"scale must be above 0, got {_fmt(scheme.normalisation.scale)}",
                key="normalisation.scale",
            )
        )
    for name in ("leaf", "normalised"):
        places = getattr(scheme.rounding, name)
        if places is not None and not 0 <= places <= 10:
            found.append(
                Problem(f"decimals must be from 0 to 10, got {places}", key=f"rounding.{name}")
            )
    leaf_places = scheme.rounding.leaf
    if leaf_places is not None and 0 <= leaf_places <= 10:
        # A full score must survive rounding: a max of 0.75 rounded to 1 decimal
        # would give 0.8 points, above the max.
        finer = [f"{n.code} ({_fmt(n.max)})" for n in scheme.leaves() if _decimals(n.max) > leaf_places]
        if finer:
            found.append(
                Problem(
                    f"leaf points are rounded to {leaf_places} decimal{'s' if leaf_places != 1 else ''},"
                    f" but these leaves' maxima have more decimals: {', '.join(finer)};"
                    " a full score would round past the max",
                    key="rounding.leaf",
                )
            )
    places = scheme.rounding.normalised
    if (
        scheme.normalisation is not None and places is not None and 0 <= places <= 10
        and _decimals(scheme.normalisation.scale) > places
    ):
        found.append(
            Problem(
                f"the scale {_fmt(scheme.normalisation.scale)} has more decimals than the"
                f" {places} the normalised score is rounded to: a full score would round past the scale",
                key="rounding.normalised",
            )
        )
    dropping = [n.code for n in scheme.leaves() if n.not_applicable is NotApplicablePolicy.DROP]
    drops = bool(dropping)
    if drops and scheme.normalisation is None:
        found.append(
            Problem(
                f"leaves that drop when not applicable ({', '.join(dropping)}) need [normalisation],"
                " so that a unit's score is computed on the points that applied to it",
                key="normalisation",
            )
        )
    if (scheme.normalisation is not None or drops) and scheme.rounding.normalised is None:
        found.append(
            Problem(
                "a normalised score is a division: set [rounding] normalised = N, the decimals"
                " the scheme publishes it with",
                key="rounding.normalised",
            )
        )
    if scheme.normalisation is not None:
        scale_known = scheme.normalisation.scale > 0
    else:
        scale_known = bool(scheme.fields) and all(f.max > 0 for f in scheme.fields)
    found.extend(_band_problems(scheme.bands, scheme.scale if scale_known else None))
    return tuple(found)


def _decimals(value: Decimal) -> int:
    """How many decimals ``value`` needs (trailing zeros do not count)."""
    return _written_places(trim(value))


def default_rule() -> Rule:
    """The rule a leaf gets in TOML when it names none: points entered by hand."""
    return Entered()
