"""Notebooks: HTML views, pandas data frames, charts, and the example notebook run end to end.

HTML is parsed (every tag must close) and read cell by cell; data frames are
checked for exact ``Decimal`` values; charts are checked for the data they
draw (bar lengths, image values, line ends) and rendered to PNG, where a
missing glyph would be a warning and so an error.  The example notebook's
code cells run in order in one namespace, each cell's last value displayed
as Jupyter would (HTML, or a PNG for a figure).
"""

from __future__ import annotations

import ast
import io
import json
import sys
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from parscore import (
    NOT_APPLICABLE,
    Assessment,
    Band,
    Bonus,
    Deduction,
    Entered,
    Node,
    Normalisation,
    NotApplicablePolicy,
    ParscoreError,
    PassFail,
    Ranking,
    RankMethod,
    Ratio,
    Result,
    Rounding,
    Scheme,
    Source,
    Survey,
    Tier,
    Tiers,
    evaluate,
    get_scheme,
    get_scheme_package,
)
from parscore import notebook as nb
from parscore.tables import Column, Table

D = Decimal
ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "notebooks" / "krong-no.ipynb"
KRONG_NO = "vn.dak-nong.krong-no.commune.2022"


# --- inputs ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def krong_no() -> Result:
    scheme = get_scheme(KRONG_NO)
    return evaluate(scheme, get_scheme_package(KRONG_NO).load_example("communes-2022").assessments)


def rules_scheme(**changes: object) -> Scheme:
    """A scheme with every built-in rule, a not-applicable policy, a note and odd characters."""
    arguments: dict[str, object] = {
        "id": "vn.demo.commune.2023",
        "title": "Chỉ số <CCHC> & \"xã\"",
        "issuer": "UBND huyện Demo",
        "level": "commune",
        "year": 2023,
        "fields": (
            Node("1", "Chỉ đạo, điều hành", D(10), children=(
                Node("1.1", "Kế hoạch CCHC", D(4), rule=Entered(step=D("0.25")), note="ghi chú <i>"),
                Node("1.2", "Báo cáo", D(6), children=(
                    Node("1.2.1", "Đúng hạn", D(2), rule=Deduction(per=D("0.25"))),
                    Node("1.2.2", "Đạt", D(1), rule=PassFail()),
                    Node("1.2.3", "Tỷ lệ hồ sơ", D(3), rule=Ratio(threshold=D("0.5")),
                         not_applicable=NotApplicablePolicy.DROP),
                )),
            )),
            Node("2", "Giải ngân", D(5), children=(
                Node("2.1", "Tiến độ", D(2), rule=Tiers((Tier(D(1), D(2)), Tier(D("0.85"), D(1))))),
                Node("2.2", "Sáng kiến", D(1), rule=Bonus(per_item=D("0.5"), cap=D(1))),
                Node("2.3", "SIPAS", D(2), rule=Survey()),
            )),
        ),
        "bands": (Band("Tốt", D(12)), Band("Khá", D(8), D(12)), Band("Yếu", D(0), D(8))),
        "ranking": Ranking(RankMethod.COMPETITION),
        "rounding": Rounding(leaf=2, normalised=1),
        "normalisation": Normalisation(D(20)),
        "source": Source("Quyết định 1", stated_total=D(16)),
    }
    arguments.update(changes)
    return Scheme(**arguments)  # type: ignore[arg-type]


def rules_units() -> list[Assessment]:
    full = {"1.1": "4", "1.2.1": 0, "1.2.2": True, "1.2.3": "1", "2.1": 1, "2.2": 2, "2.3": 100}
    return [
        Assessment.of("a", "UBND xã <A>", appraised=full),
        Assessment.of("b", "UBND xã B", appraised={**full, "1.1": "2,5", "1.2.3": NOT_APPLICABLE, "2.3": "50"}),
        Assessment.of("c", "UBND xã C", appraised={**full, "1.1": 0, "1.2.1": 8, "1.2.2": False, "2.1": "0.9",
                                                  "2.2": 0, "2.3": 0}),
    ]


@pytest.fixture
def rules_result() -> Result:
    return evaluate(rules_scheme(), rules_units())


# --- reading HTML ----------------------------------------------------------------------------


