"""The survey instrument and the intervention playbook: the shipped files, their
accessors, and the loader refusing broken files."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from samverkan.health import instrument
from samverkan.lib.datafile import DataFileError

SHIPPED = instrument.DATA


def _texts(node: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    """Every {sv, en} text of a parsed data file, with where it is."""
    if isinstance(node, dict):
        if {"sv", "en"} & set(node):
            yield where, node
            return
        for key, value in node.items():
            yield from _texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{where}[{i}]")


def _raw(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((SHIPPED / name).read_text(encoding="utf-8"))
    return copy.deepcopy(data)


# --- the shipped files ------------------------------------------------------------------


def test_the_shipped_files_load() -> None:
    instrument._instrument.cache_clear()
    instrument._playbook.cache_clear()
    instrument.load()
    assert instrument.edition() == 1


@pytest.mark.parametrize("name", ["instrument.yaml", "playbook.yaml"])
def test_every_text_has_swedish_and_english_and_no_placeholder(name: str) -> None:
    texts = list(_texts(_raw(name)))
    assert len(texts) > 20
    for where, text in texts:
        assert set(text) == {"sv", "en"}, where
        assert all(isinstance(v, str) and v.strip() for v in text.values()), where
        assert "{" not in text["sv"] + text["en"], where


def test_the_seed_dimensions_are_there_in_their_groups() -> None:
    groups = {d.key: d.group for d in instrument.dimensions("en")}
    assert groups == instrument.SEED_DIMENSIONS
    assert instrument.phases() == ("tillhora", "rollsokning", "oppenhet")
    assert [d.name for d in instrument.dimensions("sv", group="phase")] == [
        "Tillhöra",
        "Rollsökning",
        "Öppenhet/Samhörighet",
    ]
    assert [g.key for g in instrument.groups("en")] == list(instrument.GROUPS)


def test_each_dimension_has_enough_statements() -> None:
    counts = Counter(s.dimension for s in instrument.statements("sv"))
    for dimension in instrument.dimensions("sv"):
        minimum = {"relationship": 3, "phase": 3}.get(dimension.group, 2)
        assert counts[dimension.key] >= minimum, dimension.key
    for key in ("fortroende", "samsyn", "tillhora", "rollsokning", "oppenhet"):
        assert counts[key] >= 3


def test_mirror_statements_have_a_self_and_an_other_phrasing() -> None:
    sv = instrument.statements("sv")
    en = instrument.statements("en")
    mirrors = [s for s in sv if s.mirror]
    assert len(mirrors) >= 15
    for statement_sv, statement_en in zip(sv, en, strict=True):
        assert statement_sv.key == statement_en.key
        if statement_sv.mirror:
            assert statement_sv.targets == ("self", "other")
            assert statement_sv.texts["self"] != statement_sv.texts["other"]
        else:
            assert statement_sv.targets == ("relationship",)
        for target in statement_sv.targets:
            assert statement_sv.texts[target] != statement_en.texts[target]
    fortroende = next(s for s in sv if s.key == "fortroende_lofte")
    assert fortroende.texts == {
        "self": "Vi håller det vi lovar.",
        "other": "De håller det de lovar.",
    }


def test_phase_statements_are_about_the_relationship() -> None:
    for phase in instrument.phases():
        assert not any(s.mirror for s in instrument.statements("en", dimension=phase))


def test_all_answer_keys_are_unique() -> None:
    keys = [s.key for s in instrument.statements("en")]
    keys.append(instrument.recommend_question("en").key)
    keys += [q.key for q in instrument.free_text_questions("en")]
    assert len(keys) == len(set(keys))


def test_the_scale_the_recommendation_and_the_free_text_questions() -> None:
    assert [o.score for o in instrument.agreement_scale("sv")] == [1, 2, 3, 4, 5]
    assert instrument.agreement_scale("sv")[0].label == "Instämmer inte alls"
    assert instrument.agreement_scale("en")[-1].label == "Fully agree"
    assert instrument.dont_know_label("sv") == "Vet inte"
    recommend = instrument.recommend_question("sv")
    assert "rekommendera" in recommend.text
    assert recommend.low and recommend.high
    questions = instrument.free_text_questions("en")
    assert [q.key for q in questions] == ["fungerar", "forandra"]
    assert questions[0].text == "What works well in the collaboration today?"
    assert [t.key for t in instrument.targets("sv")] == ["self", "other", "relationship"]


def test_an_unknown_language_falls_back_to_english() -> None:
    assert instrument.dimension("samsyn", "de").name == "Shared vision"
    assert instrument.dimension("samsyn", "sv").name == "Samsyn"


# --- the playbook -----------------------------------------------------------------------


def test_every_dimension_has_an_intervention_and_every_phase_two() -> None:
    for dimension in instrument.dimensions("en"):
        found = instrument.interventions_for(dimensions=[dimension.key], language="en")
        assert len(found) >= (2 if dimension.group == "phase" else 1), dimension.key


def test_the_seed_examples_are_recommended_for_their_phases() -> None:
    def keys(phase: str) -> list[str]:
        return [i.key for i in instrument.interventions_for(phase=phase, language="en")]

    assert keys("tillhora")[:2] == ["gemensam_kickoff", "tydligt_medlemskap"]
    assert {"se_over_mandat", "vem_beslutar", "raci_processer"} <= set(keys("rollsokning"))
    assert {"feedbacksamtal", "retrospektiv"} <= set(keys("oppenhet"))


def test_interventions_come_phase_first_then_weak_dimensions_each_once() -> None:
    found = instrument.interventions_for(
        phase="rollsokning", dimensions=["kommunikation", "ledarskap"], language="sv"
    )
    assert [(i.key, i.because) for i in found] == [
        ("se_over_mandat", ("rollsokning", "ledarskap")),
        ("vem_beslutar", ("rollsokning", "ledarskap")),
        ("raci_processer", ("rollsokning",)),
        ("ova_eskalering", ("rollsokning",)),
        ("tydligt_medlemskap", ("kommunikation",)),
        ("kommunikationsplan", ("kommunikation",)),
        ("synligt_ledarskap", ("ledarskap",)),
    ]
    first = found[0]
    assert first.title == "Se över roller och mandat"
    assert first.link == "model#roles"
    assert first.addresses == ("rollsokning", "ledarskap")


def test_every_link_points_into_the_product() -> None:
    links = {
        i.link
        for d in instrument.dimensions("en")
        for i in instrument.interventions_for(dimensions=[d.key], language="en")
    }
    assert links - {None} <= set(instrument.LINKS)
    assert {"model#forums", "model#processes", "relationship"} <= links


def test_nothing_asked_gives_nothing_and_unknown_keys_are_errors() -> None:
    assert instrument.interventions_for(language="en") == []
    with pytest.raises(ValueError, match="unknown phase"):
        instrument.interventions_for(phase="samsyn", language="en")
    with pytest.raises(ValueError, match="unknown dimensions"):
        instrument.interventions_for(dimensions=["humor"], language="en")


# --- broken files are refused ------------------------------------------------------------------


@pytest.fixture
def data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str, str], None]]:
    """``write(name, text)``: the loader reads ``text`` as that file; the other stays shipped."""
    for name in ("instrument.yaml", "playbook.yaml"):
        (tmp_path / name).write_text((SHIPPED / name).read_text(encoding="utf-8"), encoding="utf-8")

    def write(name: str, text: str) -> None:
        (tmp_path / name).write_text(text, encoding="utf-8")

    monkeypatch.setattr(instrument, "DATA", tmp_path)
    instrument._instrument.cache_clear()
    instrument._playbook.cache_clear()
    yield write
    monkeypatch.undo()
    instrument._instrument.cache_clear()
    instrument._playbook.cache_clear()
    instrument.load()


def _statement(data: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in data["statements"] if s["key"] == key)
    return found


def _drop_statements(data: dict[str, Any], dimension: str, keep: int) -> None:
    kept = 0
    statements = []
    for statement in data["statements"]:
        if statement["dimension"] == dimension:
            kept += 1
            if kept > keep:
                continue
        statements.append(statement)
    data["statements"] = statements


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            lambda d: _statement(d, "kompetens_ratt")["self"].pop("en"),
            r"kompetens_ratt\)\.self: needs exactly sv and en",
        ),
        (
            lambda d: _statement(d, "samsyn_mal")["text"].update(de="Gemeinsam"),
            r"samsyn_mal\)\.text: needs exactly sv and en",
        ),
        (
            lambda d: _statement(d, "samsyn_mal")["text"].update(sv="{party} har en bild"),
            "no placeholders",
        ),
        (
            lambda d: _statement(d, "samsyn_mal").update(dimension="humor"),
            "unknown dimension 'humor'",
        ),
        (lambda d: _statement(d, "kompetens_ratt").pop("other"), r"missing \['other'\]"),
        (lambda d: _statement(d, "samsyn_mal").update(mirror=True), r"missing \['other', 'self'\]"),
        (lambda d: _statement(d, "samsyn_mal").update(mirorr=True), "unknown fields"),
        (
            lambda d: _statement(d, "samsyn_mal").update(key="samsyn_ideer"),
            "'samsyn_ideer' appears twice",
        ),
        (lambda d: _statement(d, "samsyn_mal").update(key="Samsyn-mål"), "lower-case ASCII"),
        (lambda d: d["free_text"][0].update(key="samsyn_mal"), "'samsyn_mal' appears twice"),
        (lambda d: d["recommend"].update(key="fortroende_lofte"), "appears twice"),
        (lambda d: _drop_statements(d, "kompetens", keep=1), "'kompetens' has 1, needs at least 2"),
        (
            lambda d: _drop_statements(d, "fortroende", keep=2),
            "'fortroende' has 2, needs at least 3",
        ),
        (lambda d: _drop_statements(d, "oppenhet", keep=2), "'oppenhet' has 2, needs at least 3"),
        (
            lambda d: d["dimensions"].append(copy.deepcopy(d["dimensions"][0])),
            "'verksamhet' appears twice",
        ),
        (lambda d: d["dimensions"].pop(4), "'engagemang'.*is missing"),
        (lambda d: d["dimensions"][0].update(group="iceberg"), "group: must be one of"),
        (lambda d: d["dimensions"].insert(12, d["dimensions"].pop(14)), "phases must be"),
        (lambda d: d["scale"]["agreement"].pop(5), "one label for each"),
        (lambda d: d["free_text"].pop(), "free_text: must be"),
        (lambda d: d["targets"].reverse(), "targets: must be"),
        (lambda d: d.update(edition=0), "edition"),
        (lambda d: d.update(version=2), "version: 1"),
    ],
)
def test_a_broken_instrument_is_refused_at_load(
    data_dir: Callable[[str, str], None], spoil: Callable[[dict[str, Any]], None], message: str
) -> None:
    data = _raw("instrument.yaml")
    spoil(data)
    data_dir("instrument.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(DataFileError, match=message):
        instrument.load()


def test_a_phase_statement_cannot_be_a_mirror(data_dir: Callable[[str, str], None]) -> None:
    data = _raw("instrument.yaml")
    statement = _statement(data, "tillhora_forum")
    text = statement.pop("text")
    statement.update(mirror=True, self=text, other=text)
    data_dir("instrument.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(DataFileError, match="phase statements are about the relationship"):
        instrument.load()


def test_an_unquoted_comma_in_a_flow_mapping_is_caught(
    data_dir: Callable[[str, str], None],
) -> None:
    text = (SHIPPED / "instrument.yaml").read_text(encoding="utf-8")
    quoted = 'self: {sv: "Vi håller det vi lovar.", en: "We keep our promises."}'
    assert quoted in text
    data_dir(
        "instrument.yaml",
        text.replace(quoted, "self: {sv: Vi lovar, och håller det, en: We keep our promises.}"),
    )
    with pytest.raises(DataFileError, match=r"fortroende_lofte\)\.self: needs exactly sv and en"):
        instrument.load()


def _intervention(data: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in data["interventions"] if i["key"] == key)
    return found


def _drop_interventions(data: dict[str, Any], *keys: str) -> None:
    data["interventions"] = [i for i in data["interventions"] if i["key"] not in keys]


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            lambda d: _intervention(d, "spelregler")["title"].pop("sv"),
            r"spelregler\)\.title: needs exactly sv and en",
        ),
        (
            lambda d: _intervention(d, "spelregler").update(addresses=["humor"]),
            "unknown dimension 'humor'",
        ),
        (lambda d: _intervention(d, "spelregler").update(addresses=[]), "addresses: a list"),
        (
            lambda d: _intervention(d, "spelregler").update(addresses=["beteenden", "beteenden"]),
            "lists a key twice",
        ),
        (
            lambda d: _intervention(d, "spelregler").update(link="model#nowhere"),
            "link: must be one of",
        ),
        (lambda d: _intervention(d, "spelregler").pop("link"), r"missing \['link'\]"),
        (
            lambda d: d["interventions"].append(copy.deepcopy(d["interventions"][0])),
            "'gemensam_kickoff' appears twice",
        ),
        (
            lambda d: _drop_interventions(d, "kompetensplan", "introduktion_nya"),
            "'kompetens' has 0, needs at least 1",
        ),
        (
            lambda d: _drop_interventions(d, "tydligt_medlemskap", "introduktion_nya"),
            "'tillhora' has 1, needs at least 2",
        ),
    ],
)
def test_a_broken_playbook_is_refused_at_load(
    data_dir: Callable[[str, str], None], spoil: Callable[[dict[str, Any]], None], message: str
) -> None:
    data = _raw("playbook.yaml")
    spoil(data)
    data_dir("playbook.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(DataFileError, match=message):
        instrument.load()
