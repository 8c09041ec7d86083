"""The kit for a new province: a ready scheme plug-in package, made from templates.

``create_plugin`` writes a complete, installable distribution: a
``pyproject.toml`` registering the scheme (``parscore.schemes``) and a sample
leaf rule (``parscore.rules``), the scheme TOML, a worked example with its
expected results, and tests that check all of it.  ``parscore new-scheme``
calls it.
"""

from __future__ import annotations

import re
import string
from importlib import resources
from pathlib import Path

from ._version import __version__
from .errors import ParscoreError
from .model import SCHEME_ID

__all__ = ["create_plugin"]

_TEMPLATES = (
    ("pyproject.toml.tmpl", "pyproject.toml"),
    ("README.md.tmpl", "README.md"),
    ("__init__.py.tmpl", "src/{package}/__init__.py"),
    ("rules.py.tmpl", "src/{package}/rules.py"),
    ("scheme.toml.tmpl", "src/{package}/scheme.toml"),
    ("examples/example/assessments.toml.tmpl", "src/{package}/examples/example/assessments.toml"),
    ("examples/example/published.toml.tmpl", "src/{package}/examples/example/published.toml"),
    ("examples/example/expected.toml.tmpl", "src/{package}/examples/example/expected.toml"),
    ("tests/test_plugin.py.tmpl", "tests/test_plugin.py"),
)


def _toml_text(value: str) -> str:
    """Text safe inside a TOML basic string and a Python docstring."""
    if any(c in value for c in '"\\\n\r\t') or not value.strip():
        raise ParscoreError(f"{value!r} cannot be used here: use plain text without quotes or backslashes")
    return value


def create_plugin(
    dest: str | Path,
    scheme_id: str,
    title: str,
    issuer: str,
    document: str = "Quyết định số …/QĐ-UBND",
    rule_kind: str = "percent_shortfall",
) -> tuple[Path, ...]:
    """Write a new scheme plug-in package into ``dest`` (which must not exist).

    The level and year come from the scheme id (``….<level>.<year>``).
    Returns the files written.
    """
    if not SCHEME_ID.fullmatch(scheme_id):
        raise ParscoreError(
            f"scheme id {scheme_id!r} does not follow <country>.<issuer…>.<level>.<year>,"
            " such as 'vn.dak-nong.krong-no.commune.2022'"
        )
    if not re.fullmatch(r"[a-z][a-z0-9_]*", rule_kind):
        raise ParscoreError(f"rule kind {rule_kind!r} must be lower-case letters, digits and '_'")
    parts = scheme_id.split(".")
    level, year = parts[-2], parts[-1]
    dest = Path(dest)
    if dest.exists():
        raise ParscoreError(f"{dest} already exists: choose a new folder for the plug-in")
    slug = scheme_id.replace(".", "-")
    package = "parscore_scheme_" + re.sub(r"[^a-z0-9]+", "_", scheme_id)
    values = {
        "id": scheme_id,
        "title": _toml_text(title),
        "issuer": _toml_text(issuer),
        "document": _toml_text(document),
        "level": level,
        "year": year,
        "dist": f"parscore-scheme-{slug}",
        "package": package,
        "rule_kind": rule_kind,
        "parscore_version": __version__,
    }
    templates = resources.files(__package__).joinpath("_kit")
    written = []
    for source, target in _TEMPLATES:
        text = templates.joinpath(source).read_text(encoding="utf-8")
        path = dest / target.format(package=package)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(string.Template(text).substitute(values), encoding="utf-8")
        written.append(path)
    return tuple(written)
