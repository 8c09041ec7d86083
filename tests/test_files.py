"""Files: assessments read from and written to CSV, .xlsx and JSON; tables written in every format.

Expected values are written out by hand: the Krông Nô totals are the ones the
district published (seed 000, section III), and every error message is given
in full with its cell.
"""

from __future__ import annotations

import builtins
import json
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from parscore import (
    NOT_APPLICABLE,
    Assessment,
    AssessmentError,
    Assessments,
    Column,
    Observation,
    ParscoreError,
    Scheme,
    Table,
    Unit,
    dumps_assessments,
    evaluate,
    get_scheme,
    load_scheme,
)
from parscore.files import (
    HEADINGS,
    MissingDependencyError,
    read_assessments,
    result_table,
    write_assessments,
    write_tables,
)

D = Decimal
DATA = Path(__file__).parent / "data"
WIDE_CSV = DATA / "files" / "krong-no-2022-wide.csv"
KRONG_NO = "vn.dak-nong.krong-no.commune.2022"
EVERY = "vn.test-every-feature.district.2023"

# Section III of the report: unit, appraised total, band, in rank order.
PUBLISHED = [
    ("nam-nung", "80.4", "Tốt"),
    ("dak-mam", "80", "Tốt"),
    ("nam-da", "79.1", "Khá"),
    ("nam-xuan", "71.4", "Khá"),
    ("tan-thanh", "70.4", "Khá"),
    ("dak-nang", "65.7", "Trung bình"),
    ("dak-sor", "62.4", "Trung bình"),
    ("quang-phu", "61.8", "Trung bình"),
    ("duc-xuyen", "61.2", "Trung bình"),
    ("nam-ndir", "60.4", "Trung bình"),
    ("dak-dro", "60.2", "Trung bình"),
    ("buon-choah", "60", "Trung bình"),
]

# The per-field tables of section IV, one row per unit as a spreadsheet holds
# them: numbers as a spreadsheet stores them (floats and whole numbers).
KRONG_NO_ROWS: list[tuple[str, str, list[float | int]]] = [
    ("nam-nung", "UBND xã Nâm Nung", [17.5, 10, 16.8, 17, 7.5, 9.6, 2]),
    ("dak-mam", "UBND thị trấn Đắk Mâm", [15, 8, 18.8, 17, 8, 9.2, 4]),
    ("nam-da", "UBND xã Nam Đà", [16.5, 9, 12.5, 17, 8, 12.1, 4]),
    ("nam-xuan", "UBND xã Nam Xuân", [14.5, 8, 10.3, 17, 8.5, 9.1, 4]),
    ("tan-thanh", "UBND xã Tân Thành", [8.5, 8.5, 16.9, 16, 8, 8.5, 4]),
    ("dak-nang", "UBND xã Đắk Nang", [8.5, 8, 11, 17, 8.5, 8.7, 4]),
    ("dak-sor", "UBND xã Đắk Sôr", [5.5, 8.5, 12.9, 17, 6.5, 8, 4]),
    ("quang-phu", "UBND xã Quảng Phú", [8, 7.5, 11.8, 17, 7, 5.5, 5]),
    ("duc-xuyen", "UBND xã Đức Xuyên", [8, 6.5, 12.2, 17, 8.5, 5, 4]),
    ("nam-ndir", "UBND xã Nâm N'Đir", [9, 6, 11.4, 17, 6.5, 6.5, 4]),
    ("dak-dro", "UBND xã Đắk Drô", [7, 7.5, 8, 17, 7.5, 9.2, 4]),
    ("buon-choah", "UBND xã Buôn Choah", [5, 6.5, 12.4, 17, 8, 8.1, 3]),
]


@pytest.fixture(scope="module")
def krong_no() -> Scheme:
    return get_scheme(KRONG_NO)


@pytest.fixture(scope="module")
def every() -> Scheme:
    return load_scheme(DATA / "schemes" / "valid" / "every_feature.toml")


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _message(exc: pytest.ExceptionInfo[AssessmentError]) -> str:
    return str(exc.value)


def _published(scheme: Scheme, assessments: Assessments) -> list[tuple[str, Decimal, str]]:
    result = evaluate(scheme, assessments)
    return [(u.unit_id, u.normalised_total, u.band.name) for u in result.units]


EXPECTED = [(uid, D(total), band) for uid, total, band in PUBLISHED]


# --- the Krông Nô data, laid out as the report's tables -------------------------------


def test_krong_no_wide_csv_gives_the_published_totals(krong_no: Scheme) -> None:
    assessments = read_assessments(WIDE_CSV, krong_no)
    assert assessments.scheme_id == KRONG_NO
    assert len(assessments) == 12
    nam_nung = next(a for a in assessments if a.unit.id == "nam-nung")
    assert nam_nung.unit == Unit("nam-nung", "UBND xã Nâm Nung")
    assert nam_nung.observations[:3] == (
        Observation("1", D("17.5")),
        Observation("2", D("10")),
        Observation("3", D("16.8")),
    )
    assert _published(krong_no, assessments) == EXPECTED


def test_krong_no_wide_csv_without_a_scheme_reads_every_column_as_a_code() -> None:
    assessments = read_assessments(WIDE_CSV)
    assert assessments.scheme_id is None
    assert [o.code for o in assessments.items[0].observations] == ["1", "2", "3", "4", "5", "6", "7"]


def test_krong_no_wide_csv_as_self_assessed(krong_no: Scheme) -> None:
    assessments = read_assessments(WIDE_CSV, krong_no, basis="self_assessed")
    first = assessments.items[0].observations[0]
    assert (first.appraised, first.self_assessed) == (None, D("5"))
    result = evaluate(krong_no, assessments, basis="self_assessed")
    top = [(u.unit_id, u.normalised_total) for u in result.units][:2]
    assert top == [("nam-nung", D("80.4")), ("dak-mam", D("80"))]


