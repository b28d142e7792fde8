"""The answers an update starts from: the project's record, checked, and planned again.

An update renders the template with the answers the project records (plus any the
user changes now); what is refused (an edited or corrupted record, an older
template, another framework, a renamed package) is refused here, before any git.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from scaffold.answers import layer_answers
from scaffold.cache import compiled_templates_dir
from scaffold.catalog import Template, load_template, template_version
from scaffold.errors import AnswersError, UpdateError
from scaffold.interrupt import deferred, temporary_directory
from scaffold.options import build_context
from scaffold.project import ANSWERS_FILE, Plan, answers_record, plan_project, without_commit
from scaffold.questions import FRAMEWORKS, load_answers_file
from scaffold.render import compiled_templates, render_template
from scaffold.update.base import UpdateTarget
from scaffold.update.version import older_message, recorded_version


def refuse_downgrade(record: Mapping[str, Any], template: Template) -> None:
    """An older template would revert the newer one's changes (a migration, say): refused."""
    recorded, installed = recorded_version(record), template_version(template)
    if recorded > installed:
        raise UpdateError(older_message(template, recorded, installed))


def project_dir(path: Path) -> Path:
    path = Path(path).resolve()
    if not path.is_dir():
        raise UpdateError(f"{path} is not a directory: give the path of a scaffold project")
    if not (path / ANSWERS_FILE).is_file():
        raise UpdateError(
            f"{path} is not a scaffold project: it has no {ANSWERS_FILE} (scaffold new writes one)"
        )
    return path


def recorded_answers(repo: UpdateTarget) -> dict[str, Any]:
    """The committed answers file, refused if it differs from the last merged render's."""
    text = repo.answers
    if text is None:
        raise UpdateError(f"{ANSWERS_FILE} is not committed: commit it first")
    text = without_commit(text + "\n")
    pristine = repo.file_at(repo.base, ANSWERS_FILE)
    if pristine is not None and text != pristine + "\n":
        raise UpdateError(
            f"{ANSWERS_FILE} was edited by hand (it differs from the last render on "
            f"{repo.template_branch}): restore it with `git show {repo.base[:12]}:"
            f"{ANSWERS_FILE} > {ANSWERS_FILE}` and change answers with "
            "`scaffold update --set KEY=VALUE`"
        )
    return parse_record(text)


def parse_record(text: str) -> dict[str, Any]:
    import yaml

    try:
        record = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        raise UpdateError(f"{ANSWERS_FILE} is corrupted: not valid YAML{line}") from err
    meta = record.get("_scaffold") if isinstance(record, dict) else None
    if not isinstance(meta, dict) or not isinstance(meta.get("template"), str):
        raise UpdateError(
            f"{ANSWERS_FILE} is corrupted: it has no _scaffold block naming "
            "the template it was rendered from"
        )
    if record.get("framework") not in FRAMEWORKS:
        raise UpdateError(
            f"{ANSWERS_FILE} is corrupted: framework must be one of "
            f"{', '.join(FRAMEWORKS)}, not {record.get('framework')!r}"
        )
    return record


def template_of(record: Mapping[str, Any]) -> Template:
    name = record["_scaffold"]["template"]
    if name != record["framework"]:
        raise UpdateError(
            f"{ANSWERS_FILE} is corrupted: framework {record['framework']!r} but template {name!r}"
        )
    return load_template(name)


def plan_update(
    record: Mapping[str, Any],
    template: Template,
    answers_file: Path | None,
    assignments: Mapping[str, str],
) -> tuple[Plan, dict[str, tuple[Any, Any]], tuple[str, ...]]:
    """The recorded answers with the new ones layered on top, planned against ``template``."""
    try:
        old = layer_answers(framework=template, recorded=record)
    except AnswersError as err:
        raise UpdateError(f"{ANSWERS_FILE} is corrupted: {err}") from err
    # Variables the template no longer declares are dropped rather than refused:
    # the record is the tool's own, and a template may drop a variable.
    dropped = sorted(k for k in record if k not in old.values and k != "framework" and k[0] != "_")
    notes = [f"the template no longer has the variable {key}: dropped" for key in dropped]
    file_values = load_answers_file(answers_file) if answers_file else None
    new = layer_answers(
        framework=template, recorded=record, file_values=file_values, set_values=assignments
    )
    # A value asked for in this update that the template's rules would replace is refused:
    # applying something else under the same request would record what was not generated.
    asked = {**(file_values or {}), **assignments}
    for key, answer in new.derived.items():
        if key in asked and answer.requested is not None and answer.requested != answer.value:
            raise AnswersError(f"{key}={_show(answer.requested)} is refused: {answer.reason}")
    framework = record["framework"]
    if new.framework not in (None, framework):
        raise UpdateError(
            f"this is a {framework.capitalize()} project: switching to "
            f"{new.framework.capitalize()} is not an update; generate a new project with "
            f"`scaffold new --framework {new.framework}` and move your code over"
        )
    # What the render will hold, derived values included: the commit message and the
    # answers file say the same.
    before = old.plain()
    changed = {
        key: (before.get(key), value)
        for key, value in new.plain().items()
        if before.get(key) != value
    }
    plan = plan_project(new, framework=framework, template=template)
    old_slug = build_context(template, old.plain()).values["project_slug"]
    new_slug = plan.context.values["project_slug"]
    if old_slug != new_slug:
        # The template's files would move to the new package; the user's own modules,
        # tests' imports and the database name would not.
        raise UpdateError(
            f"the package is {old_slug}: an update cannot rename it to {new_slug} (your own "
            f"modules would stay in {old_slug}/); rename it with git mv and your editor, "
            "or generate a new project"
        )
    return plan, changed, tuple(notes) + plan.context.notes


@contextlib.contextmanager
def render_plan(plan: Plan) -> Iterator[Path]:
    """Render ``plan`` into a temporary directory, with its answers file, and yield it.

    The template's compiled code is kept in scaffold's cache directory, as ``scaffold
    new`` keeps it: an update renders the whole template, and most of its files are the
    ones the last `new` or update compiled.
    """
    compiled = compiled_templates(compiled_templates_dir())
    with temporary_directory(prefix="scaffold-update-") as tmp:
        out = Path(tmp) / "out"
        out.mkdir()
        with deferred():  # the hook scripts finish; a Ctrl-C is raised after them
            project = render_template(plan.template, plan.context.values, out, compiled=compiled)
        (project / ANSWERS_FILE).write_text(answers_record(plan), encoding="utf-8")
        yield project


def describe_changes(changed: Mapping[str, tuple[Any, Any]]) -> str:
    return ", ".join(f"{key}={_show(new)}" for key, (_, new) in changed.items())


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
