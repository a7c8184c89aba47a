"""aging, statement, customers, cheque (filled in with the ledger services)."""
