"""gunicorn's settings; gunicorn reads ./gunicorn.conf.py when started here.

Run `gunicorn` alone: the app, the address, the workers and the logs come from this
file and the environment (PORT, WEB_CONCURRENCY, DJANGO_LOG_LEVEL).
"""

import os

wsgi_app = "{{ cookiecutter.project_slug }}.wsgi"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Hosts such as Heroku and Render set WEB_CONCURRENCY to what the machine can run.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))

# The access log goes to stdout and gunicorn's own log to stderr, where containers
# and process managers collect them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("DJANGO_LOG_LEVEL", "info").lower()
# Client, request line, status, bytes, time in ms, referrer and user agent.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

# Whether a request came over HTTPS is Django's to decide (DJANGO_BEHIND_PROXY in
# settings): gunicorn would otherwise believe X-Forwarded-Proto from any local client.
secure_scheme_headers = {}
