"""Scheme and rule plug-ins, with a faked set of installed entry points.

As in pluggy's own tests, entry points are plain stand-ins with the
attributes the code reads (``name``, ``value``, ``dist.metadata``,
``load()``), handed to the functions through ``entry_points=``; the scheme
packages they name are real folders on a temporary ``sys.path`` entry.
"""

from __future__ import annotations

import importlib
import itertools
import sys
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

from parscore import (
    InstalledScheme,
    PluginError,
    SchemeError,
    SchemeNotFoundError,
    available_schemes,
    evaluate,
    get_scheme,
    get_scheme_package,
    installed_rules,
)
from parscore.plugins import DISABLE_AUTOLOAD, RULES_GROUP, SCHEMES_GROUP
from parscore.rules import BUILTIN_RULES

BUILT_IN = (
    "vn.binh-dinh.district.2021",
    "vn.dak-nong.district.2023",
    "vn.dak-nong.krong-no.commune.2022",
    "vn.dong-thap.district.2021",
    "vn.son-la.phu-yen.commune.2022",
)


class FakeDist:
    def __init__(self, name: str) -> None:
        self.metadata = {"Name": name}


class FakeEntryPoint:
    def __init__(
        self, name: str, value: str, dist: str | None = "vendor", load: Callable[[], object] | None = None
    ) -> None:
        self.name = name
        self.value = value
        self.dist = FakeDist(dist) if dist is not None else None
        self._load = load
        self.loaded = 0

    def load(self) -> object:
        self.loaded += 1
        if self._load is None:
            raise AssertionError("scheme entry points are never loaded as objects")
        return self._load()


def installed(
    schemes: Iterable[FakeEntryPoint] = (), rules: Iterable[FakeEntryPoint] = ()
) -> Callable[..., Iterable[Any]]:
    groups = {SCHEMES_GROUP: list(schemes), RULES_GROUP: list(rules)}

    def entry_points(*, group: str) -> list[FakeEntryPoint]:
        return groups[group]

    return entry_points


SCHEME = """\
format = {format}
id = "{id}"
title = "Plug-in scheme"
issuer = "Vendor"
level = "commune"
year = 2024
revision = 2

[[bands]]
name = "A"
from = 0

[[fields]]
code = "1"
title = "One"
max = {max}
rule = {{ kind = "{kind}" }}
"""

_counter = itertools.count()


@pytest.fixture
def make_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., str]]:
    """Write an importable scheme package; returns its module name."""

    def make(
        scheme_id: str, *, format: int = 1, max: str = "10", kind: str = "entered",
        init: str = "", examples: dict[str, dict[str, str]] | None = None, scheme: bool = True,
    ) -> str:
        name = f"fake_parscore_plugin_{next(_counter)}"
        root = tmp_path / name
        root.mkdir()
        (root / "__init__.py").write_text(init, encoding="utf-8")
        if scheme:
            text = SCHEME.format(format=format, id=scheme_id, max=max, kind=kind)
            (root / "scheme.toml").write_text(text, encoding="utf-8")
        for example, files in (examples or {}).items():
            folder = root / "examples" / example
            folder.mkdir(parents=True)
            for file, text in files.items():
                (folder / file).write_text(text, encoding="utf-8")
        importlib.invalidate_caches()
        return name

    monkeypatch.syspath_prepend(str(tmp_path))
    yield make
    for name in [m for m in sys.modules if m.startswith("fake_parscore_plugin_")]:
        del sys.modules[name]


def test_listing_reads_headers_without_importing_any_plugin(make_package: Callable[..., str]) -> None:
    name = make_package("vn.a.commune.2024", init="raise RuntimeError('imported while listing')")
    listed = available_schemes(installed([FakeEntryPoint("vn.a.commune.2024", name, "vendor-a")]))
    assert listed == (
        InstalledScheme(
            "vn.a.commune.2024", "vendor-a", name, title="Plug-in scheme", issuer="Vendor",
            level="commune", year=2024, revision=2,
        ),
    )
    assert name not in sys.modules


def test_the_same_entry_point_seen_twice_is_listed_once(make_package: Callable[..., str]) -> None:
    name = make_package("vn.a.commune.2024")
    ep = FakeEntryPoint("vn.a.commune.2024", name)
    assert len(available_schemes(installed([ep, ep]))) == 1