class Html(HTMLParser):
    """The tables of an HTML fragment as rows of cells; fails on any tag left open or closed twice."""

    VOID = frozenset({"br"})

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tables: list[list[list[dict[str, str]]]] = []
        self.cell: dict[str, str] | None = None
        self.text: list[str] = []
        self.tags: list[str] = []
        self.feed(text)
        self.close()
        assert not self.open, f"tags left open: {self.open}"

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in self.VOID:
            self.open.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = {"tag": tag, "text": "", **{k: v or "" for k, v in attributes}}
            self.tables[-1][-1].append(self.cell)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()
        if tag in ("td", "th"):
            self.cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.cell is not None:
            self.cell["text"] += data

    def texts(self, table: int) -> list[list[str]]:
        return [[cell["text"] for cell in row] for row in self.tables[table]]


def background(cell: dict[str, str]) -> str | None:
    for part in cell.get("style", "").split(";"):
        key, _, value = part.partition(":")
        if key.strip() == "background-color":
            return value.strip()
    return None


# --- band colours ----------------------------------------------------------------------------


def test_band_colours_go_from_red_to_green_by_lower_bound(krong_no: Result) -> None:
    assert nb.band_colours(krong_no.scheme) == {
        "Yếu": "#d73027", "Trung bình": "#fdae61", "Khá": "#ffffbf", "Tốt": "#a6d96a", "Xuất sắc": "#1a9850",
    }
    assert nb.band_colours(rules_scheme()) == {"Yếu": "#d73027", "Khá": "#ffffbf", "Tốt": "#1a9850"}
    one = rules_scheme(bands=(Band("Đạt", D(0)),))
    assert nb.band_colours(one) == {"Đạt": "#1a9850"}


def test_ink_is_readable_on_every_colour() -> None:
    assert nb._ink("#1a9850") == "#ffffff"
    assert nb._ink("#ffffbf") == "#000000"
    assert nb._ink("#d73027") == "#ffffff"


# --- scheme HTML --------------------------------------------------------------------------------


def test_scheme_html_shows_the_tree_rules_and_bands() -> None:
    scheme = rules_scheme()
    text = scheme._repr_html_()
    assert text == nb.scheme_html(scheme)
    page = Html(text)
    tree = page.texts(0)
    assert tree[0] == ["Code", "Field / criterion", "Max", "Rule", "Not applicable"]
    rows = {row[0]: row for row in tree[1:-1]}
    assert list(rows) == [n.code for n in scheme.nodes()]
    assert rows["1"][1:4] == ["Chỉ đạo, điều hành", "10", ""]
    assert rows["1.1"][1:4] == ["Kế hoạch CCHCghi chú <i>", "4", "entered (step = 0.25)"]
    assert rows["1.2.1"][3] == "deduction (per = 0.25)"
    assert rows["1.2.2"][3] == "pass_fail"
    assert rows["1.2.3"][3:] == ["ratio (threshold = 0.5)", "drop"]
    assert rows["2.1"][3] == "tiers (tiers = [{at_least = 1, points = 2}, {at_least = 0.85, points = 1}])"
    assert rows["2.2"][3] == "bonus (per_item = 0.5, cap = 1)"
    assert rows["2.3"][3] == "survey"
    assert tree[-1][1:3] == ["Total", "15"]
    # Deeper nodes are indented further.
    indents = [row[1]["style"] for row in page.tables[0][1:4]]
    assert indents == [f"text-align: left; padding-left: {8 + 20 * d}px" for d in (0, 1, 1)]
    bands = page.tables[1]
    assert [[c["text"] for c in row] for row in bands] == [
        ["Band", "From", "Below"], ["Tốt", "12", ""], ["Khá", "8", "12"], ["Yếu", "0", "8"],
    ]
    assert [background(row[0]) for row in bands[1:]] == ["#1a9850", "#ffffbf", "#d73027"]
    words = "".join(page.text)
    assert "Chỉ số <CCHC> & \"xã\"" in words
    assert "normalised to a scale of 20" in words
    assert "leaf points rounded half-up to 2 decimals" in words
    assert "competition ranking" in words
    assert "the source states a total of 16 points, but its field maxima add up to 15" in words
    assert "<CCHC>" not in text and "<i>" not in text


