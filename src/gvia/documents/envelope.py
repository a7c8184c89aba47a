"""Where the recipient's address goes so that it shows through an envelope window.

All letters use this layout, so any letter, not only those in a print batch, fits a window
envelope. Positions are measured from the page's top-left corner, in millimetres.

``din-left`` (the default): the address field of DIN 5008 form B, 85 x 45 mm at 20 mm from
the left edge and 45 mm from the top, with the A4 sheet folded at 105 mm and 210 mm (fold
marks are printed). It shows through the standard DL (110 x 220 mm) and C5 (162 x 229 mm)
window envelopes of ISO 269 / DIN 680, whose window (90 x 45 mm) is on the left because the
franking goes top right. It is the default for Hebrew letters too: the envelope stock is
the organization's, not the letter's, and one print batch may mix Hebrew and English
letters, so the window position must not depend on the language. Inside the field a
Hebrew address is right-aligned, as Hebrew is written.
``din-right``: the same field mirrored to 20 mm from the right edge, for organizations
whose envelopes have the window on the right. Chosen in the letterhead (``envelope``).
``us10``: US Letter paper folded in three into a #10 window envelope (window 7/8" from the
left); the field (3.5" x 1") starts 2.25" from the top of the sheet. Window positions of
#10 envelopes vary by maker: check one against the stock before a large run. No notes
zone: the sender's return line and the notice go just above the field.

The top 17.7 mm of a DIN address field is the notes zone: the sender's return line and
the postal endorsement ("by registered mail with delivery confirmation"); the address
itself is in the 27.3 mm under it. The information block (date, reference, contact)
sits on the other side of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from gvia.core.errors import FieldProblem, ValidationFailed


@dataclass(frozen=True)
class Envelope:
    name: str
    paper: str                 # Typst paper name
    window_x: float            # address field, mm from the left edge
    window_y: float            # mm from the top edge
    window_w: float
    window_h: float
    notes_h: float             # notes zone at the top of the field (0: none)
    info_x: float              # information block
    info_y: float
    info_w: float
    body_y: float              # where the text of the letter starts on page 1
    folds: tuple[float, ...]   # fold marks, mm from the top


ENVELOPES: dict[str, Envelope] = {
    "din-left": Envelope("din-left", "a4", 20, 45, 85, 45, 17.7, 125, 50, 65, 98.5, (105, 210)),
    "din-right": Envelope("din-right", "a4", 105, 45, 85, 45, 17.7, 20, 50, 65, 98.5, (105, 210)),
    "us10": Envelope("us10", "us-letter", 22, 57, 89, 25, 0, 130, 45, 66, 92, (93, 186)),
}


def envelope_for(name: str, locale: str) -> Envelope:
    """The envelope named in the letterhead; "auto" is us10 for en-US, else din-left."""
    key = (name or "auto").strip().lower()
    if key == "auto":
        key = "us10" if locale.replace("_", "-").lower() == "en-us" else "din-left"
    try:
        return ENVELOPES[key]
    except KeyError:
        raise ValidationFailed([FieldProblem(None, "envelope", name,
                                             f"unknown envelope; choose one of {', '.join(ENVELOPES)} or auto")])


__all__ = ["Envelope", "ENVELOPES", "envelope_for"]