def test_two_distributions_claiming_one_id_are_both_named(make_package: Callable[..., str]) -> None:
    one, two = make_package("vn.a.commune.2024"), make_package("vn.a.commune.2024")
    eps = installed([
        FakeEntryPoint("vn.a.commune.2024", one, "vendor-one"),
        FakeEntryPoint("vn.a.commune.2024", two, "vendor-two"),
    ])
    message = (
        f"scheme id 'vn.a.commune.2024' is claimed by two plug-ins: vendor-one ({one}) and vendor-two ({two})"
    )
    assert [s.error for s in available_schemes(eps)] == [message, message]
    with pytest.raises(PluginError, match=r"vendor-one .* and vendor-two"):
        get_scheme("vn.a.commune.2024", eps)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("vendor:scheme", "entry point 'vn.a.commune.2024' must name a package"),
        ("no_such_package_for_parscore", "package 'no_such_package_for_parscore' is not installed"),
    ],
)
def test_an_entry_point_that_names_no_package_is_broken(value: str, expected: str) -> None:
    eps = installed([FakeEntryPoint("vn.a.commune.2024", value)])
    (item,) = available_schemes(eps)
    assert item.broken
    assert item.error is not None and item.error.startswith(expected)
    with pytest.raises(PluginError, match="cannot be used: " + expected):
        get_scheme("vn.a.commune.2024", eps)


def test_a_package_without_scheme_toml_is_broken(make_package: Callable[..., str]) -> None:
    name = make_package("vn.a.commune.2024", scheme=False)
    (item,) = available_schemes(installed([FakeEntryPoint("vn.a.commune.2024", name)]))
    assert item.error == f"package '{name}' has no scheme.toml"


def test_a_scheme_for_another_format_is_broken_with_a_clear_error(make_package: Callable[..., str]) -> None:
    name = make_package("vn.a.commune.2024", format=2)
    eps = installed([FakeEntryPoint("vn.a.commune.2024", name)])
    (item,) = available_schemes(eps)
    assert item.error == "written for scheme format 2; this parscore reads format 1"
    with pytest.raises(PluginError, match="format 2; this parscore reads format 1"):
        get_scheme("vn.a.commune.2024", eps)


def test_an_entry_point_named_unlike_its_scheme_is_broken(make_package: Callable[..., str]) -> None:
    name = make_package("vn.other.commune.2024")
    (item,) = available_schemes(installed([FakeEntryPoint("vn.a.commune.2024", name)]))
    assert item.error == "the entry point is named 'vn.a.commune.2024' but the scheme's id is 'vn.other.commune.2024'"


def test_a_broken_plugin_does_not_stop_the_others(make_package: Callable[..., str]) -> None:
    good = make_package("vn.good.commune.2024")
    invalid = make_package("vn.invalid.commune.2024", max="-1")
    crashing = make_package("vn.crash.commune.2024", init="raise ImportError('missing dependency')")
    eps = installed([
        FakeEntryPoint("vn.good.commune.2024", good),
        FakeEntryPoint("vn.invalid.commune.2024", invalid),
        FakeEntryPoint("vn.crash.commune.2024", crashing, "vendor-crash"),
        FakeEntryPoint("vn.missing.commune.2024", "not_installed_anywhere"),
    ])
    listed = {s.id: s for s in available_schemes(eps)}
    assert sorted(listed) == [
        "vn.crash.commune.2024", "vn.good.commune.2024", "vn.invalid.commune.2024", "vn.missing.commune.2024",
    ]
    assert listed["vn.missing.commune.2024"].broken
    assert get_scheme("vn.good.commune.2024", eps).max_total == 10
    with pytest.raises(SchemeError, match=r"line 16: field 1 \(fields\[0\]\.max\): max must be above 0"):
        get_scheme("vn.invalid.commune.2024", eps)
    with pytest.raises(PluginError) as info:
        get_scheme("vn.crash.commune.2024", eps)
    assert str(info.value) == (
        f"plug-in vendor-crash failed to import '{crashing}' for scheme 'vn.crash.commune.2024':"
        " ImportError: missing dependency"
    )


def test_an_unknown_id_lists_the_installed_ones(make_package: Callable[..., str]) -> None:
    name = make_package("vn.a.commune.2024")
    with pytest.raises(SchemeNotFoundError) as info:
        get_scheme("vn.b.commune.2024", installed([FakeEntryPoint("vn.a.commune.2024", name)]))
    assert str(info.value) == "no installed scheme 'vn.b.commune.2024'; installed: vn.a.commune.2024"


