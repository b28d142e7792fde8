"""Bring a generated project up to date with its template, or change its answers, with git.

``scaffold new`` commits the template's output untouched and keeps that commit on
the branch ``scaffold/template``. An update renders the template again with the
recorded answers (plus any changed ones), commits that pristine tree on the same
branch and merges it into the user's branch (see pristine.py). Git's own three-way
merge then takes the last pristine render as the base: files the user never
touched follow the template (deletions too), the user's changes stay, and lines
both changed get standard conflict markers. It needs only git and the installed
templates: no old template copies and no network.

A project that has no such branch (made with --no-git, then committed) is adopted:
the installed template's render of its recorded answers becomes the base.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.answers import layer_answers, parse_set
from scaffold.cache import compiled_templates_dir
from scaffold.catalog import Template, load_template, template_version
from scaffold.errors import AnswersError, RepositoryRefused, UpdateError
from scaffold.interrupt import deferred, temporary_directory
from scaffold.options import build_context
from scaffold.project import ANSWERS_FILE, Plan, answers_record, plan_project, without_commit
from scaffold.questions import FRAMEWORKS, load_answers_file
from scaffold.render import compiled_templates, render_template
from scaffold.repository import keep_render, locate, write_tree
from scaffold.update.notices import (
    ENV_EXAMPLE,
    ENV_FILE,
    NO_ENV_NOTE,
    env_additions,
    migration_changes,
)
from scaffold.update.pristine import (
    Conflict,
    FileChange,
    Repository,
    apply_merge,
    changed_files,
    commit_render,
    compute_merge,
    fetch_template_branch,
    head_file,
    ignored_in_the_way,
    merge_changes,
    open_repository,
    preview_merge,
    read_file,
    scratch_objects,
    some_of,
    template_tips,
    tree_of,
)
from scaffold.update.revisions import keep_whole
from scaffold.update.version import older_message, recorded_version

# What applies a template's database migrations.
MIGRATE_COMMANDS = {"flask": "flask db upgrade", "django": "python manage.py migrate"}

__all__ = [
    "Adoption",
    "Check",
    "Conflict",
    "FileChange",
    "Update",
    "adopt_project",
    "check_project",
    "update_project",
]


@dataclass(frozen=True)
class Update:
    """What ``update_project`` did, or would do on a dry run.

    ``status`` is ``up to date``, ``merged``, ``conflicts`` or ``dry run``.
    """

    project: Path
    template: str
    status: str
    branch: str | None = None
    changes: tuple[FileChange, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    kept: tuple[str, ...] = ()
    answers: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    diff: str = ""
    commit: str | None = None
    migrations: tuple[FileChange, ...] = ()  # migration files among the changes
    migrate: str | None = None  # the command that applies them
    env_lines: tuple[str, ...] = ()  # lines the local .env lacks for the new options

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": str(self.project),
            "template": self.template,
            "status": self.status,
            "branch": self.branch,
            "changes": [{"status": c.status, "path": c.path} for c in self.changes],
            "conflicts": [{"path": c.path, "reason": c.reason} for c in self.conflicts],
            "kept": list(self.kept),
            "answers": {k: {"old": old, "new": new} for k, (old, new) in self.answers.items()},
            "notes": list(self.notes),
            "commit": self.commit,
            "migrations": [{"status": c.status, "path": c.path} for c in self.migrations],
            "migrate": self.migrate,
            "env_lines": list(self.env_lines),
            "diff": self.diff,
        }


@dataclass(frozen=True)
class Check:
    """Whether a project is behind its template; ``exact`` is False when only fingerprints
    could be compared (no template branch, as in a shallow CI checkout)."""

    project: Path
    template: str
    behind: bool
    exact: bool
    changes: tuple[FileChange, ...] = ()
    older: bool = False  # the installed template is older than the one last merged
    in_repository: bool = True  # False: the project is in no git repository at all

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": str(self.project),
            "template": self.template,
            "behind": self.behind,
            "exact": self.exact,
            "older": self.older,
            "in_repository": self.in_repository,
            "changes": [{"status": c.status, "path": c.path} for c in self.changes],
        }


@dataclass(frozen=True)
class Adoption:
    """What ``adopt_project`` did: the render it made the base, and what that assumed.

    ``exact`` is True when the installed template is the one the answers file names
    (same version and fingerprint); ``changes`` are how the project differs from the
    render, which later updates keep as the user's own.
    """

    project: Path
    template: str
    branch: str
    commit: str
    recorded_version: int
    installed_version: int
    generated_by: str | None  # the scaffold release the answers file names
    exact: bool
    changes: tuple[FileChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": str(self.project),
            "template": self.template,
            "branch": self.branch,
            "commit": self.commit,
            "recorded_version": self.recorded_version,
            "installed_version": self.installed_version,
            "generated_by": self.generated_by,
            "exact": self.exact,
            "changes": [{"status": c.status, "path": c.path} for c in self.changes],
        }


def update_project(
    path: Path,
    *,
    assignments: Iterable[str] = (),
    answers_file: Path | None = None,
    dry_run: bool = False,
    template: Template | None = None,
) -> Update:
    """Render ``path``'s template again (with changed answers) and merge it into the project."""
    path = _project_dir(path)
    repo = open_repository(path, strict=True)
    record = _recorded(repo)
    template = template or _template(record)
    _refuse_downgrade(record, template)
    plan, changed, notes = _plan(record, template, answers_file, parse_set(assignments))
    with_changes = f" with {_describe(changed)}" if changed else ""
    # A dry run writes even git objects to a scratch store; an update writes them for real.
    objects: contextlib.AbstractContextManager[Mapping[str, str]] = (
        scratch_objects(repo) if dry_run else contextlib.nullcontext({})
    )
    with objects as env, _render(plan) as rendered:
        tree = write_tree(repo, rendered, env)
        if tree == tree_of(repo, repo.base):
            return Update(path, template.name, "up to date", repo.branch, notes=notes)
        message = f"Render scaffold's {template.name} template{with_changes}"
        commit = commit_render(repo, tree, message, env)
        answers = (rendered / ANSWERS_FILE).read_text(encoding="utf-8")
        labels = (
            repo.branch or "HEAD",
            f"{repo.template_branch} ({template.name} template version "
            f"{template_version(template)})",
        )
        merged = compute_merge(repo, commit, answers, labels, env)
        # In the same merge commit (and the dry run's diff): Alembic keeps one head.
        merged, revision_notes = keep_whole(repo, merged, template.name, env)
        notes += revision_notes
        example = rendered / ENV_EXAMPLE
        env_lines = env_additions(
            path,
            read_file(repo, repo.base, ENV_EXAMPLE),
            example.read_text(encoding="utf-8") if example.is_file() else None,
        )
        if example.is_file() and not (path / ENV_FILE).is_file():
            notes += (NO_ENV_NOTE,)
        changes = merge_changes(repo, merged, env)
        if in_the_way := ignored_in_the_way(repo, changes):
            raise UpdateError(
                f"the update adds {some_of(in_the_way)}, where you have files git ignores "
                "(.gitignore, .git/info/exclude or your own excludes): move them away, "
                "then update again"
            )
        if dry_run:
            done = preview_merge(repo, merged, env, changes)
            status = "dry run"
        else:
            message = f"Update from scaffold's {template.name} template{with_changes}"
            done = apply_merge(repo, commit, merged, message, changes)
            status = "conflicts" if done.conflicts else "merged"
    return Update(
        path,
        template.name,
        status,
        repo.branch,
        changes=done.changes,
        conflicts=done.conflicts,
        kept=done.kept,
        answers=changed,
        notes=notes,
        diff=done.diff,
        commit=done.commit,
        migrations=(migrations := migration_changes(done.changes)),
        migrate=MIGRATE_COMMANDS.get(template.name) if migrations else None,
        env_lines=env_lines,
    )


