"""The WSGI application (gunicorn, ``gvia serve``): Django with gvia's settings. It sits beside
settings.py, not in gvia.web, so that the command line can serve it without importing the web
package (the import contracts in pyproject.toml)."""

import os

from django.core.wsgi import get_wsgi_application

from gvia import locale

locale.check_compiled()   # a catalog changed and not compiled stops the server with one line
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gvia.settings")
application = get_wsgi_application()