def _krong_no_workbook(path: Path, headings: list[object] | None = None) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Chỉ số CCHC"
    sheet.append(headings or ["Mã đơn vị", "Tên đơn vị", 1, 2, 3, 4, 5, 6, 7])
    for unit_id, name, points in KRONG_NO_ROWS:
        sheet.append([unit_id, name, *points])
    workbook.save(path)
    return path


def test_krong_no_xlsx_gives_the_published_totals(krong_no: Scheme, tmp_path: Path) -> None:
    path = _krong_no_workbook(tmp_path / "krong-no.xlsx")
    assessments = read_assessments(path, krong_no)
    # Headings stored as numbers are codes; 16.8 stored as a binary float is read as 16.8 exactly.
    nam_nung = next(a for a in assessments if a.unit.id == "nam-nung")
    assert nam_nung.observations[2] == Observation("3", D("16.8"))
    assert str(nam_nung.observations[2].appraised) == "16.8"
    assert str(nam_nung.observations[1].appraised) == "10"
    assert _published(krong_no, assessments) == EXPECTED
    assert assessments == read_assessments(WIDE_CSV, krong_no)


# --- reading the long layout --------------------------------------------------------------

LONG_CSV = '''\
unit_id,unit_name,code,appraised,self_assessed,evidence
nam-nung,UBND xã Nâm Nung,1.1,"4,25",4.5,"Kế hoạch số 12/KH-UBND, ngày 5/1"
nam-nung,UBND xã Nâm Nung,1.2.1,1,,
nam-nung,UBND xã Nâm Nung,1.2.2,"0,95",,
nam-nung,UBND xã Nâm Nung,2.1,đạt,TRUE,
nam-nung,UBND xã Nâm Nung,2.2,n/a,,"Không phát sinh dự án ""đầu tư công"""

nam-nung,UBND xã Nâm Nung,3.1,2,,
nam-nung,UBND xã Nâm Nung,3.2,"87,5",,
dak-mam,UBND thị trấn Đắk Mâm,3.2,,,Chưa khảo sát
'''


def test_read_long_csv(every: Scheme, tmp_path: Path) -> None:
    assessments = read_assessments(_write(tmp_path / "long.csv", LONG_CSV), every)
    assert assessments.scheme_id == EVERY
    dak_mam, nam_nung = assessments.items
    assert dak_mam == Assessment(
        Unit("dak-mam", "UBND thị trấn Đắk Mâm"), (Observation("3.2", evidence="Chưa khảo sát"),)
    )
    assert nam_nung.observations == (
        Observation("1.1", D("4.25"), D("4.5"), "Kế hoạch số 12/KH-UBND, ngày 5/1"),
        Observation("1.2.1", D(1)),
        Observation("1.2.2", D("0.95")),
        Observation("2.1", "đạt", True),
        Observation("2.2", NOT_APPLICABLE, evidence='Không phát sinh dự án "đầu tư công"'),
        Observation("3.1", D(2)),
        Observation("3.2", D("87.5")),
    )


def test_read_long_csv_with_vietnamese_headings_semicolons_and_a_bom(every: Scheme, tmp_path: Path) -> None:
    text = (
        "\ufeffMã đơn vị;TÊN ĐƠN VỊ;Mã tiêu chí;Điểm thẩm định;Điểm tự chấm;Tài liệu kiểm chứng\n"
        "nam-nung;UBND xã Nâm Nung;1.1;4,25;4,5;Kế hoạch, số 12\n"
        "nam-nung;UBND xã Nâm Nung;2.1;không đạt;kps;\n"
    )
    assessments = read_assessments(_write(tmp_path / "vi.csv", text), every)
    assert assessments.items[0].observations == (
        Observation("1.1", D("4.25"), D("4.5"), "Kế hoạch, số 12"),
        Observation("2.1", "không đạt", NOT_APPLICABLE),
    )


def test_every_heading_is_accepted(tmp_path: Path) -> None:
    for role in ("unit_id", "unit_name", "code", "appraised"):
        for heading in HEADINGS[role]:
            headings = {"unit_id": "unit_id", "unit_name": "unit_name", "code": "code", "appraised": "appraised"}
            headings[role] = f" {heading.upper()} "
            text = ",".join(headings.values()) + "\nx,Xã X,1,2\n"
            assessments = read_assessments(_write(tmp_path / "h.csv", text))
            assert assessments.items[0] == Assessment.of("x", "Xã X", appraised={"1": "2"}), heading
    # Spaces, "-" and "_" are one: "Self-assessed" and "self assessed" are the self_assessed column.
    text = "Unit ID,unit-name,CODE,Self-Assessed,tự   đánh giá\n"
    with pytest.raises(AssessmentError) as exc:
        read_assessments(_write(tmp_path / "h.csv", text))
    assert _message(exc) == (
        f"{tmp_path / 'h.csv'}: 1 problem\n"
        "  - E1: duplicate column 'tự đánh giá': D1 is the self_assessed column already"
    )


