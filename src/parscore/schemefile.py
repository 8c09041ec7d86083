"""Schemes as TOML: strict loading into ``Scheme`` and faithful writing back.

Loading reads the whole document before judging it, so one ``SchemeError``
lists every problem (unknown keys, wrong types, duplicate codes, maxima that
do not add up, bands with gaps or overlaps), each with the file, line, key
path and tree path.  See ``docs/reference/scheme-format.md`` for the format.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from . import _toml
from .errors import PluginError, Problem, SchemeError
from .model import (
    CHILD_KEYS,
    Band,
    Node,
    Normalisation,
    NotApplicablePolicy,
    Ranking,
    Rounding,
    Scheme,
    Source,
    default_rule,
    level_name,
    scheme_problems,
    tree_path,
)
from .numbers import format_decimal, trim
from .rules import BUILTIN_RULES, Rule

__all__ = ["dumps_scheme", "load_scheme", "loads_scheme", "scheme_hash"]


@attrs.frozen
class _Header:
    id: str
    title: str
    issuer: str
    level: str
    year: int
    format: int
    revision: int = 0
    total: Decimal | None = None
    description: str | None = None


@attrs.frozen
class _NodeHead:
    code: str
    title: str
    max: Decimal
    rule: dict[str, Any] | None = None
    not_applicable: NotApplicablePolicy | None = None
    note: str | None = None


_HEADER_KEYS = {a.name for a in attrs.fields(_Header)}
_NODE_KEYS = {a.name for a in attrs.fields(_NodeHead)}
_TOP_KEYS = _HEADER_KEYS | {
    "source", "ranking", "rounding", "normalisation", "bands", "fields",
}
#: Stand-ins for header values that could not be read, so that the rest of
#: the scheme is still checked; problems about these keys are not reported twice.
_PLACEHOLDERS: dict[str, Any] = {
    "id": "placeholder.scheme", "title": "-", "issuer": "-", "level": "-", "year": 0, "format": 1,
}
#: Band attributes by their TOML keys.
_BAND_KEYS = {"lower": "from", "upper": "to"}


def _converter() -> cattrs.Converter:
    converter = _toml.make_converter()
    converter.register_structure_hook(
        Band,
        make_dict_structure_fn(
            Band, converter, _cattrs_forbid_extra_keys=True,
            lower=override(rename="from"), upper=override(rename="to"),
        ),
    )
    return converter


def _structure_rule(
    converter: cattrs.Converter, raw: Mapping[str, Any], rules: Mapping[str, type[Rule]],
    key: str, found: list[Problem],
) -> Rule | None:
    params = dict(raw)
    kind = params.pop("kind", None)
    if kind is None:
        found.append(Problem("a rule needs a 'kind'", key=key))
        return None
    if not isinstance(kind, str) or kind not in rules:
        known = ", ".join(sorted(rules))
        found.append(Problem(
            f"unknown rule kind {kind!r}; known kinds: {known} (a rule plug-in's kind is known"
            " once its distribution is installed)", key=f"{key}.kind",
        ))
        return None
    try:
        cls = rules[kind]
    except PluginError as exc:
        found.append(Problem(str(exc), key=f"{key}.kind"))
        return None
    return _toml.structure(converter, params, cls, key, found)


def _structure_node(
    converter: cattrs.Converter, raw: dict[str, Any], depth: int, key: str,
    rules: Mapping[str, type[Rule]], found: list[Problem], broken: set[str], ruleless: set[str],
) -> Node | None:
    raw = dict(raw)
    child_key = CHILD_KEYS[depth - 1] if depth <= len(CHILD_KEYS) else None
    children: list[Node] = []
    complete = True
    if child_key and child_key in raw:
        items, complete = _tables(raw.pop(child_key), f"{key}.{child_key}", found)
        for i, item in items:
            child = _structure_node(
                converter, item, depth + 1, f"{key}.{child_key}[{i}]", rules, found, broken, ruleless
            )
            if child is None:
                complete = False
            else:
                children.append(child)
    local: list[Problem] = []
    for name in sorted(set(raw) - _NODE_KEYS, key=str):
        raw.pop(name)
        if name in CHILD_KEYS and child_key is None:
            message = (f"a {level_name(depth)} cannot have {name}: schemes have at most"
                       f" {len(CHILD_KEYS) + 1} levels (field › criterion › sub-criterion)")
        else:
            message = f"unknown key {name!r}"
        local.append(Problem(message, key=f"{key}.{name}"))
    bad_rule = "rule" in raw and not isinstance(raw["rule"], dict)
    if bad_rule:
        shown = _toml._describe(raw.pop("rule"))
        local.append(Problem(f'a rule is a table such as {{ kind = "pass_fail" }}, got {shown}',
                             key=f"{key}.rule"))
    head = _toml.structure(converter, raw, _NodeHead, key, local)
    rule: Rule | None = None
    if head is not None and head.rule is not None:
        rule = _structure_rule(converter, head.rule, rules, f"{key}.rule", local)
    elif head is not None and not children and complete and not bad_rule:
        rule = default_rule()
    code = raw.get("code") if isinstance(raw.get("code"), str) else None
    for problem in local:
        found.append(attrs.evolve(problem, node=tree_path(code) if code else None))
    if head is None:
        return None
    node = Node(head.code, head.title, head.max, rule, head.not_applicable, tuple(children), head.note)
    if not complete:
        broken.add(node.code)
    if bad_rule or (head.rule is not None and rule is None):
        ruleless.add(node.code)
    return node


def loads_scheme(
    text: str, *, file: str | None = None, rules: Mapping[str, type[Rule]] = BUILTIN_RULES
) -> Scheme:
    """Load a scheme from TOML text; ``file`` names it in error messages.

    ``rules`` maps each rule ``kind`` a scheme may use to its class.
    """
    data, found = _toml.parse(text, file)
    if data is None:
        raise SchemeError(found, source=file)
    converter = _converter()
    for name in sorted(set(data) - _TOP_KEYS):
        found.append(Problem(f"unknown key {name!r}", key=name))
    header_raw = {k: v for k, v in data.items() if k in _HEADER_KEYS}
    header_problems: list[Problem] = []
    header = _toml.structure(converter, header_raw, _Header, "", header_problems)
    found.extend(header_problems)
    # Keys already reported are replaced by stand-ins, so that the rest is still checked.
    unread = {p.key.split(".")[0].split("[")[0] for p in header_problems if p.key}
    stand_in = header
    if stand_in is None:
        readable = {k: v for k, v in header_raw.items() if k not in unread}
        stand_in = _toml.structure(converter, {**_PLACEHOLDERS, **readable}, _Header, "", [])
        if stand_in is None:  # pragma: no cover - every unread key was replaced
            unread = set(_HEADER_KEYS)
            stand_in = _Header(**_PLACEHOLDERS)
    parts: dict[str, Any] = {}
    for name, cls in (("source", Source), ("ranking", Ranking), ("rounding", Rounding),
                      ("normalisation", Normalisation)):
        if name in data:
            raw = _toml.table(data[name], name, found)
            parts[name] = None if raw is None else _toml.structure(converter, raw, cls, name, found)
            if parts[name] is None:
                unread.add(name)
    bands = []
    band_tables, bands_complete = _tables(data.get("bands", []), "bands", found)
    for i, raw in band_tables:
        band_problems: list[Problem] = []
        band = _toml.structure(converter, raw, Band, f"bands[{i}]", band_problems)
        found.extend(_band_key(p) for p in band_problems)
        if band is None:
            bands_complete = False
        else:
            bands.append(band)
    fields = []
    broken: set[str] = set()
    ruleless: set[str] = set()
    fields_raw = data.get("fields")
    if fields_raw is None:
        found.append(Problem("a scheme needs [[fields]]", key="fields"))
    field_tables, complete = _tables([] if fields_raw is None else fields_raw, "fields", found)
    if fields_raw is None:
        complete = False
    for i, raw in field_tables:
        node = _structure_node(converter, raw, 1, f"fields[{i}]", rules, found, broken, ruleless)
        if node is None:
            complete = False
        else:
            fields.append(node)
    kwargs: dict[str, Any] = {k: v for k, v in parts.items() if v is not None}
    if "normalisation" in unread:
        # Its scale is unknown: any stand-in keeps the checks that depend on it quiet.
        kwargs["normalisation"] = Normalisation(Decimal(1))
    candidate = _unchecked(Scheme, **attrs.asdict(stand_in, recurse=False), fields=tuple(fields),
                           bands=tuple(bands), **kwargs)
    reliable_total = complete and all(f.max > 0 for f in fields)
    normalisation = kwargs.get("normalisation")
    reliable_scale = reliable_total if normalisation is None else normalisation.scale > 0
    for problem in scheme_problems(candidate):
        if _is_consequence(problem, broken, ruleless, reliable_total, reliable_scale, bands_complete, unread):
            continue
        found.append(problem)
    if found:
        raise SchemeError(_sorted(_toml.locate(found, text, file)), source=file)
    assert header is not None
    return Scheme(**attrs.asdict(header, recurse=False), fields=tuple(fields), bands=tuple(bands),
                  **{k: v for k, v in parts.items() if v is not None})


def _unchecked(cls: type[Scheme], **kwargs: Any) -> Scheme:
    """Build a Scheme without its self-check, to collect problems alongside others."""
    obj = object.__new__(cls)
    for a in attrs.fields(cls):
        value = kwargs.get(a.name, a.default)
        object.__setattr__(obj, a.name, value)
    return obj


def _tables(raw: object, key: str, found: list[Problem]) -> tuple[list[tuple[int, dict[str, Any]]], bool]:
    """The tables of an array of tables with their indices, and whether every item was one.

    Items that are not tables are reported once, here, and left out, so
    that they do not also show up as tables missing every required key.
    """
    tables = _toml.array_of_tables(raw, key, found)
    if not isinstance(raw, list):
        return [], False
    real = [(i, t) for i, t in enumerate(tables) if t is raw[i]]
    return real, len(real) == len(raw)


def _band_key(problem: Problem) -> Problem:
    """Name a band's attributes by their TOML keys (``from``, ``to``)."""
    if problem.key is None:
        return problem
    head, _, last = problem.key.rpartition(".")
    if head and last in _BAND_KEYS:
        return attrs.evolve(problem, key=f"{head}.{_BAND_KEYS[last]}")
    return problem


