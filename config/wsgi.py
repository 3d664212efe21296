"""WSGI entry point: HTTP served by gunicorn's threads (deploy/gunicorn.conf.py), sockets by
daphne on /ws/ only (config/asgi.py). Under ASGI, sync views queue on asgiref's one
thread-sensitive executor; here each request has a thread of its own, bounded by the pool.

The same protection as the ASGI path (careteams/faults.py): a body over the limit is refused
with 413 before Django reads it, also when it arrives chunked, without a Content-Length.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_wsgi_app = get_wsgi_application()

from careteams.faults import WSGIBodyLimit  # noqa: E402 (needs Django set up)

application = WSGIBodyLimit(django_wsgi_app)
