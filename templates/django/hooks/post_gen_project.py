"""Remove the files of options not chosen, then write a git-ignored .env with fresh secrets."""

import json
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # leave no __pycache__ in the template
sys.path.insert(0, str(Path(r"""{{ cookiecutter._repo_dir }}""") / "hooks"))
from project_hooks import post_gen_project  # noqa: E402

VALUES = dict(
    json.loads(
        r'''[{% for key, value in cookiecutter.items() if not key.startswith("_") %}[{{ key | tojson }}, {{ value | tojson }}]{% if not loop.last %}, {% endif %}{% endfor %}]'''
    )
)

if __name__ == "__main__":
    post_gen_project(Path.cwd(), VALUES)
