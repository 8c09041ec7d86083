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


# --- the small made-up data of tests/data/cli ----------------------------------------------

DEMO = Path(__file__).parent / "data" / "cli"
DEMO_2023 = str(DEMO / "demo-2023.toml")
DEMO_2024 = str(DEMO / "demo-2024.toml")
COMMUNES_2023 = str(DEMO / "communes-2023.toml")
COMMUNES_2024 = str(DEMO / "communes-2024.toml")
DAK_GLONG = "vn.dak-nong.district.2023"
DAK_GLONG_DIR = ROOT / "schemes" / "dak_nong_district_2023" / "examples" / "dak-glong-2023"
PHU_YEN = "vn.son-la.phu-yen.commune.2022"
PHU_YEN_DIR = ROOT / "schemes" / "phu_yen_2022" / "examples" / "communes-2022-summary"
TRACKING = str(ROOT / "schemes" / "tam_nong_district_2021" / "examples" / "tam-nong-2021" / "tracking-2022.toml")
COMPARE = ("compare", "--before-scheme", DEMO_2023, "--scheme", DEMO_2024, COMMUNES_2023, COMMUNES_2024,
           "--field-map", "2=3")

DEMO_TABLE = """\
Chỉ số CCHC cấp xã huyện Mẫu năm 2023
vn.demo.commune.2023 r0: appraised points out of 20

Rank  Unit                    Total  Band
----  ----------------------  -----  ----
   1  UBND thị trấn Minh Đức     19  Tốt
   2  UBND xã An Bình            17  Tốt
   3  UBND xã Hòa Phú          13.5  Khá
----  ----------------------  -----  ----
      Average                  16.5  Tốt
"""

DEMO_TABLE_VI = """\
Chỉ số CCHC cấp xã huyện Mẫu năm 2024
vn.demo.commune.2024 r0: điểm thẩm định, thang điểm 25

Hạng  Đơn vị                  Tổng điểm  Xếp loại
----  ----------------------  ---------  --------
   1  UBND xã An Bình              22,5  Tốt
   2  UBND xã Hòa Phú              20,5  Tốt
   3  UBND thị trấn Minh Đức       19,5  Khá
----  ----------------------  ---------  --------
      Trung bình                  20,83  Tốt
"""

DEMO_MD = """\
### Ranked results: Chỉ số CCHC cấp xã huyện Mẫu năm 2023

| Rank | Unit id | Unit | Field 1 (max 10) | Field 2 (max 10) | Total | Band |
| ---: | --- | --- | ---: | ---: | ---: | --- |
| 1 | minh-duc | UBND thị trấn Minh Đức | 9.5 | 9.5 | 19 | Tốt |
| 2 | an-binh | UBND xã An Bình | 8.5 | 8.5 | 17 | Tốt |
| 3 | hoa-phu | UBND xã Hòa Phú | 7 | 6.5 | 13.5 | Khá |

- vn.demo.commune.2023 revision 0, appraised points
- Field 1: Công tác chỉ đạo, điều hành
- Field 2: Cải cách thủ tục hành chính
- Average score: 16.5
"""

DEMO_CSV_VI = """\
Xếp hạng;Mã đơn vị;Đơn vị;Lĩnh vực 1 (tối đa 10);Lĩnh vực 2 (tối đa 10);Tổng điểm;Xếp loại
1;minh-duc;UBND thị trấn Minh Đức;9,5;9,5;19;Tốt
2;an-binh;UBND xã An Bình;8,5;8,5;17;Tốt
3;hoa-phu;UBND xã Hòa Phú;7;6,5;13,5;Khá
"""


def test_evaluate_formats_exactly() -> None:
    assert run("evaluate", "--scheme", DEMO_2023, COMMUNES_2023) == (0, DEMO_TABLE, "")
    assert run("evaluate", "--scheme", DEMO_2024, COMMUNES_2024, "--locale", "vi") == (0, DEMO_TABLE_VI, "")
    assert run("evaluate", "--scheme", DEMO_2023, COMMUNES_2023, "--format", "md") == (0, DEMO_MD, "")
    assert run("evaluate", "--scheme", DEMO_2023, COMMUNES_2023, "--format", "csv", "--locale", "vi") == (
        0, DEMO_CSV_VI, ""
    )
    code, out, err = run("evaluate", "--scheme", DEMO_2023, COMMUNES_2023, "--format", "csv")
    assert (code, err) == (0, "")
    assert out.splitlines()[:2] == ["Rank,Unit id,Unit,Field 1 (max 10),Field 2 (max 10),Total,Band",
                                    "1,minh-duc,UBND thị trấn Minh Đức,9.5,9.5,19,Tốt"]


def test_evaluate_json_of_the_table_and_of_the_result() -> None:
    code, out, _ = run("evaluate", "--scheme", DEMO_2023, COMMUNES_2023, "--format", "json", "--table", "results",
                       "--locale", "vi")
    assert code == 0
    data = json.loads(out)
    assert data["table"] == "results"
    assert [c["heading"] for c in data["columns"]][:3] == ["Xếp hạng", "Mã đơn vị", "Đơn vị"]
    assert data["rows"][2] == {"rank": 3, "unit": "hoa-phu", "name": "UBND xã Hòa Phú", "field_1": "7",
                               "field_2": "6.5", "total": "13.5", "band": "Khá"}
    # Without --table: the full result, as before.
    code, out, _ = run("evaluate", "--scheme", DEMO_2023, COMMUNES_2023, "--format", "json")
    assert set(json.loads(out)) == {"provenance", "source_notes", "units", "field_averages"}


