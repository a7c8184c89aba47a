"""A labelled set of bank statement lines for `make bench` (issue 18), written apart from the
matcher: this script knows nothing of gvia.core.matching; it builds a business's open books and the
credit lines a month of its bank account would show, each with the truth of what it pays.

`python bench/statement_lines.py [OUT.json] [--lines N] [--seed S]` writes one JSON file:
``customers`` (id, ref, names, accounts), ``invoices`` (id, customer, number, open, currency, due),
``recorded`` (payments already recorded: a payments import, a receipt), ``gateway`` (card payments
waiting for their gateway's payout) and ``lines`` (key, day, amount, currency, text, payer name and
account) with ``label`` (kind: invoices | recorded | payout | none; customer; invoice ids; recorded
or gateway ids) and ``case`` (which noise made it).

The noise is what a collector meets: the invoice number in the text, sometimes with a typo, or
several numbers for one transfer; the letters' payment reference (customer-cycle); only the payer's
name — Hebrew or English, with or without בע"מ / Ltd, upper-cased, cut to the 20 characters some
banks keep; one transfer for several invoices; part payments; bank charges taken off; a foreign
payment a little short after conversion; money already recorded by an import; a card gateway's
payout; and credits that are no customer's (interest, a supplier's refund, a loan).
"""

from __future__ import annotations

import json
import random
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

HE_FIRST = ["אלון", "ברק", "גלבוע", "דקל", "הדר", "ורד", "זית", "חרמון", "טל", "יסמין", "כרמל", "לביא", "מור",
            "נגב", "סהר", "עמית", "פז", "צור", "קשת", "רימון", "שקד", "תמר", "אורן", "ארז", "גפן"]
HE_SECOND = ["ציוד", "שיווק", "הנדסה", "מחשבים", "בניה", "סחר", "תעשיות", "שירותים", "אחזקות", "לוגיסטיקה",
             "מזון", "דפוס"]
EN_FIRST = ["Alpha", "Beta", "Cedar", "Delta", "Echo", "Falcon", "Granite", "Harbor", "Iris", "Juniper", "Kestrel",
            "Lumen", "Maple", "Nimbus", "Orion", "Pioneer", "Quartz", "Redwood", "Summit", "Tidewater"]
EN_SECOND = ["Trading", "Supplies", "Systems", "Logistics", "Engineering", "Foods", "Media", "Holdings", "Labs"]
OTHER_CREDITS = [("ריבית זכות", ""), ("החזר מספק", "אופיס דיפו ישראל"), ("הלוואה", "בנק לאומי"),
                 ("זיכוי כרטיס", "ישראכרט"), ("Refund", "AMAZON EU SARL"), ("Interest", ""),
                 ("העברה מחשבון אחר", "גלבוע ציוד משרדי")]
GATEWAYS = ["Tranzila", "Cardcom", "Grow"]
START = date(2026, 11, 1)


def _money(rng: random.Random, lo: int, hi: int) -> Decimal:
    return Decimal(rng.randrange(lo * 100, hi * 100, 10)) / 100


def _fmt(d: Decimal) -> str:
    return f"{d:.2f}"


