"""gunicorn's settings; gunicorn reads ./gunicorn.conf.py when started here.

Run `gunicorn` alone: the app, the address and the logs come from this file and
the environment (WEB_CONCURRENCY, PORT, LOG_LEVEL).
"""

import os

wsgi_app = "{{ cookiecutter.project_slug }}.wsgi:app"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Hosts such as Heroku and Render set WEB_CONCURRENCY to what the machine can run.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# gunicornc's control socket, in this project's instance/ folder rather than the
# default for the whole user (~/.gunicorn/gunicorn.ctl), which a second project
# started by the same user would take over.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "instance/gunicorn.ctl")

# Both logs go to stderr, where containers and process managers collect them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Client, request line, status, bytes, time in ms, referrer and user agent.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
