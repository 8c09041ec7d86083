"""The kit for a new province: ``parscore new-scheme`` and the plug-in it makes.

The last test does what a provincial office would: it builds a wheel of a
plug-in made by the kit, installs it into a fresh virtual environment beside
parscore and a deliberately broken plug-in, and uses it from the command line.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from parscore import ParscoreError, create_plugin, loads_scheme
from parscore.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCHEME_ID = "vn.lam-dong.commune.2025"
PACKAGE = "parscore_scheme_vn_lam_dong_commune_2025"


def test_create_plugin_writes_an_installable_package(tmp_path: Path) -> None:
    written = create_plugin(tmp_path / "plug", SCHEME_ID, "Chỉ số CCHC cấp xã", "UBND tỉnh Lâm Đồng")
    names = sorted(str(p.relative_to(tmp_path / "plug")) for p in written)
    assert names == sorted([
        "pyproject.toml", "README.md", "tests/test_plugin.py",
        f"src/{PACKAGE}/__init__.py", f"src/{PACKAGE}/rules.py", f"src/{PACKAGE}/scheme.toml",
        f"src/{PACKAGE}/examples/example/assessments.toml",
        f"src/{PACKAGE}/examples/example/published.toml",
        f"src/{PACKAGE}/examples/example/expected.toml",
    ])
    pyproject = (tmp_path / "plug" / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"{SCHEME_ID}" = "{PACKAGE}"' in pyproject
    assert f'"percent_shortfall" = "{PACKAGE}.rules:PercentShortfall"' in pyproject
    scheme_text = (tmp_path / "plug" / "src" / PACKAGE / "scheme.toml").read_text(encoding="utf-8")
    assert 'issuer = "UBND tỉnh Lâm Đồng"' in scheme_text
    assert "level = \"commune\"\nyear = 2025" in scheme_text


def test_the_template_scheme_is_valid_once_its_rule_is_known(tmp_path: Path) -> None:
    create_plugin(tmp_path / "plug", SCHEME_ID, "Chỉ số CCHC cấp xã", "UBND tỉnh Lâm Đồng")
    sys.path.insert(0, str(tmp_path / "plug" / "src"))
    try:
        from parscore_scheme_vn_lam_dong_commune_2025.rules import PercentShortfall  # type: ignore[import-not-found]

        from parscore.rules import BUILTIN_RULES

        text = (tmp_path / "plug" / "src" / PACKAGE / "scheme.toml").read_text(encoding="utf-8")
        scheme = loads_scheme(text, rules={**BUILTIN_RULES, "percent_shortfall": PercentShortfall})
    finally:
        sys.path.remove(str(tmp_path / "plug" / "src"))
        sys.modules.pop(f"{PACKAGE}.rules", None)
        sys.modules.pop(PACKAGE, None)
    assert scheme.id == SCHEME_ID and scheme.max_total == 20


@pytest.mark.parametrize(
    ("scheme_id", "message"),
    [
        ("lam-dong-2025", "does not follow <country>.<issuer…>.<level>.<year>"),
        ("vn.lam-dong.commune.25", "does not follow"),
    ],
)
def test_create_plugin_refuses_an_id_without_issuer_level_and_year(
    tmp_path: Path, scheme_id: str, message: str
) -> None:
    with pytest.raises(ParscoreError, match=message):
        create_plugin(tmp_path / "plug", scheme_id, "T", "I")
    assert not (tmp_path / "plug").exists()


def test_create_plugin_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "plug").mkdir()
    with pytest.raises(ParscoreError, match="already exists"):
        create_plugin(tmp_path / "plug", SCHEME_ID, "T", "I")


def test_create_plugin_refuses_text_that_would_break_the_toml(tmp_path: Path) -> None:
    with pytest.raises(ParscoreError, match="without quotes or backslashes"):
        create_plugin(tmp_path / "plug", SCHEME_ID, 'Chỉ số "CCHC"', "I")


def test_new_scheme_command(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    status = main(
        ["new-scheme", str(tmp_path / "plug"), "--id", SCHEME_ID, "--title", "Chỉ số CCHC", "--issuer", "UBND"],
        out, err,
    )
    assert status == 0, err.getvalue()
    assert out.getvalue().startswith(f"created the plug-in for {SCHEME_ID} in {tmp_path / 'plug'}:\n")
    assert main(["new-scheme", str(tmp_path / "plug"), "--id", SCHEME_ID, "--title", "T", "--issuer", "I"],
                out, err) == 1
    assert "already exists" in err.getvalue()


BROKEN_PYPROJECT = """\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "parscore-scheme-broken"
version = "0.1.0"

