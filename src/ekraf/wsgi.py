"""WSGI entry point for gunicorn and other servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ekraf.settings")
application = get_wsgi_application()

# gunicorn forks its workers from this process (preload_app): what they would each build on
# their first request is built once here (ekraf.core.warmup says why).
from ekraf.core.warmup import warm  # noqa: E402 - needs the settings above

warm()
