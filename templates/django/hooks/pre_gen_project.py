"""Refuse answers that cannot make a working project, with one line on stderr."""

import json
import sys
from pathlib import Path

# The hook library every scaffold template shares (a link to templates/_hooks).
sys.dont_write_bytecode = True  # leave no __pycache__ in the template
sys.path.insert(0, str(Path(r"""{{ cookiecutter._repo_dir }}""") / "hooks"))
from template_contract import refuse_bad_answers  # noqa: E402

VALUES = dict(
    json.loads(
        r'''[{% for key, value in cookiecutter.items() if not key.startswith("_") %}[{{ key | tojson }}, {{ value | tojson }}]{% if not loop.last %}, {% endif %}{% endfor %}]'''
    )
)
CONTRACT = {
    "_requires": json.loads(r'''{{ cookiecutter._requires | tojson }}'''),
    "_reserved_slugs": json.loads(r'''{{ cookiecutter._reserved_slugs | tojson }}'''),
    "_slug_max_length": json.loads(r'''{{ cookiecutter._slug_max_length | tojson }}'''),
}

if __name__ == "__main__":
    sys.exit(refuse_bad_answers(VALUES, CONTRACT))
