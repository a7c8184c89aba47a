"""The books: imports (:mod:`.imports`), open amounts, aging, statements and bounced cheques
(:mod:`.books`), a payment recorded by hand (:mod:`.payments`), and the customer list
(:mod:`.customers`)."""