def test_nfd_input_is_stored_as_nfc(every: Scheme, tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", LONG_CSV)
    assert nfd != LONG_CSV
    from_nfd = read_assessments(_write(tmp_path / "nfd.csv", nfd), every)
    assert from_nfd == read_assessments(_write(tmp_path / "nfc.csv", LONG_CSV), every)
    assert from_nfd.items[0].unit.name == "UBND thị trấn Đắk Mâm"
    assert unicodedata.is_normalized("NFC", from_nfd.items[1].observations[0].evidence or "")
    # Headings in NFD are matched too.
    wide = unicodedata.normalize("NFD", WIDE_CSV.read_text(encoding="utf-8"))
    assert read_assessments(_write(tmp_path / "nfd-wide.csv", wide)) == read_assessments(WIDE_CSV)


def test_the_header_row_decides_the_delimiter(tmp_path: Path) -> None:
    # A comma inside a heading does not make the file comma-separated.
    text = 'unit_id;unit_name;"1,a"\nx;"Xã X, huyện Y";4,5\n'
    assessments = read_assessments(_write(tmp_path / "d.csv", text))
    assert assessments.items[0] == Assessment.of("x", "Xã X, huyện Y", appraised={"1,a": D("4.5")})
    text = "unit_id,unit_name,1\nx,Xã X;Y,\"4,5\"\n"
    assert read_assessments(_write(tmp_path / "d.csv", text)).items[0] == Assessment.of(
        "x", "Xã X;Y", appraised={"1": D("4.5")}
    )


# --- errors ------------------------------------------------------------------------------

WIDE_ERRORS = """\
Mã đơn vị;Tên đơn vị;1;2;3;3;4;5;6;8
nam-nung;UBND xã Nâm Nung;17,5;10;16,8;16,8;17;7,5;9,6;1
nam-nung;UBND xã Nâm Nung;17,5;10;16,8;16,8;17;7,5;9,6;1
;UBND xã Nam Đà;16,5;;12,5;12,5;17;8;12,1;4
nam-xuan;;14,5;8;10,3;10,3;17;8,5;4,5,0;x
dak-dro;UBND xã Đắk Drô;7;7,5;tám;8;17;7,5;9,2;4
"""


def test_wide_errors_name_every_cell(krong_no: Scheme, tmp_path: Path) -> None:
    path = _write(tmp_path / "wide.csv", WIDE_ERRORS)
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path, krong_no)
    assert _message(exc) == (
        f"{path}: 9 problems\n"
        "  - F1: duplicate column '3', also E1\n"
        f"  - J1: unknown column '8': not a criterion of scheme '{KRONG_NO}'\n"
        f"  - row 1: no column for these criteria of scheme '{KRONG_NO}': '7'\n"
        "  - A3: duplicate unit 'nam-nung', also A2\n"
        "  - A4: empty cell: every row needs a unit id\n"
        "  - D4: empty cell: no appraised value for criterion '2'\n"
        "  - B5: empty cell: every row needs a unit name\n"
        "  - I5: unit 'nam-xuan', criterion '6': expected a number such as 4,5 or 4.5, got '4,5,0'\n"
        "  - E6: unit 'dak-dro', criterion '3': expected a number such as 4,5 or 4.5, got 'tám'"
    )
    problems = exc.value.problems
    assert {p.file for p in problems} == {str(path)}
    assert [p.key for p in problems][:2] == ["F1", "J1"]


def test_wide_errors_for_a_scheme_with_sub_criteria(every: Scheme, tmp_path: Path) -> None:
    text = 'unit_id,unit_name,1,1.1,1.2.1,1.2.2,2.1,2.2,3.1,3.2,code\nx,Xã X,1,1,1,"0,5",1,n/a,"1,5",90,1\n'
    path = _write(tmp_path / "wide.csv", text)
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path, every, layout="wide")
    assert _message(exc) == (
        f"{path}: 4 problems\n"
        f"  - C1: column '1': field 1 of scheme '{EVERY}' is not a leaf: give points for its criteria instead\n"
        "  - K1: column 'code' belongs to the long layout (one row per unit and criterion);"
        " a wide table has unit_id, unit_name and one column per criterion code\n"
        "  - G2: unit 'x', criterion '2.1': expected true or false (đạt / không đạt), got Decimal('1')\n"
        "  - I2: unit 'x', criterion '3.1': expected a whole number of items (0 or more), got 1.5"
    )
    # With a code column, "auto" takes the long layout.
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path, every)
    assert _message(exc).splitlines()[1] == (
        "  - C1: unknown column '1'; the columns of the long layout are unit_id, unit_name, code,"
        " appraised, self_assessed, evidence"
    )


LONG_ERRORS = """\
unit_id,unit_name,code,appraised,self_assessed,remarks
x,Xã X,1.1,4.25,,
x,Xã X,1.1,4,,
x,Xã Y,1.2.1,1.5,,
,Xã Z,9,đạt,,
y,Xã Y,,1,,
y,Xã Y,2.1,có lẽ,,
y,Xã Y,1,1,,
y,Xã Y,3.2,,,
y,Xã Y,2.2,2025-01-01,1 234,
"""


def test_long_errors_name_every_cell(every: Scheme, tmp_path: Path) -> None:
    path = _write(tmp_path / "long.csv", LONG_ERRORS)
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path, every)
    assert _message(exc) == (
        f"{path}: 12 problems\n"
        "  - F1: unknown column 'remarks'; the columns of the long layout are unit_id, unit_name, code,"
        " appraised, self_assessed, evidence\n"
        "  - C3: duplicate row for unit 'x', criterion '1.1', also row 2\n"
        "  - B4: unit 'x' is named 'Xã Y' here but 'Xã X' in B2\n"
        "  - D4: unit 'x', criterion '1.2.1': expected a whole number of occurrences (0 or more), got 1.5\n"
        "  - A5: empty cell: every row needs a unit id\n"
        f"  - C5: unknown criterion '9': not in scheme '{EVERY}'\n"
        "  - C6: empty cell: every row needs a criterion code\n"
        "  - D7: unit 'y', criterion '2.1': expected true or false (đạt / không đạt), got 'có lẽ'\n"
        f"  - C8: field 1 of scheme '{EVERY}' is not a leaf: give points for its criteria instead\n"
        "  - D9: empty cells: no appraised value, no self-assessed value and no evidence for"
        " unit 'y', criterion '3.2'\n"
        "  - D10: unit 'y', criterion '2.2': expected a number such as 4,5 or 4.5, got '2025-01-01'\n"
        "  - E10: unit 'y', criterion '2.2': expected a number such as 4,5 or 4.5, got '1 234'"
    )


