"""The catalogue as a document: every rule, parameter, option and variant with its statement,
citation and status, generated from the code so that docs/rules.md cannot drift from it.

``tocreview rules --format markdown`` prints it; a test fails when docs/rules.md differs.
"""

from __future__ import annotations

import json

from tocreview.mechanism import Mechanism
from tocreview.model.citation import Citation
from tocreview.rules.catalogue import RULES
from tocreview.rules.parameters import PARAMETER_CITATIONS, Parameters
from tocreview.rules.policy import POLICY_CITATIONS, Policy
from tocreview.scenario import BASELINES


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _cite(citation: Citation) -> str:
    where = f", {citation.provision}" if citation.provision else ""
    note = f": {citation.note}" if citation.note else ""
    return _cell(f"{citation.document}{where}{note}")


def catalogue_markdown(mechanism: Mechanism | None = None) -> str:
    """The whole catalogue as Markdown, in a stable order."""
    m = mechanism or Mechanism(load_entry_points=False)
    lines = [
        "# Rules, parameters, options and variants",
        "",
        "Generated from the code by `tocreview rules --format markdown`; do not edit by hand",
        "(a test fails when this file and the code differ). A status says how sure we are:",
        "`adopted` (seen in the adopted text), `secondary` (an official secondary source),",
        "`inferred`, `unconfirmed`, `proposal` (put forward in 2017, not adopted),",
        "`assumption` (a modelling choice of this library). A rule is only as sure as its least",
        "certain citation.",
        "",
        f"## Rules ({len(RULES)})",
        "",
        "| rule | kind | status | statement | citations |",
        "|---|---|---|---|---|",
    ]
    for r in RULES:
        cites = "<br>".join(f"[{c.status.value}] {_cite(c)}" for c in r.citations)
        lines.append(f"| `{r.id}` | {r.kind.value} | {r.status.value} | "
                     f"{_cell(r.statement)} | {cites} |")
    defaults = Parameters().model_dump(mode="json")
    lines += ["", f"## Parameters ({len(PARAMETER_CITATIONS)})", "",
              "| parameter | default | status | what | source |", "|---|---|---|---|---|"]
    for name, c in PARAMETER_CITATIONS.items():
        field = Parameters.model_fields[name]
        value = json.dumps(defaults[name], sort_keys=True, ensure_ascii=False)
        lines.append(f"| `{name}` | `{_cell(value)}` | {c.status.value} | "
                     f"{_cell(field.description or '')} | {_cite(c)} |")
    policy = Policy().model_dump(mode="json")
    lines += ["", f"## Process options ({len(POLICY_CITATIONS)})", "",
              "| option | default | status | source |", "|---|---|---|---|"]
    for name, c in POLICY_CITATIONS.items():
        value = json.dumps(policy[name], ensure_ascii=False)
        lines.append(f"| `{name}` | `{value}` | {c.status.value} | {_cite(c)} |")
    lines += ["", f"## Baselines ({len(BASELINES)})", "",
              "| baseline | what | status | source | caveats |", "|---|---|---|---|---|"]
    for key, b in BASELINES.items():
        lines.append(f"| `{key}` | {_cell(b.title)} | {b.citation.status.value} | "
                     f"{_cite(b.citation)} | {_cell(' '.join(b.caveats))} |")
    variants = sorted(m.variants().values(), key=lambda v: (v.option, v.key))
    lines += ["", f"## Variants ({len(variants)})", "",
              "| option | variant | what | status | source | principles traded |",
              "|---|---|---|---|---|---|"]
    for v in variants:
        traded = ", ".join(v.principles_traded) or "none"
        lines.append(f"| {v.option} | `{v.key}` | {_cell(v.title)} | "
                     f"{v.citation.status.value} | {_cite(v.citation)} | {traded} |")
    return "\n".join(lines) + "\n"
