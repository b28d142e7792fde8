"""Bring a generated project up to date with its template, or change its answers, with git.

``scaffold new`` commits the template's output untouched and keeps that commit on
the branch ``scaffold/template``. An update renders the template again with the
recorded answers (plus any changed ones), commits that pristine tree on the same
branch and merges it into the user's branch. Git's own three-way merge then takes
the last pristine render as the base: files the user never touched follow the
template (deletions too), the user's changes stay, and lines both changed get
standard conflict markers. It needs only git and the installed templates: no old
template copies and no network.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scaffold.catalog import Template, load_template
from scaffold.decision import recommend
from scaffold.errors import AnswersError, UpdateError
from scaffold.options import build_context
from scaffold.project import ANSWERS_FILE, Plan, answers_record
from scaffold.questions import (
    FRAMEWORKS,
    QUESTION_KEYS,
    load_answers_file,
    parse_assignments,
    split_layers,
    with_defaults,
)
from scaffold.render import list_files, run_cookiecutter
from scaffold.vcs import TEMPLATE_BRANCH, git

STATUS_WORDS = {"A": "added", "M": "modified", "D": "deleted", "T": "modified"}


@dataclass(frozen=True)
class FileChange:
    """One file an update adds, modifies or deletes, relative to the project."""

    status: str
    path: str


@dataclass(frozen=True)
class Conflict:
    """A file git could not merge on its own, and why."""

    path: str
    reason: str


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
    created: tuple[str, ...] = ()
    answers: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    diff: str = ""
    commit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": str(self.project),
            "template": self.template,
            "status": self.status,
            "branch": self.branch,
            "changes": [{"status": c.status, "path": c.path} for c in self.changes],
            "conflicts": [{"path": c.path, "reason": c.reason} for c in self.conflicts],
            "kept": list(self.kept),
            "created": list(self.created),
            "answers": {k: {"old": old, "new": new} for k, (old, new) in self.answers.items()},
            "notes": list(self.notes),
            "commit": self.commit,
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": str(self.project),
            "template": self.template,
            "behind": self.behind,
            "exact": self.exact,
            "changes": [{"status": c.status, "path": c.path} for c in self.changes],
        }


@dataclass(frozen=True)
class _Repo:
    """A validated scaffold project in git: its branch, HEAD and last merged pristine render."""

    path: Path
    git_dir: Path
    branch: str | None
    head: str
    base: str
    tip: str


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
    repo = _open(path, strict=True)
    record = _recorded(repo)
    template = template or _template(record)
    plan, changed, notes = _plan(record, template, answers_file, parse_assignments(assignments))
    result = Update(path, template.name, "up to date", repo.branch, answers=changed, notes=notes)
    # A dry run writes even git objects to a scratch store; an update writes them for real.
    objects: contextlib.AbstractContextManager[Mapping[str, str]] = (
        _scratch_objects(repo) if dry_run else contextlib.nullcontext({})
    )
    with objects as env, _render(plan) as rendered:
        tree = _write_tree(repo, rendered, env)
        if tree == _tree(repo, repo.base):
            return result
        commit = _pristine_commit(repo, tree, plan, changed, env)
        if dry_run:
            return _preview(repo, commit, result, env)
        return _merge(repo, commit, rendered, tree, result, changed)


def check_project(path: Path, *, template: Template | None = None) -> Check:
    """Say whether ``path`` is behind its template, without writing anything."""
    path = _project_dir(path)
    try:
        repo = _open(path, strict=False)
    except UpdateError:
        repo = None
    if repo is None:
        # No template branch to compare renders with: compare template fingerprints.
        record = _parse_record((path / ANSWERS_FILE).read_text(encoding="utf-8"))
        template = template or _template(record)
        recorded = record["_scaffold"].get("template_fingerprint")
        return Check(path, template.name, recorded != template.fingerprint(), exact=False)
    record = _recorded(repo)
    template = template or _template(record)
    plan, _, _ = _plan(record, template, None, {})
    with _scratch_objects(repo) as env, _render(plan) as rendered:
        tree = _write_tree(repo, rendered, env)
        changes = _diff_names(repo, repo.base, tree, env)
    return Check(path, template.name, bool(changes), exact=True, changes=changes)


# -- reading and validating the project ---------------------------------------------------


def _project_dir(path: Path) -> Path:
    path = Path(path).resolve()
    if not path.is_dir():
        raise UpdateError(f"{path} is not a directory: give the path of a scaffold project")
    if not (path / ANSWERS_FILE).is_file():
        raise UpdateError(
            f"{path} is not a scaffold project: it has no {ANSWERS_FILE} (scaffold new writes one)"
        )
    return path


def _run(
    repo_path: Path, *args: str, env: Mapping[str, str] | None = None, identity: bool = False
) -> str:
    """Run git and return its output; a failure becomes an UpdateError with git's reason."""
    done = git(repo_path, *args, identity=identity, env=env)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        detail = lines[-1] if lines else f"exit code {done.returncode}"
        raise UpdateError(f"git {args[0]} failed in {repo_path}: {detail}")
    return done.stdout


