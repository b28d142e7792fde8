# Public settings for the `flask` command (committed). Secrets go in .env.
FLASK_APP={{ cookiecutter.project_slug }}
FLASK_DEBUG=1
FLASK_CONFIG=development
