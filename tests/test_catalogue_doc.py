"""docs/rules.md is generated from the catalogue, and every paragraph number cited exists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tocreview import Mechanism, Scenario
from tocreview.catalogue_doc import catalogue_markdown
from tocreview.cli import main
from tocreview.model.citation import (
    MEETING_REPORT_2017,
    PROCEDURES_AND_RULES,
    UNCAC_TOR,
    Citation,
    Status,
)
from tocreview.rules.access import OUTCOMES, WORKING
from tocreview.rules.catalogue import RULES
from tocreview.rules.costs import RATE_CITATIONS
from tocreview.rules.parameters import PARAMETER_CITATIONS
from tocreview.rules.policy import POLICY_CITATIONS
from tocreview.scenario import BASELINES

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT.parent / "shared" / "sources" / "2017-04-meeting-report.txt"

# The paragraph numbers that exist: the 2017 report's numbered paragraphs (read from the
# report where it is at hand), and for the procedures and rules and the UNCAC terms of
# reference only the numbers the reference notes confirm.
REPORT_PARAGRAPHS = set(range(1, 31))
CONFIRMED = {PROCEDURES_AND_RULES: {47, 53}, UNCAC_TOR: {14, 19, 42}}
NUMBER = re.compile(r"paras?\.\s*(\d+)(?:\s*[-\u2013]\s*(\d+))?")
IN_NOTE = re.compile(r"meeting report\)?,?\s*\(?(paras?\.\s*\d+(?:\s*[-\u2013]\s*\d+)?)")


def numbers(text: str) -> set[int]:
    out: set[int] = set()
    for first, last in NUMBER.findall(text):
        out.update(range(int(first), int(last or first) + 1))
    return out


def every_citation() -> Iterator[tuple[str, Citation]]:
    for r in RULES:
        for c in r.citations:
            yield f"rule {r.id}", c
    yield from ((f"parameter {k}", c) for k, c in PARAMETER_CITATIONS.items())
    yield from ((f"option {k}", c) for k, c in POLICY_CITATIONS.items())
    yield from ((f"rate {k}", c) for k, c in RATE_CITATIONS.items())
    yield from ((f"baseline {k}", b.citation) for k, b in BASELINES.items())
    m = Mechanism(Scenario(), load_entry_points=False)
    yield from ((f"variant {k}", v.citation) for k, v in m.variants().items())
    for document in (*WORKING, *(d for docs in OUTCOMES.values() for d in docs)):
        yield f"document {document.kind}", document.citation
        yield f"document {document.kind} publication", document.publication
    for key in m.variants():
        for e in Mechanism(Scenario(variants=(key,)), load_entry_points=False).effects():
            yield f"effect {e.option}/{e.item} under {key}", e.citation


def test_the_report_has_the_paragraphs_we_allow() -> None:
    if not REPORT.exists():
        pytest.skip("the 2017 report is not beside the checkout")
    found = {int(n) for n in re.findall(r"^(\d+)\. ", REPORT.read_text(), flags=re.M)}
    assert found >= REPORT_PARAGRAPHS and max(found) == 30


def test_every_paragraph_number_exists() -> None:
    checked = 0
    for where, c in every_citation():
        if c.provision:
            cited = numbers(c.provision)
            assert cited, (where, c.provision)
            checked += 1
            if c.document == MEETING_REPORT_2017:
                assert cited <= REPORT_PARAGRAPHS, (where, c.provision)
            elif c.document in CONFIRMED and cited <= CONFIRMED[c.document]:
                pass
            else:
                # a number not confirmed: never adopted or secondary, and always explained
                assert c.status not in (Status.ADOPTED, Status.SECONDARY) and c.note, (
                    where, c.document, c.provision, c.status)
        for mention in IN_NOTE.findall(c.note or ""):
            assert numbers(mention) <= REPORT_PARAGRAPHS, (where, c.note)
    assert checked > 20


def test_a_fabricated_paragraph_is_caught() -> None:
    bad = Citation(document=PROCEDURES_AND_RULES, status=Status.SECONDARY, provision="para. 12")
    assert not numbers(bad.provision or "") <= CONFIRMED[PROCEDURES_AND_RULES]
    assert not numbers("paras. 29-31") <= REPORT_PARAGRAPHS
    assert numbers("paras. 19-20") == {19, 20}


def test_docs_rules_md_is_generated_from_the_catalogue() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert text == catalogue_markdown(), (
        "docs/rules.md is out of date: run tocreview rules --format markdown > docs/rules.md")
    for r in RULES:
        assert f"`{r.id}`" in text
    for name in PARAMETER_CITATIONS:
        assert f"`{name}`" in text


def test_rules_command_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for r in RULES:
        assert r.id in out
    assert main(["rules", "--format", "markdown"]) == 0
    assert capsys.readouterr().out == catalogue_markdown()
