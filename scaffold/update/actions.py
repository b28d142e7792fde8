"""Update, check and adopt a generated project: each one function, with git.

``scaffold new`` commits the template's output untouched and keeps that commit on
the branch ``scaffold/template``. An update renders the template again with the
recorded answers (plus any changed ones; ``record``), commits that pristine tree on
the same branch and merges it into the user's branch (``merge`` computes the merge,
``apply`` applies it). Git's own three-way merge then takes the last pristine render
as the base (``base``): files the user never touched follow the template (deletions
too), the user's changes stay, and lines both changed get standard conflict markers.
It needs only git and the installed templates: no old template copies, no network.

A project that has no such branch (made with --no-git, then committed) is adopted:
the installed template's render of its recorded answers becomes the base.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from scaffold.answers import parse_set
from scaffold.catalog import Template, template_version
from scaffold.errors import RepositoryRefused, UpdateError
from scaffold.project import ANSWERS_FILE, without_commit
from scaffold.repository import FileChange, locate
from scaffold.update.apply import apply_merge, preview_merge
from scaffold.update.base import first_five, open_for_update
from scaffold.update.lockfile import keep_lock
from scaffold.update.merge import (
    Conflict,
    commit_render,
    compute_merge,
    ignored_in_the_way,
    merge_changes,
    scratch_objects,
)
from scaffold.update.notices import (
    ENV_EXAMPLE,
    ENV_FILE,
    NO_ENV_NOTE,
    env_additions,
    migration_changes,
)
from scaffold.update.record import (
    describe_changes,
    parse_record,
    plan_update,
    project_dir,
    recorded_answers,
    refuse_downgrade,
    render_plan,
    template_of,
)
from scaffold.update.results import Adoption, Check, Update, UpdateStatus
from scaffold.update.revisions import keep_whole
from scaffold.update.version import recorded_version

# What applies a template's database migrations.
MIGRATE_COMMANDS = {"flask": "flask db upgrade", "django": "python manage.py migrate"}

__all__ = [
    "Adoption",
    "Check",
    "Conflict",
    "FileChange",
    "Update",
    "UpdateStatus",
    "adopt_project",
    "check_for_update",
    "update_project",
]


def update_project(
    path: Path,
    *,
    assignments: Iterable[str] = (),
    answers_file: Path | None = None,
    dry_run: bool = False,
    template: Template | None = None,
) -> Update:
    """Render ``path``'s template again (with changed answers) and merge it into the project."""
    path = project_dir(path)
    repo = open_for_update(path, strict=True)
    record = recorded_answers(repo)
    template = template or template_of(record)
    refuse_downgrade(record, template)
    plan, changed, notes = plan_update(record, template, answers_file, parse_set(assignments))
    with_changes = f" with {describe_changes(changed)}" if changed else ""
    # A dry run writes even git objects to a scratch store; an update writes them for real.
    objects: contextlib.AbstractContextManager[Mapping[str, str]] = (
        scratch_objects(repo) if dry_run else contextlib.nullcontext({})
    )
    with objects as env, render_plan(plan) as rendered:
        tree = repo.write_tree(rendered, env)
        if tree == repo.tree_of(repo.base):
            return Update(path, template.name, UpdateStatus.UP_TO_DATE, repo.branch, notes=notes)
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
        merged, lock_notes = keep_lock(repo, merged, repo.base, commit, env)
        notes += lock_notes
        example = rendered / ENV_EXAMPLE
        env_lines = env_additions(
            path,
            repo.file_at(repo.base, ENV_EXAMPLE),
            example.read_text(encoding="utf-8") if example.is_file() else None,
        )
        if example.is_file() and not (path / ENV_FILE).is_file():
            notes += (NO_ENV_NOTE,)
        changes = merge_changes(repo, merged, env)
        if in_the_way := ignored_in_the_way(repo, changes):
            raise UpdateError(
                f"the update adds {first_five(in_the_way)}, where you have files git ignores "
                "(.gitignore, .git/info/exclude or your own excludes): move them away, "
                "then update again"
            )
        if dry_run:
            done = preview_merge(repo, merged, env, changes)
            status = UpdateStatus.DRY_RUN
        else:
            message = f"Update from scaffold's {template.name} template{with_changes}"
            done = apply_merge(repo, commit, merged, message, changes)
            status = UpdateStatus.CONFLICTS if done.conflicts else UpdateStatus.MERGED
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


def check_for_update(path: Path, *, template: Template | None = None) -> Check:
    """Say whether ``path`` is behind its template, without writing anything."""
    path = project_dir(path)
    try:
        repo = open_for_update(path, strict=False)
    except RepositoryRefused:
        raise  # git will not look at it: nothing can be compared
    except UpdateError:
        # No template branch to compare renders with (a shallow CI checkout, say):
        # compare the template's fingerprint with the recorded one instead.
        record = parse_record((path / ANSWERS_FILE).read_text(encoding="utf-8"))
        template = template or template_of(record)
        in_repository = _in_repository(path)
        if recorded_version(record) > template_version(template):
            return Check(
                path, template.name, False, exact=False, older=True, in_repository=in_repository
            )
        recorded = record["_scaffold"].get("template_fingerprint")
        behind = recorded != template.fingerprint()
        return Check(path, template.name, behind, exact=False, in_repository=in_repository)
    record = recorded_answers(repo)
    template = template or template_of(record)
    if recorded_version(record) > template_version(template):
        return Check(path, template.name, False, exact=True, older=True)
    plan, _, _ = plan_update(record, template, None, {})
    with scratch_objects(repo) as env, render_plan(plan) as rendered:
        changes = repo.changed_files(repo.base, repo.write_tree(rendered, env), env)
    return Check(path, template.name, bool(changes), exact=True, changes=changes)


def adopt_project(path: Path, *, template: Template | None = None) -> Adoption:
    """Give a committed project without a template branch one: its base for updates.

    The base is the installed template rendered with the project's recorded answers,
    with the project's own answers file; it is exact when the installed template is
    the one that generated the project. Only the template branch is written.
    """
    path = project_dir(path)
    place = locate(path)
    committed = place.head_file(ANSWERS_FILE)
    if committed is None:
        raise UpdateError(f"{ANSWERS_FILE} is not committed: commit the project first")
    text = without_commit(committed + "\n")
    if not place.template_tips():
        place.fetch_template_branch()  # a clone of one branch may not have it yet
    if place.template_tips():
        raise UpdateError(
            f"{path} already has its template branch, {place.template_branch}: "
            "`scaffold update` merges from it"
        )
    record = parse_record(text)
    template = template or template_of(record)
    refuse_downgrade(record, template)
    plan, _, _ = plan_update(record, template, None, {})
    installed = template_version(template)
    message = (
        f"Render scaffold's {template.name} template version {installed} "
        "with the project's recorded answers, to adopt it"
    )
    with render_plan(plan) as rendered:
        (rendered / ANSWERS_FILE).write_text(text, encoding="utf-8")
        commit = place.keep_render(rendered, message)
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
        changes=place.changed_files(commit, place.head_tree()),
    )


def _in_repository(path: Path) -> bool:
    try:
        locate(path)
    except UpdateError:
        return False
    return True
