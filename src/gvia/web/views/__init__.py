"""Views, one module per page group. Each view parses the request, calls a service or a query,
and renders; errors raised on purpose (``gvia.core.errors``) are mapped to responses in
:mod:`gvia.web.views.common`."""
