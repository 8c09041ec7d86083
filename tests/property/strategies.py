"""Hypothesis strategies for valid parscore schemes and assessments that fit them.

Everything is built through the public API (``parscore.Scheme``,
``parscore.Node``, the rule classes), so building a ``Scheme`` checks it: a
``SchemeError`` raised while drawing is a bug in these strategies or in the
validator, never something to filter away.

Numbers are exact throughout: maxima are whole multiples of 1, 0.5 or 0.25
summed upward (so every parent's maximum is exactly its children's sum), and
other parameters come from ``st.decimals(places=...)`` or scaled integers.
Floats never appear.

``schemes()`` declares rounding at least as fine as the numbers it rounds:
``rounding.leaf`` keeps every decimal any leaf maximum has and
``rounding.normalised`` every decimal of the scale, as real schemes do (0.25
steps, two decimals), and as parscore requires.  ``coarse_leaf_rounding_cases``
and ``coarse_normalised_rounding_cases`` draw the parts of schemes that break
that rule, for the tests that check parscore refuses them.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from parscore import (
    NOT_APPLICABLE,
    Assessment,
    Assessments,
    Band,
    Bonus,
    Deduction,
    Entered,
    Node,
    Normalisation,
    NotApplicablePolicy,
    Observation,
    PassFail,
    Ranking,
    RankMethod,
    Ratio,
    Rounding,
    Rule,
    Scheme,
    Source,
    Survey,
    Tier,
    Tiers,
    Unit,
    round_half_up,
)

__all__ = [
    "MAX_LEVELS",
    "CoarseCase",
    "assessments_for",
    "cases",
    "coarse_leaf_rounding_cases",
    "coarse_normalised_rounding_cases",
    "codes",
    "decimals_of",
    "free_assessments",
    "one_leaf_scheme",
    "passing",
    "rule_for",
    "schemes",
    "spoiled_cases",
    "texts",
    "value_for",
]

MAX_LEVELS = 3
QUARTER = Decimal("0.25")
STEPS = (Decimal(1), Decimal("0.5"), QUARTER)

_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy AĂÂĐÊÔƠƯ áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩị"
    "óòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ0123456789.,;:-_/()%'\"\\\n\t#=[]{}"
)
#: Vietnamese letters, digits, punctuation a TOML writer must escape (quotes,
#: backslash, newline, tab, DEL) and any other character but surrogates.
_ALPHABET = st.sampled_from(_LETTERS + "\x7f") | st.characters(exclude_categories=("Cs",))
#: The same without U+007F (DEL), which assessments do not survive yet (see
#: the xfail tests in ``test_round_trip.py``).
_ALPHABET_NO_DEL = st.sampled_from(_LETTERS) | st.characters(
    exclude_categories=("Cs",), exclude_characters="\x7f"
)


@functools.cache
def texts(min_size: int = 1, max_size: int = 24, *, with_del: bool = True) -> st.SearchStrategy[str]:
    """Text a scheme or unit may carry, never blank."""
    alphabet = _ALPHABET if with_del else _ALPHABET_NO_DEL
    return st.text(alphabet, min_size=min_size, max_size=max_size).filter(lambda s: s.strip() != "")


def decimals_of(value: Decimal) -> int:
    """How many decimals ``value`` needs: ``decimals_of(Decimal('1.50')) == 1``."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


@functools.cache
def _multiples(step: Decimal, low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda k: k * step)


# --- rules ----------------------------------------------------------------


