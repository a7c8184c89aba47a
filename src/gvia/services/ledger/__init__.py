"""The books: imports (:mod:`.imports`), open amounts, aging, statements and bounced cheques
(:mod:`.books`), and the customer list (:mod:`.customers`)."""