def test_scheme_html_in_vietnamese(krong_no: Result) -> None:
    page = Html(nb.scheme_html(krong_no.scheme, "vi"))
    assert page.texts(0)[0] == ["Mã", "Lĩnh vực / tiêu chí", "Điểm tối đa", "Cách chấm"]
    assert page.texts(0)[1][:3] == ["1", "Công tác chỉ đạo, điều hành CCHC" + "06 tiêu chí (14 tiêu chí thành phần)",
                                    "17,5"]
    assert page.texts(0)[-1][1:3] == ["Tổng điểm", "100,5"]
    assert "Tài liệu gốc tự mâu thuẫn" in "".join(page.text)
    with pytest.raises(ValueError, match="locale must be one of en, vi"):
        nb.scheme_html(krong_no.scheme, "fr")  # type: ignore[arg-type]


# --- result HTML --------------------------------------------------------------------------------


def test_result_html_ranks_units_with_fields_totals_and_coloured_bands(krong_no: Result) -> None:
    text = krong_no._repr_html_()
    assert text == nb.result_html(krong_no)
    page = Html(text)
    rows = page.texts(0)
    assert rows[0] == ["Rank", "Unit", "1", "2", "3", "4", "5", "6", "7", "Total", "Band"]
    assert rows[1] == ["", "Maximum", "17.5", "10", "20.5", "17.5", "8.5", "21.5", "5", "100.5", ""]
    body = rows[2:-1]
    assert [(r[0], r[1], r[-2], r[-1]) for r in body] == [
        (str(u.rank), u.name, format(u.score.normalize(), "f"), u.band.name) for u in krong_no.units
    ]
    assert body[0] == ["1", "UBND xã Nâm Nung", "17.5", "10", "16.8", "17", "7.5", "9.6", "2", "80.4", "Tốt"]
    assert body[1][-2] == "80"  # 80.0, shown without its trailing zero
    colours = nb.band_colours(krong_no.scheme)
    assert [background(r[-1]) for r in page.tables[0][2:-1]] == [colours[u.band.name] for u in krong_no.units]
    footer = page.tables[0][-1]
    assert [c["text"] for c in footer] == ["", "Average", "10.25", "7.83", "12.92", "16.92", "7.71", "8.29", "3.83",
                                           "67.75", "Trung bình"]
    assert footer[3]["title"].startswith("7.8333")
    assert background(footer[-1]) == colours["Trung bình"]
    # The unit's explanation and id are in tooltips.
    assert page.tables[0][2][2]["title"] == "entered 17.5 of 17.5"
    assert page.tables[0][2][1]["title"] == "nam-nung"
    words = "".join(page.text)
    assert "appraised points out of 100.5; 12 units" in words
    assert "but its field maxima add up to 100.5" in words
    assert krong_no.provenance.input_hash in words


def test_result_html_shows_raw_total_and_score_when_normalised(rules_result: Result) -> None:
    page = Html(nb.result_html(rules_result))
    rows = page.texts(0)
    assert rows[0] == ["Rank", "Unit", "1", "2", "Total", "Score", "Band"]
    assert rows[1] == ["", "Maximum", "10", "5", "15", "20", ""]
    by_name = {r[1]: r for r in rows[2:-1]}
    # b's dropped leaf leaves its maximum: 9.5 of 12 on a scale of 20 is 15.83…, rounded to 15.8.
    assert by_name["UBND xã B"][2:] == ["5.5", "4", "9.5", "15.8", "Tốt"]
    assert by_name["UBND xã <A>"][2:] == ["10", "5", "15", "20", "Tốt"]
    assert [r[1] for r in rows[2:-1]] == [u.name for u in rules_result.units]
    assert "UBND xã &lt;A&gt;" in nb.result_html(rules_result)


def test_result_html_marks_a_dropped_field() -> None:
    scheme = rules_scheme(fields=(
        Node("1", "Một", D(10), rule=Entered()),
        Node("2", "Hai", D(5), rule=Entered(), not_applicable=NotApplicablePolicy.DROP),
    ))
    result = evaluate(scheme, [Assessment.of("a", "A", appraised={"1": 9, "2": NOT_APPLICABLE})])
    page = Html(nb.result_html(result))
    cell = page.tables[0][2][3]
    assert (cell["text"], cell["title"]) == ("–", "not applicable")


def test_result_html_in_vietnamese_uses_decimal_commas(krong_no: Result) -> None:
    page = Html(nb.result_html(krong_no, "vi"))
    rows = page.texts(0)
    assert rows[0][:2] == ["Xếp hạng", "Đơn vị"] and rows[0][-2:] == ["Tổng điểm", "Xếp loại"]
    assert rows[2][-2] == "80,4"
    assert rows[-1][1] == "Điểm trung bình" and rows[-1][-2] == "67,75"
    assert "điểm thẩm định, trên 100,5 điểm; 12 đơn vị" in "".join(page.text)