@st.composite
def rule_for(draw: st.DrawFn, max_points: Decimal) -> Rule:
    """Any built-in rule with parameters valid for a leaf of ``max_points``."""
    kind = draw(st.sampled_from(("entered", "pass_fail", "ratio", "tiers", "deduction", "bonus", "survey")))
    if kind == "entered":
        step = draw(st.sampled_from((None, Decimal("0.05"), QUARTER, Decimal("0.5"), Decimal(1))))
        return Entered(step=step)
    if kind == "pass_fail":
        return PassFail()
    if kind == "ratio":
        threshold = draw(st.none() | st.decimals(min_value=0, max_value=1, places=2))
        return Ratio(threshold=threshold)
    if kind == "tiers":
        starts = draw(
            st.lists(st.decimals(min_value=0, max_value=100, places=1), min_size=1, max_size=4, unique=True)
        )
        quarters = int(max_points / QUARTER)
        awards = sorted(
            draw(st.lists(_multiples(QUARTER, 0, quarters), min_size=len(starts), max_size=len(starts)))
        )
        tiers = [Tier(at_least=s, points=p) for s, p in zip(sorted(starts), awards, strict=True)]
        # A scheme may list its tiers in any order.
        return Tiers(tiers=tuple(draw(st.permutations(tiers))))
    if kind == "deduction":
        per = draw(
            st.sampled_from((QUARTER, Decimal("0.5"), Decimal(1)))
            | st.decimals(min_value=Decimal("0.01"), max_value=max_points, places=2)
        )
        floor = draw(st.just(Decimal(0)) | st.decimals(min_value=0, max_value=max_points, places=2))
        return Deduction(per=per, floor=floor)
    if kind == "bonus":
        per_item = draw(st.decimals(min_value=Decimal("0.25"), max_value=Decimal(3), places=2))
        cap = draw(st.none() | st.decimals(min_value=Decimal("0.01"), max_value=max_points, places=2))
        return Bonus(per_item=per_item, cap=cap)
    return Survey()


# --- schemes ----------------------------------------------------------------


@st.composite
def _node(draw: st.DrawFn, code: str, depth: int, steps: Sequence[Decimal], drop_allowed: bool) -> Node:
    title = draw(texts())
    note = draw(st.none() | texts())
    has_children = depth < MAX_LEVELS and draw(st.integers(0, 9)) < (6 if depth == 1 else 3)
    if has_children:
        count = draw(st.integers(1, 3))
        # Codes are the parent's code and one more part, mostly numbers.
        parts = draw(st.sampled_from(("numbers", "letters", "skip")))
        if parts == "numbers":
            names = [str(i + 1) for i in range(count)]
        elif parts == "letters":
            names = [chr(ord("a") + i) for i in range(count)]
        else:
            names = [
                str(n) for n in sorted(draw(st.sets(st.integers(1, 60), min_size=count, max_size=count)))
            ]
        children = [draw(_node(f"{code}.{name}", depth + 1, steps, drop_allowed)) for name in names]
        total = sum((c.max for c in children), Decimal(0))
        return Node(code, title, total, children=tuple(children), note=note)
    step = draw(st.sampled_from(steps))
    max_points = draw(_multiples(step, 1, int(20 / step)))
    rule = draw(rule_for(max_points))
    policies: list[NotApplicablePolicy | None] = [None, None, NotApplicablePolicy.FULL]
    if drop_allowed:
        policies.append(NotApplicablePolicy.DROP)
    policy = draw(st.sampled_from(policies))
    return Node(code, title, max_points, rule=rule, not_applicable=policy, note=note)


_WORD = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6)
#: One dotted part of a scheme id: ``dak-nong``, ``krongno``.
_SLUG = st.lists(_WORD, min_size=1, max_size=2).map("-".join)
_CODE_PART = st.integers(1, 99).map(str) | st.text("abc0123456789", min_size=1, max_size=2)
#: Criterion codes of one to three parts: ``3``, ``3.6``, ``3.6.b``.
codes = st.builds(
    lambda first, rest: ".".join((first, *rest)),
    st.integers(1, 12).map(str),
    st.lists(_CODE_PART, max_size=2),
)


@st.composite
def _bands(draw: st.DrawFn, scale: Decimal) -> tuple[Band, ...]:
    """Bands that partition [0, scale] with the highest one open, in any order."""
    cuts = draw(
        st.lists(st.decimals(min_value=Decimal("0.01"), max_value=scale, places=2), max_size=4, unique=True)
    )
    lowers = [Decimal(0), *sorted(cuts)]
    names = draw(st.lists(texts(max_size=10), min_size=len(lowers), max_size=len(lowers), unique=True))
    bands = [
        Band(name, low, lowers[i + 1] if i + 1 < len(lowers) else None)
        for i, (name, low) in enumerate(zip(names, lowers, strict=True))
    ]
    return tuple(draw(st.permutations(bands)))