def test_layout_and_required_columns(tmp_path: Path) -> None:
    path = _write(tmp_path / "w.csv", "unit_id,unit_name,1\nx,Xã X,1\n")
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path, layout="long")
    assert _message(exc) == (
        f"{path}: 3 problems\n"
        "  - C1: unknown column '1'; the columns of the long layout are unit_id, unit_name, code,"
        " appraised, self_assessed, evidence\n"
        "  - row 1: no code column; its heading may be 'code', 'criterion', 'Mã tiêu chí', 'Tiêu chí'\n"
        "  - row 1: no appraised, self_assessed or evidence column: there are no values to read"
    )
    path = _write(tmp_path / "n.csv", "\n\nname,1\nXã X,1\n")
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path)
    assert _message(exc) == (
        f"{path}: 1 problem\n  - row 3: no unit_id column; its heading may be 'unit_id', 'id', 'Mã đơn vị'"
    )
    path = _write(tmp_path / "e.csv", "\n \n")
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path)
    assert _message(exc) == f"{path}: 1 problem\n  - the file is empty: expected a header row"
    path = _write(tmp_path / "x.csv", "unit_id,unit_name,1,\nx,Xã X,1,,\ny,Xã Y,1,,5\n")
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path)
    assert _message(exc) == f"{path}: 1 problem\n  - E1: no heading above data (first in E3)"
    # Trailing empty columns and blank rows, as spreadsheets export them, are no problem.
    path = _write(tmp_path / "t.csv", "unit_id,unit_name,1,,\n\nx,Xã X,1,,\n,,,,\n")
    assert read_assessments(path) == Assessments(None, (Assessment.of("x", "Xã X", appraised={"1": 1}),))


def test_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("unit_id,unit_name,1\nx,Xã X,1\n".encode("latin-1"))
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path)
    assert _message(exc) == f"{path}: 1 problem\n  - line 2: not UTF-8 text (byte 0xe3); save the file as UTF-8"
    path = _write(tmp_path / "q.csv", 'unit_id,unit_name,1\nx,"Xã X"y,1\n')
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path)
    assert _message(exc) == f"{path}: 1 problem\n  - line 2: not valid CSV: ',' expected after '\"'"
    with pytest.raises(AssessmentError) as exc:
        read_assessments(tmp_path / "a.ods")
    assert _message(exc) == (
        f"{tmp_path / 'a.ods'}: 1 problem\n"
        "  - cannot read '.ods': parscore reads .csv, .xlsx, .json and .toml assessments"
    )
    with pytest.raises(AssessmentError) as exc:
        read_assessments(tmp_path / "missing.csv")
    assert "cannot read the assessments: [Errno 2] No such file or directory" in _message(exc)
    with pytest.raises(ValueError, match="layout must be"):
        read_assessments(WIDE_CSV, layout="tall")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="sheet names a sheet"):
        read_assessments(WIDE_CSV, sheet="x")


# --- spreadsheets ----------------------------------------------------------------------------


def test_xlsx_errors_name_the_sheet_and_cell(krong_no: Scheme, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    import datetime

    workbook = openpyxl.Workbook()
    workbook.active.title = "Kết quả"
    sheet = workbook.active
    sheet.append(["unit_id", "unit_name", "1", "2", "3", "4", "5", "6", "7"])
    sheet.append(["x", "Xã X", 0.1 + 0.7, datetime.datetime(2022, 5, 4), 1, 1, 1, 1, None])
    sheet.append([101, "Xã 101", 1, 1, 1, 1, 1, 1, "=SUM(C3:H3)"])
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path, krong_no)
    assert _message(exc) == (
        f"{path}: 4 problems\n"
        "  - 'Kết quả'!C2: unit 'x', criterion '1': expected a number with at most 10 decimals,"
        " got 0.7999999999999999\n"
        "  - 'Kết quả'!D2: unit 'x', criterion '2': the spreadsheet holds a date or time here"
        " (2022-05-04T00:00:00), not a number; format the cell as a number or as text\n"
        "  - 'Kết quả'!I2: empty cell: no appraised value for unit 'x', criterion '7'\n"
        # A formula the spreadsheet never computed has no value to read.
        "  - 'Kết quả'!I3: empty cell: no appraised value for unit '101', criterion '7'"
    )
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path, sheet="Sheet9")
    assert _message(exc) == f"{path}: 1 problem\n  - no sheet 'Sheet9'; the sheets are 'Kết quả'"
    (tmp_path / "not.xlsx").write_text("no zip", encoding="utf-8")
    with pytest.raises(AssessmentError) as exc:
        read_assessments(tmp_path / "not.xlsx")
    assert _message(exc) == f"{tmp_path / 'not.xlsx'}: 1 problem\n  - not an .xlsx workbook: File is not a zip file"


def test_xlsx_number_formats_give_the_decimals_shown(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["unit_id", "unit_name", "1", "2", "3", "4"])
    sheet.append(["x", "Xã X", 4.5, 4.25, 10.0, "4,50"])
    sheet["C2"].number_format = "0.00"
    sheet["D2"].number_format = "0.0"  # shows 4.3, holds 4.25: never rounded away
    sheet["E2"].number_format = "#,##0.000"
    workbook.save(tmp_path / "f.xlsx")
    values = [o.appraised for o in read_assessments(tmp_path / "f.xlsx").items[0].observations]
    assert [str(v) for v in values] == ["4.50", "4.25", "10.000", "4.50"]