def test_result_html_with_no_units_and_with_too_many(krong_no: Result) -> None:
    empty = evaluate(krong_no.scheme, [])
    rows = Html(nb.result_html(empty)).texts(0)
    assert rows[2:] == [["no units"]]
    page = Html(nb.result_html(krong_no, max_rows=3))
    rows = page.texts(0)
    assert [r[1] for r in rows[2:5]] == [u.name for u in krong_no.units[:3]]
    assert rows[5] == ["… and 9 more rows (max_rows=None shows them all)"]
    assert rows[-1][-2] == "67.75"  # the average is still of every unit
    assert len(Html(nb.result_html(krong_no, max_rows=None)).tables[0]) == 15
    with pytest.raises(ValueError, match="max_rows must be 1 or more"):
        nb.result_html(krong_no, max_rows=0)


# --- table HTML ---------------------------------------------------------------------------------


def make_table(*arguments: object) -> Table:
    """A ``Table`` through a plain callable: mypy's attrs plugin cannot type its tuple converters."""
    build: Callable[..., Table] = Table
    return build(*arguments)


def demo_table() -> Table:
    return make_table(
        "demo",
        ("Demo <table>", "Bảng ví dụ"),
        (Column("unit", "Unit", "Đơn vị"), Column("points", "Points", "Điểm", "number", 2),
         Column("count", "Count", "Số", "integer"), Column("share", "Share", "Tỷ lệ", "percent", 1),
         Column("ok", "OK", "Đạt")),
        (("Xã A & B", D("7.8333"), 3, D("12.5"), True), ("Xã C", D("4.5"), None, None, False)),
        (("Averages are exact", "Điểm trung bình là số chính xác"),),
    )


def test_table_html_shows_title_rows_and_notes() -> None:
    table = demo_table()
    text = table._repr_html_()
    assert text == nb.table_html(table)
    page = Html(text)
    assert page.texts(0) == [
        ["Unit", "Points", "Count", "Share", "OK"],
        ["Xã A & B", "7.83", "3", "12.5 %", "yes"],
        ["Xã C", "4.50", "", "", "no"],
    ]
    first = page.tables[0][1]
    assert first[1]["title"] == "7.8333"  # rounded for display; exact in the tooltip
    assert "title" not in first[3]  # 12.5 shown to 1 decimal is exact
    assert first[1]["style"] == "text-align: right" and first[0]["style"] == "text-align: left"
    assert "Demo <table>" in "".join(page.text) and "Averages are exact" in "".join(page.text)
    assert "Xã A &amp; B" in text and "Demo &lt;table&gt;" in text


def test_table_html_in_vietnamese_and_truncated() -> None:
    page = Html(nb.table_html(demo_table(), "vi", max_rows=1))
    assert page.texts(0) == [
        ["Đơn vị", "Điểm", "Số", "Tỷ lệ", "Đạt"],
        ["Xã A & B", "7,83", "3", "12,5 %", "có"],
        ["… và 1 dòng nữa (max_rows=None để hiện tất cả)"],
    ]
    assert "Bảng ví dụ" in "".join(page.text) and "Điểm trung bình là số chính xác" in "".join(page.text)


def test_html_is_unicode_text_in_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "UBND xã Đắk Nang")
    table = make_table("t", ("T", "T"), (Column("unit", "Unit", "Đơn vị"),), ((decomposed,),))
    assert "UBND xã Đắk Nang" in table._repr_html_()
    table._repr_html_().encode("utf-8")


# --- pandas -------------------------------------------------------------------------------------


def test_result_to_pandas_keeps_decimals(krong_no: Result) -> None:
    pd = pytest.importorskip("pandas")
    frame = krong_no.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["name", "rank", "score", "band", "raw_total", "max_total",
                                   "1", "2", "3", "4", "5", "6", "7"]
    assert list(frame.index) == [u.unit_id for u in krong_no.units] and frame.index.name == "unit_id"
    assert list(frame["score"]) == [u.score for u in krong_no.units]
    for column in ("score", "raw_total", "max_total", "1", "7"):
        assert frame[column].dtype == object
        assert all(type(value) is Decimal for value in frame[column])
    assert frame["rank"].dtype == "int64"
    assert frame.loc["nam-nung", "6"] == D("9.6")
    assert sum(frame["score"]) / len(frame) == D("67.75")
    assert frame.attrs["scheme_id"] == KRONG_NO
    assert frame.attrs["provenance"]["input_hash"] == krong_no.provenance.input_hash