def _is_consequence(
    problem: Problem, broken: set[str], ruleless: set[str], reliable_total: bool,
    reliable_scale: bool, bands_complete: bool, unread: set[str],
) -> bool:
    """Drop semantic problems that only follow from an entry already reported.

    ``reliable_total`` is false when a field could not be read or has an
    invalid maximum, so the scheme's total is not known; ``reliable_scale``
    likewise for the scale bands are checked against; ``unread`` holds the
    top-level keys already reported as unreadable.
    """
    key = problem.key or ""
    top = key.split(".")[0].split("[")[0]
    node_code = problem.node.rsplit(" ", 1)[-1] if problem.node else None
    if top in unread and top not in ("bands", "fields"):
        return True
    if problem.message == "a leaf needs a scoring rule":
        return node_code in ruleless or node_code in broken
    if top == "bands" and not bands_complete:
        return True
    if top == "bands" and "above the scale" in problem.message:
        return not reliable_scale or "normalisation" in unread
    if key == "total" and not reliable_total:
        return True
    if key == "fields" and problem.message == "a scheme needs at least one field":
        return not reliable_total
    if key == "normalisation" and "normalisation" in unread:
        return True
    if key.endswith(".max") and "children's maxima" in problem.message:
        return node_code in broken
    return False


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0, p.key or ""))


