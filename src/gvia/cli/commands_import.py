"""import customers|invoices|payments (filled in with the import service)."""
