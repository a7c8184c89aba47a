"""One router per resource of the API (see :mod:`gvia.api.main`)."""