def test_the_environment_variable_keeps_only_built_in_plugins(make_package: Callable[..., str]) -> None:
    name = make_package("vn.a.commune.2024")
    builtin = make_package("vn.own.commune.2024")
    eps = installed([
        FakeEntryPoint("vn.a.commune.2024", name, "vendor"),
        FakeEntryPoint("vn.own.commune.2024", builtin, "parscore"),
    ])
    off = {DISABLE_AUTOLOAD: "1"}
    assert [s.id for s in available_schemes(eps, off)] == ["vn.own.commune.2024"]
    assert [s.id for s in available_schemes(eps, {DISABLE_AUTOLOAD: "0"})] == [
        "vn.a.commune.2024", "vn.own.commune.2024",
    ]
    with pytest.raises(SchemeNotFoundError, match=f"{DISABLE_AUTOLOAD} is set"):
        get_scheme("vn.a.commune.2024", eps, off)


ASSESSMENTS = 'scheme = "vn.a.commune.2024"\n[[units]]\nid = "x"\nname = "X"\nappraised = { "1" = "7,5" }\n'
PUBLISHED = (
    'scheme = "vn.a.commune.2024"\nsource = "report"\ndecimals = 2\n[results]\nwhere = "table 1"\n'
    '[[results.rows]]\nunit = "X"\ntotal = "{total}"\n'
)
EXPECTED_ONE = (
    '[[discrepancies]]\nwhere = "table 1"\nsubject = "X"\npublished = "8"\ncomputed = "7.5"\n'
)


def test_examples_are_found_loaded_and_run(make_package: Callable[..., str]) -> None:
    name = make_package("vn.a.commune.2024", examples={
        "agrees": {"assessments.toml": ASSESSMENTS, "published.toml": PUBLISHED.format(total="7,5")},
        "known-error": {
            "assessments.toml": ASSESSMENTS, "published.toml": PUBLISHED.format(total="8"),
            "expected.toml": EXPECTED_ONE,
        },
        "unexpected-error": {"assessments.toml": ASSESSMENTS, "published.toml": PUBLISHED.format(total="9")},
        "not-an-example": {"notes.txt": "no assessments here"},
    })
    package = get_scheme_package("vn.a.commune.2024", installed([FakeEntryPoint("vn.a.commune.2024", name)]))
    assert package.examples == ("agrees", "known-error", "unexpected-error")
    example = package.load_example("known-error")
    assert [u.unit.id for u in example.assessments] == ["x"]
    outcomes = {o.example: o for o in package.run_examples()}
    assert outcomes["agrees"].passed
    assert outcomes["known-error"].passed
    assert not outcomes["unexpected-error"].passed
    assert outcomes["unexpected-error"].report() == (
        "unexpected-error: FAILED (1 units, 0 known discrepancies in the report)\n"
        "  unexpected discrepancy: table 1: X: published 9, computed 7.5"
    )
    with pytest.raises(PluginError, match="has no example 'nope'; examples: agrees, known-error"):
        package.load_example("nope")


def test_an_expected_discrepancy_that_is_no_longer_found_fails(make_package: Callable[..., str]) -> None:
    name = make_package("vn.a.commune.2024", examples={
        "fixed": {
            "assessments.toml": ASSESSMENTS, "published.toml": PUBLISHED.format(total="7,5"),
            "expected.toml": EXPECTED_ONE,
        },
    })
    package = get_scheme_package("vn.a.commune.2024", installed([FakeEntryPoint("vn.a.commune.2024", name)]))
    (outcome,) = package.run_examples()
    assert not outcome.passed
    assert "expected discrepancy not found: table 1: X: published 8, computed 7.5" in outcome.report()


# --- rule plug-ins --------------------------------------------------------------



@attrs.frozen
class Half:
    """A test rule: half the maximum when the input is true."""

    kind: ClassVar[str] = "half"
    takes: ClassVar[str] = "true or false"

    def parse(self, raw: object) -> bool:
        if not isinstance(raw, bool):
            raise ValueError(f"expected true or false, got {raw!r}")
        return raw

    def problems(self, max_points: Decimal) -> list[str]:
        return []

    def points(self, value: Decimal | bool, max_points: Decimal) -> Decimal:
        return max_points / 2 if value else Decimal(0)

    def explain(self, value: Decimal | bool, max_points: Decimal) -> str:
        return f"half of {max_points} → {self.points(value, max_points)}"