def build(seed: int = 18, n_lines: int = 600) -> dict:
    rng = random.Random(seed)
    customers, invoices = [], []
    n_customers = max(60, n_lines // 3)
    names_used: set[str] = set()
    next_number = 30001
    for cid in range(1, n_customers + 1):
        hebrew = rng.random() < 0.6
        while True:
            if hebrew:
                base = f"{rng.choice(HE_FIRST)} {rng.choice(HE_SECOND)}"
                name = base + rng.choice([' בע"מ', ' בע"מ', "", " ובניו"])
            else:
                base = f"{rng.choice(EN_FIRST)} {rng.choice(EN_SECOND)}"
                name = base + rng.choice([" Ltd", " Ltd", " Inc", "", " LLC"])
            if base not in names_used:
                names_used.add(base)
                break
        account = f"{rng.choice([10, 11, 12, 20, 31])}-{rng.randrange(100, 999)}-{rng.randrange(100000, 999999)}"
        customers.append({"id": cid, "ref": str(1000 + cid), "name": name, "hebrew": hebrew,
                          "accounts": [account] if rng.random() < 0.3 else [], "bank_account": account})
        prefix = "INV-" if (not hebrew and rng.random() < 0.5) else ""
        for _ in range(rng.randint(1, 6)):
            currency = "ILS" if rng.random() < 0.9 else rng.choice(["USD", "EUR"])
            amount = _money(rng, 150, 25000)
            if rng.random() < 0.3:
                amount = Decimal(rng.choice([500, 1000, 1170, 1500, 2340, 2500, 3000, 5000, 5850, 11700]))
            invoices.append({"id": len(invoices) + 1, "customer": cid, "number": f"{prefix}{next_number}",
                             "open": _fmt(amount), "currency": currency,
                             "due": (START - timedelta(days=rng.randint(0, 120))).isoformat()})
            next_number += rng.randint(1, 3)
    by_customer: dict[int, list[dict]] = {}
    for inv in invoices:
        by_customer.setdefault(inv["customer"], []).append(inv)
    for invs in by_customer.values():
        invs.sort(key=lambda i: (i["due"], i["id"]))

    lines, recorded, gateway = [], [], []
    taken: set[int] = set()
    closed: set[int] = set()
    paid_out: set[tuple[str, date]] = set()

    def free(cust: int, currency: str = "ILS") -> list[dict]:
        return [i for i in by_customer.get(cust, []) if i["id"] not in taken and i["currency"] == currency]

    def payer(c: dict, style: float) -> tuple[str, str]:
        """(payer name, the text's name part) as a bank shows them."""
        name = c["name"]
        if style < 0.25:
            name = name.replace(' בע"מ', "").replace(" Ltd", "").replace(" LLC", "")
        elif style < 0.4:
            name = name.upper()
        elif style < 0.5:
            name = name[:20]
        return name, name

    cases = (["number"] * 24 + ["typo"] * 5 + ["reference"] * 9 + ["name"] * 14 + ["several_numbers"] * 6
             + ["several_by_name"] * 4 + ["partial"] * 7 + ["fee"] * 5 + ["fx"] * 3 + ["recorded_ref"] * 5
             + ["recorded_plain"] * 3 + ["payout"] * 3 + ["other"] * 8 + ["amount_only"] * 4)
    attempts = 0
    while len(lines) < n_lines and attempts < n_lines * 20:
        attempts += 1
        case = rng.choice(cases)
        c = rng.choice(customers)
        day = START + timedelta(days=rng.randint(0, 27))
        pay_name, in_text = payer(c, rng.random())
        account = c["bank_account"] if rng.random() < 0.5 else ""
        text, name, label = "", "", {"kind": "invoices", "customer": c["id"], "invoices": []}
        cur = "ILS"
        if case == "fx":
            invs = [i for i in by_customer.get(c["id"], []) if i["id"] not in taken and i["currency"] != "ILS"]
        else:
            invs = free(c["id"])
        if case not in ("other", "payout") and not invs:
            continue
        if case in ("number", "typo"):
            inv = invs[0] if rng.random() < 0.6 else rng.choice(invs)
            number = inv["number"]
            if case == "typo":
                digits = list(number)
                pos = [k for k, ch in enumerate(digits) if ch.isdigit()]
                k = rng.choice(pos[1:])
                if rng.random() < 0.5 and k + 1 < len(digits) and digits[k] != digits[k + 1]:
                    digits[k], digits[k + 1] = digits[k + 1], digits[k]
                else:
                    digits[k] = str((int(digits[k]) + rng.randint(1, 9)) % 10)
                number = "".join(digits)
            text = rng.choice([f"חשבונית {number}", f"תשלום חשבונית מס {number}", f"INV {number}",
                               f"Invoice {number} payment", f"{number}"])
            name = pay_name if rng.random() < 0.7 else ""
            amount, label["invoices"] = Decimal(inv["open"]), [inv["id"]]
        elif case == "reference":
            inv = invs[0]
            amount, label["invoices"] = Decimal(inv["open"]), [inv["id"]]
            if len(invs) > 1 and rng.random() < 0.3:
                amount += Decimal(invs[1]["open"])
                label["invoices"].append(invs[1]["id"])
            text = rng.choice([f"אסמכתא {c['ref']}-{rng.randint(1, 3)}", f"Ref {c['ref']}-{rng.randint(1, 3)}",
                               f"תשלום {c['ref']}-{rng.randint(1, 3)}"])
            name = pay_name if rng.random() < 0.5 else ""
        elif case == "name":
            inv = invs[0] if rng.random() < 0.7 else rng.choice(invs)
            amount, label["invoices"] = Decimal(inv["open"]), [inv["id"]]
            if rng.random() < 0.5:
                name = pay_name
                text = rng.choice(["העברה", "העברה בנקאית", "Transfer", "", "זיכוי מהעברה"])
            else:
                text = rng.choice([f"העברה מאת: {in_text}", f"העברה מ{in_text}", f"FROM {in_text}"])
        elif case in ("several_numbers", "several_by_name"):
            if len(invs) < 2:
                continue
            chosen = rng.sample(invs, min(len(invs), rng.randint(2, 3)))
            amount = sum((Decimal(i["open"]) for i in chosen), Decimal(0))
            label["invoices"] = [i["id"] for i in chosen]
            if case == "several_numbers":
                text = "חשבוניות " + ", ".join(i["number"] for i in chosen)
                name = pay_name if rng.random() < 0.5 else ""
            else:
                name = pay_name
                text = rng.choice(["העברה", "Transfer", "תשלום"])
        elif case == "partial":
            inv = invs[0]
            whole = Decimal(inv["open"])
            if whole < 300:
                continue
            amount = (whole * Decimal(rng.choice([25, 30, 40, 50, 60]))) / 100
            amount = amount.quantize(Decimal("1"))
            label["invoices"] = [inv["id"]]
            text = rng.choice([f"תשלום חלקי חשבונית {inv['number']}", f"on account inv {inv['number']}",
                               f"חשבונית {inv['number']}"])
            name = pay_name if rng.random() < 0.6 else ""
        elif case == "fee":
            inv = invs[0] if rng.random() < 0.7 else rng.choice(invs)
            amount = Decimal(inv["open"]) - Decimal(rng.choice([5, 7, 8, 10, 12, 15]))
            if amount <= 0:
                continue
            label["invoices"] = [inv["id"]]
            name = pay_name
            text = rng.choice([f"חשבונית {inv['number']}", "העברה", f"{inv['number']}"])
        elif case == "fx":
            inv = invs[0]
            cur = inv["currency"]
            amount = (Decimal(inv["open"]) * (1 - Decimal(rng.randint(2, 18)) / 1000)).quantize(Decimal("0.01"))
            label["invoices"] = [inv["id"]]
            name = pay_name.upper()
            text = rng.choice([f"INVOICE {inv['number']}", "PAYMENT", f"INV {inv['number']} OUR CHARGES"])
        elif case in ("recorded_ref", "recorded_plain"):
            inv = invs[0]
            amount = Decimal(inv["open"])
            rid = len(recorded) + 1
            ref = f"RC-{rng.randint(10000, 99999)}"
            recorded.append({"id": rid, "customer": c["id"], "amount": _fmt(amount), "currency": "ILS",
                             "day": (day - timedelta(days=rng.randint(0, 4))).isoformat(),
                             "reference": ref if case == "recorded_ref" else ""})
            label = {"kind": "recorded", "customer": c["id"], "recorded": [rid]}
            text = f"העברה {ref}" if case == "recorded_ref" else rng.choice(["העברה", "Transfer", ""])
            name = pay_name if rng.random() < 0.6 else ""
            taken.add(inv["id"])
            closed.add(inv["id"])   # paid by the recorded payment: the books no longer show it open
        elif case == "payout":
            gw = rng.choice(GATEWAYS)
            ids, total = [], Decimal(0)
            first = day - timedelta(days=rng.randint(2, 4))
            if (gw, first) in paid_out:   # a gateway pays a day's card payments out once, together
                continue
            paid_out.add((gw, first))
            for k in range(rng.randint(1, 4)):
                g_amount = _money(rng, 80, 3000)
                gid = len(gateway) + 1
                gateway.append({"id": gid, "gateway": gw, "amount": _fmt(g_amount), "currency": "ILS",
                                "day": first.isoformat()})
                ids.append(gid)
                total += g_amount
            fees = (total * Decimal("0.012")).quantize(Decimal("0.01")) if rng.random() < 0.5 else Decimal(0)
            if fees > 15:
                fees = Decimal(0)
            amount = total - fees
            label = {"kind": "payout", "gateway": ids}
            text = rng.choice([f"{gw.upper()} PAYOUT", f"זיכוי {gw}", f"העברה מ-{gw} בע\"מ"])
        elif case == "other":
            what, who = rng.choice(OTHER_CREDITS)
            amount = _money(rng, 3, 40000)
            label = {"kind": "none"}
            text, name = what, who
        else:   # amount_only
            inv = rng.choice(invs)
            amount, label["invoices"] = Decimal(inv["open"]), [inv["id"]]
            text = rng.choice(["העברה", "Transfer", "הפקדה"])
        if label["kind"] == "invoices":
            taken.update(label["invoices"])
        lines.append({"key": f"L{len(lines) + 1:05d}", "day": day.isoformat(), "amount": _fmt(amount), "currency": cur,
                      "text": text, "payer_name": name,
                      "payer_account": account if label.get("customer") == c["id"] else "",
                      "label": label, "case": case})
    invoices = [i for i in invoices if i["id"] not in closed]
    return {"seed": seed, "customers": customers, "invoices": invoices, "recorded": recorded, "gateway": gateway,
            "lines": lines}


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv and not argv[0].startswith("--") else Path("var/bench/statement_lines.json")
    n = int(argv[argv.index("--lines") + 1]) if "--lines" in argv else 600
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 18
    data = build(seed, n)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(data['lines'])} labelled lines, {len(data['customers'])} customers, {len(data['invoices'])} open "
          f"invoices -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