def test_evaluate_html() -> None:
    code, out, err = run("evaluate", "--scheme", DEMO_2023, COMMUNES_2023, "--format", "html", "--locale", "vi")
    assert (code, err) == (0, "")
    assert out.startswith('<!DOCTYPE html>\n<html lang="vi">\n')
    assert "<caption>Kết quả xếp hạng: Chỉ số CCHC cấp xã huyện Mẫu năm 2023</caption>" in out
    assert '<td>UBND xã Hòa Phú</td><td class="number">7</td><td class="number">6,5</td>' in out
    assert out.endswith("</html>\n")


def test_evaluate_with_published_in_markdown_has_both_tables() -> None:
    code, out, err = run("evaluate", "--scheme", KRONG_NO, ASSESSMENTS, "--published", PUBLISHED, "--format", "md")
    assert (code, err) == (0, "")
    headings = [line for line in out.splitlines() if line.startswith("### ")]
    assert headings == [
        "### Ranked results: Chỉ số cải cách hành chính UBND các xã, thị trấn huyện Krông Nô năm 2022",
        "### Published figures that disagree with the recomputation",
    ]
    assert f"- source contradiction: {SOURCE_NOTE}" in out.splitlines()
    assert out.count("| section IV.") == 12
    # CSV holds one table: with --published, one must be chosen.
    code, out, err = run("evaluate", "--scheme", KRONG_NO, ASSESSMENTS, "--published", PUBLISHED, "--format", "csv")
    assert (code, out) == (2, "")
    assert err.endswith("parscore evaluate: error: a CSV file holds one table, and this command writes 2:"
                        " choose one with --table (results, discrepancies)\n")
    code, out, _ = run("evaluate", "--scheme", KRONG_NO, ASSESSMENTS, "--published", PUBLISHED, "--format", "csv",
                       "--table", "discrepancies")
    assert code == 0
    assert out.splitlines()[0] == "Where,Subject,Published,Computed,Explanation"
    assert len(out.splitlines()) == 14


def test_evaluate_table_of_discrepancies_only() -> None:
    code, out, _ = run("evaluate", "--scheme", KRONG_NO, ASSESSMENTS, "--published", PUBLISHED,
                       "--table", "discrepancies", "--locale", "vi")
    assert code == 0
    assert out.startswith("13 số liệu công bố không khớp với kết quả tính lại:\n  - section IV.2")


def test_output_writes_what_stdout_would_show(tmp_path: Path) -> None:
    for fmt, suffix in (("table", "txt"), ("md", "md"), ("csv", "csv"), ("json", "json"), ("html", "html")):
        target = tmp_path / f"results.{suffix}"
        _, shown, _ = run("evaluate", "--scheme", DEMO_2023, COMMUNES_2023, "--format", fmt, "--locale", "vi")
        assert run("evaluate", "--scheme", DEMO_2023, COMMUNES_2023, "--format", fmt, "--locale", "vi",
                   "--output", str(target)) == (0, "", "")
        assert target.read_text(encoding="utf-8") == shown, fmt
        # The suffix chooses the format when --format is not given.
        again = tmp_path / f"again.{suffix}"
        assert run("evaluate", "--scheme", DEMO_2023, COMMUNES_2023, "--locale", "vi", "--output", str(again))[0] == 0
        assert again.read_bytes() == target.read_bytes(), fmt


def test_output_to_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "results.md"
    code, out, err = run("evaluate", "--scheme", DEMO_2023, COMMUNES_2023, "--output", str(target))
    assert (code, out) == (1, "")
    assert err.startswith(f"error: cannot write {target}: ")


def test_xlsx_needs_output() -> None:
    code, out, err = run("evaluate", "--scheme", DEMO_2023, COMMUNES_2023, "--format", "xlsx")
    assert (code, out) == (2, "")
    assert err.endswith("parscore evaluate: error: --format xlsx needs --output FILE: a workbook cannot be written"
                        " to the terminal\n")


