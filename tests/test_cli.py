"""The ``parscore`` command line: exit codes, what goes to stdout and stderr."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from parscore.cli import main

ROOT = Path(__file__).resolve().parent.parent
KRONG_NO = "vn.dak-nong.krong-no.commune.2022"
KRONG_NO_DIR = ROOT / "schemes" / "krong_no_2022"
ASSESSMENTS = str(KRONG_NO_DIR / "examples" / "communes-2022" / "assessments.toml")
PUBLISHED = str(KRONG_NO_DIR / "examples" / "communes-2022" / "published.toml")
DATA = Path(__file__).parent / "data" / "schemes"
THREE_PROBLEMS = str(DATA / "invalid" / "three_problems.toml")
COMMANDS = ("check", "evaluate", "gaps", "compare", "distribution", "adjustments", "project", "audit", "diff",
            "schemes", "show", "test", "new-scheme")

SOURCE_NOTE = (
    "the source states a total of 100 points, but its field maxima add up to 100.5"
    " (17.5 + 10 + 20.5 + 17.5 + 8.5 + 21.5 + 5)"
)

# Section III of the report: rank, name (official spelling), total, band.
RANKING = [
    (1, "UBND xã Nâm Nung", "80.4", "Tốt"),
    (2, "UBND thị trấn Đắk Mâm", "80", "Tốt"),
    (3, "UBND xã Nam Đà", "79.1", "Khá"),
    (4, "UBND xã Nam Xuân", "71.4", "Khá"),
    (5, "UBND xã Tân Thành", "70.4", "Khá"),
    (6, "UBND xã Đắk Nang", "65.7", "Trung bình"),
    (7, "UBND xã Đắk Sôr", "62.4", "Trung bình"),
    (8, "UBND xã Quảng Phú", "61.8", "Trung bình"),
    (9, "UBND xã Đức Xuyên", "61.2", "Trung bình"),
    (10, "UBND xã Nâm N'Đir", "60.4", "Trung bình"),
    (11, "UBND xã Đắk Drô", "60.2", "Trung bình"),
    (12, "UBND xã Buôn Choah", "60", "Trung bình"),
]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_check_a_valid_file() -> None:
    code, out, err = run("check", str(KRONG_NO_DIR / "scheme.toml"))
    assert (code, err) == (0, "")
    assert out == (
        f"ok: {KRONG_NO} revision 0: 7 fields, 7 leaves, 100.5 points, 5 bands\n"
        f"source contradiction: {SOURCE_NOTE}\n"
    )


def test_check_an_installed_scheme_by_id() -> None:
    code, out, _ = run("check", KRONG_NO)
    assert code == 0
    assert out.startswith(f"ok: {KRONG_NO} revision 0: 7 fields")


def test_check_a_scheme_without_source_notes() -> None:
    code, out, err = run("check", str(DATA / "valid" / "every_feature.toml"))
    assert (code, err) == (0, "")
    assert out == "ok: vn.test-every-feature.district.2023 revision 2: 3 fields, 7 leaves, 30 points, 3 bands\n"


def test_check_reports_every_problem_on_stderr() -> None:
    code, out, err = run("check", THREE_PROBLEMS)
    assert (code, out) == (1, "")
    assert err == (
        f"error: {THREE_PROBLEMS}: 3 problems\n"
        "  - line 16 (bands[1].to): gap: scores from 7.5 to below 8 fall in no band"
        " (between 'Khá' and 'Tốt')\n"
        "  - line 26: field 1 (fields[0].max): the children's maxima add up to 6 (4 + 2),"
        " not to this node's max 6.5\n"
        "  - line 27: field 1 (fields[0].weight): unknown key 'weight'\n"
    )


def test_check_an_unknown_scheme_id() -> None:
    code, out, err = run("check", "vn.nowhere.commune.2030")
    assert (code, out) == (1, "")
    assert err.startswith("error: no installed scheme 'vn.nowhere.commune.2030'; installed: ")
    assert KRONG_NO in err


def table_rows(out: str) -> list[tuple[int, str, Decimal, str]]:
    rows = []
    for line in out.splitlines():
        parts = line.split("  ")
        parts = [p.strip() for p in parts if p.strip()]
        if parts and parts[0].isdigit():
            rows.append((int(parts[0]), parts[1], Decimal(parts[2]), parts[3]))
    return rows


def test_evaluate_table() -> None:
    code, out, err = run("evaluate", "--scheme", KRONG_NO, ASSESSMENTS)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Chỉ số cải cách hành chính UBND các xã, thị trấn huyện Krông Nô năm 2022"
    assert lines[1] == f"{KRONG_NO} r0: appraised points out of 100.5"
    assert lines[3].split() == ["Rank", "Unit", "Total", "Band"]
    assert table_rows(out) == [(rank, name, Decimal(total), band) for rank, name, total, band in RANKING]
    average = [line for line in lines if "Average" in line]
    assert [a.split() for a in average] == [["Average", "67.75", "Trung", "bình"]]
    assert f"source contradiction: {SOURCE_NOTE}" in lines
    # Without --published nothing is said about a report.
    assert "published" not in out
    # The table (header, rule, 12 rows, rule, average) fits 80 columns.
    table = lines[3:19]
    assert lines[19] == ""
    assert max(len(line) for line in table) <= 80


def test_evaluate_with_a_scheme_file() -> None:
    by_file = run("evaluate", "--scheme", str(KRONG_NO_DIR / "scheme.toml"), ASSESSMENTS)
    by_id = run("evaluate", "--scheme", KRONG_NO, ASSESSMENTS)
    assert by_file == by_id


def test_evaluate_table_with_published() -> None:
    code, out, err = run("evaluate", "--scheme", KRONG_NO, ASSESSMENTS, "--published", PUBLISHED)
    assert (code, err) == (0, "")
    assert "\n13 published figures disagree with the recomputation:\n" in out
    listed = [line for line in out.splitlines() if line.startswith("  - ")]
    assert len(listed) == 13
    assert "  - section IV.2, field 2 table: UBND xã Đức Xuyên: rank printed 4, computed 6" in listed
    assert "  - section IV.6, field 6 table: rank 7: rank 7 is shared by different points (8.1, 8)" in listed
    assert sum("section IV.2" in line for line in listed) == 7
    assert sum("section IV.6" in line for line in listed) == 5
    assert sum(line.startswith("  - section V.1: average total: ") for line in listed) == 1


def test_evaluate_json() -> None:
    code, out, err = run("evaluate", "--scheme", KRONG_NO, ASSESSMENTS, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"provenance", "source_notes", "units", "field_averages"}
    assert data["source_notes"] == [SOURCE_NOTE]
    provenance = data["provenance"]
    assert provenance["scheme_id"] == KRONG_NO
    assert provenance["scheme_revision"] == 0
    assert provenance["basis"] == "appraised"
    assert provenance["scheme_hash"].startswith("sha256:")
    assert provenance["input_hash"].startswith("sha256:")
    assert set(provenance) == {
        "scheme_id", "scheme_revision", "scheme_hash", "parscore_version", "input_hash", "basis",
    }
    units = data["units"]
    assert [(u["rank"], u["name"], Decimal(u["normalised_total"]), u["band"]) for u in units] == [
        (rank, name, Decimal(total), band) for rank, name, total, band in RANKING
    ]
    nam_nung = units[0]
    assert nam_nung["id"] == "nam-nung"
    assert nam_nung["max_total"] == "100.5"
    assert nam_nung["total_explanation"] == "total 80.4 of 100.5"
    assert nam_nung["field_ranks"] == {"1": 1, "2": 1, "3": 3, "4": 1, "5": 3, "6": 2, "7": 4}
    assert [n["code"] for n in nam_nung["nodes"]] == ["1", "2", "3", "4", "5", "6", "7"]
    assert nam_nung["nodes"][2] == {
        "code": "3", "points": "16.8", "max": "20.5", "gap": "3.7", "explanation": "entered 16.8 of 20.5",
    }
    assert data["field_averages"]["1"] == "10.25"
    assert data["field_averages"]["2"].startswith("7.8333333333")
    assert "discrepancies" not in data


def test_evaluate_json_with_published() -> None:
    code, out, _ = run(
        "evaluate", "--scheme", KRONG_NO, ASSESSMENTS, "--published", PUBLISHED, "--format", "json"
    )
    assert code == 0
    discrepancies = json.loads(out)["discrepancies"]
    assert len(discrepancies) == 13
    assert {
        "where": "section IV.6, field 6 table",
        "subject": "UBND xã Đăk Sôr",
        "published": "7",
        "computed": "8",
        "message": "rank printed 7, computed 8",
    } in discrepancies
    average = [d for d in discrepancies if d["subject"] == "average total"]
    assert [(d["where"], d["published"], d["computed"]) for d in average] == [
        ("section V.1", "67.6", "67.75")
    ]


def test_evaluate_self_assessed_without_such_values(tmp_path: Path) -> None:
    code, out, err = run("evaluate", "--scheme", KRONG_NO, ASSESSMENTS, "--basis", "self_assessed")
    assert (code, out) == (1, "")
    assert err.startswith("error: assessments: 84 problems\n")
    assert "  - field 1: unit 'nam-nung': no self-assessed value\n" in err


def test_evaluate_missing_data_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    code, out, err = run("evaluate", "--scheme", KRONG_NO, str(missing))
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {missing}: 1 problem\n  - cannot read the assessments: ")


def test_schemes() -> None:
    code, out, err = run("schemes")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert f"{KRONG_NO}  r0  commune 2022  UBND huyện Krông Nô  (parscore)" in lines
    assert lines[lines.index(f"{KRONG_NO}  r0  commune 2022  UBND huyện Krông Nô  (parscore)") + 1] == (
        "    Chỉ số cải cách hành chính UBND các xã, thị trấn huyện Krông Nô năm 2022"
    )
    assert "BROKEN" not in out


def test_show() -> None:
    code, out, err = run("show", str(DATA / "valid" / "every_feature.toml"))
    assert (code, err) == (0, "")
    assert out == "\n".join(
        [
            "vn.test-every-feature.district.2023 r2: Bộ chỉ số thử nghiệm",
            "UBND huyện Thử, district, 2023; 30 points on a scale of 100",
            "",
            "1  Chỉ đạo, điều hành  (max 12)",
            "  1.1  Kế hoạch CCHC  (max 4.5)  [entered]",
            "  1.2  Báo cáo  (max 7.5)",
            "    1.2.1  Báo cáo đúng hạn  (max 2.5)  [deduction]",
            "    1.2.2  Tỷ lệ hồ sơ đúng hạn  (max 5)  [ratio]",
            "2  Thể chế  (max 8)",
            "  2.1  Rà soát văn bản  (max 3)  [pass_fail]",
            "  2.2  Giải ngân vốn đầu tư công  (max 5)  [tiers]",
            "3  Sáng kiến và khảo sát  (max 10)",
            "  3.1  Sáng kiến  (max 2)  [bonus]",
            "  3.2  Chỉ số hài lòng  (max 8)  [survey]",
            "",
            "bands: A ≥ 90, B ≥ 70 and < 90, C ≥ 0 and < 70",
            "",
        ]
    )


def test_show_an_installed_scheme() -> None:
    code, out, _ = run("show", KRONG_NO)
    assert code == 0
    assert out.splitlines()[3] == "1  Công tác chỉ đạo, điều hành CCHC  (max 17.5)  [entered]"
    assert out.splitlines()[-2:] == [
        "bands: Xuất sắc ≥ 95, Tốt ≥ 80 and < 95, Khá ≥ 70 and < 80, Trung bình ≥ 60 and < 70,"
        " Yếu ≥ 0 and < 60",
        f"source contradiction: {SOURCE_NOTE}",
    ]


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["bogus"],
        ["evaluate", ASSESSMENTS],
        ["evaluate", "--scheme", KRONG_NO, ASSESSMENTS, "--format", "xml"],
        ["check"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(*argv)
    assert code == 2
    assert out == ""
    assert "usage: parscore" in err
    assert capsys.readouterr() == ("", "")


def test_help_exits_0_and_shows_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run("--help")
    assert (code, err) == (0, "")
    assert "Score public bodies against PAR Index" in out
    for command in COMMANDS:
        code, out, err = run(command, "--help")
        assert (code, err) == (0, ""), command
        assert "\nexample:\n  parscore " + command in out, command
    assert capsys.readouterr() == ("", "")


def _console_script() -> list[str]:
    script = shutil.which("parscore") or shutil.which("parscore", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "parscore.cli"]


def test_the_installed_console_script() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [*_console_script(), "evaluate", "--scheme", KRONG_NO, ASSESSMENTS],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert table_rows(done.stdout) == [
        (rank, name, Decimal(total), band) for rank, name, total, band in RANKING
    ]
    failed = subprocess.run(
        [*_console_script(), "check", THREE_PROBLEMS],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60, check=False,
    )
    assert failed.returncode == 1
    assert failed.stdout == ""
    assert failed.stderr.startswith(f"error: {THREE_PROBLEMS}: 3 problems\n")
