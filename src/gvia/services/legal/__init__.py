"""What the law fixes, read from the database and computed by the core: interest and fees
(:mod:`.interest`) on rate tables (:mod:`.rates`), limitation (:mod:`.limitation`) and the
legal routes a debt fits (:mod:`.routes`); Israel's suppliers' payment law on a customer's
invoices (:mod:`.suppliers_law`)."""