def test_xlsx_output_opens(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "results.xlsx"
    assert run("evaluate", "--scheme", DEMO_2023, COMMUNES_2023, "--output", str(target), "--locale", "vi") == (
        0, "", ""
    )
    sheet = openpyxl.load_workbook(target)["results"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Kết quả xếp hạng: Chỉ số CCHC cấp xã huyện Mẫu năm 2023"
    assert rows[2] == ["Xếp hạng", "Mã đơn vị", "Đơn vị", "Lĩnh vực 1 (tối đa 10)", "Lĩnh vực 2 (tối đa 10)",
                       "Tổng điểm", "Xếp loại"]
    assert rows[5] == [3, "hoa-phu", "UBND xã Hòa Phú", 7, 6.5, 13.5, "Khá"]
    # A command with several tables writes one sheet each.
    several = tmp_path / "compare.xlsx"
    assert run(*COMPARE, "--format", "xlsx", "--output", str(several)) == (0, "", "")
    assert openpyxl.load_workbook(several).sheetnames == ["year_changes", "field_changes", "year_summary"]


@pytest.mark.parametrize("kind", ["csv-long", "csv-wide", "json", "xlsx"])
def test_evaluate_reads_every_data_format(kind: str, tmp_path: Path) -> None:
    from parscore.assessments import load_assessments
    from parscore.files import write_assessments

    if kind == "xlsx":
        pytest.importorskip("openpyxl")
    suffix, _, layout = kind.partition("-")
    target = tmp_path / f"communes.{suffix}"
    if layout:
        write_assessments(load_assessments(COMMUNES_2023), target, layout=layout)  # type: ignore[arg-type]
    else:
        write_assessments(load_assessments(COMMUNES_2023), target)
    assert run("evaluate", "--scheme", DEMO_2023, str(target)) == (0, DEMO_TABLE, "")


def test_a_wide_csv_read_as_long_lists_every_problem() -> None:
    wide = str(ROOT / "tests" / "data" / "files" / "krong-no-2022-wide.csv")
    assert table_rows(run("evaluate", "--scheme", KRONG_NO, wide)[1]) == [
        (rank, name, Decimal(total), band) for rank, name, total, band in RANKING
    ]
    code, out, err = run("evaluate", "--scheme", KRONG_NO, wide, "--layout", "long")
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {wide}: 9 problems\n  - C1: unknown column '1'; ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["evaluate", "--scheme", DEMO_2023, COMMUNES_2023, "--layout", "wide"],
         f"--layout applies to .csv and .xlsx files, not {COMMUNES_2023}"),
        (["evaluate", "--scheme", DEMO_2023, COMMUNES_2023, "--sheet", "Sheet1"],
         f"--sheet applies to .xlsx workbooks, not {COMMUNES_2023}"),
        (["gaps", "--scheme", KRONG_NO, ASSESSMENTS],
         f"{ASSESSMENTS} has 12 units: name one with --unit (ids: nam-nung, dak-mam, nam-da, nam-xuan, tan-thanh,"
         " dak-nang, dak-sor, quang-phu, duc-xuyen, nam-ndir, dak-dro, buon-choah)"),
        (["gaps", "--scheme", DEMO_2024, COMMUNES_2024, "--unit", "hoa-phu", "--top", "0"],
         "argument --top: expected a whole number of at least 1, got '0'"),
        (["compare", "--scheme", DEMO_2024, COMMUNES_2023, COMMUNES_2024, "--field-map", "2"],
         "argument --field-map: expected OLD=NEW, got '2' (a list of pairs ends at the next option or --:"
         " give it after the data files)"),
        (["distribution", "--scheme", DEMO_2024, COMMUNES_2024, "--format", "csv"],
         "a CSV file holds one table, and this command writes 2: choose one with --table (fields, bands)"),
        (["distribution", "--scheme", DEMO_2024, COMMUNES_2024, "--table", "units"],
         "argument --table: invalid choice: 'units' (choose from "),
        (["audit", "--scheme", KRONG_NO], "give a PUBLISHED file, a --summary FILE, or both"),
        (["project", TRACKING, "--survey-year", "last"], "argument --survey-year: expected a year, got 'last'"),
        (["diff", KRONG_NO], "the following arguments are required: NEW"),
        (["show", KRONG_NO, "--locale", "fr"], "argument --locale: invalid choice: 'fr' (choose from "),
    ],
)
def test_more_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert err.startswith(f"usage: parscore {argv[0]} ")
    # The list of choices is quoted or not, by Python version: only its beginning is checked.
    assert err.endswith(f"parscore {argv[0]}: error: {message}\n") or (
        message.endswith("(choose from ") and f"\nparscore {argv[0]}: error: {message}" in err
    )
    assert capsys.readouterr() == ("", "")


# --- gaps ----------------------------------------------------------------------------------


GAPS = """\
Improvement gaps: UBND xã Hòa Phú (vn.demo.commune.2024)

Code  Field / criterion             Max  Points 2024  Gap  % of max
----  ----------------------------  ---  -----------  ---  --------
1     Công tác chỉ đạo, điều hành    10          8.5  1.5    85.0 %
1.1   Kế hoạch CCHC                   4          3.5  0.5    87.5 %
1.2   Báo cáo định kỳ                 6            5    1    83.3 %
2     Xây dựng chính quyền số         5            4    1    80.0 %
2.1   Dịch vụ công trực tuyến         5            4    1    80.0 %
3     Cải cách thủ tục hành chính    10            8    2    80.0 %
3.1   Công khai thủ tục hành chính    5            4    1    80.0 %
3.2   Giải quyết hồ sơ đúng hạn       5            4    1    80.0 %
      Tổng điểm                      25         20.5  4.5    82.0 %
"""

