"""The Israeli consumer debt notice (הודעת חוב, document ``debt_notice``), as blocks of a letter.

Consumer Protection Law 5741-1981, section 13ב2 (:mod:`gvia.core.debt_notice`, which holds the
rule and its source). What subsection (ד) requires the notice to hold was not found in a stored
copy (docs/legal-sources.md section 5, with the searches tried); the notice holds what the
sources name, each from the one home of its figure:

* that it is the debt notice of section 13ב2 (a written notice, a document of its own — the
  secondary sources' words: "הודעה בכתב ובמסמך נפרד");
* the charges not paid on their due date: each invoice's number, date, due date, amount and
  open amount, and their total (the sources: "פירוט החוב" / the details of the unpaid payment);
* that no step to collect the debt comes before 14 days have passed from the day it is sent,
  and the first day one may (:func:`gvia.core.debt_notice.first_collection_day` of the
  notice's date, which is the day it is composed to be sent);
* that the notice itself costs the consumer nothing (s.13ב2(ג): collection costs include a
  payment for sending the notice);
* how to pay, how to tell the business the charge is wrong or already paid, and who to contact.

The letter's frame (sender, recipient with the consumer's ת.ז., date, reference, signature) is
:mod:`gvia.documents.compose`'s, as for every letter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from gvia.core.debt_notice import RULE, first_collection_day

if TYPE_CHECKING:  # pragma: no cover
    from .compose import Block, DocFormat
    from .model import LetterContext

DOCUMENT = "debt_notice"

__all__ = ["DOCUMENT", "debt_notice_blocks"]


def debt_notice_blocks(f: "DocFormat", ctx: "LetterContext", v: dict[str, str], n: int,
                       debt: Sequence["Block"], pay: Sequence["Block"], tail: Sequence["Block"]) -> list["Block"]:
    """The body of the notice after the greeting: the law it is sent under, the unpaid charges
    (``debt``: their table and what is listed apart), the 14 days, how to pay (``pay``), what
    to do if it is wrong, and the contact and free text (``tail``)."""
    w = dict(v, days=f.days(RULE.wait_days), date=f.date(first_collection_day(ctx.as_of)))
    return [f.para("debt_notice.law"), f.para("debt_notice.intro", n, **w), *debt,
            f.para("debt_notice.wait", **w), f.para("debt_notice.free"), *pay,
            f.para("debt_notice.wrong", n), *tail]