def check_project(path: Path, *, template: Template | None = None) -> Check:
    """Say whether ``path`` is behind its template, without writing anything."""
    path = _project_dir(path)
    try:
        repo = open_repository(path, strict=False)
    except RepositoryRefused:
        raise  # git will not look at it: nothing can be compared
    except UpdateError:
        # No template branch to compare renders with (a shallow CI checkout, say):
        # compare the template's fingerprint with the recorded one instead.
        record = _parse_record((path / ANSWERS_FILE).read_text(encoding="utf-8"))
        template = template or _template(record)
        in_repository = _in_repository(path)
        if recorded_version(record) > template_version(template):
            return Check(
                path, template.name, False, exact=False, older=True, in_repository=in_repository
            )
        recorded = record["_scaffold"].get("template_fingerprint")
        behind = recorded != template.fingerprint()
        return Check(path, template.name, behind, exact=False, in_repository=in_repository)
    record = _recorded(repo)
    template = template or _template(record)
    if recorded_version(record) > template_version(template):
        return Check(path, template.name, False, exact=True, older=True)
    plan, _, _ = _plan(record, template, None, {})
    with scratch_objects(repo) as env, _render(plan) as rendered:
        changes = changed_files(repo, repo.base, write_tree(repo, rendered, env), env)
    return Check(path, template.name, bool(changes), exact=True, changes=changes)