GAPS_TOP_VI = """\
Điểm chưa đạt: UBND xã Hòa Phú (vn.demo.commune.2024)

Mã   Lĩnh vực / tiêu chí      Điểm tối đa  Điểm 2024 đạt được  Điểm chưa đạt  Tỷ lệ đạt
---  -----------------------  -----------  ------------------  -------------  ---------
1.2  Báo cáo định kỳ                    6                   5              1     83,3 %
2.1  Dịch vụ công trực tuyến            5                   4              1     80,0 %
     Tổng điểm                         25                20,5            4,5     82,0 %
* 2 tiêu chí có điểm chưa đạt lớn nhất (trong 5 tiêu chí bị mất điểm); dòng tổng là của cả đơn vị
* 1.2, 2.1, 3.1, 3.2 bằng nhau ở ngưỡng cắt (chưa đạt 1); giữ các tiêu chí đứng trước theo thứ tự bộ tiêu chí
"""


def test_gaps() -> None:
    assert run("gaps", "--scheme", DEMO_2024, COMMUNES_2024, "--unit", "hoa-phu") == (0, GAPS, "")
    # By exact name, largest gaps first, in Vietnamese.
    assert run("gaps", "--scheme", DEMO_2024, COMMUNES_2024, "--unit", "UBND xã Hòa Phú", "--sort", "gap",
               "--top", "2", "--locale", "vi") == (0, GAPS_TOP_VI, "")


def test_gaps_csv_is_exact_and_self_assessed() -> None:
    code, out, _ = run("gaps", "--scheme", DEMO_2024, COMMUNES_2024, "--unit", "an-binh", "--basis",
                       "self_assessed", "--format", "csv", "--sort", "gap")
    assert code == 0
    assert out.splitlines()[:3] == [
        "Code,Field / criterion,Max,Points 2024,Gap,% of max",
        "2,Xây dựng chính quyền số,5,4,1,80",
        "2.1,Dịch vụ công trực tuyến,5,4,1,80",
    ]
    assert out.splitlines()[-1] == ",Tổng điểm,25,24,1,96"


def test_gaps_with_a_plan_and_its_only_unit() -> None:
    code, out, err = run("gaps", "--scheme", DAK_GLONG, str(DAK_GLONG_DIR / "assessments.toml"),
                         "--plan", str(DAK_GLONG_DIR / "plan-2024.toml"), "--sort", "gap", "--top", "2",
                         "--format", "csv")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == ("Code,Field / criterion,Max,Points 2023,Gap,% of max,Target 2024,To target,Tasks,"
                        "Responsible office")
    assert [line.split(",")[0] for line in lines[1:]] == ["7.2", "3.7", ""]
    assert lines[-1] == ",Tổng điểm,100,78.422,21.578,78.422,100,21.578,,"
    # The terminal table wraps long text within its column and keeps the plan's notes.
    code, out, _ = run("gaps", "--scheme", DAK_GLONG, str(DAK_GLONG_DIR / "assessments.toml"),
                       "--plan", str(DAK_GLONG_DIR / "plan-2024.toml"), "--sort", "gap", "--top", "2")
    assert code == 0
    assert max(len(line) for line in out.splitlines() if not line.startswith("* ")) < 200
    assert "* plan: field 2 target: the target is 11, but its criteria's targets add up to 10.5" \
           " (2.5 + 1.5 + 4.5 + 2)" in out.splitlines()


def test_gaps_data_problems_exit_1(tmp_path: Path) -> None:
    code, out, err = run("gaps", "--scheme", KRONG_NO, ASSESSMENTS, "--unit", "Nam Nung")
    assert (code, out) == (1, "")
    assert err == ("error: no unit 'Nam Nung' in this result (neither an id nor a name);"
                   " candidates: nam-nung (UBND xã Nâm Nung)\n")
    plan = tmp_path / "plan.toml"
    plan.write_text('unit = "an-binh"\nyear = 2025\n[[items]]\ncode = "1"\ntarget = 10\n', encoding="utf-8")
    code, out, err = run("gaps", "--scheme", DEMO_2024, COMMUNES_2024, "--unit", "hoa-phu", "--plan", str(plan))
    assert (code, out) == (1, "")
    assert err == "error: the plan is for unit 'an-binh', not 'hoa-phu' (UBND xã Hòa Phú)\n"


# --- compare, distribution, adjustments ---------------------------------------------------------


COMPARE_SUMMARY_CSV = """\
Change,Units,Points,Which
compared / so sánh,3,,"UBND xã An Bình, UBND xã Hòa Phú, UBND thị trấn Minh Đức"
rose / tăng điểm,3,13,"UBND xã An Bình, UBND xã Hòa Phú, UBND thị trấn Minh Đức"
fell / giảm điểm,0,0,
unchanged / không đổi,0,,
moved up a band / tăng bậc xếp loại,1,,UBND xã Hòa Phú
kept the band / giữ bậc xếp loại,1,,UBND xã An Bình
moved down a band / giảm bậc xếp loại,1,,UBND thị trấn Minh Đức
moved up in rank / tăng bậc xếp hạng,2,,"UBND xã An Bình, UBND xã Hòa Phú"
kept the rank / giữ bậc xếp hạng,0,,
moved down in rank / giảm bậc xếp hạng,1,,UBND thị trấn Minh Đức
only in 2023 / chỉ có năm 2023,0,,
only in 2024 / chỉ có năm 2024,0,,
"""