@st.composite
def schemes(
    draw: st.DrawFn,
    *,
    normalised: bool | None = None,
    leaf_rounding: bool | None = None,
    metadata: bool = True,
) -> Scheme:
    """A valid scheme: 1–4 fields, trees of 1–3 levels, every rule kind.

    ``normalised`` and ``leaf_rounding`` force normalisation or a
    ``rounding.leaf`` on or off (drawn when ``None``); ``metadata`` adds a
    source, revision, stated total and description.
    """
    if normalised is None:
        normalised = draw(st.booleans())
    steps = draw(st.sampled_from((STEPS[:1], STEPS[:2], STEPS)))
    fields = [draw(_node(str(i + 1), 1, steps, normalised)) for i in range(draw(st.integers(1, 4)))]
    leaf_decimals = max(decimals_of(n.max) for f in fields for n in f.walk() if n.is_leaf)
    scale_step = draw(st.sampled_from(STEPS))
    scale = draw(
        _multiples(scale_step, 1, int(200 / scale_step))
        | st.sampled_from((Decimal(10), Decimal(100), Decimal("100.0"), Decimal(1000)))
    )
    # Rounding keeps at least the decimals the numbers it rounds are made of.
    if leaf_rounding is None:
        leaf_rounding = draw(st.booleans())
    leaf_places = draw(st.integers(leaf_decimals, 6)) if leaf_rounding else None
    if normalised:
        normalised_places = draw(st.integers(decimals_of(scale), 6))
    else:
        normalised_places = draw(st.none() | st.integers(0, 6))
    total = sum((f.max for f in fields), Decimal(0))
    extra: dict[str, object] = {}
    if metadata:
        extra = {
            "source": draw(
                st.none()
                | st.builds(
                    Source,
                    document=texts(),
                    issuer=st.none() | texts(),
                    date=st.none() | st.just("2022-11-18"),
                    title=st.none() | texts(),
                    stated_total=st.none() | st.sampled_from((Decimal(100), total)),
                    notes=st.none() | texts(max_size=60),
                )
            ),
            "revision": draw(st.integers(0, 5)),
            "total": draw(st.sampled_from((None, total))),
            "description": draw(st.none() | texts(max_size=60)),
        }
    issuer = draw(_SLUG)
    level = draw(st.sampled_from(("commune", "district", "department", "province")))
    year = draw(st.integers(2015, 2030))
    return Scheme(
        id=f"vn.{issuer}.{level}.{year}",
        title=draw(texts()),
        issuer=draw(texts()),
        level=level,
        year=year,
        fields=tuple(fields),
        bands=draw(_bands(scale if normalised else total)),
        ranking=Ranking(draw(st.sampled_from(RankMethod))),
        rounding=Rounding(leaf=leaf_places, normalised=normalised_places),
        normalisation=Normalisation(scale) if normalised else None,
        **extra,  # type: ignore[arg-type]
    )


# --- assessments --------------------------------------------------------------


def _as_given(value: Decimal) -> st.SearchStrategy[object]:
    """A number the way a unit might give it: Decimal, int, "4,5" or "4.5"."""
    text = f"{value:f}"
    options: list[object] = [value, text, text.replace(".", ",")]
    if value == value.to_integral_value():
        options.append(int(value))
    return st.sampled_from(options)