def load_scheme(path: str | Path, *, rules: Mapping[str, type[Rule]] = BUILTIN_RULES) -> Scheme:
    """Load a scheme TOML file; every problem is reported with its line."""
    file = str(path)
    try:
        text = _toml.read_text(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise SchemeError([Problem(f"cannot read the scheme: {exc}", file=file)], source=file) from exc
    return loads_scheme(text, file=file, rules=rules)


# --- writing ---------------------------------------------------------------


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml.toml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _toml_key(key: str) -> str:
    return key if key.replace("_", "a").replace("-", "a").isalnum() and key.isascii() else _toml.toml_string(key)


def _rule_table(rule: Rule) -> dict[str, Any]:
    table: dict[str, Any] = {"kind": rule.kind}
    for a in attrs.fields(cast(Any, type(rule))):
        value = getattr(rule, a.name)
        if value is None:
            continue
        if a.name == "tiers":
            value = [{"at_least": t.at_least, "points": t.points} for t in value]
        elif a.default is not attrs.NOTHING and value == a.default:
            continue
        table[a.name] = value
    return table


def _write_node(node: Node, prefix: str, depth: int, out: list[str]) -> None:
    out.append(f"\n[[{prefix}]]")
    out.append(f"code = {_toml_value(node.code)}")
    out.append(f"title = {_toml_value(node.title)}")
    out.append(f"max = {_toml_value(node.max)}")
    if node.is_leaf and node.rule is not None:
        out.append(f"rule = {_toml_value(_rule_table(node.rule))}")
    if node.not_applicable is not None:
        out.append(f"not_applicable = {_toml_value(node.not_applicable.value)}")
    if node.note is not None:
        out.append(f"note = {_toml_value(node.note)}")
    if node.children:
        child_prefix = f"{prefix}.{CHILD_KEYS[depth - 1]}"
        for child in node.children:
            _write_node(child, child_prefix, depth + 1, out)


def _write_table(name: str, obj: object, out: list[str]) -> None:
    items = [(a.name, getattr(obj, a.name)) for a in attrs.fields(type(obj))]  # type: ignore[arg-type]
    out.append(f"\n[{name}]")
    for key, value in items:
        if value is None:
            continue
        if hasattr(value, "value") and not isinstance(value, (Decimal, int, str)):
            value = value.value
        out.append(f"{key} = {_toml_value(value)}")


def dumps_scheme(scheme: Scheme) -> str:
    """Write ``scheme`` as TOML that ``loads_scheme`` reads back to an equal scheme."""
    out = [f"format = {scheme.format}"]
    for name in ("id", "title", "issuer", "level", "year", "revision", "total", "description"):
        value = getattr(scheme, name)
        if value is not None:
            out.append(f"{name} = {_toml_value(value)}")
    if scheme.source is not None:
        _write_table("source", scheme.source, out)
    _write_table("ranking", scheme.ranking, out)
    _write_table("rounding", scheme.rounding, out)
    if scheme.normalisation is not None:
        _write_table("normalisation", scheme.normalisation, out)
    for band in scheme.bands:
        out.append("\n[[bands]]")
        out.append(f"name = {_toml_value(band.name)}")
        out.append(f"from = {_toml_value(band.lower)}")
        if band.upper is not None:
            out.append(f"to = {_toml_value(band.upper)}")
    for field in scheme.fields:
        _write_node(field, "fields", 1, out)
    return "\n".join(out) + "\n"


def _canonical(value: object) -> object:
    # Numbers become text, so that 10 and 10.0 (equal maxima) hash alike.
    if isinstance(value, Decimal):
        return format_decimal(trim(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


def scheme_hash(scheme: Scheme) -> str:
    """A SHA-256 of the scheme's content, independent of TOML layout.

    Two schemes that are equal have the same hash; any change to a code,
    maximum, rule, band or policy changes it.
    """
    data = _toml.parse(dumps_scheme(scheme), None)[0]
    text = json.dumps(_canonical(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()