def _ok(repo_path: Path, *args: str) -> str | None:
    """Run a git query; return its stripped output, or None when it fails."""
    done = git(repo_path, *args)
    return done.stdout.strip() if done.returncode == 0 else None


def _open(path: Path, *, strict: bool) -> _Repo:
    """Check that ``path`` is a scaffold project in its own repository and may be updated.

    ``strict`` adds what an update needs and a check does not: a branch checked out,
    no merge in progress, nothing uncommitted.
    """
    if shutil.which("git") is None:
        raise UpdateError("git is not installed: scaffold update merges with git")
    top = _ok(path, "rev-parse", "--show-toplevel")
    if top is None:
        raise UpdateError(
            f"{path} is not a git repository: scaffold update needs the repository scaffold new "
            "made (its first commit is the template's output)"
        )
    if Path(top).resolve() != path:
        raise UpdateError(
            f"{path} is inside the repository at {top}, not its root: "
            "scaffold update needs the project's own repository"
        )
    head = _ok(path, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    if head is None:
        raise UpdateError(f"{path} has no commits yet: commit the project first")
    branch = _ok(path, "symbolic-ref", "-q", "--short", "HEAD")
    tip = _ok(path, "rev-parse", "--verify", "-q", f"refs/heads/{TEMPLATE_BRANCH}^{{commit}}")
    if tip is None:
        raise UpdateError(
            f"{path} has no {TEMPLATE_BRANCH} branch, the template's output scaffold new "
            f"commits: fetch it (git fetch origin {TEMPLATE_BRANCH}:{TEMPLATE_BRANCH})"
        )
    if strict:
        if branch is None:
            raise UpdateError("HEAD is detached: check out your branch first (git switch main)")
        if branch == TEMPLATE_BRANCH:
            raise UpdateError(
                f"{TEMPLATE_BRANCH} holds the template's output only: check out your own branch"
            )
        if _ok(path, "rev-parse", "-q", "--verify", "MERGE_HEAD") is not None:
            raise UpdateError(
                "a merge is in progress: finish it (git commit) or abort it "
                "(git merge --abort) first"
            )
        dirty = _dirty_files(path)
        if dirty:
            shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
            raise UpdateError(
                f"uncommitted changes in {shown}: commit or stash them first, so the update "
                "can be inspected and undone on its own"
            )
    base = _ok(path, "merge-base", "HEAD", tip)
    if base is None:
        raise UpdateError(f"HEAD shares no history with {TEMPLATE_BRANCH}: it cannot be merged")
    git_dir = Path(_ok(path, "rev-parse", "--absolute-git-dir") or path / ".git")
    return _Repo(path, git_dir, branch, head, base, tip)


def _dirty_files(path: Path) -> list[str]:
    out = _run(path, "status", "--porcelain=v1", "-z", "--untracked-files=normal")
    entries = out.split("\0")
    files: list[str] = []
    skip = False
    for entry in entries:
        if skip or not entry:
            skip = False
            continue
        files.append(entry[3:])
        skip = entry[0] in "RC"  # a rename is followed by its old name
    return files


def _recorded(repo: _Repo) -> dict[str, Any]:
    """The committed answers file, refused if it differs from the last merged render's."""
    text = _ok(repo.path, "cat-file", "blob", f"HEAD:{ANSWERS_FILE}")
    if text is None:
        raise UpdateError(f"{ANSWERS_FILE} is not committed: commit it first")
    pristine = _ok(repo.path, "cat-file", "blob", f"{repo.base}:{ANSWERS_FILE}")
    if pristine is not None and text != pristine:
        raise UpdateError(
            f"{ANSWERS_FILE} was edited by hand (it differs from the last render on "
            f"{TEMPLATE_BRANCH}): restore it with `git checkout {repo.base[:12]} -- "
            f"{ANSWERS_FILE}` and change answers with `scaffold update --set KEY=VALUE`"
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
    known = set(QUESTION_KEYS) | set(template.variables) | {"framework"}
    # Variables the template no longer declares are dropped rather than refused:
    # the record is the tool's own, and a template may drop a variable.
    dropped = sorted(k for k in record if k not in known and not k.startswith("_"))
    notes = [f"the template no longer has the variable {key}: dropped" for key in dropped]
    try:
        old = split_layers({k: v for k, v in record.items() if k in known}, {}, template.variables)
        old_answers = with_defaults(old.answers)
    except AnswersError as err:
        raise UpdateError(f"{ANSWERS_FILE} is corrupted: {err}") from err

    new = split_layers(
        load_answers_file(answers_file) if answers_file else {}, assignments, template.variables
    )
    framework = record["framework"]
    if new.framework not in (None, framework):
        raise UpdateError(
            f"this is a {framework.capitalize()} project: switching to "
            f"{new.framework.capitalize()} is not an update; generate a new project with "
            f"`scaffold new --framework {new.framework}` and move your code over"
        )
    answers = {**old_answers, **new.answers}
    template_values = {**old.template_values, **new.template_values}
    before = {**old_answers, **old.template_values}
    changed = {
        key: (before.get(key), value)
        for key, value in {**answers, **template_values}.items()
        if before.get(key) != value
    }
    context = build_context(template, answers, template_values)
    plan = Plan(
        answers=answers,
        recommendation=recommend(answers),
        framework=framework,
        template=template,
        context=context,
        template_values=template_values,
    )
    return plan, changed, tuple(notes) + context.notes


# -- the pristine render and its commit ----------------------------------------------------


@contextlib.contextmanager
def _render(plan: Plan) -> Iterator[Path]:
    """Render ``plan`` into a temporary directory, with its answers file, and yield it."""
    with tempfile.TemporaryDirectory(prefix="scaffold-update-") as tmp:
        out = Path(tmp) / "out"
        out.mkdir()
        project = run_cookiecutter(plan.template, plan.context.values, out)
        (project / ANSWERS_FILE).write_text(answers_record(plan), encoding="utf-8")
        yield project


@contextlib.contextmanager
def _scratch_objects(repo: _Repo) -> Iterator[dict[str, str]]:
    """Git environment whose new objects go to a temporary store, so nothing is written."""
    with tempfile.TemporaryDirectory(prefix="scaffold-objects-") as tmp:
        yield {
            "GIT_OBJECT_DIRECTORY": tmp,
            "GIT_ALTERNATE_OBJECT_DIRECTORIES": str(repo.git_dir / "objects"),
        }


def _write_tree(repo: _Repo, rendered: Path, env: Mapping[str, str]) -> str:
    """Store the rendered files as a git tree (honouring their .gitignore) and return its id."""
    with tempfile.TemporaryDirectory(prefix="scaffold-index-") as tmp:
        index = {**env, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
        where = (f"--git-dir={repo.git_dir}", f"--work-tree={rendered}")
        _run(rendered, *where, "add", "-A", env=index)
        return _run(rendered, *where, "write-tree", env=index).strip()


def _tree(repo: _Repo, commit: str) -> str:
    return _run(repo.path, "rev-parse", f"{commit}^{{tree}}").strip()


def _describe(changed: Mapping[str, tuple[Any, Any]]) -> str:
    return ", ".join(f"{key}={_show(new)}" for key, (_, new) in changed.items())


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _pristine_commit(
    repo: _Repo,
    tree: str,
    plan: Plan,
    changed: Mapping[str, tuple[Any, Any]],
    env: Mapping[str, str],
) -> str:
    """The commit holding ``tree`` on top of the template branch (its tip, if it has it)."""
    if tree == _tree(repo, repo.tip):
        return repo.tip  # rendered before, never merged (an update that was aborted)
    title = f"Render scaffold's {plan.template.name} template"
    message = f"{title} with {_describe(changed)}" if changed else title
    return _run(
        repo.path, "commit-tree", tree, "-p", repo.tip, "-m", message, env=env, identity=True
    ).strip()


def _diff_names(
    repo: _Repo, old: str, new: str, env: Mapping[str, str] | None = None
) -> tuple[FileChange, ...]:
    out = _run(
        repo.path, "diff-tree", "-r", "-z", "--no-renames", "--name-status", old, new, env=env
    )
    parts = out.split("\0")
    return tuple(
        FileChange(STATUS_WORDS.get(status[:1], status), name)
        for status, name in zip(parts[0::2], parts[1::2], strict=False)
        if status
    )


# -- merging -------------------------------------------------------------------------------


def _conflicts(listing: str) -> tuple[list[Conflict], list[str]]:
    """Classify unmerged index entries (``ls-files -u -z`` format).

    Returns the real conflicts, and the files the template deleted but the user
    changed: those are kept as the user has them.
    """
    stages: dict[str, set[str]] = {}
    for entry in listing.split("\0"):
        info, tab, name = entry.partition("\t")
        if tab:
            stages.setdefault(name, set()).add(info.split()[-1])
    conflicts: list[Conflict] = []
    kept: list[str] = []
    for name, found in sorted(stages.items()):
        if found == {"1", "2"}:
            kept.append(name)
        elif found == {"1", "3"}:
            conflicts.append(Conflict(name, "you deleted it; the template changed it"))
        elif found == {"2", "3"}:
            conflicts.append(Conflict(name, "you and the template both added it"))
        else:
            conflicts.append(Conflict(name, "you and the template both changed it"))
    return conflicts, kept


def _preview(repo: _Repo, commit: str, result: Update, env: Mapping[str, str]) -> Update:
    """What merging ``commit`` would do, computed without a work tree or index."""
    done = git(
        repo.path, "merge-tree", "--write-tree", "-z", "--no-messages", "HEAD", commit, env=env
    )
    if done.returncode not in (0, 1):
        raise UpdateError(f"git merge-tree failed: {done.stderr.strip()}")
    merged, _, listing = done.stdout.partition("\0")
    conflicts, kept = _conflicts(listing)
    diff = _run(repo.path, "diff", "--no-color", "--no-ext-diff", "HEAD", merged, env=env)
    return replace(
        result,
        status="dry run",
        changes=_diff_names(repo, "HEAD", merged, env),
        conflicts=tuple(conflicts),
        kept=tuple(kept),
        diff=diff,
    )


def _merge(
    repo: _Repo,
    commit: str,
    rendered: Path,
    tree: str,
    result: Update,
    changed: Mapping[str, tuple[Any, Any]],
) -> Update:
    """Merge ``commit`` into the user's branch as one merge commit; leave conflicts marked."""
    title = f"Update from scaffold's {result.template} template"
    message = f"{title} with {_describe(changed)}" if changed else title
    done = git(
        repo.path, "merge", "--no-ff", "--no-verify", "-q", "-m", message, commit, identity=True
    )
    started = _ok(repo.path, "rev-parse", "-q", "--verify", "MERGE_HEAD") is not None
    if done.returncode != 0 and not started:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        raise UpdateError(f"git could not start the merge: {lines[0] if lines else 'no reason'}")
    if commit != repo.tip:
        _run(
            repo.path,
            "update-ref",
            "-m",
            "scaffold update",
            f"refs/heads/{TEMPLATE_BRANCH}",
            commit,
            repo.tip,
        )
    conflicts, kept = _conflicts(_run(repo.path, "ls-files", "-u", "-z"))
    if kept:
        _run(repo.path, "add", "--", *kept)
    if started and not conflicts:
        _run(repo.path, "commit", "--no-edit", "--no-verify", "-q", identity=True)
    created = _create_ignored(repo, rendered, tree)
    if conflicts:
        changes = _diff_names_cached(repo)
        return replace(
            result,
            status="conflicts",
            changes=changes,
            conflicts=tuple(conflicts),
            kept=tuple(kept),
            created=created,
        )
    head = _run(repo.path, "rev-parse", "HEAD").strip()
    return replace(
        result,
        status="merged",
        changes=_diff_names(repo, repo.head, head),
        kept=tuple(kept),
        created=created,
        commit=head,
    )


def _diff_names_cached(repo: _Repo) -> tuple[FileChange, ...]:
    """The changes the merge staged cleanly (conflicted files are listed separately)."""
    out = _run(repo.path, "diff", "--cached", "-z", "--no-renames", "--name-status", "HEAD")
    parts = out.split("\0")
    return tuple(
        FileChange(STATUS_WORDS[status[:1]], name)
        for status, name in zip(parts[0::2], parts[1::2], strict=False)
        if status[:1] in STATUS_WORDS
    )


def _create_ignored(repo: _Repo, rendered: Path, tree: str) -> tuple[str, ...]:
    """Copy files the template writes but git ignores (a .env) when the project has none."""
    tracked = set(_run(repo.path, "ls-tree", "-r", "-z", "--name-only", tree).split("\0"))
    created = []
    for name in list_files(rendered):
        target = repo.path / name
        if name in tracked or target.exists() or target.is_symlink():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(rendered / name, target)
        created.append(name)
    return tuple(created)