def test_result_to_pandas_by_node(rules_result: Result) -> None:
    pytest.importorskip("pandas")
    frame = rules_result.to_pandas(nodes=True)
    assert list(frame.columns) == ["unit_id", "name", "code", "title", "level", "points", "max", "gap",
                                   "percentage", "applicable"]
    assert len(frame) == 3 * 10
    row = frame[(frame["unit_id"] == "b") & (frame["code"] == "1.2.3")].iloc[0]
    assert (row["points"], row["max"], row["percentage"], row["applicable"]) == (D(0), D(0), None, False)
    row = frame[(frame["unit_id"] == "b") & (frame["code"] == "1.1")].iloc[0]
    assert (row["points"], row["gap"], row["percentage"]) == (D("2.5"), D("1.5"), D("62.5"))
    assert all(type(v) is Decimal for v in frame["points"])


def test_result_to_pandas_with_no_units(krong_no: Result) -> None:
    pytest.importorskip("pandas")
    empty = evaluate(krong_no.scheme, [])
    assert empty.to_pandas().shape == (0, 13)
    assert empty.to_pandas(nodes=True).shape == (0, 10)


def test_result_to_pandas_refuses_field_codes_that_clash() -> None:
    pytest.importorskip("pandas")
    scheme = rules_scheme(fields=(Node("rank", "Một", D(10), rule=Entered()),), normalisation=None, source=None,
                          bands=(Band("Đạt", D(0)),))
    result = evaluate(scheme, [Assessment.of("a", "A", appraised={"rank": 9})])
    with pytest.raises(ValueError, match=r"field codes \['rank'\] clash"):
        result.to_pandas()
    assert len(result.to_pandas(nodes=True)) == 1


def test_table_to_pandas_keeps_decimals_and_whole_numbers() -> None:
    pd = pytest.importorskip("pandas")
    table = demo_table()
    frame = table.to_pandas()
    assert list(frame.columns) == ["unit", "points", "count", "share", "ok"]
    assert frame["points"].dtype == object and list(frame["points"]) == [D("7.8333"), D("4.5")]
    assert frame["share"].dtype == object and frame["share"][1] is None
    assert str(frame["count"].dtype) == "Int64" and frame["count"][0] == 3 and frame["count"][1] is pd.NA
    assert list(frame["ok"]) == [True, False]
    assert frame.attrs["title"] == ("Demo <table>", "Bảng ví dụ")
    assert frame.attrs["notes"] == (("Averages are exact", "Điểm trung bình là số chính xác"),)
    assert list(table.to_pandas("vi").columns) == ["Đơn vị", "Điểm", "Số", "Tỷ lệ", "Đạt"]
    assert list(table.to_pandas("en").columns) == ["Unit", "Points", "Count", "Share", "OK"]


def test_analysis_tables_convert(krong_no: Result) -> None:
    pytest.importorskip("pandas")
    analysis = pytest.importorskip("parscore.analysis")
    frame = analysis.distribution(krong_no).bands.to_pandas()
    assert list(frame["units"]) == [0, 2, 3, 7, 0]


def test_missing_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch, krong_no: Result) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(nb.MissingDependencyError, match=r"pip install 'parscore\[pandas\]'") as raised:
        krong_no.to_pandas()
    assert isinstance(raised.value, ParscoreError) and isinstance(raised.value, ImportError)
    with pytest.raises(ImportError, match="pandas"):
        demo_table().to_pandas()


def test_optional_libraries_are_not_imported_with_parscore() -> None:
    import subprocess

    code = ("import sys, parscore, parscore.notebook, parscore.analysis;"
            " print(sorted(m for m in ('pandas', 'matplotlib', 'numpy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# --- charts ---------------------------------------------------------------------------------------


@pytest.fixture
def no_pyplot() -> Any:
    """Charts never import pyplot (checked when nothing else imported it first)."""
    before = "matplotlib.pyplot" in sys.modules
    yield
    if not before:
        assert "matplotlib.pyplot" not in sys.modules


def png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=60, metadata={"Software": None})
    data = buffer.getvalue()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return data