@st.composite
def value_for(draw: st.DrawFn, node: Node) -> object:
    """A raw value the rule of leaf ``node`` accepts."""
    rule, max_points = node.rule, node.max
    if isinstance(rule, Entered):
        if rule.step is None:
            value = draw(st.decimals(min_value=0, max_value=max_points, places=2))
        else:
            value = draw(_multiples(rule.step, 0, int(max_points / rule.step)))
        return draw(_as_given(value))
    if isinstance(rule, PassFail):
        return draw(st.sampled_from((True, False, "đạt", "không đạt", "Đạt")))
    if isinstance(rule, Ratio):
        options = [st.decimals(min_value=0, max_value=1, places=4), st.sampled_from((Decimal(0), Decimal(1)))]
        if rule.threshold is not None:
            options.append(st.just(rule.threshold))
        return draw(st.one_of(options).flatmap(_as_given))
    if isinstance(rule, Tiers):
        lowest = min(t.at_least for t in rule.tiers)
        exact = st.sampled_from([t.at_least for t in rule.tiers])
        return draw((exact | st.decimals(min_value=lowest, max_value=120, places=2)).flatmap(_as_given))
    if isinstance(rule, (Deduction, Bonus)):
        return draw(st.integers(0, 12).flatmap(lambda n: st.sampled_from((n, str(n), Decimal(n)))))
    assert isinstance(rule, Survey), rule
    return draw(st.decimals(min_value=0, max_value=100, places=2).flatmap(_as_given))


_COMMUNES = (
    "UBND xã Nâm Nung",
    "UBND xã Nam Đà",
    "UBND xã Đắk Sôr",
    "UBND xã Buôn Choáh",
    "UBND thị trấn Đắk Mâm",
    "UBND xã Quảng Phú",
    "UBND xã Tân Thành",
    "UBND xã Đức Xuyên",
)


@st.composite
def _unit(draw: st.DrawFn, index: int) -> Unit:
    name = draw(st.sampled_from(_COMMUNES) | texts(with_del=False))
    # Ids sort in any order relative to the drawing order; ids and names
    # arrive NFC or NFD, and Unit normalises them.
    unit_id = draw(st.sampled_from(("u", "xa-", "tt-", "Đắk-"))) + str(index)
    form = draw(st.sampled_from(("NFC", "NFD")))
    return Unit(unicodedata.normalize(form, unit_id), unicodedata.normalize(form, name))


@st.composite
def assessments_for(
    draw: st.DrawFn, scheme: Scheme, *, min_units: int = 1, max_units: int = 6
) -> Assessments:
    """Assessments every value of which ``scheme`` accepts, with tied units.

    Each unit gives an appraised value for every leaf, sometimes not
    applicable where the leaf has a policy (never dropping every leaf), and
    sometimes self-assessed values and evidence.  Some units copy another's
    values, so their totals tie.
    """
    leaves = list(scheme.leaves())
    count = draw(st.integers(min_units, max_units))
    rows: list[dict[str, object]] = []
    for _ in range(count):
        copy_of = draw(st.none() | st.integers(0, len(rows) - 1)) if rows else None
        if copy_of is not None and draw(st.booleans()):
            rows.append(dict(rows[copy_of]))
            continue
        row: dict[str, object] = {}
        for leaf in leaves:
            if leaf.not_applicable is not None and draw(st.integers(0, 5)) == 0:
                row[leaf.code] = draw(st.sampled_from((NOT_APPLICABLE, "n/a", "không phát sinh")))
            else:
                row[leaf.code] = draw(value_for(leaf))
        dropped = [
            c
            for c, v in row.items()
            if _is_na(v) and scheme.node(c).not_applicable is NotApplicablePolicy.DROP
        ]
        if len(dropped) == len(leaves):
            row[leaves[0].code] = draw(value_for(leaves[0]))
        rows.append(row)
    items = []
    for i, row in enumerate(rows):
        self_assessed = {c: v for c, v in row.items() if draw(st.integers(0, 3)) == 0}
        evidence = {
            c: draw(st.text(_ALPHABET_NO_DEL, max_size=30)) for c in row if draw(st.integers(0, 5)) == 0
        }
        observations = [
            Observation(code, row[code], self_assessed.get(code), evidence.get(code)) for code in row
        ]
        items.append(Assessment(draw(_unit(i)), tuple(draw(st.permutations(observations)))))
    return Assessments(scheme.id, tuple(items))


