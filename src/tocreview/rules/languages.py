"""The working language of a review and what must be translated."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict

from tocreview.errors import UnknownNameError
from tocreview.model.citation import Citation, assumption
from tocreview.model.party import Language
from tocreview.rules.registry import RuleKind, rule

LANGUAGE_CITATION = assumption(
    "this library's rule: the 2017 meeting report (para. 13) only asks how to resolve the "
    "practical problems of identifying the working language; UNCAC practice encouraged the "
    "language of the State under review or one the reviewers share"
)


def parse_languages(values: Iterable[str]) -> frozenset[Language]:
    """Official UN languages from codes (ar, zh, en, fr, ru, es) or English names."""
    names = {m.name.lower(): m for m in Language}
    out = set()
    for value in values:
        text = value.strip().lower()
        if text in names:
            out.add(names[text])
            continue
        try:
            out.add(Language(text))
        except ValueError:
            raise UnknownNameError("official UN language", value,
                                   [m.value for m in Language] + list(names)) from None
    return frozenset(out)


class LanguagePlan(BaseModel):
    """The working language(s) and the translations a review needs, or why it cannot say."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    working_languages: tuple[Language, ...]
    translations: tuple[str, ...]
    unknown: tuple[str, ...]
    answer: str
    citation: Citation = LANGUAGE_CITATION


@rule(
    "core.languages.working_language", RuleKind.DERIVATION,
    "A review works in the official languages that the State under review and its reviewers "
    "share; if none is shared, in the language(s) of the State under review, with its "
    "responses translated for the reviewers and their feedback for the State.",
    LANGUAGE_CITATION,
)
def working_language(state_under_review: str,
                     languages: Mapping[str, frozenset[Language] | None]) -> LanguagePlan:
    """``languages`` maps each participant (the State under review and its reviewers) to the
    official languages it works in, or None when not known."""
    unknown = tuple(sorted(p for p, langs in languages.items() if langs is None))
    if unknown:
        return LanguagePlan(
            working_languages=(), translations=(), unknown=unknown,
            answer=f"cannot be determined: the working languages of {', '.join(unknown)} are "
            "not known (the roster records none for them; give them)")
    known = {p: langs for p, langs in languages.items() if langs is not None}
    shared = frozenset.intersection(*known.values()) if known else frozenset()
    order = list(Language)
    if shared:
        chosen = tuple(sorted(shared, key=order.index))
        return LanguagePlan(working_languages=chosen, translations=(), unknown=(),
                            answer=f"shared: {', '.join(c.value for c in chosen)}; no "
                            "translation between the participants")
    own = known[state_under_review]
    chosen = tuple(sorted(own, key=order.index))
    needs = []
    for party, langs in sorted(known.items()):
        if party != state_under_review and not langs & own:
            target = sorted(langs, key=order.index)[0]
            needs.append(f"responses of {state_under_review} into {target.value} for {party}; "
                         f"feedback of {party} into {chosen[0].value}")
    return LanguagePlan(working_languages=chosen, translations=tuple(needs), unknown=(),
                        answer="no language shared by all: the review works in the language "
                        f"of {state_under_review} ({', '.join(c.value for c in chosen)}) with "
                        f"{len(needs)} translation arrangement(s)")
