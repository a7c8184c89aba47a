"""The books: imports (:mod:`.imports`), open amounts, aging, statements and bounced cheques
(:mod:`.books`), a payment recorded by hand (:mod:`.payments`), the customer list and a customer's details
(:mod:`.customers`), and a customer's contacts (:mod:`.contacts`)."""
