"""What a receipt states besides its hashes: the values in force with the status of each,
the rules the draw used, the roster facts it rests on that are not sure, and warnings.

A receipt lists only what the draw used: the parameters read by the rules its trace names
(each rule record says which parameters it reads), not every parameter there is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date

from tocreview.model.citation import Citation, Status
from tocreview.model.instrument import Instrument
from tocreview.model.result import RuleUsed, ValueInForce
from tocreview.model.roster import Roster
from tocreview.rules.catalogue import RULES
from tocreview.rules.parameters import PARAMETER_CITATIONS, Parameters


def caller_citation(name: str, value: object) -> Citation:
    """The citation of a value a caller set directly (not through a scenario)."""
    return Citation(document="set by the caller", status=Status.ASSUMPTION,
                    note=f"{name} = {value!r} passed to draw()")


def values_in_force(parameters: Parameters, rule_ids: Iterable[str],
                    in_force: Mapping[str, Citation] | None,
                    extra: Iterable[str] = ()) -> tuple[ValueInForce, ...]:
    """The parameters the named rules read (plus ``extra``), each with the source of its
    value: ``in_force`` where a scenario gives it, the cited default where the value is the
    default, else "set by the caller"."""
    names = {p for i in rule_ids if i in RULES for p in RULES.get(i).parameters} | set(extra)
    defaults = Parameters()
    dumped = parameters.model_dump(mode="json")
    out = []
    for name in sorted(names):
        if in_force is not None and name in in_force:
            citation = in_force[name]
        elif getattr(parameters, name) == getattr(defaults, name):
            citation = PARAMETER_CITATIONS[name]
        else:
            citation = caller_citation(name, dumped[name])
        value = json.dumps(dumped[name], sort_keys=True, ensure_ascii=False)
        out.append(ValueInForce(name=name, value=value, status=citation.status,
                                citation=citation))
    return tuple(out)


def rules_used(rule_ids: Iterable[str]) -> tuple[RuleUsed, ...]:
    return tuple(RuleUsed(id=i, status=RULES.get(i).status) for i in sorted(set(rule_ids))
                 if i in RULES)


def roster_caveats(roster: Roster, as_of: date | None, parties: Iterable[str],
                   instruments: Iterable[Instrument]) -> tuple[str, ...]:
    """The roster facts a draw rests on that are not sure: instruments whose data end before
    the draw date, and the unconfirmed facts about the parties involved."""
    out = []
    wanted = set(instruments)
    if as_of is None:
        out.append("party status taken from all known facts (no as-of date was given)")
    for instrument, valid in roster.data_valid_for.items():
        if instrument in wanted and (as_of is None or as_of > valid):
            when = as_of.isoformat() if as_of else "the newest facts"
            out.append(f"{instrument.value}: the data are complete only up to "
                       f"{valid.isoformat()}; party status on {when} may be missing later "
                       "consents")
    unsure = (Status.UNCONFIRMED, Status.ASSUMPTION)
    for party_id in sorted(set(parties)):
        party = roster.get(party_id)
        if party.group_source.status in unsure:
            out.append(f"{party_id}: regional group [{party.group_source.status.value}]")
        for consent in party.consents:
            if consent.instrument in wanted and consent.source.status in unsure:
                out.append(f"{party_id}: consent to the {consent.instrument.value} "
                           f"[{consent.source.status.value}]")
        for unresolved in party.unresolved:
            if unresolved.instrument in wanted:
                out.append(f"{party_id}: consent to the {unresolved.instrument.value} not "
                           "settled by the sources; treated as not party")
    return tuple(out)