def test_plot_ranking_draws_scores_in_band_colours(krong_no: Result, no_pyplot: None) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.colors import to_hex
    from matplotlib.figure import Figure

    figure = nb.plot_ranking(krong_no)
    assert isinstance(figure, Figure)
    ax: Any = figure.axes[0]
    bars = ax.patches
    assert [bar.get_width() for bar in bars] == [float(u.score) for u in krong_no.units]
    colours = nb.band_colours(krong_no.scheme)
    assert [to_hex(bar.get_facecolor()) for bar in bars] == [colours[u.band.name] for u in krong_no.units]
    # Best at the top: the first unit's bar is drawn highest.
    assert bars[0].get_y() < bars[-1].get_y() and ax.yaxis_inverted()
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"{u.rank}. {u.name}" for u in krong_no.units]
    assert [t.get_text() for t in ax.texts] == ["80.4", "80", "79.1", "71.4", "70.4", "65.7", "62.4", "61.8",
                                                "61.2", "60.4", "60.2", "60"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Xuất sắc ≥ 95", "Tốt ≥ 80", "Khá ≥ 70", "Trung bình ≥ 60", "Yếu ≥ 0"]
    png(figure)


def test_charts_are_deterministic(krong_no: Result) -> None:
    pytest.importorskip("matplotlib")
    for draw in (nb.plot_ranking, nb.plot_heatmap, lambda r: nb.plot_gaps(r, "tan-thanh"),
                 lambda r: nb.plot_slope(r, r)):
        assert png(draw(krong_no)) == png(draw(krong_no))


def test_plot_heatmap_shows_percentages_of_field_maxima(krong_no: Result, no_pyplot: None) -> None:
    pytest.importorskip("matplotlib")
    figure = nb.plot_heatmap(krong_no)
    ax: Any = figure.axes[0]
    image = ax.images[0]
    expected = [[float(f.percentage) for f in u.fields()] for u in krong_no.units]  # type: ignore[arg-type]
    assert image.get_array().tolist() == expected
    labels = [t.get_text() for t in ax.texts]
    assert labels[:7] == ["100", "100", "82", "97", "88", "45", "40"]
    assert [t.get_text() for t in ax.get_xticklabels()][1] == "2. Cải cách thể chế"
    assert len(figure.axes) == 2  # the colour bar
    png(figure)


def test_plot_heatmap_leaves_a_dropped_field_grey() -> None:
    pytest.importorskip("matplotlib")
    scheme = rules_scheme(fields=(
        Node("1", "Một", D(10), rule=Entered()),
        Node("2", "Hai", D(5), rule=Entered(), not_applicable=NotApplicablePolicy.DROP),
    ))
    result = evaluate(scheme, [Assessment.of("a", "A", appraised={"1": 9, "2": NOT_APPLICABLE}),
                               Assessment.of("b", "B", appraised={"1": 5, "2": 5})])
    figure = nb.plot_heatmap(result)
    values: Any = figure.axes[0].images[0].get_array()
    assert values.mask.tolist() == [[False, True], [False, False]]
    assert values[0, 0] == 90.0 and values[1].tolist() == [50.0, 100.0]
    assert [t.get_text() for t in figure.axes[0].texts] == ["90", "–", "50", "100"]
    png(figure)


def test_plot_gaps_shows_points_achieved_and_lost(krong_no: Result, no_pyplot: None) -> None:
    pytest.importorskip("matplotlib")
    figure = nb.plot_gaps(krong_no, "tan-thanh")
    ax = figure.axes[0]
    achieved, lost = ax.containers
    # Tân Thành: fields by points lost, largest first (13, 9, 3.6, 1.5, 1.5, 1, 0.5; ties in scheme order).
    order = ["6", "1", "3", "2", "4", "7", "5"]
    unit = krong_no.unit("tan-thanh")
    assert [b.get_width() for b in achieved] == [float(unit.node(c).points) for c in order]
    # Drawn from where the achieved points end, so only as exact as floats are.
    assert [b.get_width() for b in lost] == pytest.approx([float(unit.node(c).gap) for c in order])
    assert [b.get_x() for b in lost] == [float(unit.node(c).points) for c in order]
    assert [t.get_text().split(".")[0] for t in ax.get_yticklabels()] == order
    assert [t.get_text() for t in ax.texts][:2] == ["−13 of 21.5", "−9 of 17.5"]
    assert "UBND xã Tân Thành: 70.4 of 100.5 points, rank 5, Khá" in figure.get_suptitle()
    png(figure)
    top = nb.plot_gaps(krong_no, "UBND xã Tân Thành", top=2, locale="vi")
    assert [b.get_width() for b in top.axes[0].containers[1]] == pytest.approx([13.0, 9.0])
    assert [t.get_text() for t in top.axes[0].texts] == ["−13 trên 21,5", "−9 trên 17,5"]
    png(top)


def test_plot_gaps_per_leaf_leaves_out_what_does_not_apply(rules_result: Result) -> None:
    pytest.importorskip("matplotlib")
    figure = nb.plot_gaps(rules_result, "b", level="leaf")
    ax = figure.axes[0]
    codes = [t.get_text().split(". ")[0] for t in ax.get_yticklabels()]
    # 1.2.3 was not applicable for b; survey 50 % of 2 lost 1, entered 2.5 of 4 lost 1.5.
    assert codes == ["1.1", "2.3", "1.2.1", "1.2.2", "2.1", "2.2"]
    assert [b.get_width() for b in ax.containers[1]] == pytest.approx([1.5, 1.0, 0.0, 0.0, 0.0, 0.0])
    assert [t.get_text() for t in ax.texts] == ["−1.5 of 4", "−1 of 2", "", "", "", ""]
    png(figure)


def test_plot_gaps_refuses_unknown_units_and_options(krong_no: Result) -> None:
    pytest.importorskip("matplotlib")
    with pytest.raises(KeyError, match="no unit 'nowhere'"):
        nb.plot_gaps(krong_no, "nowhere")
    with pytest.raises(ValueError, match="level must be 'field' or 'leaf'"):
        nb.plot_gaps(krong_no, "tan-thanh", level="criterion")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="top must be 1 or more"):
        nb.plot_gaps(krong_no, "tan-thanh", top=0)