def _is_na(value: object) -> bool:
    return value is NOT_APPLICABLE or (
        isinstance(value, str) and value.casefold() in {"n/a", "không phát sinh"}
    )


#: Values that are wrong, or right only for some rules, or right in an unusual
#: form: what a leaf's column may hold besides what its rule plainly takes.
_ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.just(NOT_APPLICABLE),
    st.sampled_from(
        (
            Decimal("1.0"), Decimal("1"), Decimal("1E+1"), Decimal("-0"), Decimal("-1"), Decimal("0.00"),
            Decimal("100"), Decimal("100.01"), Decimal("1.5"), Decimal("2.50"), Decimal("1E-9"),
            "đạt", "không đạt", "Đạt", "chưa có", "4,5",
        )
    ),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-5, max_value=150),
)


@st.composite
def spoiled_cases(draw: st.DrawFn) -> tuple[Scheme, Assessments]:
    """A valid scheme and assessments some values of which are odd (see ``_ODD_VALUES``).

    Every unit still observes exactly the scheme's leaves, so each is scored
    by the evaluator's leaf-at-a-time path before any reference check.
    """
    scheme, assessments = draw(cases())
    items = []
    for item in assessments.items:
        observations = list(item.observations)
        for position in draw(st.lists(st.integers(0, len(observations) - 1), max_size=3)):
            observation = observations[position]
            top = scheme.node(observation.code).max
            near_the_bounds = st.sampled_from(
                (top, top + Decimal("0.01"), top + 1, top * 2, -top, Decimal("-0.01"), Decimal("1.01"))
            )
            value = draw(_ODD_VALUES | near_the_bounds)
            if value is None and observation.self_assessed is None and observation.evidence is None:
                value = NOT_APPLICABLE  # an observation with nothing at all is refused
            observations[position] = attrs.evolve(observation, appraised=value)
        items.append(Assessment(item.unit, tuple(observations)))
    return scheme, Assessments(assessments.scheme_id, tuple(items))


@st.composite
def cases(draw: st.DrawFn, *, leaf_rounding: bool | None = None) -> tuple[Scheme, Assessments]:
    """A valid scheme and assessments that fit it."""
    scheme = draw(schemes(leaf_rounding=leaf_rounding, metadata=False))
    return scheme, draw(assessments_for(scheme))


def _rounds_up(value: Decimal, places: int) -> bool:
    return round_half_up(value, places) > value


#: The parts of a scheme that parscore may refuse, to be put together by the test.
CoarseCase = tuple[Scheme, Rounding, Node, Assessments]


@st.composite
def coarse_leaf_rounding_cases(draw: st.DrawFn) -> CoarseCase:
    """A scheme, a leaf and a ``rounding.leaf`` that keeps fewer decimals than the leaf's maximum.

    The parts are any scheme from ``schemes()``, a rounding with a coarser
    ``leaf``, and one more field: a pass/fail leaf whose maximum rounds up at
    that many decimals (0.75 at 1 decimal, say).  The assessments fit the
    scheme with that field, and every unit passes it.
    """
    base = draw(schemes(metadata=False))
    places = draw(st.integers(0, 2))
    max_points = draw(_multiples(Decimal("0.05"), 1, 400).filter(lambda m: _rounds_up(m, places)))
    leaf = Node(str(len(base.fields) + 1), "Tiêu chí đạt / không đạt", max_points, rule=PassFail())
    assessments = draw(assessments_for(base))
    items = tuple(
        Assessment(a.unit, (*a.observations, Observation(leaf.code, draw(st.sampled_from((True, "đạt"))))))
        for a in assessments
    )
    rounding = attrs.evolve(base.rounding, leaf=places)
    return base, rounding, leaf, Assessments(base.id, items)


