"""The scheme model built from Python objects, and the errors it raises."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parscore import (
    AssessmentError,
    Band,
    Entered,
    InputError,
    Node,
    Normalisation,
    NotApplicablePolicy,
    ParscoreError,
    PassFail,
    PluginError,
    Problem,
    Rounding,
    Scheme,
    SchemeError,
    SchemeNotFoundError,
    Source,
    scheme_problems,
)
from parscore.model import level_name, tree_path

D = Decimal


def leaf(code: str, max_points: str, **kwargs: object) -> Node:
    kwargs.setdefault("rule", Entered())
    return Node(code, f"Tiêu chí {code}", D(max_points), **kwargs)  # type: ignore[arg-type]


def field(code: str, max_points: str, *children: Node) -> Node:
    return Node(code, f"Lĩnh vực {code}", D(max_points), children=children)


BANDS = (Band("Tốt", D(8)), Band("Khá", D(5), D(8)), Band("Yếu", D(0), D(5)))


def make(**kwargs: object) -> Scheme:
    defaults: dict[str, object] = {
        "id": "vn.test-model.commune.2024",
        "title": "Model",
        "issuer": "Test",
        "level": "commune",
        "year": 2024,
        "fields": (
            field("1", "6", leaf("1.1", "4"), field("1.2", "2", leaf("1.2.1", "1.5"), leaf("1.2.2", "0.5"))),
            leaf("2", "4", rule=PassFail()),
        ),
        "bands": BANDS,
    }
    defaults.update(kwargs)
    return Scheme(**defaults)  # type: ignore[arg-type]


def test_a_valid_scheme_from_python() -> None:
    scheme = make()
    assert scheme.max_total == D(10)
    assert scheme.scale == D(10)
    assert [n.code for n in scheme.nodes()] == ["1", "1.1", "1.2", "1.2.1", "1.2.2", "2"]
    assert [n.code for n in scheme.leaves()] == ["1.1", "1.2.1", "1.2.2", "2"]
    assert scheme.node("1.2").max == D(2)
    assert scheme.node("1.2").is_leaf is False
    assert scheme.node("1.2.2").is_leaf is True
    assert scheme_problems(scheme) == ()


def test_node_lookup_names_the_missing_code() -> None:
    with pytest.raises(KeyError, match=r"scheme 'vn\.test-model\.commune\.2024' has no criterion '9\.9'"):
        make().node("9.9")


def test_scale_is_the_normalisation_scale() -> None:
    scheme = make(
        normalisation=Normalisation(D(100)),
        rounding=Rounding(normalised=1),
        bands=(Band("A", D(90)), Band("B", D(0), D(90))),
    )
    assert scheme.max_total == D(10)
    assert scheme.scale == D(100)


@pytest.mark.parametrize(
    ("score", "band"),
    [("10", "Tốt"), ("8", "Tốt"), ("7.99", "Khá"), ("5", "Khá"), ("4.999", "Yếu"), ("0", "Yếu")],
)
def test_band_for_takes_lower_bounds_inclusive_upper_exclusive(score: str, band: str) -> None:
    assert make().band_for(D(score)).name == band


def test_band_for_a_score_outside_every_band() -> None:
    with pytest.raises(ValueError, match=r"^score -1 is in no band of scheme 'vn.test-model.commune.2024'$"):
        make().band_for(D(-1))


def test_band_contains() -> None:
    band = Band("Khá", D(70), D(80))
    assert band.contains(D(70)) and band.contains(D("79.99"))
    assert not band.contains(D(80)) and not band.contains(D("69.9"))
    assert Band("Xuất sắc", D(95)).contains(D(1000))


def test_tree_path_and_levels() -> None:
    assert tree_path("3") == "field 3"
    assert tree_path("3.6") == "field 3 › criterion 3.6"
    assert tree_path("3.6.2") == "field 3 › criterion 3.6 › sub-criterion 3.6.2"
    assert [level_name(d) for d in (1, 2, 3, 4)] == ["field", "criterion", "sub-criterion", "item"]


def test_source_notes_report_a_stated_total_that_differs() -> None:
    source = Source(document="QĐ 1", stated_total=D(100))
    assert make(source=source).source_notes() == (
        "the source states a total of 100 points, but its field maxima add up to 10 (6 + 4)",
    )
    assert make(source=Source(document="QĐ 1", stated_total=D("10.0"))).source_notes() == ()
    assert make(source=Source(document="QĐ 1")).source_notes() == ()
    assert make().source_notes() == ()


def test_invalid_scheme_from_python_lists_every_problem() -> None:
    with pytest.raises(SchemeError) as info:
        make(
            id="Bad Id",
            fields=(field("1", "5", leaf("1.1", "2"), leaf("1.1", "2")), leaf("3.1", "0")),
            bands=(Band("A", D(1)),),
        )
    assert str(info.value) == "\n".join(
        [
            "scheme 'Bad Id': 6 problems",
            "  - id: id must be <country>.<issuer…>.<level>.<year> in lower-case words joined by dots,"
            " such as 'vn.dak-nong.krong-no.commune.2022', got 'Bad Id'",
            "  - field 1 (fields[0].max): the children's maxima add up to 4 (2 + 2),"
            " not to this node's max 5",
            "  - field 1 › criterion 1.1 (fields[0].criteria[1].code): duplicate code '1.1',"
            " also used at fields[0].criteria[0]",
            "  - field 3 › criterion 3.1 (fields[1].code): code '3.1' must be its parent's code followed"
            " by one more part, such as '1'",
            "  - field 3 › criterion 3.1 (fields[1].max): max must be above 0, got 0",
            "  - bands[0].from: gap: scores from 0 to below 1 fall in no band",
        ]
    )
    assert info.value.source == "scheme 'Bad Id'"
    assert len(info.value.problems) == 6


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"title": " "}, [("title", "title must not be empty")]),
        ({"issuer": ""}, [("issuer", "issuer must not be empty")]),
        (
            {"format": 2},
            [("format", "this parscore reads scheme format 1, the scheme is written for format 2")],
        ),
        ({"revision": -1}, [("revision", "revision must be 0 or more, got -1")]),
        ({"total": D(11)}, [("total", "total is 11 but the fields' maxima add up to 10")]),
        # Bands are not checked against a scale that an invalid maximum makes unknown.
        ({"fields": ()}, [("fields", "a scheme needs at least one field")]),
        (
            {"fields": (leaf("1", "6"), leaf("2", "-4"))},
            [("fields[1].max", "max must be above 0, got -4")],
        ),
        ({"bands": (Band("A", D(12)), Band("B", D(0), D(12)))},
         [("bands[0].from", "band 'A' starts at 12, above the scale 10")]),
        ({"bands": ()}, [("bands", "a scheme needs at least one band")]),
        ({"rounding": Rounding(leaf=11)}, [("rounding.leaf", "decimals must be from 0 to 10, got 11")]),
        ({"rounding": Rounding(normalised=-1)},
         [("rounding.normalised", "decimals must be from 0 to 10, got -1")]),
        (
            {"normalisation": Normalisation(D(0)), "rounding": Rounding(normalised=1)},
            [("normalisation.scale", "scale must be above 0, got 0")],
        ),
        (
            {"normalisation": Normalisation(D(100))},
            [("rounding.normalised", "a normalised score is a division: set [rounding] normalised = N,"
              " the decimals the scheme publishes it with")],
        ),
        (
            {"bands": (Band("A", D(8)), Band("A", D(0), D(8)))},
            [("bands[1].name", "duplicate band name 'A', also bands[0]")],
        ),
        (
            {"bands": (Band("A", D(5)), Band("B", D(0)))},
            [("bands[1]", "only the highest band may leave out 'to': band 'B' is followed by 'A' from 5")],
        ),
        (
            {"bands": (Band("A", D(5)), Band("B", D(-1), D(5)))},
            [("bands[1].from", "the lowest band 'B' must start at 0, got -1")],
        ),
        (
            {"bands": (Band("A", D(5)), Band("B", D(0), D(0)))},
            [("bands[1].to", "band 'B' must end above where it starts: from 0 to 0"),
             ("bands[1].to", "gap: scores from 0 to below 5 fall in no band (between 'B' and 'A')")],
        ),
    ],
)
def test_scheme_problems(kwargs: dict[str, object], expected: list[tuple[str, str]]) -> None:
    with pytest.raises(SchemeError) as info:
        make(**kwargs)
    assert [(p.key, p.message) for p in info.value.problems] == expected


def test_structure_problems_of_nodes() -> None:
    parent_with_rule = Node("1", "F", D(2), PassFail(), children=(leaf("1.1", "2"),))
    parent_with_policy = Node("2", "F", D(2), None, NotApplicablePolicy.FULL, children=(leaf("2.1", "2"),))
    ruleless = Node("3", "F", D(1))
    too_deep = field("4", "1", field("4.1", "1", field("4.1.1", "1", leaf("4.1.1.1", "1"))))
    with pytest.raises(SchemeError) as info:
        make(fields=(parent_with_rule, parent_with_policy, ruleless, too_deep),
             bands=(Band("A", D(0)),))
    assert [(p.node, p.message) for p in info.value.problems] == [
        ("field 1", "only leaves have a rule: this node's points are the sum of its children"),
        ("field 2", "only leaves have a not_applicable policy"),
        ("field 3", "a leaf needs a scoring rule"),
        ("field 4 › criterion 4.1 › sub-criterion 4.1.1",
         "a sub-criterion cannot have children: schemes have at most 3 levels"
         " (field › criterion › sub-criterion)"),
    ]


def test_drop_needs_normalisation_and_names_the_leaves() -> None:
    with pytest.raises(SchemeError) as info:
        make(fields=(field("1", "6", leaf("1.1", "4", not_applicable=NotApplicablePolicy.DROP),
                           leaf("1.2", "2", not_applicable=NotApplicablePolicy.DROP)),
                     leaf("2", "4")))
    assert [(p.key, p.message) for p in info.value.problems] == [
        ("normalisation", "leaves that drop when not applicable (1.1, 1.2) need [normalisation], so that"
         " a unit's score is computed on the points that applied to it"),
        ("rounding.normalised", "a normalised score is a division: set [rounding] normalised = N,"
         " the decimals the scheme publishes it with"),
    ]


def test_rule_parameters_are_checked_against_the_leaf() -> None:
    from parscore import Deduction

    with pytest.raises(SchemeError) as info:
        make(fields=(leaf("1", "6", rule=Deduction(per=D(1), floor=D(7))), leaf("2", "4")))
    assert [(p.node, p.key, p.message) for p in info.value.problems] == [
        ("field 1", "fields[0].rule", "floor must be between 0 and the maximum 6, got 7"),
    ]


def test_schemes_compare_by_value() -> None:
    assert make() == make()
    assert make() != make(revision=1)
    assert hash(make()) == hash(make())


# --- errors -------------------------------------------------------------------


def test_error_hierarchy() -> None:
    assert issubclass(SchemeError, InputError) and issubclass(AssessmentError, InputError)
    assert issubclass(InputError, ParscoreError) and issubclass(PluginError, ParscoreError)
    assert issubclass(SchemeNotFoundError, PluginError) and issubclass(SchemeNotFoundError, LookupError)


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (Problem("bad"), "bad"),
        (Problem("bad", key="fields[0].max"), "fields[0].max: bad"),
        (Problem("bad", node="field 1"), "field 1: bad"),
        (Problem("bad", line=3), "line 3: bad"),
        (Problem("bad", line=3, column=7), "line 3, column 7: bad"),
        (Problem("bad", line=3, node="field 1", key="fields[0].max"), "line 3: field 1 (fields[0].max): bad"),
        # The file is not part of a problem's own text: the error names it once.
        (Problem("bad", file="x.toml", line=3), "line 3: bad"),
    ],
)
def test_problem_text(problem: Problem, text: str) -> None:
    assert str(problem) == text


def test_input_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="an InputError needs at least one problem"):
        InputError([])


def test_input_error_message() -> None:
    one = InputError([Problem("bad", file="a.toml", line=2)])
    assert str(one) == "a.toml: 1 problem\n  - line 2: bad"
    assert one.source == "a.toml"
    two = InputError([Problem("x", file="a.toml"), Problem("y", file="b.toml", key="k")])
    assert two.source is None
    assert str(two) == "2 problems\n  - a.toml: x\n  - b.toml: k: y"
    named = InputError([Problem("x", file="a.toml")], source="assessments")
    assert str(named) == "assessments: 1 problem\n  - a.toml: x"