def adopt_project(path: Path, *, template: Template | None = None) -> Adoption:
    """Give a committed project without a template branch one: its base for updates.

    The base is the installed template rendered with the project's recorded answers,
    with the project's own answers file; it is exact when the installed template is
    the one that generated the project. Only the template branch is written.
    """
    path = _project_dir(path)
    place = locate(path)
    committed = head_file(place, ANSWERS_FILE)
    if committed is None:
        raise UpdateError(f"{ANSWERS_FILE} is not committed: commit the project first")
    text = without_commit(committed + "\n")
    if not template_tips(place):
        fetch_template_branch(place)  # a clone of one branch may not have it yet
    if template_tips(place):
        raise UpdateError(
            f"{path} already has its template branch, {place.template_branch}: "
            "`scaffold update` merges from it"
        )
    record = _parse_record(text)
    template = template or _template(record)
    _refuse_downgrade(record, template)
    plan, _, _ = _plan(record, template, None, {})
    installed = template_version(template)
    message = (
        f"Render scaffold's {template.name} template version {installed} "
        "with the project's recorded answers, to adopt it"
    )
    with _render(plan) as rendered:
        (rendered / ANSWERS_FILE).write_text(text, encoding="utf-8")
        commit = keep_render(place, rendered, message)
    meta = record["_scaffold"]
    return Adoption(
        path,
        template.name,
        place.template_branch,
        commit,
        recorded_version(record),
        installed,
        meta.get("version"),
        exact=recorded_version(record) == installed
        and meta.get("template_fingerprint") == template.fingerprint(),
        changes=changed_files(place, commit, place.head_tree()),
    )


def _in_repository(path: Path) -> bool:
    try:
        locate(path)
    except UpdateError:
        return False
    return True


def _refuse_downgrade(record: Mapping[str, Any], template: Template) -> None:
    """An older template would revert the newer one's changes (a migration, say): refused."""
    recorded, installed = recorded_version(record), template_version(template)
    if recorded > installed:
        raise UpdateError(older_message(template, recorded, installed))


# -- the recorded answers ------------------------------------------------------------------


def _project_dir(path: Path) -> Path:
    path = Path(path).resolve()
    if not path.is_dir():
        raise UpdateError(f"{path} is not a directory: give the path of a scaffold project")
    if not (path / ANSWERS_FILE).is_file():
        raise UpdateError(
            f"{path} is not a scaffold project: it has no {ANSWERS_FILE} (scaffold new writes one)"
        )
    return path


def _recorded(repo: Repository) -> dict[str, Any]:
    """The committed answers file, refused if it differs from the last merged render's."""
    text = repo.answers
    if text is None:
        raise UpdateError(f"{ANSWERS_FILE} is not committed: commit it first")
    text = without_commit(text + "\n")
    pristine = read_file(repo, repo.base, ANSWERS_FILE)
    if pristine is not None and text != pristine + "\n":
        raise UpdateError(
            f"{ANSWERS_FILE} was edited by hand (it differs from the last render on "
            f"{repo.template_branch}): restore it with `git show {repo.base[:12]}:"
            f"{ANSWERS_FILE} > {ANSWERS_FILE}` and change answers with "
            "`scaffold update --set KEY=VALUE`"
        )
    return _parse_record(text)


def _parse_record(text: str) -> dict[str, Any]:
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


def _template(record: Mapping[str, Any]) -> Template:
    name = record["_scaffold"]["template"]
    if name != record["framework"]:
        raise UpdateError(
            f"{ANSWERS_FILE} is corrupted: framework {record['framework']!r} but template {name!r}"
        )
    return load_template(name)


# -- answers -------------------------------------------------------------------------------


def _plan(
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


# -- the render -------------------------------------------------------------------------------


@contextlib.contextmanager
def _render(plan: Plan) -> Iterator[Path]:
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


def _describe(changed: Mapping[str, tuple[Any, Any]]) -> str:
    return ", ".join(f"{key}={_show(new)}" for key, (_, new) in changed.items())


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
