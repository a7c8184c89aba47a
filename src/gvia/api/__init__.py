"""The REST API (issue 18): ``/api/v1``, for other programs. An entry point like ``web/`` and
``cli/``: it parses, calls the services (the same functions the pages and the commands call), and
answers JSON of codes and values. It imports services and below, never ``web`` or ``cli`` (nor
they it). :mod:`.main` holds the API, :mod:`.common` what its routers share, :mod:`.errors` its
error answers, :mod:`.bulk` the bulk upserts (through the imports), ``routers/`` one module per
resource."""
