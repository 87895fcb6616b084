"""Build the bundled roster (src/tocreview/data/roster.json) from the public reference tables.

Usage: python tools/build_roster.py [DATA_DIR]

DATA_DIR holds regional_groups.csv, untoc_parties.csv and untc_status_2014_snapshot.csv
(default: ../shared/data next to the repository). The working languages come from this
project's own table, tools/data/un_languages.csv. Every fact keeps its source and status;
unresolved cells stay unresolved. Run it again whenever the reference tables change, and
commit the regenerated file.
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tocreview.model.citation import Citation, Status
from tocreview.model.development import DevelopmentCategory, DevelopmentStatus
from tocreview.model.instrument import Instrument
from tocreview.model.party import (
    Consent,
    ConsentType,
    GroupStatus,
    Language,
    Party,
    PartyKind,
    RegionalGroup,
    Unresolved,
)
from tocreview.model.roster import Roster
from tocreview.model.roster_io import parse_consent_cell

GROUPS = {
    "AFRICAN": RegionalGroup.AFRICAN,
    "ASIA_PACIFIC": RegionalGroup.ASIA_PACIFIC,
    "EEG": RegionalGroup.EASTERN_EUROPEAN,
    "GRULAC": RegionalGroup.LATIN_AMERICAN_CARIBBEAN,
    "WEOG": RegionalGroup.WEOG,
}
SNAPSHOT_DATES = {
    Instrument.CONVENTION: date(2014, 1, 27),
    Instrument.TIP: date(2014, 1, 27),
    Instrument.SOM: date(2014, 7, 10),
    Instrument.FIREARMS: date(2014, 7, 10),
}
SOURCE_NAMES = {
    "dgacm": "UN Department for General Assembly and Conference Management, regional groups",
    "ask_un_faq": "UN Dag Hammarskjöld Library, Ask DAG on regional groups",
    "wiki_weog": "Wikipedia, Western European and Others Group",
    "wiki_apg": "Wikipedia, Asia-Pacific Group",
    "wiki_rg_2010": "Wikipedia, United Nations Regional Groups (2010)",
    "untc_2014": "UN Treaty Collection, status of chapter XVIII-12 (2014)",
    "unodc_news_2022": "UNODC news, launch of the third group of country reviews (1 Nov 2022)",
}
EU_MEMBERS = [
    "AUT",
    "BEL",
    "BGR",
    "HRV",
    "CYP",
    "CZE",
    "DNK",
    "EST",
    "FIN",
    "FRA",
    "DEU",
    "GRC",
    "HUN",
    "IRL",
    "ITA",
    "LVA",
    "LTU",
    "LUX",
    "MLT",
    "NLD",
    "POL",
    "PRT",
    "ROU",
    "SVK",
    "SVN",
    "ESP",
    "SWE",
]

EU_MEMBERS_SOURCE = Citation(
    document="Treaty on European Union, art. 49 and 50; list of EU member States",
    status=Status.SECONDARY,
    note="the 27 member States since the withdrawal of the United Kingdom on 1 February 2020",
)


def group_citation(row: dict[str, str]) -> Citation:
    keys = [k.strip() for k in row["source"].split(";") if k.strip()]
    official = {"dgacm", "ask_un_faq", "untc_2014", "unodc_news_2022"}
    memory = "[memory]" in row["source"] or "[memory]" in row["notes"].split("verify")[0][-40:]
    status = Status.SECONDARY if official & set(keys) and not memory else Status.UNCONFIRMED
    names = [SOURCE_NAMES.get(k, k) for k in keys if k != "[memory]"]
    return Citation(document="; ".join(names), status=status, note=row["notes"] or None)


def group_status(text: str) -> GroupStatus:
    text = text.lower()
    if text.startswith("observer"):
        return GroupStatus.OBSERVER
    if text.startswith("none"):
        return GroupStatus.NONE
    return GroupStatus.MEMBER


def snapshot_citation(inst: Instrument, source: str) -> Citation:
    return Citation(
        document=f"UN Treaty Collection, status of {inst.treaty_number} "
        f"(as at {SNAPSHOT_DATES[inst].isoformat()})",
        status=Status.SECONDARY,
        url="https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no="
        + inst.treaty_number
        + "&chapter=18",
        note=f"read from a scrape of the Treaty Collection: {source}",
    )


def basis_for(cell_basis: str, inst: Instrument) -> str | None:
    for part in cell_basis.split(" | "):
        head, _, rest = part.partition(":")
        if head.strip() == inst.value:
            return rest.strip()
    return None


def correction_citation(inst: Instrument, basis: str) -> Citation:
    weak = "[memory]" in basis or "UNRESOLVED" in basis or "Wikipedia" in basis
    return Citation(
        document=f"correction after the 2014 snapshot ({inst.value})",
        status=Status.UNCONFIRMED if weak else Status.SECONDARY,
        note=basis,
    )


def main(data_dir: Path) -> None:
    groups = list(csv.DictReader((data_dir / "regional_groups.csv").open(encoding="utf-8")))
    parties_rows = {
        r["iso3"]: r
        for r in csv.DictReader((data_dir / "untoc_parties.csv").open(encoding="utf-8"))
    }
    snapshot: dict[tuple[str, Instrument], dict[str, str]] = {}
    other_names: dict[str, set[str]] = {}
    for r in csv.DictReader((data_dir / "untc_status_2014_snapshot.csv").open(encoding="utf-8")):
        inst = Instrument.parse(r["instrument"])
        snapshot[(r["iso3"], inst)] = r
        other_names.setdefault(r["iso3"], set()).add(r["participant_untc"])

    development = read_development(data_dir / "development_status.csv")
    parties = []
    for g in groups:
        ident = g["iso3"]
        is_reio = ident == "EUU"
        row = parties_rows[ident]
        consents, unresolved = [], []
        for inst in Instrument:
            cell = row[inst.value].strip()
            if not cell:
                continue
            basis = basis_for(row["cell_basis"], inst)
            snap = snapshot.get((ident, inst))
            if cell == "?":
                # "non-party in Sept 2017" in the basis: not a party before then.
                not_before = date(2017, 9, 1) if basis and "Sept 2017" in basis else None
                unresolved.append(
                    Unresolved(
                        instrument=inst,
                        not_party_before=not_before,
                        source=correction_citation(inst, basis or ""),
                    )
                )
                continue
            fields = parse_consent_cell(cell)
            if cell == "party" and basis and "June 2016" in basis:
                fields["party_by"] = date(2016, 6, 30)
            from_snapshot = snap is not None and snap["consent_date"] == cell and basis is None
            source = (
                snapshot_citation(inst, snap["source"])
                if from_snapshot and snap is not None
                else correction_citation(inst, basis or "later correction")
            )
            consent_type = None
            signed = None
            if snap is not None:
                if snap["consent_date"] == cell and snap["consent_type"]:
                    consent_type = ConsentType(snap["consent_type"])
                if snap["signature_date"]:
                    signed = date.fromisoformat(snap["signature_date"])
            consents.append(
                Consent(
                    instrument=inst,
                    consent_type=consent_type,
                    signed=signed,
                    source=source,
                    **fields,
                )
            )
        names = sorted(n for n in other_names.get(ident, set()) if n != g["name"])
        group = GROUPS.get(g["regional_group"])
        also = tuple(GROUPS[x] for x in g["also_participates_in"].split(";") if x)
        parties.append(
            Party(
                id=ident,
                name=g["name"],
                other_names=tuple(names),
                kind=PartyKind.REIO if is_reio else PartyKind.STATE,
                un_member=g["un_member"] == "yes",
                regional_group=group,
                group_status=group_status(g["group_status"]),
                also_participates_in=also,
                group_source=group_citation(g),
                consents=tuple(consents),
                unresolved=tuple(unresolved),
                members=tuple(EU_MEMBERS) if is_reio else (),
                members_source=EU_MEMBERS_SOURCE if is_reio else None,
                languages=LANGUAGES[ident][0],
                languages_source=LANGUAGES[ident][1],
                development=development.get(ident, ()),
            )
        )
    roster = Roster.build(
        parties,
        data_valid_for={
            Instrument.CONVENTION: date(2024, 5, 4),
            Instrument.TIP: SNAPSHOT_DATES[Instrument.TIP],
            Instrument.SOM: SNAPSHOT_DATES[Instrument.SOM],
            Instrument.FIREARMS: SNAPSHOT_DATES[Instrument.FIREARMS],
        },
        description=(
            "Bundled roster: the 193 UN Members, State of Palestine, Holy See, Cook Islands, Niue "
            "and the European Union. Treaty status from the UN Treaty Collection as at 2014-01-27 "
            "(Convention, Trafficking Protocol) and 2014-07-10 (Smuggling and Firearms "
            "Protocols), with sourced corrections for the Convention up to 2024-05-04; the "
            "Protocol columns are incomplete after 2014. EU membership: the 27 member States "
            "since 1 February 2020. Development status (least developed, landlocked developing "
            "and small island developing countries): the LDC list of September 2021 with "
            "dated graduations; the LLDC and SIDS lists unconfirmed."
        ),
    )
    out = ROOT / "src" / "tocreview" / "data" / "roster.json"
    out.write_text(roster.to_json(indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}: {len(roster)} parties")


def read_languages() -> dict[str, tuple[tuple[Language, ...], Citation]]:
    """The official UN languages each party works in, from tools/data/un_languages.csv, a
    table this project compiled: where a State has official UN languages, those (plus French
    where it is used at the UN by the Maghreb States, Lebanon and Mauritania), status
    unconfirmed; where it has none, the one it is taken to use at the UN, status assumption."""
    out = {}
    with (ROOT / "tools" / "data" / "un_languages.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            langs = tuple(Language(x) for x in row["languages"].split(";"))
            if row["basis"] == "assumed":
                cite = Citation(document="tocreview compilation of working languages",
                                status=Status.ASSUMPTION,
                                note="no official UN language: the language it is taken to "
                                "use at the United Nations")
            else:
                note = "official languages of the State that are UN languages"
                if row["basis"] == "official+usage":
                    note += ", and French, used in its UN work"
                cite = Citation(document="tocreview compilation of working languages",
                                status=Status.UNCONFIRMED, note=note + "; not checked against "
                                "a UN list")
            out[row["id"]] = (langs, cite)
    return out


LANGUAGES = read_languages()


def read_development(path: Path) -> dict[str, tuple[DevelopmentStatus, ...]]:
    """Development categories (LDC, LLDC, SIDS) per party, each cited to the source its row
    gives, with the row's own status and note (graduation dates as remembered stay
    unconfirmed)."""
    out: dict[str, list[DevelopmentStatus]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cite = Citation(document=row["source"], status=Status(row["status"]),
                            note=row["note"] or None)
            out.setdefault(row["iso3"], []).append(DevelopmentStatus(
                category=DevelopmentCategory(row["category"]),
                since=date.fromisoformat(row["since"]) if row["since"] else None,
                until=date.fromisoformat(row["until"]) if row["until"] else None,
                source=cite))
    order = list(DevelopmentCategory)
    return {k: tuple(sorted(v, key=lambda d: order.index(d.category))) for k, v in out.items()}


if __name__ == "__main__":
    default = ROOT.parent / "shared" / "data"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
