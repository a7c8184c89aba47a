"""The reply mailbox (issue 16): customers' answers read over IMAP and placed on their case.

* :mod:`.reading` — the mailbox's settings (``mailbox.*`` in :mod:`gvia.services.settings`,
  the password sealed), checking them, and polling: the new messages of the folder since the
  last UID read (:mod:`gvia.channels.imap`), each placed once; the worker polls every
  organization whose ``mailbox.poll_minutes`` have passed (:func:`.reading.poll_due`);
* :mod:`.placing` — one message: which case (its In-Reply-To/References against gvia's own
  Message-IDs, else the sender's address to one customer's contact), what it is (a reply, an
  automatic answer, a bounce, another delivery report), and what follows — a reply goes on the
  timeline through :func:`gvia.services.engine.activities.record_reply` (which pauses automatic
  messages for the reply days and opens a task to read it) and may suggest a promise
  (:mod:`gvia.services.arrangements.suggestions`); an automatic answer is recorded without
  pausing; a bounce marks the address failing and opens a task to find a working contact; a
  message from nobody known waits in the unmatched list;
* :mod:`.unmatched` — that list: a person assigns a message to a customer (then it is placed as
  a reply) or dismisses it.
"""