def test_compare() -> None:
    assert run(*COMPARE, "--table", "summary", "--format", "csv") == (0, COMPARE_SUMMARY_CSV, "")
    code, out, _ = run(*COMPARE, "--table", "fields", "--format", "csv", "--locale", "vi")
    assert code == 0
    assert out.splitlines()[:3] == [
        "Mã đơn vị;Đơn vị;Lĩnh vực 2023;Lĩnh vực 2024;Tên lĩnh vực;Điểm 2023;Điểm 2024;Tăng, giảm",
        "an-binh;UBND xã An Bình;1;1;Công tác chỉ đạo, điều hành;8,5;9,5;1",
        "an-binh;UBND xã An Bình;2;3;Cải cách thủ tục hành chính;8,5;9,5;1",
    ]
    code, out, _ = run(*COMPARE)
    assert code == 0
    titles = ["Changes from 2023 to 2024", "Field points from 2023 to 2024", "Summary of changes from 2023 to 2024"]
    assert [line for line in out.splitlines() if line in titles] == titles
    assert out.startswith("Changes from 2023 to 2024\n\nUnit id   Unit                    Score 2023  Score 2024")
    assert "* field 2 of 2023 is compared with field 3 of 2024" in out.splitlines()


def test_compare_json_is_an_array_of_the_tables() -> None:
    code, out, _ = run(*COMPARE, "--format", "json")
    assert code == 0
    tables = json.loads(out)
    assert [t["table"] for t in tables] == ["year_changes", "field_changes", "year_summary"]
    assert tables[0]["rows"][1] == {
        "unit": "hoa-phu", "name": "UBND xã Hòa Phú", "score_before": "13.5", "score_after": "20.5",
        "change": "7.0", "points_direction": "rose / tăng điểm", "rank_before": 3, "rank_after": 2,
        "rank_change": 1, "rank_direction": "up / tăng bậc", "band_before": "Khá", "band_after": "Tốt",
        "band_direction": "up / tăng bậc",
    }
    code, out, _ = run(*COMPARE, "--format", "json", "--table", "units", "--table", "summary")
    assert [t["table"] for t in json.loads(out)] == ["year_changes", "year_summary"]


def test_compare_problems() -> None:
    code, out, err = run("compare", "--before-scheme", DEMO_2023, "--scheme", DEMO_2024, COMMUNES_2023,
                         COMMUNES_2024, "--field-map", "9=1")
    assert (code, out, err) == (1, "", "error: field_map: 'vn.demo.commune.2023' has no field '9'; fields: 1, 2\n")
    # Without --before-scheme both files are read with --scheme.
    code, out, err = run("compare", "--scheme", DEMO_2024, COMMUNES_2023, COMMUNES_2024)
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {COMMUNES_2023}: 4 problems\n  - line 2 (scheme): the assessments are for"
                          " scheme 'vn.demo.commune.2023', not 'vn.demo.commune.2024'\n")


def test_compare_unit_map(tmp_path: Path) -> None:
    renamed = tmp_path / "renamed.toml"
    renamed.write_text(Path(COMMUNES_2024).read_text(encoding="utf-8").replace('"minh-duc"', '"tt-minh-duc"'),
                       encoding="utf-8")
    code, out, _ = run("compare", "--before-scheme", DEMO_2023, "--scheme", DEMO_2024, COMMUNES_2023, str(renamed),
                       "--field-map", "2=3", "--unit-map", "minh-duc=tt-minh-duc", "--table", "units",
                       "--format", "csv")
    assert code == 0
    assert out.splitlines()[3].startswith("tt-minh-duc,UBND thị trấn Minh Đức,19,19.5,0.5,")
    code, out, _ = run("compare", "--before-scheme", DEMO_2023, "--scheme", DEMO_2024, COMMUNES_2023, str(renamed),
                       "--field-map", "2=3", "--table", "summary", "--format", "csv")
    assert "only in 2023 / chỉ có năm 2023,1,,UBND thị trấn Minh Đức" in out.splitlines()


DISTRIBUTION = """\
Points per field: vn.demo.commune.2024

Code  Field                        Max  Average  Lowest  Highest  Spread
----  ---------------------------  ---  -------  ------  -------  ------
1     Công tác chỉ đạo, điều hành   10     9.00     8.5      9.5       1
2     Xây dựng chính quyền số        5     3.33     2.5        4     1.5
3     Cải cách thủ tục hành chính   10     8.50       8      9.5     1.5
      Tổng điểm                     25    20.83    19.5     22.5       3
* 3 units

Units per band: vn.demo.commune.2024

Band        From  Below  Units   Share  Which
----------  ----  -----  -----  ------  --------------------------------
Tốt           20             2  66.7 %  UBND xã An Bình, UBND xã Hòa Phú
Khá           15     20      1  33.3 %  UBND thị trấn Minh Đức
Trung bình     0     15      0   0.0 %
* Tốt: 2 units, 66.7 %
* Khá: 1 unit, 33.3 %
* Trung bình: 0 units, 0.0 %
"""


