"""The four instruments under review: the Convention and its three Protocols."""

from __future__ import annotations

from enum import StrEnum

from tocreview.errors import UnknownInstrumentError


class Instrument(StrEnum):
    """An instrument a State may be party to and is reviewed for.

    The value is the short name used in files and on the command line.
    """

    CONVENTION = "convention"
    TIP = "tip"
    SOM = "som"
    FIREARMS = "firearms"

    @property
    def full_title(self) -> str:
        """The instrument's full title."""
        return _TITLES[self]

    @property
    def short_title(self) -> str:
        """The usual short name: "the Convention", "the Trafficking in Persons Protocol"."""
        return _SHORT_TITLES[self]

    @property
    def treaty_number(self) -> str:
        """The chapter and number in the UN Treaty Collection (MTDSG)."""
        return _MTDSG[self]

    @classmethod
    def parse(cls, value: str | Instrument) -> Instrument:
        """Accept a member, its short name, its enum name or its MTDSG number."""
        if isinstance(value, Instrument):
            return value
        text = str(value).strip()
        for member in cls:
            if text.lower() in (member.value, member.name.lower()) or text == member.treaty_number:
                return member
        raise UnknownInstrumentError("instrument", text, [m.value for m in cls])


_TITLES = {
    Instrument.CONVENTION: "United Nations Convention against Transnational Organized Crime",
    Instrument.TIP: "Protocol to Prevent, Suppress and Punish Trafficking in Persons, "
    "Especially Women and Children",
    Instrument.SOM: "Protocol against the Smuggling of Migrants by Land, Sea and Air",
    Instrument.FIREARMS: "Protocol against the Illicit Manufacturing of and Trafficking in "
    "Firearms, Their Parts and Components and Ammunition",
}

_SHORT_TITLES = {
    Instrument.CONVENTION: "the Convention",
    Instrument.TIP: "the Trafficking in Persons Protocol",
    Instrument.SOM: "the Smuggling of Migrants Protocol",
    Instrument.FIREARMS: "the Firearms Protocol",
}
_MTDSG = {
    Instrument.CONVENTION: "XVIII-12",
    Instrument.TIP: "XVIII-12-a",
    Instrument.SOM: "XVIII-12-b",
    Instrument.FIREARMS: "XVIII-12-c",
}

PROTOCOLS = (Instrument.TIP, Instrument.SOM, Instrument.FIREARMS)