def test_xlsx_sheet_choice(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.append(["notes"])
    second = workbook.create_sheet("Điểm")
    second.append(["unit_id", "unit_name", "1"])
    second.append(["x", "Xã X", 3])
    workbook.save(tmp_path / "s.xlsx")
    assert read_assessments(tmp_path / "s.xlsx", sheet="Điểm").items[0] == Assessment.of("x", "Xã X", {"1": 3})


# --- JSON and TOML ---------------------------------------------------------------------------------


def test_read_json(every: Scheme, tmp_path: Path) -> None:
    text = json.dumps(
        {
            "scheme": EVERY,
            "units": [
                {
                    "id": "x",
                    "name": "Xã X",
                    "appraised": {"1.1": 4.35, "2.1": True, "2.2": "kps", "3.2": "87,5"},
                    "self_assessed": {"1.1": "4,5"},
                    "evidence": {"2.1": "Quyết định số 7"},
                }
            ],
        },
        ensure_ascii=False,
    )
    assessments = read_assessments(_write(tmp_path / "a.json", text), every)
    assert assessments == Assessments(
        EVERY,
        (
            Assessment(
                Unit("x", "Xã X"),
                (
                    # A JSON number is read exactly: 4.35, not the float 4.3499999999999996447...
                    Observation("1.1", D("4.35"), D("4.5")),
                    Observation("2.1", True, evidence="Quyết định số 7"),
                    Observation("2.2", NOT_APPLICABLE),
                    Observation("3.2", D("87.5")),
                ),
            ),
        ),
    )
    assert str(assessments.items[0].observations[0].appraised) == "4.35"


def test_json_errors(every: Scheme, tmp_path: Path) -> None:
    text = """{"scheme": "other", "units": [
      {"id": "x", "name": "Xã X", "appraised": {"1.1": null, "1.1": 1, "2.1": [1], "9": 1, "3.2": "4,5,0"}},
      {"id": "x", "name": "Xã X"},
      {"id": "", "name": "Xã Y", "colour": "red", "evidence": {"1.1": 5}},
      7
    ], "extra": 1}"""
    path = _write(tmp_path / "e.json", text)
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path, every)
    assert _message(exc) == (
        f"{path}: 8 problems\n"
        "  - extra: unknown key 'extra'\n"
        "  - units[0].appraised.\"1.1\": duplicate key '1.1'\n"
        "  - units[0].appraised.\"2.1\": expected a number, text or true/false, got an array\n"
        "  - units[0].appraised.\"3.2\": expected a number such as 4,5 or 4.5, got '4,5,0'\n"
        "  - units[1].id: duplicate unit id 'x', also units[0]\n"
        "  - units[2].colour: unknown key 'colour'\n"
        "  - units[2].id: a unit needs a non-empty text 'id'\n"
        "  - units[3]: expected an object, got 7"
    )
    path = _write(tmp_path / "s.json", '{"units": [\n  {"id": "x",, }]}')
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path)
    assert _message(exc) == (
        f"{path}: 1 problem\n  - line 2, column 14: not valid JSON: Expecting property name enclosed in double quotes"
    )
    path = _write(tmp_path / "n.json", '{"units": [{"id": "x", "name": "X", "appraised": {"1": NaN}}]}')
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path)
    assert _message(exc) == (
        f"{path}: 1 problem\n  - line 1, column 56: not valid JSON: NaN is not a number parscore accepts"
    )


def test_json_and_toml_are_checked_against_the_scheme(every: Scheme, tmp_path: Path) -> None:
    text = json.dumps({"scheme": "other", "units": [{"id": "x", "name": "X", "appraised": {"1": 1, "2.1": 3}}]})
    path = _write(tmp_path / "a.json", text)
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path, every)
    assert _message(exc) == (
        f"{path}: 3 problems\n"
        f"  - scheme: the assessments are for scheme 'other', not '{EVERY}'\n"
        f"  - units[0].appraised.1: field 1 of scheme '{EVERY}' is not a leaf: give points for its criteria"
        " instead\n"
        "  - units[0].appraised.\"2.1\": expected true or false (đạt / không đạt), got Decimal('3')"
    )
    toml = f'scheme = "{EVERY}"\n\n[[units]]\nid = "x"\nname = "X"\n\n[units.appraised]\n"9" = 1\n"3.1" = "1,5"\n'
    path = _write(tmp_path / "a.toml", toml)
    with pytest.raises(AssessmentError) as exc:
        read_assessments(path, every)
    assert _message(exc) == (
        f"{path}: 2 problems\n"
        f"  - line 8 (units[0].appraised.9): unknown criterion '9': not in scheme '{EVERY}'\n"
        "  - line 9 (units[0].appraised.\"3.1\"): expected a whole number of items (0 or more), got 1.5"
    )
    good = f'scheme = "{EVERY}"\n\n[[units]]\nid = "x"\nname = "X"\nappraised = {{ "1.1" = "4,5" }}\n'
    assert read_assessments(_write(tmp_path / "g.toml", good), every).items[0] == Assessment.of(
        "x", "X", {"1.1": D("4.5")}
    )
    with pytest.raises(ValueError, match=r"layout applies to \.csv and \.xlsx files only"):
        read_assessments(tmp_path / "g.toml", layout="wide")


# --- round trips ----------------------------------------------------------------------------------------

NFD_NAME = unicodedata.normalize("NFD", "UBND xã Đắk Drô")

