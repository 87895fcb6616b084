"""Every number and switch the selection rules use, each with its citation and status."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_serializer,
    model_validator,
)

from tocreview.errors import ParameterError, UnknownNameError, first_error
from tocreview.model.citation import (
    LIBRARY,
    PROCEDURES_AND_RULES,
    UNCAC_TOR,
    UNODC_OVERVIEW,
    Citation,
    Status,
    assumption,
)
from tocreview.model.party import PartyId, RegionalGroup

MOST_UNIFORM_ATTEMPTS = 10_000_000
"""The largest ``max_uniform_attempts`` accepted (a computing limit, said in the advice of an
error that more attempts cannot help)."""

_DRAW_CONSTRAINTS = Citation(
    document=PROCEDURES_AND_RULES,
    status=Status.SECONDARY,
    note="constraints (a)-(c) on the drawing of lots as quoted by the team that automated the "
    "draw (University of Milan logic group); the paragraph number is not known",
)


class Composition(StrEnum):
    """Who the two reviewing States of a State under review are."""

    SAME_AND_OTHER = "same_and_other"
    """One from the same regional group, one from another (UNTOC)."""
    SAME_REGION_LEGAL_SYSTEM = "same_region_legal_system"
    """One from the same region, if possible with a similar legal system; the other any (UNCAC)."""
    ANY_TWO = "any_two"
    """Any two States parties."""


class SupplementaryDraw(StrEnum):
    """How reviewers are added for the instruments a drawn reviewer is not party to."""

    PER_INSTRUMENT = "per_instrument"
    """One lot per missing instrument, among the States of the same side party to it; one
    State may be drawn for several of them. The cap of four reviewers then binds."""
    ONE_FOR_ALL_MISSING = "one_for_all_missing"
    """One supplementary reviewer per side, party to every missing instrument."""


class Parameters(BaseModel):
    """The parameters of the selection rules. Frozen: change them with :meth:`with_changes`.

    ``None`` means "no limit" where a field says so. The citation of each field is in
    :data:`PARAMETER_CITATIONS`; :meth:`provisional` lists those not seen in adopted text.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    reviewers_per_state: int = Field(
        default=2, ge=2, le=2,
        description="reviewing States per State under review and instrument: one from the same "
        "regional group and one from another (fixed by the composition rule)",
    )
    max_reviewers: int | None = Field(
        default=4, ge=2, le=1_000,
        description="most distinct reviewing States across all instruments; None: no cap",
    )
    cap_waived_by: frozenset[PartyId] = Field(
        default=frozenset(),
        description="States under review that have agreed to more reviewers than the cap",
    )
    redraw_limit: int | None = Field(
        default=2, ge=0, le=1_000,
        description="redraw requests per State under review; None: no limit"
    )
    exceptional_redraws: bool = Field(
        default=True,
        description="whether further redraws may be granted in exceptional circumstances",
    )
    max_reviews_per_reviewer: int | None = Field(
        default=None, ge=1, le=100_000,
        description="most States one reviewer reviews in one draw; None: no cap",
    )
    may_defer_reviewing_in_own_year: bool = Field(
        default=False,
        description="whether a State under review may defer serving as reviewer in that year",
    )
    no_group_mapping: dict[PartyId, RegionalGroup] = Field(
        default_factory=lambda: {
            "COK": RegionalGroup.ASIA_PACIFIC,
            "NIU": RegionalGroup.ASIA_PACIFIC,
        },
        description="the regional group that parties in no group count in for the draw",
    )
    observers_in_group: bool = Field(
        default=True,
        description="whether a party that attends its regional group as an observer (the "
        "United States and the Holy See in WEOG) counts in that group for the draw; if not, "
        "it is in no group and needs no_group_mapping",
    )
    supplementary_draw: SupplementaryDraw = Field(
        default=SupplementaryDraw.PER_INSTRUMENT,
        description="how reviewers are added for the instruments a drawn reviewer is not "
        "party to",
    )
    dual_group_counts_as_same: bool = Field(
        default=False,
        description="whether a group a party also participates in (Türkiye: Asia-Pacific) "
        "counts as 'same group'",
    )
    reio_under_review: bool = Field(
        default=False, description="whether a REIO (the European Union) is a State under review"
    )
    reio_may_review: bool = Field(
        default=False, description="whether a REIO may serve as reviewer"
    )
    composition: Composition = Field(
        default=Composition.SAME_AND_OTHER, description="who the two reviewing States are"
    )
    legal_systems: dict[PartyId, str] = Field(
        default_factory=dict,
        description="legal system per party (e.g. 'common law'), for the UNCAC preference; "
        "unknown parties get no preference",
    )
    reio_groups_from_members: bool = Field(
        default=False,
        description="a reviewed REIO counts in the regional groups of its member States",
    )
    reio_members_excluded: bool = Field(
        default=False, description="a reviewed REIO's own member States may not review it"
    )
    opt_out_clause: bool = Field(
        default=False, description="whether a general clause lets a State opt out"
    )
    opted_out: frozenset[PartyId] = Field(
        default=frozenset(),
        description="States that opted out (only with the opt-out clause): neither reviewed "
        "nor reviewing",
    )
    start_groups: int = Field(default=3, ge=1, le=100, description="number of start groups")
    max_uniform_attempts: int = Field(
        default=10_000, ge=1, le=MOST_UNIFORM_ATTEMPTS,
        description="tries before 'uniform' or 'lots' gives up (neither falls back)",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_lax_scalars(cls, data: Any) -> Any:
        # pydantic would read `redraw_limit = true` as 1 and `opt_out_clause = "no"` as False:
        # a number must be a number and a yes/no a boolean.
        if not isinstance(data, dict):
            return data
        for name, value in data.items():
            field = cls.model_fields.get(name)
            if field is None:
                continue
            kinds = set(get_args(field.annotation)) or {field.annotation}
            if bool in kinds and not isinstance(value, bool):
                raise ValueError(f"{name} must be true or false, not {value!r:.40}")
            if int in kinds and isinstance(value, bool):
                raise ValueError(f"{name} must be a whole number, not {value!r}")
        return data

    @model_validator(mode="after")
    def _opt_out_needs_clause(self) -> Parameters:
        if self.opted_out and not self.opt_out_clause:
            raise ValueError("opted_out lists States but there is no opt-out clause "
                             "(set opt_out_clause)")
        return self

    @field_serializer("cap_waived_by", "opted_out")
    def _sorted(self, value: frozenset[str]) -> list[str]:
        # Sets iterate in a per-process order; receipts hash the dump, so fix one order.
        return sorted(value)

    @classmethod
    def citation(cls, name: str) -> Citation:
        """The citation of one parameter."""
        if name not in cls.model_fields:
            raise UnknownNameError("parameter", name, list(cls.model_fields))
        return PARAMETER_CITATIONS[name]

    def with_changes(self, **changes: Any) -> Parameters:
        """A validated copy with some values changed; nothing changes if any value is bad."""
        unknown = [k for k in changes if k not in Parameters.model_fields]
        if unknown:
            raise UnknownNameError("parameter", unknown[0], list(Parameters.model_fields))
        try:
            return Parameters.model_validate({**self.model_dump(), **changes})
        except ValidationError as exc:
            loc, msg = first_error(exc)
            raise ParameterError(f"parameter {loc}: {msg}") from None

    def provisional(self) -> dict[str, Citation]:
        """The parameters whose value does not rest on adopted text, with their citations."""
        return {
            name: c for name, c in PARAMETER_CITATIONS.items() if c.status is not Status.ADOPTED
        }


PARAMETER_CITATIONS: dict[str, Citation] = {
    "reviewers_per_state": Citation(
        document=UNODC_OVERVIEW, status=Status.SECONDARY,
        note="two reviewing States, one from the same regional group, one from another",
    ),
    "max_reviewers": _DRAW_CONSTRAINTS.model_copy(
        update={"note": "constraint (c): at most four reviewing States across all instruments "
                "unless the State under review decides otherwise"}
    ),
    "cap_waived_by": _DRAW_CONSTRAINTS.model_copy(
        update={"note": "constraint (c): '... unless the State under review decides otherwise'"}
    ),
    "redraw_limit": Citation(
        document=UNCAC_TOR, status=Status.UNCONFIRMED,
        note="the UNCAC rule (at most two redraws at the request of the State under review); "
        "that UNTOC copied it is believed, not seen",
    ),
    "exceptional_redraws": Citation(
        document=UNCAC_TOR, status=Status.UNCONFIRMED,
        note="UNCAC: further redraws only in exceptional circumstances; UNTOC rule not seen",
    ),
    "max_reviews_per_reviewer": Citation(
        document=LIBRARY, status=Status.ASSUMPTION,
        note="no cap found in the UNTOC sources; UNCAC practice excluded States with two "
        "reviews at IRG-3. Default: no cap",
    ),
    "may_defer_reviewing_in_own_year": Citation(
        document=LIBRARY, status=Status.ASSUMPTION,
        note="UNCAC allows a State under review to postpone acting as reviewer in the same "
        "year (ToR para. 20 or 21, number unconfirmed); no UNTOC rule found. Default: no",
    ),
    "no_group_mapping": Citation(
        document="reference data on UN regional groups", status=Status.UNCONFIRMED,
        note="UNODC review mechanisms are believed to place the Cook Islands and Niue with the "
        "Asia-Pacific States for the drawing of lots; not verified",
    ),
    "observers_in_group": assumption(
        "the United States and the Holy See attend WEOG as observers; no source says how the "
        "draw treats them. Default: they count as WEOG members, as in the published groups",
    ),
    "supplementary_draw": _DRAW_CONSTRAINTS.model_copy(
        update={"status": Status.ASSUMPTION,
                "note": "constraint (b): an additional reviewer is drawn for the missing "
                "instruments only, and constraint (c) caps the reviewers at four, which can "
                "only bind if the missing instruments may have different reviewers. Default: "
                "one lot per missing instrument (one State may be drawn for several); one "
                "reviewer for all of them (one_for_all_missing) is the alternative"}),
    "dual_group_counts_as_same": Citation(
        document=LIBRARY, status=Status.ASSUMPTION,
        note="Türkiye is in WEOG for electoral purposes and participates in Asia-Pacific; the "
        "draw uses its WEOG membership only unless this is switched on",
    ),
    "reio_under_review": Citation(
        document="UNODC news, third group of country reviews (1 Nov 2022)",
        status=Status.INFERRED,
        note="189 reviews when the Convention had 190 parties (the European Union among them)",
    ),
    "reio_may_review": Citation(
        document=LIBRARY, status=Status.ASSUMPTION,
        note="no source found on the European Union serving as reviewer",
    ),
    "composition": Citation(
        document=UNODC_OVERVIEW, status=Status.SECONDARY,
        note="adopted: one reviewer from the same regional group and one from another; "
        "the alternatives are the UNCAC rule and 'any two States' (a comparison point)",
    ),
    "legal_systems": Citation(
        document=UNCAC_TOR, status=Status.SECONDARY, provision="para. 19",
        note="used only by the UNCAC composition (similar legal system 'if possible'); the "
        "paragraph number is from a numbered UN sentence matched to the ToR; no data bundled",
    ),
    "reio_groups_from_members": assumption(
        "a modelling of an open question: the 2017 meeting report (paras. 19-20) only says "
        "that regional group membership of a REIO still needed to be addressed",
    ),
    "reio_members_excluded": assumption(
        "a modelling of an open question: the 2017 meeting report (paras. 19-20) only says "
        "that the REIO questions still needed to be addressed; no one proposed this rule",
    ),
    "opt_out_clause": Citation(
        document=PROCEDURES_AND_RULES, status=Status.UNCONFIRMED,
        note="no opt-out clause is known in the adopted text (not seen in full); one speaker "
        "proposed a general clause letting a State opt out (2017 meeting report, para. 17)",
    ),
    "opted_out": Citation(
        document=PROCEDURES_AND_RULES, status=Status.UNCONFIRMED,
        note="nobody opts out without an opt-out clause; the clause was proposed in the 2017 "
        "meeting report, para. 17",
    ),
    "start_groups": Citation(
        document=UNODC_OVERVIEW, status=Status.SECONDARY,
        note="States parties divided by drawing of lots into three groups starting in "
        "consecutive years",
    ),
    "max_uniform_attempts": Citation(
        document=LIBRARY, status=Status.ASSUMPTION,
        note="a computing limit, not a rule: 'uniform' and 'lots' stop with an error",
    ),
}
