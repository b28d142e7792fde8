"""Remove the files of options not chosen and write a git-ignored .env with fresh secrets."""

import json
import secrets
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # leave no __pycache__ in the template
sys.path.insert(0, str(Path(r"""{{ cookiecutter._repo_dir }}""") / "hooks"))
from template_contract import remove, write_private  # noqa: E402

OPTIONS = json.loads(
    r"""{
        "api": {{ cookiecutter.api | tojson }},
        "accounts": {{ cookiecutter.accounts | tojson }},
        "docker": {{ cookiecutter.docker | tojson }},
        "ci": {{ cookiecutter.ci | tojson }}
    }"""
)

# Files that belong to one option: removed when that option is not chosen.
OPTION_FILES = {
    "api": ["api", "tests/test_api.py"],
    "accounts": [
        "accounts/checks.py",
        "accounts/forms.py",
        "accounts/urls.py",
        "accounts/views.py",
        "templates/registration",
        "tests/test_accounts.py",
    ],
    "docker": ["Dockerfile", "compose.yaml", ".dockerignore"],
}
CI_FILES = {"github": [".github"], "gitlab": [".gitlab-ci.yml"]}

# .env.example marks each secret with this value; .env gets a fresh one per line.
PLACEHOLDER = "change-me"


def unchosen_paths(options: dict) -> list[str]:
    """List the paths that belong to options the user did not choose."""
    paths = []
    for option, files in OPTION_FILES.items():
        if not options[option]:
            paths += files
    for ci, files in CI_FILES.items():
        if options["ci"] != ci:
            paths += files
    return paths


def env_from_example(example: str) -> str:
    """Copy .env.example, replacing each placeholder value with a fresh random secret."""
    lines = []
    for line in example.splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.startswith("#") and value == PLACEHOLDER:
            line = f"{name}={secrets.token_urlsafe(50)}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def main() -> None:
    project = Path.cwd()
    for path in unchosen_paths(OPTIONS):
        remove(project / path)
    write_private(project / ".env", env_from_example((project / ".env.example").read_text()))


if __name__ == "__main__":
    main()