RICH = Assessments(
    EVERY,
    (
        Assessment(
            Unit("dak-dro", NFD_NAME),
            (
                Observation("1.1", D("4.50"), D("4.25"), "Kế hoạch số 12/KH-UBND; ngày 5/1, \"khẩn\"\nmục 2"),
                Observation("1.2.1", D(0)),
                Observation("1.2.2", D("0.1234567890"), D("1234567.1234567892")),
                Observation("2.1", "đạt", True),
                Observation("2.2", NOT_APPLICABLE, False),
                Observation("3.1", None, D("2.00"), "=1+1"),
                Observation("3.2", D("123456789012345.1234567891")),
                Observation("10", D("1E+1"), D("-0.5")),
            ),
        ),
        Assessment(Unit("buon-choah", "UBND xã Buôn Choah"), (Observation("3.2", evidence=" chưa có "),)),
    ),
)


@pytest.mark.parametrize(
    ("name", "layout", "locale"),
    [
        ("a.csv", "long", "en"),
        ("a.csv", "long", "vi"),
        ("a.xlsx", "long", "en"),
        ("a.xlsx", "long", "vi"),
        ("a.json", "long", "en"),
        ("a.toml", "long", "en"),
    ],
)
def test_round_trip_to_the_last_digit(tmp_path: Path, name: str, layout: Any, locale: Any) -> None:
    if name.endswith(".xlsx"):
        pytest.importorskip("openpyxl")
    path = tmp_path / name
    write_assessments(RICH, path, layout=layout, locale=locale)
    back = read_assessments(path)
    expected = RICH if name.endswith((".json", ".toml")) else Assessments(None, RICH.items)
    assert back == expected
    # To the last digit: the TOML text shows every digit, trailing zeros included.
    assert dumps_assessments(back) == dumps_assessments(expected)
    assert back.items[1].unit.name == unicodedata.normalize("NFC", NFD_NAME)


def test_wide_round_trips(krong_no: Scheme, tmp_path: Path) -> None:
    original = read_assessments(WIDE_CSV, krong_no)
    for name in ("w.csv", "w-vi.csv", "w.xlsx"):
        if name.endswith(".xlsx"):
            pytest.importorskip("openpyxl")
        locale: Any = "vi" if "vi" in name else "en"
        write_assessments(original, tmp_path / name, layout="wide", locale=locale)
        assert read_assessments(tmp_path / name, krong_no) == original
        assert dumps_assessments(read_assessments(tmp_path / name, krong_no)) == dumps_assessments(original)
    self_assessed = Assessments(None, (Assessment.of("x", "Xã X", self_assessed={"1": "4,50", "10": 2, "2": 1}),))
    write_assessments(self_assessed, tmp_path / "s.csv", layout="wide", basis="self_assessed")
    assert (tmp_path / "s.csv").read_text(encoding="utf-8") == "unit_id,unit_name,1,2,10\nx,Xã X,4.50,1,2\n"
    assert read_assessments(tmp_path / "s.csv", basis="self_assessed") == self_assessed


def test_written_csv_is_what_people_expect(tmp_path: Path) -> None:
    small = Assessments(None, (Assessment.of("x", "Xã X", {"1": "4,5", "2": "n/a"}, {"1": 4}, {"2": "Không có"}),))
    write_assessments(small, tmp_path / "en.csv")
    assert (tmp_path / "en.csv").read_text(encoding="utf-8") == (
        "unit_id,unit_name,code,appraised,self_assessed,evidence\n"
        "x,Xã X,1,4.5,4,\n"
        "x,Xã X,2,n/a,,Không có\n"
    )
    write_assessments(small, tmp_path / "vi.csv", locale="vi", bom=True)
    assert (tmp_path / "vi.csv").read_bytes().decode("utf-8") == (
        "\ufeffMã đơn vị;Tên đơn vị;Mã tiêu chí;Điểm thẩm định;Điểm tự đánh giá;Tài liệu kiểm chứng\n"
        "x;Xã X;1;4,5;4;\n"
        "x;Xã X;2;n/a;;Không có\n"
    )
    write_assessments(small, tmp_path / "a.json")
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8")) == {
        "units": [
            {
                "id": "x",
                "name": "Xã X",
                "appraised": {"1": "4.5", "2": "n/a"},
                "self_assessed": {"1": "4"},
                "evidence": {"2": "Không có"},
            }
        ]
    }