[project.entry-points."parscore.schemes"]
"vn.broken.commune.2025" = "parscore_scheme_broken"

[tool.setuptools.package-data]
parscore_scheme_broken = ["scheme.toml"]
"""


def _run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PARSCORE"))}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


def _ok(args: list[str], cwd: Path | None = None) -> str:
    done = _run(args, cwd)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_a_kit_plugin_wheel_installs_beside_parscore_and_a_broken_plugin(tmp_path: Path) -> None:
    # parscore's own sources, copied so that building leaves the checkout untouched.
    source = tmp_path / "parscore"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    for name in ("src", "schemes"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    create_plugin(tmp_path / "plug", SCHEME_ID, "Chỉ số CCHC cấp xã tỉnh Lâm Đồng", "UBND tỉnh Lâm Đồng")
    broken = tmp_path / "broken" / "src" / "parscore_scheme_broken"
    broken.mkdir(parents=True)
    (tmp_path / "broken" / "pyproject.toml").write_text(BROKEN_PYPROJECT, encoding="utf-8")
    (broken / "__init__.py").write_text("", encoding="utf-8")
    (broken / "scheme.toml").write_text('format = 2\nid = "vn.broken.commune.2025"\n', encoding="utf-8")

    wheels = tmp_path / "wheels"
    for project in (source, tmp_path / "plug", tmp_path / "broken"):
        _ok([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(project)])
    env = tmp_path / "env"
    venv.create(env, with_pip=True)
    python = env / ("Scripts" if os.name == "nt" else "bin") / "python"
    _ok([str(python), "-m", "pip", "install", "--quiet", *map(str, sorted(wheels.glob("*.whl")))])
    parscore = [str(python), "-m", "parscore"]

    listed = _ok([*parscore, "schemes"])
    assert f"{SCHEME_ID}  r0  commune 2025  UBND tỉnh Lâm Đồng  (parscore-scheme-vn-lam-dong-commune-2025)" in listed
    assert ("vn.broken.commune.2025  BROKEN (parscore-scheme-broken): written for scheme format 2;"
            " this parscore reads format 1") in listed
    assert "vn.dak-nong.krong-no.commune.2022  r0" in listed

    checked = _ok([*parscore, "check", SCHEME_ID])
    assert "ok: vn.lam-dong.commune.2025 revision 0: 2 fields, 4 leaves, 20 points" in checked
    tested = _ok([*parscore, "test", SCHEME_ID])
    assert f"{SCHEME_ID} example: ok (2 units" in tested
    example = env / "lib"  # the example files travel inside the wheel
    data = next(example.rglob(f"{PACKAGE}/examples/example/assessments.toml"))
    evaluated = _ok([*parscore, "evaluate", "--scheme", SCHEME_ID, str(data)])
    assert "1  UBND xã A     17     85  Tốt" in evaluated
    assert "2  UBND xã B     16     80  Tốt" in evaluated

    # The plug-in's own tests, as its authors run them.
    _ok([str(python), "-m", "pip", "install", "--quiet", "pytest", "hypothesis"])
    own = _ok([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=tmp_path / "plug")
    assert "3 passed" in own

    failed = _run([*parscore, "test", "vn.broken.commune.2025"])
    assert failed.returncode == 1
    assert "format 2" in failed.stderr

    disabled = subprocess.run(
        [*parscore, "schemes"], capture_output=True, text=True, check=True,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
             "PARSCORE_DISABLE_PLUGIN_AUTOLOAD": "1"},
    ).stdout
    assert SCHEME_ID not in disabled and "vn.broken" not in disabled
    assert "vn.dak-nong.krong-no.commune.2022" in disabled
