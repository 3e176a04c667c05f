"""gunicorn settings for `make run` and `make serve`. Values come from the environment.

The timeout is derived from the one time budget, settings.REQUEST_TIMEOUT_SECONDS,
plus a few seconds of grace: limits inside a request are set from the same
setting and so fire first, answering properly, before gunicorn would kill the
worker mid-request.
"""

import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reflect.settings")
django.setup(set_prefix=False)

TIMEOUT_GRACE_SECONDS = 5

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = settings.REQUEST_TIMEOUT_SECONDS + TIMEOUT_GRACE_SECONDS
graceful_timeout = timeout
# Longer than a client's or a load balancer's idle connections (60 s is usual):
# gunicorn's 2 s default closed connections just as clients reused them, and
# those requests failed with "connection reset" under load.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# The access log names the method, path, status and request id, never the query
# string: search words and filters are clinicians' words and stay out of logs.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