def test_xlsx_cells_are_numbers_where_a_float_is_exact(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    write_assessments(RICH, tmp_path / "a.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    rows = {(r[0].value, r[2].value): r for r in sheet.iter_rows(min_row=2)}
    appraised = rows["dak-dro", "1.1"][3]
    assert (appraised.value, appraised.data_type, appraised.number_format) == (4.5, "n", "0.00")
    ratio = rows["dak-dro", "1.2.2"][3]
    assert (ratio.value, ratio.number_format) == (0.123456789, "0.0000000000")
    # 25 significant digits do not fit a binary float: kept exact as text.
    big = rows["dak-dro", "3.2"][3]
    assert (big.value, big.data_type) == ("123456789012345.1234567891", "s")
    # Neither do these 17, written with 16 as spreadsheets write them.
    assert rows["dak-dro", "1.2.2"][4].value == "1234567.1234567892"
    # Text that starts with "=" stays text, never a formula.
    evidence = rows["dak-dro", "3.1"][5]
    assert (evidence.value, evidence.data_type) == ("=1+1", "s")
    assert rows["dak-dro", "2.2"][4].value is False
    assert rows["dak-dro", "2.2"][3].value == "n/a"


def test_xlsx_refuses_text_it_cannot_store(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    bad = Assessments(None, (Assessment.of("x", "Xã X", {"1": 1}, evidence={"1": "a\x01b"}),))
    with pytest.raises(ValueError) as exc:
        write_assessments(bad, tmp_path / "bad.xlsx")
    assert str(exc.value) == "F2: 'a\\x01b' holds a control character that .xlsx cannot store"
    write_assessments(bad, tmp_path / "bad.csv")
    assert read_assessments(tmp_path / "bad.csv") == bad


def test_wide_refuses_to_lose_values(tmp_path: Path) -> None:
    with pytest.raises(ValueError) as exc:
        write_assessments(RICH, tmp_path / "w.csv", layout="wide")
    lines = str(exc.value).splitlines()
    assert lines[0] == "the wide layout holds exactly one value per unit and criterion; write the long layout instead:"
    assert "  unit 'buon-choah' has no appraised value for '1.1'" in lines
    assert (
        "  unit 'dak-dro', criterion '1.1' has more than its appraised value (self-assessed, appraised or evidence)"
        in lines
    )
    assert not (tmp_path / "w.csv").exists()
    with pytest.raises(ValueError, match="cannot tell the format"):
        write_assessments(RICH, tmp_path / "a.ods")
    with pytest.raises(ValueError, match="format must be one of csv, json, toml, xlsx, got 'ods'"):
        write_assessments(RICH, tmp_path / "a.csv", format="ods")  # type: ignore[arg-type]


# --- openpyxl is optional -------------------------------------------------------------------------------


def test_without_openpyxl_the_error_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_openpyxl(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "openpyxl" or name.startswith("openpyxl."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    (tmp_path / "a.xlsx").write_bytes(b"")
    with pytest.raises(MissingDependencyError) as exc:
        read_assessments(tmp_path / "a.xlsx")
    assert str(exc.value) == "reading .xlsx files needs openpyxl: pip install 'parscore[xlsx]'"
    assert isinstance(exc.value, ParscoreError) and isinstance(exc.value, ImportError)
    with pytest.raises(MissingDependencyError) as written:
        write_assessments(RICH, tmp_path / "b.xlsx")
    assert str(written.value) == "writing .xlsx files needs openpyxl: pip install 'parscore[xlsx]'"
    with pytest.raises(MissingDependencyError, match=r"pip install 'parscore\[xlsx\]'"):
        write_tables(_demo(), tmp_path / "t.xlsx")
    # Every other format needs nothing more.
    write_tables(_demo(), tmp_path / "t.csv")
    write_assessments(RICH, tmp_path / "a.csv")


# --- tables ----------------------------------------------------------------------------------------------


def _demo() -> Table:
    build: Callable[..., Table] = Table
    return build(
        "demo <1>",
        ("Demo & <test>", "Ví dụ & <thử>"),
        (
            Column("unit", "Unit", "Đơn vị"),
            Column("points", "Points", "Điểm", "number"),
            Column("share", "Share", "Tỷ lệ", "percent", 1),
            Column("count", "Units", "Số đơn vị", "integer"),
            Column("ok", "Passed", "Đạt"),
        ),
        (("Xã <A> & B", D("4.50"), D("87.25"), 3, True), ("=Xã C", D("0.125"), None, 0, False)),
        (("Made up", "Tự đặt"),),
    )


def test_result_table(krong_no: Scheme) -> None:
    result = evaluate(krong_no, read_assessments(WIDE_CSV, krong_no))
    table = result_table(result)
    assert [c.key for c in table.columns] == [
        "rank", "unit", "name", "field_1", "field_2", "field_3", "field_4", "field_5", "field_6", "field_7",
        "total", "band",
    ]
    assert [c.heading("vi") for c in table.columns][3] == "Lĩnh vực 1 (tối đa 17,5)"
    assert table.rows[0] == (
        1, "nam-nung", "UBND xã Nâm Nung", D("17.5"), D("10"), D("16.8"), D("17"), D("7.5"), D("9.6"), D("2"),
        D("80.4"), "Tốt",
    )
    assert [(row[0], row[1], row[10], row[11]) for row in table.rows] == [
        (rank, uid, D(total), band) for rank, (uid, total, band) in enumerate(PUBLISHED, start=1)
    ]
    assert table.notes[0] == (f"{KRONG_NO} revision 0, appraised points", f"{KRONG_NO} phiên bản 0, điểm thẩm định")
    title = "Công tác chỉ đạo, điều hành CCHC"
    assert table.notes[1] == (f"Field 1: {title}", f"Lĩnh vực 1: {title}")
    assert table.notes[-1] == ("Average score: 67.75", "Điểm trung bình: 67,75")
    csv_text = table.render("csv", "vi").splitlines()
    assert csv_text[1] == "1;nam-nung;UBND xã Nâm Nung;17,5;10;16,8;17;7,5;9,6;2;80,4;Tốt"


def test_result_table_with_a_normalised_score(every: Scheme) -> None:
    assessments = Assessments(
        EVERY,
        (
            Assessment.of(
                "x", "Xã X",
                {"1.1": "4.5", "1.2.1": 1, "1.2.2": "0.8", "2.1": True, "2.2": 1, "3.1": 2, "3.2": "90"},
            ),
        ),
    )
    table = result_table(evaluate(every, assessments))
    assert [c.key for c in table.columns][-3:] == ["total", "score", "band"]
    assert table.columns[-2].heading("en") == "Score (of 100)"
    # 4.5 + 2 + 4 + 3 + 5 + 1.5 + 7.2 = 27.2 of 30, normalised to 100 and rounded to 1 decimal: 90.7.
    assert table.rows[0][-3:] == (D("27.20"), D("90.7"), "A")


def test_write_tables_in_every_text_format(krong_no: Scheme, tmp_path: Path) -> None:
    demo = _demo()
    write_tables(demo, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == demo.render("csv")
    write_tables(demo, tmp_path / "t-vi.csv", locale="vi", bom=True)
    assert (tmp_path / "t-vi.csv").read_text(encoding="utf-8") == "\ufeff" + demo.render("csv", "vi")
    assert (tmp_path / "t-vi.csv").read_text(encoding="utf-8").splitlines()[1] == "Xã <A> & B;4,5;87,25;3;có"
    write_tables(demo, tmp_path / "t.json")
    assert (tmp_path / "t.json").read_text(encoding="utf-8") == demo.render("json")
    write_tables([demo, demo], tmp_path / "two.json", locale="vi")
    two = json.loads((tmp_path / "two.json").read_text(encoding="utf-8"))
    assert [t["title"] for t in two] == ["Ví dụ & <thử>", "Ví dụ & <thử>"]
    assert two[0]["rows"][0]["points"] == "4.50"
    write_tables([demo], tmp_path / "t.md", title="Báo cáo")
    assert (tmp_path / "t.md").read_text(encoding="utf-8") == "# Báo cáo\n\n" + demo.render("md")
    write_tables(demo, tmp_path / "t.txt", locale="vi")
    assert (tmp_path / "t.txt").read_text(encoding="utf-8") == demo.render("text", "vi")
    result = evaluate(krong_no, read_assessments(WIDE_CSV, krong_no))
    write_tables(result, tmp_path / "r.csv", locale="vi")
    assert (tmp_path / "r.csv").read_text(encoding="utf-8") == result_table(result).render("csv", "vi")
    with pytest.raises(ValueError, match="a CSV file holds one table, not 2: write each to its own file"):
        write_tables([demo, demo], tmp_path / "x.csv")
    with pytest.raises(ValueError, match="cannot tell the format of tables file"):
        write_tables(demo, tmp_path / "x.pdf")
    with pytest.raises(ValueError, match="locale must be 'en' or 'vi', got 'fr'"):
        write_tables(demo, tmp_path / "x.csv", locale="fr")  # type: ignore[arg-type]


def test_write_html(tmp_path: Path) -> None:
    write_tables(_demo(), tmp_path / "t.html", locale="vi")
    assert (tmp_path / "t.html").read_text(encoding="utf-8") == """\
<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Ví dụ &amp; &lt;thử&gt;</title>
<style>
body { font-family: sans-serif; }
table { border-collapse: collapse; margin: 1em 0; }
caption { font-weight: bold; text-align: left; padding: 0.3em 0; }
th, td { border: 1px solid #999; padding: 0.2em 0.5em; vertical-align: top; }
td.number { text-align: right; }
</style>
</head>
<body>
<table id="demo &lt;1&gt;">
<caption>Ví dụ &amp; &lt;thử&gt;</caption>
<thead><tr><th>Đơn vị</th><th>Điểm</th><th>Tỷ lệ</th><th>Số đơn vị</th><th>Đạt</th></tr></thead>
<tbody>
<tr><td>Xã &lt;A&gt; &amp; B</td><td class="number">4,5</td><td class="number">87,3 %</td>\
<td class="number">3</td><td>có</td></tr>
<tr><td>=Xã C</td><td class="number">0,125</td><td class="number"></td><td class="number">0</td><td>không</td></tr>
</tbody>
</table>
<ul><li>Tự đặt</li></ul>
</body>
</html>
"""
    write_tables([_demo(), _demo()], tmp_path / "two.htm", title="Báo cáo <2022>")
    text = (tmp_path / "two.htm").read_text(encoding="utf-8")
    assert "<title>Báo cáo &lt;2022&gt;</title>" in text
    assert "<h1>Báo cáo &lt;2022&gt;</h1>" in text
    assert text.count("<table ") == 2
    assert '<html lang="en">' in text and "<caption>Demo &amp; &lt;test&gt;</caption>" in text


def test_write_xlsx_tables(krong_no: Scheme, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    result = evaluate(krong_no, read_assessments(WIDE_CSV, krong_no))
    write_tables([result, _demo(), _demo()], tmp_path / "t.xlsx", locale="vi")
    workbook = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert workbook.sheetnames == ["results", "demo <1>", "demo <1> (2)"]
    sheet = workbook["results"]
    assert sheet["A1"].value == f"Kết quả xếp hạng: {krong_no.title}"
    assert krong_no.title == "Chỉ số cải cách hành chính UBND các xã, thị trấn huyện Krông Nô năm 2022"
    assert [c.value for c in sheet[3]][:4] == ["Xếp hạng", "Mã đơn vị", "Đơn vị", "Lĩnh vực 1 (tối đa 17,5)"]
    first = sheet[4]
    assert [c.value for c in first] == [1, "nam-nung", "UBND xã Nâm Nung", 17.5, 10, 16.8, 17, 7.5, 9.6, 2, 80.4, "Tốt"]
    # Numbers are number cells, formatted with the decimals of the exact value.
    assert [(c.data_type, c.number_format) for c in first][3:5] == [("n", "0.0"), ("n", "0")]
    assert (first[10].data_type, first[10].number_format) == ("n", "0.0")
    assert sheet.cell(row=4 + 12 + 1, column=1).value == f"{KRONG_NO} phiên bản 0, điểm thẩm định"
    assert sheet.cell(row=4 + 12 + 1 + 8, column=1).value == "Điểm trung bình: 67,75"
    demo = workbook["demo <1>"]
    assert [c.value for c in demo[4]] == ["Xã <A> & B", 4.5, 87.25, 3, "có"]
    assert [c.number_format for c in demo[4]][1:4] == ["0.00", '0.0" %"', "0"]
    assert (demo["A5"].value, demo["A5"].data_type) == ("=Xã C", "s")
    assert demo["C5"].value is None
    assert demo["A7"].value == "Tự đặt"
    write_tables(result, tmp_path / "en.xlsx", title="Kết quả")
    english = openpyxl.load_workbook(tmp_path / "en.xlsx")
    assert english.properties.title == "Kết quả"
    assert english["results"]["C3"].value == "Unit"
