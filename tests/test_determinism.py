"""Determinism: the same input gives byte-identical results and renderings, always.

Whatever the order of the units and of their observations (in Python
objects or in the TOML text), whatever ``PYTHONHASHSEED`` and whichever run
of Python, every output is the same bytes: ``result_to_json``,
``render_table``, ``dumps_result``, the repr of the result, and every
analysis table (``gap_table``, ``distribution``, ``adjustments``,
``compare_years``, ``result_table``) rendered in every format and locale.

Two cases: the Krông Nô example (seed 000), and a generated one with every
rule kind, not-applicable leaves (full points and dropped), leaf and
normalised rounding, tied units and NFD names.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from parscore import (
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
    Scheme,
    Survey,
    Tier,
    Tiers,
    Unit,
    dumps_assessments,
    evaluate,
    get_scheme,
    get_scheme_package,
    loads_assessments,
)
from parscore.analysis import adjustments, compare_years, distribution, gap_table
from parscore.cli import render_table, result_to_json
from parscore.evaluation import Result
from parscore.files import result_table
from parscore.resultfile import dumps_result
from parscore.tables import FORMATS, LOCALES, Table

KRONG_NO = "vn.dak-nong.krong-no.commune.2022"
D = Decimal
HASH_SEEDS = ("0", "1", "12345")


# --- the cases -----------------------------------------------------------------------------------


def krong_no_case() -> tuple[Scheme, Assessments]:
    return get_scheme(KRONG_NO), get_scheme_package(KRONG_NO).load_example("communes-2022").assessments


def generated_scheme() -> Scheme:
    full, drop = NotApplicablePolicy.FULL, NotApplicablePolicy.DROP
    fields = (
        Node("1", "Công tác chỉ đạo, điều hành", D("4.5"), children=(
            Node("1.1", "Kế hoạch CCHC", D(2), rule=Entered(step=D("0.25"))),
            Node("1.2", "Báo cáo CCHC", D("1.5"), rule=Entered()),
            Node("1.3", "Tuyên truyền CCHC", D(1), rule=PassFail(), not_applicable=full),
        )),
        Node("2", "Cải cách thể chế", D("8.5"), children=(
            Node("2.1", "Tỷ lệ văn bản đúng hạn", D(3), rule=Ratio(threshold=D("0.5"))),
            Node("2.2", "Tỷ lệ giải ngân", D("2.5"), rule=Tiers(tiers=(
                Tier(D(85), D("2.5")), Tier(D(0), D(0)), Tier(D(50), D(1))))),
            Node("2.3", "Kiểm tra, rà soát", D(3), children=(
                Node("2.3.1", "Chỉ số hài lòng", D(2), rule=Survey()),
                Node("2.3.2", "Văn bản trái pháp luật", D(1), rule=Deduction(per=D("0.25")), not_applicable=drop),
            )),
        )),
        Node("3", "Cải cách thủ tục hành chính", D("6.5"), children=(
            Node("3.1", "Sáng kiến", D("1.5"), rule=Bonus(per_item=D("0.5"), cap=D("1.5"))),
            Node("3.2", "Một cửa liên thông", D(2), rule=PassFail(), not_applicable=drop),
            Node("3.3", "Dịch vụ công trực tuyến", D(3), rule=Entered(step=D("0.5"))),
        )),
    )
    bands = (
        Band("Yếu", D(0), D(50)), Band("Xuất sắc", D(90)), Band("Khá", D(65), D(80)),
        Band("Tốt", D(80), D(90)), Band("Trung bình", D(50), D(65)),
    )
    return Scheme(
        "vn.example.generated.commune.2024", "Chỉ số CCHC (ví dụ sinh tự động)", "UBND huyện Ví Dụ", "commune",
        2024, fields, bands, ranking=Ranking(RankMethod.COMPETITION), rounding=Rounding(leaf=2, normalised=2),
        normalisation=Normalisation(D(100)),
    )


def _values(rng: random.Random) -> dict[str, object]:
    def text(number: Decimal) -> object:
        return rng.choice((number, f"{number}", f"{number}".replace(".", ",")))

    return {
        "1.1": text(D(rng.randint(0, 8)) * D("0.25")),
        "1.2": text(D(rng.randint(0, 150)) / 100),
        "1.3": rng.choice((True, False, "đạt", "không đạt", "n/a")),
        "2.1": text(D(rng.randint(0, 10_000)) / 10_000),
        "2.2": text(D(rng.randint(0, 100))),
        "2.3.1": text(D(rng.randint(0, 10_000)) / 100),
        "2.3.2": rng.choice((0, 1, 2, 5, "3", "không phát sinh")),
        "3.1": rng.randint(0, 5),
        "3.2": rng.choice((True, False, "kps")),
        "3.3": text(D(rng.randint(0, 6)) * D("0.5")),
    }


def generated_case(seed: int = 20240601, units: int = 36) -> tuple[Scheme, Assessments]:
    """A scheme with every rule kind, and ``units`` units of it, some tied, some with NFD names."""
    rng = random.Random(seed)
    scheme = generated_scheme()
    rows: list[dict[str, object]] = []
    items = []
    for i in range(units):
        appraised = dict(rows[rng.randrange(len(rows))]) if rows and i % 5 == 4 else _values(rng)
        rows.append(appraised)
        claimed = dict(appraised)
        if rng.random() < 0.5:
            claimed["1.1"], claimed["3.3"] = "2", "3"
        evidence = {code: f"Văn bản số {rng.randint(1, 99)}/UBND" for code in appraised if rng.random() < 0.2}
        place = f"{rng.choice(('Đắk', 'Nâm', 'Quảng', 'Buôn'))} {rng.choice(('Mâm', 'Nung', 'Phú', 'Choáh'))}"
        name = f"UBND xã {place} {i}"
        unit = Unit(f"xa-{(i * 7919) % 1000:03d}", unicodedata.normalize("NFD" if i % 3 == 0 else "NFC", name))
        observations = tuple(
            Observation(code, value, claimed[code], evidence.get(code)) for code, value in appraised.items()
        )
        items.append(Assessment(unit, observations))
    return scheme, Assessments(scheme.id, tuple(items))


CASES: dict[str, Callable[[], tuple[Scheme, Assessments]]] = {"krong-no": krong_no_case, "generated": generated_case}


# --- every output ------------------------------------------------------------------------------


def _tables(scheme: Scheme, assessments: Assessments | list[Assessment], result: Result) -> Iterator[Table]:
    for unit in result.units[:3]:
        yield gap_table(result, unit.unit_id)
    yield gap_table(result, result.units[-1].unit_id, sort="gap", top=5)
    spread = distribution(result)
    yield spread.fields
    yield spread.bands
    yield result_table(result)
    items = assessments.items if isinstance(assessments, Assessments) else assessments
    if all(o.self_assessed is not None for a in items for o in a.observations):
        changed = adjustments(scheme, assessments)
        yield changed.nodes
        yield changed.ranking
        before = evaluate(scheme, assessments, basis="self_assessed")
    else:
        before = result
    years = compare_years(before, result)
    yield years.units
    yield years.fields
    yield years.summary


def outputs(scheme: Scheme, assessments: Assessments | list[Assessment]) -> dict[str, bytes]:
    """Every output for ``assessments``, by name, as bytes."""
    result = evaluate(scheme, assessments)
    found = {
        "result_to_json": json.dumps(result_to_json(result), ensure_ascii=False, indent=2).encode(),
        "render_table": render_table(result).encode(),
        "dumps_result": dumps_result(result).encode(),
        "repr": repr(result).encode(),
    }
    for i, table in enumerate(_tables(scheme, assessments, result)):
        for format in FORMATS:
            for locale in LOCALES:
                found[f"{i} {table.name} {format} {locale}"] = table.render(format, locale).encode()
    return found


def blob(found: dict[str, bytes]) -> bytes:
    """The outputs as one byte string, each with its name and length."""
    return b"".join(name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data for name, data in found.items())


def every_case_blob() -> bytes:
    """The outputs of every case, in one byte string (what the subprocesses print)."""
    return b"".join(name.encode() + b"\n" + blob(outputs(*make())) for name, make in CASES.items())


# --- permutations --------------------------------------------------------------------------------


def _shuffled(assessments: Assessments, rng: random.Random) -> list[Assessment]:
    """The units in another order, each with its observations in another order."""
    items = list(assessments.items)
    rng.shuffle(items)
    shuffled = []
    for item in items:
        observations = list(item.observations)
        rng.shuffle(observations)
        shuffled.append(Assessment(item.unit, tuple(observations)))
    return shuffled


def _shuffled_toml(text: str, rng: random.Random) -> str:
    """The TOML text with its units, and the lines of each of their tables, in another order."""
    head, *units = text.split("\n[[units]]\n")
    blocks = []
    for unit in units:
        parts = unit.split("\n\n")
        tables = []
        for part in parts[1:]:
            header, *lines = part.strip("\n").split("\n")
            rng.shuffle(lines)
            tables.append("\n".join([header, *lines]))
        rng.shuffle(tables)
        blocks.append("\n\n".join([parts[0], *tables]))
    rng.shuffle(blocks)
    return "\n".join([head, *("\n[[units]]\n" + b + "\n" for b in blocks)])


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> tuple[str, Scheme, Assessments, dict[str, bytes]]:
    scheme, assessments = CASES[request.param]()
    return request.param, scheme, assessments, outputs(scheme, assessments)


def test_the_cases_cover_what_they_should(case: tuple[str, Scheme, Assessments, dict[str, bytes]]) -> None:
    name, scheme, assessments, found = case
    result = evaluate(scheme, assessments)
    if name == "generated":
        ranks = [u.rank for u in result.units]
        assert len(set(ranks)) < len(ranks), "no tied units"
        assert any(u.maxima is not None for u in result.units), "no dropped leaf"
        assert any(u.rounded for u in result.units), "no rounded leaf"
        assert any(u.name != unicodedata.normalize("NFD", u.name) for u in result.units)
    assert len(found) > 40


def test_outputs_do_not_depend_on_the_order_of_units_and_observations(
    case: tuple[str, Scheme, Assessments, dict[str, bytes]],
) -> None:
    _, scheme, assessments, expected = case
    # As plain lists (no scheme id, so another input hash) and as ``Assessments``.
    in_order = outputs(scheme, list(assessments.items))
    for seed in range(3):
        shuffled = _shuffled(assessments, random.Random(seed))
        assert [a.unit.id for a in shuffled] != [a.unit.id for a in assessments.items]
        assert outputs(scheme, shuffled) == in_order
        again = Assessments(assessments.scheme_id, tuple(shuffled))
        assert evaluate(scheme, again) == evaluate(scheme, assessments)
        assert outputs(scheme, again) == expected


def test_outputs_do_not_depend_on_the_order_of_the_toml_text(
    case: tuple[str, Scheme, Assessments, dict[str, bytes]],
) -> None:
    _, scheme, assessments, expected = case
    text = dumps_assessments(assessments)
    for seed in range(2):
        shuffled = _shuffled_toml(text, random.Random(seed))
        assert shuffled != text
        loaded = loads_assessments(shuffled)
        assert loaded == assessments
        assert outputs(scheme, loaded) == expected


_SUBPROCESS = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("determinism", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
sys.stdout.buffer.write(module.every_case_blob())
"""


def test_outputs_are_the_same_bytes_whatever_the_hash_seed_and_the_run() -> None:
    here = every_case_blob()
    runs = {
        seed: subprocess.Popen(
            [sys.executable, "-c", _SUBPROCESS, str(Path(__file__).resolve())],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONHASHSEED": seed},
        )
        for seed in HASH_SEEDS
    }
    for seed, run in runs.items():
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode(errors="replace")
        assert hashlib.sha256(out).hexdigest() == hashlib.sha256(here).hexdigest(), f"PYTHONHASHSEED={seed}"
        assert out == here

