"""The words of the pages built on the engine and the arrangements, in Hebrew and English, added
to :data:`gvia.web.i18n.STRINGS` by area (see :func:`gvia.web.i18n.add`). Imported once when the
web application starts (:class:`gvia.web.apps.WebConfig`)."""

from . import case, dashboard, outbox, policy, settings, worklist  # noqa: F401