@st.composite
def coarse_normalised_rounding_cases(draw: st.DrawFn) -> tuple[dict[str, object], Assessments]:
    """The arguments of a normalised ``Scheme`` whose scale rounds up at ``rounding.normalised``.

    99.75 at 0 decimals, say.  Its leaves are pass/fail and every unit passes
    them all, so the raw total is the maximum and the exact normalised total
    is the scale.
    """
    places = draw(st.integers(0, 2))
    scale = draw(_multiples(Decimal("0.05"), 1, 4000).filter(lambda s: _rounds_up(s, places)))
    maxima = draw(st.lists(_multiples(QUARTER, 1, 80), min_size=1, max_size=4))
    fields = tuple(Node(str(i + 1), f"Lĩnh vực {i + 1}", m, rule=PassFail()) for i, m in enumerate(maxima))
    arguments: dict[str, object] = {
        "id": "vn.coarse.commune.2022",
        "title": "Chỉ số CCHC",
        "issuer": "UBND huyện",
        "level": "commune",
        "year": 2022,
        "fields": fields,
        "bands": draw(_bands(scale)),
        "normalisation": Normalisation(scale),
        "rounding": Rounding(normalised=places),
        "ranking": Ranking(draw(st.sampled_from(RankMethod))),
    }
    units = draw(st.integers(1, 3))
    items = tuple(
        Assessment.of(f"u{i}", f"UBND xã {i}", appraised={f.code: True for f in fields}) for i in range(units)
    )
    return arguments, Assessments("vn.coarse.commune.2022", items)


# --- assessments for the TOML round trip ----------------------------------------


_RAW_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.just(NOT_APPLICABLE),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-1000, max_value=1000),
    st.integers(-1000, 1000),
    st.sampled_from(("đạt", "không đạt", "4,5", " 17.5 ", "kps", "Không phát sinh", "chưa có")),
    texts(max_size=12, with_del=False),
)


@st.composite
def free_assessments(draw: st.DrawFn) -> Assessments:
    """Assessments of any shape, not tied to a scheme: what the TOML format must carry.

    Every unit has a non-blank name and every observation at least one part
    (see the xfail tests for the cases outside that).
    """
    scheme_id = draw(st.none() | _SLUG.map(lambda s: f"vn.{s}.commune.2022"))
    ids = draw(
        st.lists(
            texts(max_size=12, with_del=False).map(lambda s: unicodedata.normalize("NFC", s).strip()),
            max_size=4,
            unique=True,
        ).filter(lambda xs: all(xs))
    )
    items = []
    for unit_id in ids:
        unit_codes = draw(st.lists(codes, max_size=5, unique=True))
        observations = []
        for code in unit_codes:
            appraised, self_assessed = draw(_RAW_VALUES), draw(_RAW_VALUES)
            evidence = draw(st.none() | st.text(_ALPHABET_NO_DEL, max_size=30))
            if appraised is None and self_assessed is None and evidence is None:
                appraised = NOT_APPLICABLE
            observations.append(Observation(code, appraised, self_assessed, evidence))
        items.append(Assessment(Unit(unit_id, draw(texts(with_del=False))), tuple(observations)))
    return Assessments(scheme_id, tuple(items))


# --- explicit examples -------------------------------------------------------------


def one_leaf_scheme(max_points: Decimal, **arguments: object) -> dict[str, object]:
    """The arguments of the smallest ``Scheme``: one pass/fail field of ``max_points``, one band."""
    return {
        "id": "vn.example.commune.2022",
        "title": "Chỉ số CCHC",
        "issuer": "UBND huyện",
        "level": "commune",
        "year": 2022,
        "fields": (Node("1", "Lĩnh vực 1", max_points, rule=PassFail()),),
        "bands": (Band("Tốt", Decimal(0)),),
        **arguments,
    }


def passing(fields: Sequence[Node], scheme_id: str = "vn.example.commune.2022") -> Assessments:
    """One unit that passes every (pass/fail) leaf of ``fields``."""
    leaves = [n for f in fields for n in f.walk() if n.is_leaf]
    unit = Assessment.of("u1", "UBND xã Nâm Nung", appraised={leaf.code: True for leaf in leaves})
    return Assessments(scheme_id, (unit,))