def test_plot_slope_joins_each_units_two_scores(krong_no: Result, no_pyplot: None) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.colors import to_hex

    before = evaluate(krong_no.scheme, [
        Assessment.of("nam-nung", "UBND xã Nâm Nung", appraised=dict.fromkeys("1234567", 0)),
        Assessment.of("tan-thanh", "UBND xã Tân Thành", appraised={**dict.fromkeys("123456", 0), "7": 5}),
        Assessment.of("old", "UBND xã Cũ", appraised=dict.fromkeys("1234567", 1)),
    ])
    figure = nb.plot_slope(before, krong_no, labels=("trước", "sau"))
    ax: Any = figure.axes[0]
    lines = ax.get_lines()
    assert [tuple(line.get_ydata()) for line in lines] == [(0.0, 80.4), (5.0, 70.4)]
    assert [to_hex(line.get_color()) for line in lines] == ["#1a9850", "#1a9850"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["trước", "sau"]
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["UBND xã Nâm Nung  0", "80.4  UBND xã Nâm Nung", "UBND xã Tân Thành  5",
                     "70.4  UBND xã Tân Thành"]
    unpaired = figure.get_supxlabel()
    assert unpaired.startswith("Not in both results: old, buon-choah, dak-dro")
    png(figure)


def test_plot_slope_colours_falls_and_names_series_by_default(krong_no: Result) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.colors import to_hex

    figure = nb.plot_slope(krong_no, krong_no)
    ax = figure.axes[0]
    assert {to_hex(line.get_color()) for line in ax.get_lines()} == {"#737373"}
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1: 2022, appraised", "2: 2022, appraised"]
    assert figure.get_supxlabel() == ""
    worse = evaluate(krong_no.scheme, [Assessment.of("nam-nung", "UBND xã Nâm Nung",
                                                     appraised=dict.fromkeys("1234567", 0))])
    fell = nb.plot_slope(krong_no, worse, locale="vi")
    assert [to_hex(line.get_color()) for line in fell.axes[0].get_lines()] == ["#d73027"]
    assert [t.get_text() for t in fell.axes[0].get_xticklabels()] == ["1: 2022, thẩm định", "2: 2022, thẩm định"]
    png(fell)


def test_crowded_labels_are_spread_around_their_points() -> None:
    assert nb._spread_out([], 1.0) == []
    assert nb._spread_out([0.0, 10.0], 1.0) == [0.0, 10.0]
    assert nb._spread_out([5.0, 5.0, 5.0], 1.0) == [4.0, 5.0, 6.0]
    assert nb._spread_out([2.0, 0.0, 0.5, 9.0], 1.0) == [2.0, -0.25, 0.75, 9.0]
    assert nb._spread_out([0.0, 0.5, 1.0], 1.0) == [-0.5, 0.5, 1.5]


def test_vietnamese_labels_render_without_missing_glyphs(no_pyplot: None) -> None:
    # pytest turns warnings into errors: a missing glyph would fail here.
    pytest.importorskip("matplotlib")
    name = unicodedata.normalize("NFD", "UBND xã Ẳng Ỡ Ự Đắk Nâm N'Đir")
    scheme = rules_scheme(fields=(Node("1", "Xây dựng chính quyền số", D(10), rule=Entered()),),
                          normalisation=None, source=None, bands=(Band("Xuất sắc", D(5)), Band("Yếu", D(0), D(5))))
    result = evaluate(scheme, [Assessment.of("a", name, appraised={"1": "7,25"})])
    for figure in (nb.plot_ranking(result, locale="vi"), nb.plot_heatmap(result), nb.plot_gaps(result, "a"),
                   nb.plot_slope(result, result)):
        png(figure)
    labels = [t.get_text() for t in nb.plot_ranking(result).axes[0].get_yticklabels()]
    assert labels == [unicodedata.normalize("NFC", f"1. {name}")]


def test_charts_of_an_empty_result(krong_no: Result) -> None:
    pytest.importorskip("matplotlib")
    empty = evaluate(krong_no.scheme, [])
    for figure in (nb.plot_ranking(empty), nb.plot_heatmap(empty), nb.plot_slope(empty, empty)):
        png(figure)


def test_missing_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch, krong_no: Result) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    for draw in (nb.plot_ranking, nb.plot_heatmap, lambda r: nb.plot_gaps(r, "tan-thanh"),
                 lambda r: nb.plot_slope(r, r)):
        with pytest.raises(nb.MissingDependencyError, match=r"pip install 'parscore\[plot\]'"):
            draw(krong_no)


