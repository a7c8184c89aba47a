"""What the law fixes, read from the database and computed by the core: interest and fees
(:mod:`.interest`) on rate tables (:mod:`.rates`), limitation (:mod:`.limitation`) and the
legal routes a debt fits (:mod:`.routes`)."""