def test_distribution() -> None:
    assert run("distribution", "--scheme", DEMO_2024, COMMUNES_2024) == (0, DISTRIBUTION, "")
    assert run("distribution", "--scheme", DEMO_2024, COMMUNES_2024, "--table", "bands", "--format", "csv",
               "--locale", "vi") == (0, (
                   "Xếp loại;Từ;Dưới;Số đơn vị;Tỷ lệ;Gồm\n"
                   "Tốt;20;;2;66,66666666666666666666666666666667;UBND xã An Bình, UBND xã Hòa Phú\n"
                   "Khá;15;20;1;33,33333333333333333333333333333333;UBND thị trấn Minh Đức\n"
                   "Trung bình;0;15;0;0;\n"
               ), "")


ADJUSTMENTS = """\
Units by self-assessment above appraisal: vn.demo.commune.2024

Rank  Unit id   Unit                    Self-assessed  Appraised  Difference  Criteria adjusted
----  --------  ----------------------  -------------  ---------  ----------  -----------------
   1  hoa-phu   UBND xã Hòa Phú                  22.5       20.5           2                  4
   2  an-binh   UBND xã An Bình                    24       22.5         1.5                  3
   3  minh-duc  UBND thị trấn Minh Đức             20       19.5         0.5                  1
* 3 units scored themselves above the appraisal, 0 below, 0 exactly
"""


