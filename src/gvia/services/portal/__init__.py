"""The customer's page (issue 16): :mod:`.links` (the signed, expiring, revocable links that open
it; the once-a-day "opened" activity) and :mod:`.page` (what the page shows: the open invoices, the
statement, how to pay). What the customer does there is the page's actions' own modules."""