def test_a_rule_plugin_is_used_by_kind_and_loaded_only_when_needed(make_package: Callable[..., str]) -> None:
    name = make_package("vn.a.commune.2024", kind="half", examples={
        "one": {"assessments.toml": ASSESSMENTS.replace('"7,5"', "true")},
    })
    rule_ep = FakeEntryPoint("half", "vendor_rules:Half", "vendor-rules", lambda: Half)
    unused_ep = FakeEntryPoint("never", "vendor_rules:Never", "vendor-rules", lambda: 1 / 0)
    eps = installed([FakeEntryPoint("vn.a.commune.2024", name)], [rule_ep, unused_ep])
    package = get_scheme_package("vn.a.commune.2024", eps)
    scheme = package.load_scheme()
    assert rule_ep.loaded == 1 and unused_ep.loaded == 0
    result = evaluate(scheme, package.load_example("one").assessments)
    assert result.units[0].raw_total == 5
    assert result.units[0].node("1").explanation == "half of 10 → 5"


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([FakeEntryPoint("half", "vendor_rules:Half", "vendor-rules", lambda: 1 / 0)],
         "rule plug-in vendor-rules failed to load rule 'half' from vendor_rules:Half: ZeroDivisionError"),
        ([FakeEntryPoint("half", "vendor_rules:half", "vendor-rules", lambda: "not a class")],
         "must name an attrs class implementing parscore.Rule; it is not an attrs class"),
        ([FakeEntryPoint("half", "vendor_rules:Other", "vendor-rules", lambda: attrs.frozen(type("X", (), {})))],
         "it lacks parse, problems, points, explain"),
        ([FakeEntryPoint("half", "a:Half", "vendor-a", lambda: Half),
          FakeEntryPoint("half", "b:Half", "vendor-b", lambda: Half)],
         "rule kind 'half' is claimed by two plug-ins: vendor-a (a:Half) and vendor-b (b:Half)"),
    ],
)
def test_a_broken_rule_plugin_is_reported_where_the_scheme_uses_it(
    make_package: Callable[..., str], rules: list[FakeEntryPoint], message: str
) -> None:
    name = make_package("vn.a.commune.2024", kind="half")
    eps = installed([FakeEntryPoint("vn.a.commune.2024", name)], rules)
    with pytest.raises(SchemeError) as info:
        get_scheme("vn.a.commune.2024", eps)
    assert message in str(info.value)
    assert "(fields[0].rule.kind)" in str(info.value)


def test_a_rule_plugin_registered_under_another_kind_is_refused(make_package: Callable[..., str]) -> None:
    name = make_package("vn.a.commune.2024", kind="halves")
    eps = installed([FakeEntryPoint("vn.a.commune.2024", name)],
                    [FakeEntryPoint("halves", "vendor_rules:Half", "vendor-rules", lambda: Half)])
    with pytest.raises(SchemeError, match="registered as 'halves' but its kind is 'half'"):
        get_scheme("vn.a.commune.2024", eps)


def test_a_rule_plugin_cannot_redefine_a_built_in_kind() -> None:
    rules = installed(rules=[FakeEntryPoint("entered", "vendor:Entered", "vendor-x", lambda: Half)])
    registry = installed_rules(rules)
    with pytest.raises(PluginError, match="rule plug-in vendor-x redefines the built-in rule kind 'entered'"):
        registry["entered"]


def test_installed_rules_list_built_in_and_plugin_kinds_without_loading() -> None:
    ep = FakeEntryPoint("half", "vendor_rules:Half", "vendor-rules", lambda: Half)
    registry = installed_rules(installed(rules=[ep]))
    assert sorted(registry) == sorted([*BUILTIN_RULES, "half"])
    assert "half" in registry and "nope" not in registry
    assert ep.loaded == 0
    assert registry["half"] is Half and registry["half"] is Half
    assert ep.loaded == 1


# --- the built-in schemes ---------------------------------------------------------


def test_every_built_in_scheme_is_listed_and_none_is_broken() -> None:
    listed = {s.id: s for s in available_schemes()}
    for scheme_id in BUILT_IN:
        assert scheme_id in listed
        assert listed[scheme_id].distribution == "parscore"
        assert listed[scheme_id].error is None


@pytest.mark.parametrize("scheme_id", BUILT_IN)
def test_every_built_in_example_reproduces_its_report(scheme_id: str) -> None:
    package = get_scheme_package(scheme_id)
    assert package.examples, f"{scheme_id} ships no worked example"
    for outcome in package.run_examples():
        assert outcome.passed, outcome.report()