def test_adjustments() -> None:
    assert run("adjustments", "--scheme", DEMO_2024, COMMUNES_2024, "--table", "ranking") == (0, ADJUSTMENTS, "")
    code, out, _ = run("adjustments", "--scheme", DEMO_2024, COMMUNES_2024, "--table", "nodes", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "Unit id,Unit,Code,Field / criterion,Max,Self-assessed,Appraised,Difference"
    assert "hoa-phu,UBND xã Hòa Phú,1.1,Kế hoạch CCHC,4,4,3.5,0.5" in out.splitlines()
    assert len(out.splitlines()) == 1 + 3 * 8
    code, out, _ = run("adjustments", "--scheme", DEMO_2024, COMMUNES_2024)
    assert out.startswith(ADJUSTMENTS + "\nSelf-assessment and appraisal: vn.demo.commune.2024\n")


def test_adjustments_need_self_assessed_values() -> None:
    code, out, err = run("adjustments", "--scheme", DEMO_2023, COMMUNES_2023)
    assert (code, out) == (1, "")
    assert err.startswith("error: assessments: 12 problems\n")
    assert "  - field 1 › criterion 1.1: unit 'an-binh': no self-assessed value\n" in err


# --- project, audit, diff ------------------------------------------------------------------------


PROJECTION = """\
Projection of the year-end score

Key               Figure                             Points
----------------  ---------------------------------  ------
achieved          achieved                               57
survey            survey points kept from 2021        26.61
guaranteed        guaranteed score                    83.61
in_progress       in progress                             6
best              best possible score                 89.61
not_achieved      not achieved                          0.5
expected_to_fail  expected to fail                        3
ceiling           ceiling (full survey points)         96.5
target            target                                 85
needed            points needed to reach the target    1.39
* Guaranteed: achieved points kept through the appraisal, survey points as in the year shown, nothing from\
 criteria not achieved or expected to fail.
* Reaching 85 needs a gain of at least 1.39; a score above 85 needs strictly more than 1.39.
"""


def test_project() -> None:
    assert run("project", TRACKING, "--table", "projection") == (0, PROJECTION, "")
    code, out, _ = run("project", TRACKING, "--table", "projection", "--locale", "vi", "--format", "csv")
    assert code == 0
    assert out.splitlines()[:3] == [
        "Mã;Chỉ tiêu;Điểm", "achieved;đạt;57", "survey;điểm điều tra XHH giữ như năm 2021;26,61"
    ]
    code, out, _ = run("project", TRACKING, "--survey-year", "2020", "--table", "projection", "--format", "json")
    rows = {r["key"]: r["points"] for r in json.loads(out)["rows"]}
    assert (rows["survey"], rows["guaranteed"], rows["needed"]) == ("29.1", "86.1", "0")
    code, out, _ = run("project", TRACKING)
    assert out.startswith(PROJECTION + "\nCriteria in progress\n")
    assert "\nChecks of the tracking\n" in out


def test_project_problems(tmp_path: Path) -> None:
    code, out, err = run("project", TRACKING, "--survey-year", "1999")
    assert (code, out, err) == (1, "", "error: no survey points for 1999; recorded: 2020, 2021\n")
    missing = tmp_path / "tracking.toml"
    code, out, err = run("project", str(missing))
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {missing}: 1 problem\n  - cannot read the tracking file: ")


def test_audit_exits_1_when_it_finds_discrepancies() -> None:
    code, out, err = run("audit", "--scheme", KRONG_NO, PUBLISHED)
    assert code == 1
    assert err == "error: the audit found 14 discrepancies\n"
    lines = out.splitlines()
    assert lines[0] == ("Audit of the published figures: Báo cáo kết quả chỉ số CCHC năm 2022 của UBND các xã,"
                        " thị trấn, UBND huyện Krông Nô (seed 000)")
    assert lines[1:3] == ["", "14 discrepancies:"]
    assert lines[-1] == ("  - section V.1: average total: the report states 67.6, computed 67.75 (the mean of the 12"
                         " printed totals)")
    code, out, err = run("audit", "--scheme", KRONG_NO, PUBLISHED, "--format", "csv", "--locale", "vi")
    assert (code, err) == (1, "error: the audit found 14 discrepancies\n")
    assert out.splitlines()[0] == "Vị trí;Nội dung;Số liệu công bố;Tính lại;Giải thích"
    assert len(out.splitlines()) == 15


def test_audit_exits_0_when_every_figure_agrees() -> None:
    code, out, err = run("audit", "--scheme", PHU_YEN, str(PHU_YEN_DIR / "published.toml"))
    assert (code, err) == (0, "")
    assert out == ("Audit of the published figures: Báo cáo kết quả xác định chỉ số CCHC năm 2022 của UBND các xã,"
                   " thị trấn, UBND huyện Phù Yên (seed 004)\n\nno discrepancies\n")


def test_audit_of_a_summary() -> None:
    code, out, err = run("audit", "--scheme", PHU_YEN, "--summary", str(PHU_YEN_DIR / "summary-2022.toml"))
    assert (code, err) == (1, "error: the audit found 3 discrepancies\n")
    lines = out.splitlines()
    assert lines[:6] == [
        "Audit of the summary figures",
        "",
        "3 of 48 checks disagree:",
        "  - section III.1: Tân Lang: DISAGREES: stated up, kept; Tân Lang is listed 2 times among"
        " steps_since_previous: up, kept",
        "  - section III.1: Mường Bang: DISAGREES: stated none; Mường Bang is in none of the lists of"
        " steps_since_previous (up, kept, down)",
        "  - section III.1: steps_since_previous: every unit exactly once: DISAGREES: stated 27; 16 + 2 + 9 = 27"
        " names, 26 distinct units of 27",
    ]
    assert lines[6] == "45 of 48 checks agree:"
    # Both files: two tables, one JSON array.
    code, out, _ = run("audit", "--scheme", PHU_YEN, str(PHU_YEN_DIR / "published.toml"), "--summary",
                       str(PHU_YEN_DIR / "summary-2022.toml"), "--format", "json")
    assert code == 1
    published, summary = json.loads(out)
    assert (published["table"], published["rows"]) == ("audit", [])
    assert summary["table"] == "summary-audit"
    assert [r["agrees"] for r in summary["rows"]].count(False) == 3


DIFF = """\
Changes from vn.demo.commune.2023 to vn.demo.commune.2024

  - field 2 'Xây dựng chính quyền số' (max 5) is new
  - field 2 'Cải cách thủ tục hành chính' is now field 3
  - band 'Tốt': ≥ 16 → ≥ 20
  - band 'Khá': ≥ 12, < 16 → ≥ 15, < 20
  - band 'Trung bình': ≥ 0, < 12 → ≥ 0, < 15
  - the fields' maxima add up to 20 → 25
  - the stated total 20 → 25

Scores under the two editions are not directly comparable.
"""


def test_diff() -> None:
    assert run("diff", DEMO_2023, DEMO_2024) == (0, DIFF, "")
    code, out, _ = run("diff", DEMO_2023, DEMO_2024, "--locale", "vi")
    assert code == 0
    assert out.splitlines()[:3] == ["Thay đổi từ vn.demo.commune.2023 sang vn.demo.commune.2024", "",
                                    "  - lĩnh vực 2 “Xây dựng chính quyền số” (tối đa 5 điểm) là mới"]
    code, out, _ = run("diff", DEMO_2023, DEMO_2024, "--format", "csv")
    assert code == 0
    assert out.splitlines()[:3] == [
        "Change,Old code,New code,Was,Is,Explanation",
        "added,,2,,Xây dựng chính quyền số (max 5),field 2 'Xây dựng chính quyền số' (max 5) is new",
        "moved,2,3,2,3,field 2 'Cải cách thủ tục hành chính' is now field 3",
    ]
    assert run("diff", DEMO_2023, DEMO_2023) == (0, (
        "Changes from vn.demo.commune.2023 to vn.demo.commune.2023\n\n\n"
        "Scores under the two editions are comparable: only titles changed.\n"
    ), "")


# --- schemes and show in other formats -------------------------------------------------------------


def test_schemes_and_show_as_tables() -> None:
    code, out, _ = run("schemes", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "Id,Revision,Level,Year,Issuer,Title,Distribution,Error"
    assert (f"{KRONG_NO},0,commune,2022,UBND huyện Krông Nô,\"Chỉ số cải cách hành chính UBND các xã, thị trấn"
            " huyện Krông Nô năm 2022\",parscore,") in out.splitlines()
    code, out, _ = run("show", DEMO_2023, "--format", "md")
    assert out == """\
### vn.demo.commune.2023 r0: Chỉ số CCHC cấp xã huyện Mẫu năm 2023

| Code | Field / criterion | Max | Rule |
| --- | --- | ---: | --- |
| 1 | Công tác chỉ đạo, điều hành | 10 |  |
| 1.1 | Kế hoạch CCHC | 4 | entered |
| 1.2 | Báo cáo định kỳ | 6 | entered |
| 2 | Cải cách thủ tục hành chính | 10 |  |
| 2.1 | Công khai thủ tục hành chính | 5 | entered |
| 2.2 | Giải quyết hồ sơ đúng hạn | 5 | entered |

- UBND huyện Mẫu, commune, 2023; 20 points
- bands: Tốt ≥ 16, Khá ≥ 12 and < 16, Trung bình ≥ 0 and < 12
"""


def test_show_in_vietnamese() -> None:
    code, out, _ = run("show", str(DATA / "valid" / "every_feature.toml"), "--locale", "vi")
    assert code == 0
    assert out.splitlines()[:5] == [
        "vn.test-every-feature.district.2023 r2: Bộ chỉ số thử nghiệm",
        "UBND huyện Thử, cấp huyện, năm 2023; 30 điểm, quy về thang 100",
        "",
        "1  Chỉ đạo, điều hành  (tối đa 12)",
        "  1.1  Kế hoạch CCHC  (tối đa 4,5)  [entered]",
    ]
    assert out.splitlines()[-1] == "xếp loại: A ≥ 90, B ≥ 70 và < 90, C ≥ 0 và < 70"


# --- every command, every format, both locales -----------------------------------------------------


TABLE_COMMANDS = {
    "evaluate": ["evaluate", "--scheme", KRONG_NO, ASSESSMENTS, "--published", PUBLISHED],
    "gaps": ["gaps", "--scheme", DEMO_2024, COMMUNES_2024, "--unit", "an-binh"],
    "compare": list(COMPARE),
    "distribution": ["distribution", "--scheme", DEMO_2024, COMMUNES_2024],
    "adjustments": ["adjustments", "--scheme", DEMO_2024, COMMUNES_2024],
    "project": ["project", TRACKING],
    "audit": ["audit", "--scheme", PHU_YEN, str(PHU_YEN_DIR / "published.toml")],
    "diff": ["diff", DEMO_2023, DEMO_2024],
    "schemes": ["schemes"],
    "show": ["show", KRONG_NO],
}


@pytest.mark.parametrize("locale", ["en", "vi"])
@pytest.mark.parametrize("fmt", ["table", "md", "csv", "json", "html", "xlsx"])
@pytest.mark.parametrize("command", sorted(TABLE_COMMANDS))
def test_every_command_in_every_format(command: str, fmt: str, locale: str, tmp_path: Path) -> None:
    argv = [*TABLE_COMMANDS[command], "--format", fmt, "--locale", locale]
    if fmt == "csv" and command in ("evaluate", "compare", "distribution", "adjustments", "project"):
        argv += ["--table", {"evaluate": "results", "compare": "units", "distribution": "fields",
                             "adjustments": "ranking", "project": "projection"}[command]]
    if fmt == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        target = tmp_path / "out.xlsx"
        assert run(*argv, "--output", str(target)) == (0, "", "")
        assert openpyxl.load_workbook(target).sheetnames
        return
    code, out, err = run(*argv)
    assert (code, err) == (0, ""), err
    assert out.endswith("\n")
    if fmt == "json":
        json.loads(out)
    elif fmt == "html":
        assert out.startswith(f'<!DOCTYPE html>\n<html lang="{locale}">')
    elif fmt == "md":
        assert out.startswith("### ")
    elif fmt == "csv":
        assert out.splitlines()[0].count(";" if locale == "vi" else ",") >= 1


# --- progress on a terminal ---------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_and_only_for_slow_work(monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["evaluate", "--scheme", KRONG_NO, ASSESSMENTS]
    # Small data: nothing, even on a terminal.
    out, err = io.StringIO(), _Terminal()
    assert main(argv, out, err) == 0
    assert err.getvalue() == ""
    # As if the data were large: one line, rewritten in place and cleared before the output.
    monkeypatch.setattr("parscore.cli._SLOW_BYTES", 1)
    monkeypatch.setattr("parscore.cli._SLOW_UNITS", 1)
    out, err = io.StringIO(), _Terminal()
    assert main(argv, out, err) == 0
    shown = err.getvalue()
    assert shown.startswith("\r\x1b[Kparscore: reading ")
    assert "\r\x1b[Kparscore: scoring 12 units…" in shown
    assert shown.endswith("\r\x1b[K")
    assert "\n" not in shown
    assert table_rows(out.getvalue())[0] == (1, "UBND xã Nâm Nung", Decimal("80.4"), "Tốt")
    # Not a terminal (a pipe, a file, the tests): nothing.
    out, plain = io.StringIO(), io.StringIO()
    assert main(argv, out, plain) == 0
    assert plain.getvalue() == ""


def test_help_of_audit_states_its_exit_status() -> None:
    code, out, _ = run("audit", "--help")
    assert code == 0
    assert " ".join(out.split()).count("The exit status is 1 when the audit finds a discrepancy") == 1


def test_evaluate_in_vietnamese_names_the_source_contradiction_in_vietnamese() -> None:
    code, out, _ = run("evaluate", "--scheme", KRONG_NO, ASSESSMENTS, "--locale", "vi")
    assert code == 0
    assert out.splitlines()[3].split() == ["Hạng", "Đơn", "vị", "Tổng", "điểm", "Xếp", "loại"]
    assert "  12  UBND xã Buôn Choah            60  Trung bình" in out.splitlines()
    assert out.endswith(f"\n\nmâu thuẫn trong văn bản gốc: {SOURCE_NOTE}\n")
