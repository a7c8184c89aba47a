import os

from django.core.wsgi import get_wsgi_application

from gvia import locale

locale.check_compiled()   # a catalog changed and not compiled stops the server with one line
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gvia.settings")
application = get_wsgi_application()