# --- the example notebook -------------------------------------------------------------------------


def load_notebook() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    return data


def source(cell: dict[str, Any]) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def test_notebook_is_stored_without_outputs() -> None:
    data = load_notebook()
    assert (data["nbformat"], data["nbformat_minor"]) == (4, 5)
    assert data["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in data["cells"] if c["cell_type"] == "code"]
    assert code
    for cell in code:
        assert cell["outputs"] == [] and cell["execution_count"] is None
    ids = [c["id"] for c in data["cells"]]
    assert len(set(ids)) == len(ids)
    assert "pyplot" not in "".join(source(c) for c in code)


def display(value: object) -> None:
    """What Jupyter does with a cell's last value: HTML where the object offers it, a PNG for a figure."""
    from matplotlib.figure import Figure

    if isinstance(value, Figure):
        png(value)
    elif hasattr(value, "_repr_html_"):
        text = value._repr_html_()
        assert isinstance(text, str) and text
    else:
        repr(value)


def test_notebook_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pandas")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PARSCORE_DISABLE_PLUGIN_AUTOLOAD", "1")
    namespace: dict[str, Any] = {"__name__": "__main__"}
    shown = []
    for number, cell in enumerate(load_notebook()["cells"]):
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse(source(cell), filename=f"<cell {number} {cell['id']}>")
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, f"<cell {number} {cell['id']}>", "exec"), namespace)
        if isinstance(last, ast.Expr):
            value = eval(compile(ast.Expression(last.value), f"<cell {number} {cell['id']}>", "eval"), namespace)
            display(value)
            shown.append(type(value).__name__)
    result, scenario = namespace["result"], namespace["scenario"]
    assert result.average_total() == D("67.75")
    assert len(namespace["discrepancies"]) == 13
    assert scenario.unit("tan-thanh").node("6").points == D("15")
    assert shown.count("Figure") == 4
    assert {"Scheme", "Result", "DataFrame", "Table"} <= set(shown)
    printed = capsys.readouterr().out
    assert "13 published figures disagree with the recomputation:" in printed
    assert "- section V.1: average total: the report states 67.6, computed 67.75" in printed


def test_notebook_says_what_the_second_series_is() -> None:
    words = " ".join(source(c) for c in load_notebook()["cells"] if c["cell_type"] == "markdown")
    assert "**not real data**" in words and "**scenario**" in words
    assert "2021" not in " ".join(source(c) for c in load_notebook()["cells"] if c["cell_type"] == "code")
