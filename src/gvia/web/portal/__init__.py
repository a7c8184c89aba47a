"""The customer's page (issue 16): opened without signing in from the signed link every message and
letter carries (:mod:`gvia.services.portal.links`), at ``/p/<token>/``. :mod:`.views` (the page,
the statement, the polite page of a link that no longer opens), :mod:`.urls` (included by
:mod:`gvia.web.urls`), :mod:`.words` (the ``portal`` catalog: he, en, ar, ru); the templates are
``templates/portal/``."""
