"""The ``scaffold/template`` branch: pristine renders committed in git, merged into the user's.

``scaffold new`` commits the template's output untouched and keeps that commit on
TEMPLATE_BRANCH. Each update commits a fresh render on top of it and merges that
commit into the user's branch, so git's three-way merge takes the last merged
render as the base. Everything here is plain git run in a subprocess; a dry run
points git at a scratch object store, so not even an object is written.

A project in a subdirectory of a repository (a service in a monorepo) has a template
branch of its own (``vcs.template_branch``) whose commits hold the render as the
root of their tree, just as a project of its own would. The merge takes HEAD's tree
of that subdirectory as "ours" and puts the result back in place of it, so nothing
outside the subdirectory is ever part of the merge.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold.errors import UpdateError
from scaffold.interrupt import Interrupted, held, temporary_directory
from scaffold.project import ANSWERS_FILE, recorded_commit, with_commit, without_commit
from scaffold.repository import Place, git_step, is_object_id, locate, query, resolve, run

STATUS_WORDS = {"A": "added", "M": "modified", "D": "deleted", "T": "modified"}


@dataclass(frozen=True)
class FileChange:
    """One file a merge adds, modifies or deletes, relative to the project."""

    status: str
    path: str


@dataclass(frozen=True)
class Conflict:
    """A file git could not merge on its own, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Merge:
    """What merging a render did (or would do): ``conflicts`` empty means it is committed."""

    changes: tuple[FileChange, ...]
    conflicts: tuple[Conflict, ...] = ()
    kept: tuple[str, ...] = ()  # deleted by the template, changed by the user: kept
    commit: str | None = None
    diff: str = ""


@dataclass(frozen=True)
class Repository(Place):
    """A project's repository: its branch, HEAD, and the template branch's commits.

    ``base`` is the last render merged into HEAD; ``tip`` is the branch's newest
    render, which is ahead of ``base`` only when an update's merge was aborted.
    """

    branch: str | None
    head: str
    base: str
    tip: str
    answers: str | None = None  # the answers file as committed in HEAD


def open_repository(path: Path, *, strict: bool, fetch: bool = True) -> Repository:
    """Check that ``path`` is a committed project in a repository with its template branch.

    ``strict`` adds what merging needs and a comparison does not: a branch checked
    out, no merge in progress, nothing uncommitted in the project. The base is the
    render the answers file records (``_commit``); else the render on the template
    branch whose answers file is the project's (history rewritten by a rebase); else
    the merge base. The template branch is the newest of the local one and the
    remotes' ones; when neither has the base, it is fetched from the remotes (``fetch``).
    """
    place = locate(path)
    top = place.top
    head = query(top, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    if head is None:
        raise UpdateError(f"{path} has no commits yet: commit the project first")
    branch = query(top, "symbolic-ref", "-q", "--short", "HEAD")
    if strict:
        _check_mergeable(place, branch)
    answers = head_file(place, ANSWERS_FILE)
    recorded = recorded_commit(answers or "")
    tips = template_tips(place)
    known = recorded is not None and _is_commit(top, recorded)
    if fetch and (not tips or (recorded and not known)):
        fetch_template_branch(place)
        tips = template_tips(place)
        known = recorded is not None and _is_commit(top, recorded)
    if not tips:
        raise UpdateError(_missing_branch_message(place))
    # A recorded render that is not in the repository is as good as none.
    usable = recorded if known else None
    tip = _newest(top, tips, usable)
    base = usable or _base(top, tips, tip, answers or "")
    return Repository(**vars(place), branch=branch, head=head, base=base, tip=tip, answers=answers)


def head_file(place: Place, name: str) -> str | None:
    """The text of the project's file ``name`` as committed in HEAD, or None."""
    return query(place.top, "cat-file", "blob", f"HEAD:{place.inside(name)}")


def project_state(path: Path) -> tuple[str | None, ...]:
    """HEAD, the template branch and any merge in progress: what an update changes."""
    path = Path(path)
    if not path.is_dir():
        return ()
    try:
        place = locate(path.resolve())
    except UpdateError:
        return ()
    return tuple(resolve(place.top, "HEAD", f"refs/heads/{place.template_branch}", "MERGE_HEAD"))


def _is_commit(path: Path, commit: str) -> bool:
    return query(path, "cat-file", "-e", f"{commit}^{{commit}}") is not None


def template_tips(place: Place) -> list[str]:
    """The template branch's commits: the local branch's first, then each remote's."""
    branch = place.template_branch
    out = query(
        place.top,
        "for-each-ref",
        "--format=%(objectname)",
        f"refs/heads/{branch}",
        f"refs/remotes/*/{branch}",
    )
    tips: list[str] = []
    for line in (out or "").splitlines():
        if line and line not in tips:
            tips.append(line)
    return tips


def _remotes(path: Path) -> list[str]:
    return (query(path, "remote") or "").split()


def fetch_template_branch(place: Place) -> None:
    """Fetch the template branch from each remote that has it; unreachable ones are skipped."""
    branch = place.template_branch
    for remote in _remotes(place.top):
        refspec = f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
        prompt = {"GIT_TERMINAL_PROMPT": "0"}
        git_step(place.top, "fetch", "-q", "--no-tags", remote, refspec, env=prompt)


def _missing_branch_message(place: Place) -> str:
    remotes = _remotes(place.top)
    where = remotes[0] if remotes else "REMOTE"
    tried = f" and could not fetch it from {', '.join(remotes)}" if remotes else ""
    branch = place.template_branch
    return (
        f"{place.path} has no {branch} branch, the template's output scaffold new "
        f"commits{tried}: where {where} is reachable, run `git fetch {where} {branch}:{branch}`; "
        "a project that never had one (made with --no-git) gets one from `scaffold adopt`"
    )


def _newest(path: Path, tips: list[str], recorded: str | None) -> str:
    """The tip every other one is an ancestor of; if they diverged, the one with the base.

    The recorded render (one the repository has) counts as one: a pull of the user's
    branch alone brings it without moving the remote's template branch.
    """
    if recorded:
        tips = [*tips, recorded]
    for tip in tips:
        if all(other == tip or _is_ancestor(path, other, tip) for other in tips):
            return tip
    for tip in tips:
        if recorded and _is_ancestor(path, recorded, tip):
            return tip
    return tips[0]


def _is_ancestor(path: Path, ancestor: str, descendant: str) -> bool:
    return git_step(path, "merge-base", "--is-ancestor", ancestor, descendant).returncode == 0


def _base(path: Path, tips: list[str], tip: str, answers: str) -> str:
    # No usable record: the render whose answers file is the project's. A rebase drops
    # the update's merge commit but keeps the render's answers file as it was.
    own = without_commit(answers)
    for commit in (query(path, "rev-list", "--first-parent", *tips) or "").split():
        if _blob(path, commit, ANSWERS_FILE) == own.rstrip("\n"):
            return commit
    # A branch made beside the project's history (scaffold new inside another repository,
    # scaffold adopt) shares none with it until the first update: its tip, whose answers
    # file then differs from the project's, which is refused as edited by hand.
    return query(path, "merge-base", "HEAD", tip) or tip


def _check_mergeable(place: Place, branch: str | None) -> None:
    if branch is None:
        raise UpdateError("HEAD is detached: check out your branch first (git switch BRANCH)")
    if branch == place.template_branch:
        raise UpdateError(f"{branch} holds the template's output only: check out your own branch")
    merging = _merge_head(place.git_dir)
    if merging is not None and query(place.top, "rev-parse", "-q", "--verify", "HEAD^2") == merging:
        # The marker of a merge already committed (an update cut short right after
        # its commit): nothing is in progress.
        clear_merge_state(place.git_dir)
        merging = None
    if merging is not None:
        raise UpdateError(
            "a merge is in progress: finish it (git commit) or abort it (git merge --abort) first"
        )
    inside, staged = _dirty_files(place)
    if inside:
        raise UpdateError(
            f"uncommitted changes in {some_of(inside)}: commit or stash them first, so the update "
            "can be inspected and undone on its own"
        )
    if staged:
        raise UpdateError(
            f"changes staged outside the project, in {some_of(staged)}: commit or unstage them "
            "first, or they would go into the update's merge commit"
        )


def _merge_head(git_dir: Path) -> str | None:
    """The commit a merge in progress merges (MERGE_HEAD's first line), or None.

    MERGE_HEAD is a file in the work tree's git directory whatever the ref storage, and
    git itself reads it there; reading it costs no git process.
    """
    try:
        first = (git_dir / "MERGE_HEAD").read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return None
    return first[0] if first else None


def some_of(names: list[str]) -> str:
    """The first five names, and how many more."""
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _dirty_files(place: Place) -> tuple[list[str], list[str]]:
    """The project's uncommitted files, and the files staged outside it.

    Changes outside the project's directory that are not staged neither block an
    update nor are touched by it: the merge changes only the project's files.
    """
    out = run(place.top, "status", "--porcelain=v1", "-z", "--untracked-files=normal")
    inside: list[str] = []
    staged: list[str] = []
    start = f"{place.prefix}/" if place.prefix else ""
    skip = False
    for entry in out.split("\0"):
        if skip or not entry:
            skip = False
            continue
        name = entry[3:]
        if name.startswith(start):
            inside.append(name[len(start) :])
        elif name.endswith("/") and start.startswith(name):  # untracked, holding the project
            inside.append(name)
        elif entry[0] not in " ?":
            staged.append(name)
        skip = entry[0] in "RC"  # a rename is followed by its old name
    return inside, staged


def read_file(repo: Repository, commit: str, name: str) -> str | None:
    """The text of ``name`` in ``commit``, a render, or None if it has no such file."""
    return _blob(repo.top, commit, name)


# Files of commits named by their ids, read once: such a commit never changes. (A file
# not found is asked again: the commit may be one a fetch has not brought yet.)
_BLOBS: dict[tuple[Path, str, str], str] = {}


def _blob(path: Path, commit: str, name: str) -> str | None:
    key = (path, commit, name)
    if key in _BLOBS:
        return _BLOBS[key]
    text = query(path, "cat-file", "blob", f"{commit}:{name}")
    if text is not None and is_object_id(commit):
        _BLOBS[key] = text
    return text


@contextlib.contextmanager
def scratch_objects(repo: Place) -> Iterator[dict[str, str]]:
    """Git environment whose new objects go to a temporary store, so nothing is written."""
    with temporary_directory(prefix="scaffold-objects-") as tmp:
        yield {
            "GIT_OBJECT_DIRECTORY": tmp,
            "GIT_ALTERNATE_OBJECT_DIRECTORIES": str(repo.objects),
        }


# A commit's tree never changes: each is asked of git once per process.
_TREES: dict[tuple[Path, str], str] = {}


def tree_of(repo: Place, commit: str, env: Mapping[str, str] | None = None) -> str:
    key = (repo.top, commit)
    if key not in _TREES:
        tree = run(repo.top, "rev-parse", f"{commit}^{{tree}}", env=env).strip()
        if not is_object_id(commit):
            # a name (HEAD, a branch) moves: not kept
            return tree
        _TREES[key] = tree
    return _TREES[key]


def commit_render(repo: Repository, tree: str, message: str, env: Mapping[str, str]) -> str:
    """A commit of ``tree`` on top of the template branch (its tip, if that holds ``tree``)."""
    if tree == tree_of(repo, repo.tip):
        return repo.tip  # rendered before and never merged: an update whose merge was aborted
    args = ("commit-tree", tree, "-p", repo.tip, "-m", message)
    commit = run(repo.top, *args, env=env, identity=True).strip()
    _TREES[(repo.top, commit)] = tree
    return commit


def changed_files(
    repo: Place,
    old: str,
    new: str,
    env: Mapping[str, str] | None = None,
    *,
    whole: bool = False,
) -> tuple[FileChange, ...]:
    """The files that differ between two renders (or, ``whole``, two of the repository's
    trees, of which only the project's files count), relative to the project."""
    args = ("diff-tree", "-r", "-z", "--no-renames", "--name-status", *_within(repo, whole))
    return _name_status(run(repo.top, *args, old, new, env=env))


def _within(place: Place, whole: bool) -> tuple[str, ...]:
    """The diff option that keeps only the project's files, named relative to it."""
    return (f"--relative={place.prefix}/",) if whole and place.prefix else ()


def _name_status(out: str) -> tuple[FileChange, ...]:
    parts = out.split("\0")
    return tuple(
        FileChange(STATUS_WORDS[status[:1]], name)
        for status, name in zip(parts[0::2], parts[1::2], strict=False)
        if status[:1] in STATUS_WORDS  # U, unmerged, is reported as a conflict instead
    )


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


@dataclass(frozen=True)
class Merged:
    """A merge computed in git's object store: nothing in the project has changed yet."""

    tree: str
    conflicts: tuple[Conflict, ...]
    kept: tuple[str, ...]
    stages: str  # the conflicted files' index entries, ``update-index --index-info`` format


def compute_merge(
    repo: Repository, commit: str, answers: str, labels: tuple[str, str], env: Mapping[str, str]
) -> Merged:
    """Merge render ``commit`` into HEAD with ``repo.base`` as the base, in objects only.

    Git's merge would take the merge base of HEAD and ``commit``, which a squash merge,
    a rebase or a stale branch make the wrong one. Two throwaway commits whose only
    parent is the recorded base make it the merge base. The merged answers file is
    the render's own plus the render's commit, and conflict markers are labelled
    with ``labels`` (the user's branch, the template's version) rather than ids.
    Only the project's directory takes part: its merged tree replaces it in HEAD's.
    """
    ours = _throwaway(repo, repo.head_tree(env), env)
    theirs = _throwaway(repo, tree_of(repo, commit, env), env)
    args = ("merge-tree", "--write-tree", "-z", "--no-messages", ours, theirs)
    done = git_step(repo.top, *args, env=env)
    if done.returncode not in (0, 1):  # 1 means conflicts
        raise UpdateError(f"git merge-tree failed: {done.stderr.strip()}")
    tree, _, listing = done.stdout.partition("\0")
    conflicts, kept = _conflicts(listing)
    conflicts = [c for c in conflicts if c.path != ANSWERS_FILE]
    named = {c.path for c in conflicts}
    stages = "".join(
        f"{info}\t{repo.inside(name)}\n"
        for info, tab, name in (entry.partition("\t") for entry in listing.split("\0"))
        if tab and name in named
    )
    replaced = {ANSWERS_FILE: with_commit(answers, commit)}
    for conflict in conflicts:
        found = git_step(repo.top, "cat-file", "blob", f"{tree}:{conflict.path}", env=env)
        if found.returncode == 0:
            relabelled = _relabel(found.stdout, {ours: labels[0], theirs: labels[1]})
            replaced[conflict.path] = relabelled
    tree = _splice(repo, _replace_files(repo, tree, replaced, env), env)
    return Merged(tree, tuple(conflicts), tuple(kept), stages)


def _throwaway(repo: Repository, tree: str, env: Mapping[str, str]) -> str:
    args = ("commit-tree", tree, "-p", repo.base, "-m", "scaffold update: merge side")
    return run(repo.top, *args, env=env, identity=True).strip()


def _relabel(text: str, labels: Mapping[str, str]) -> str:
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line[:8] in ("<<<<<<< ", ">>>>>>> ", "||||||| "):
            for commit, label in labels.items():
                line = line.replace(commit, label)
            lines[number] = line
    return "".join(lines)


def _replace_files(
    repo: Repository, tree: str, files: Mapping[str, str], env: Mapping[str, str]
) -> str:
    """``tree`` with the given files' text replaced; the new tree's id."""
    with temporary_directory(prefix="scaffold-index-") as tmp:
        index = {**env, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
        run(repo.top, "read-tree", tree, env=index)
        for name, text in files.items():
            blob = git_step(repo.top, "hash-object", "-w", "--stdin", env=index, stdin=text)
            if blob.returncode != 0:
                raise UpdateError(f"git hash-object failed: {blob.stderr.strip()}")
            info = f"{_mode(repo, tree, name, env) or '100644'},{blob.stdout.strip()},{name}"
            run(repo.top, "update-index", "--add", "--cacheinfo", info, env=index)
        return run(repo.top, "write-tree", env=index).strip()


def _splice(repo: Repository, tree: str, env: Mapping[str, str]) -> str:
    """HEAD's tree with the project's directory replaced by ``tree``."""
    if not repo.prefix:
        return tree
    with temporary_directory(prefix="scaffold-index-") as tmp:
        index = {**env, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
        run(repo.top, "read-tree", "HEAD", env=index)
        rm = ("rm", "--cached", "-r", "-q", "--ignore-unmatch", f":(literal){repo.prefix}")
        run(repo.top, *rm, env=index)
        run(repo.top, "read-tree", f"--prefix={repo.prefix}/", tree, env=index)
        return run(repo.top, "write-tree", env=index).strip()


def replace_files(
    repo: Repository, merged: Merged, files: Mapping[str, str], env: Mapping[str, str]
) -> Merged:
    """``merged`` with the given files' text added or replaced in its tree."""
    return dataclasses.replace(merged, tree=_replace_files(repo, merged.tree, files, env))


def folder_files(
    repo: Repository, commit: str, folder: str, env: Mapping[str, str]
) -> dict[str, str]:
    """The text of each ``.py`` file directly in ``folder`` of ``commit`` (a commit or tree),
    by its path in the repository.

    One ``git grep`` prints every line of them all (``NAME\0NUMBER\0LINE``), where
    reading each file would take one git process a file, and a project may have
    hundreds of migrations.
    """
    args = ("grep", "-z", "-n", "-I", "--no-color", "--no-column", "-e", "", commit)
    done = git_step(repo.top, *args, "--", f"{folder}/*.py", env=env)
    if done.returncode not in (0, 1):  # 1: no file, or no line
        raise UpdateError(f"git grep failed in {repo.path}: {done.stderr.strip()}")
    lines: dict[str, list[str]] = {}
    for line in done.stdout.split("\n"):
        name, _, rest = line.partition("\0")
        if not rest:
            continue  # the newline that ends the output
        text = rest.partition("\0")[2]
        path = name.partition(":")[2]
        if PurePosixPath(path).parent == PurePosixPath(folder):
            lines.setdefault(path, []).append(text)
    return {path: "\n".join(found) + "\n" for path, found in lines.items()}


def _mode(repo: Repository, tree: str, name: str, env: Mapping[str, str]) -> str | None:
    out = query(repo.top, "ls-tree", tree, "--", name, env=env)
    return out.split()[0] if out else None


def merge_changes(
    repo: Repository, merged: Merged, env: Mapping[str, str]
) -> tuple[FileChange, ...]:
    """The project's files that applying ``merged`` to HEAD changes (one git for the
    check, the dry run's list and the applied merge's)."""
    return changed_files(repo, repo.head, merged.tree, env, whole=True)


def ignored_in_the_way(repo: Repository, changes: tuple[FileChange, ...]) -> list[str]:
    """The files the merge would add (of its ``changes``) where the project has something
    git ignores.

    An update is refused while the project has untracked files git sees, so what is
    on disk at a path the merge adds (or where its folder would go) is ignored: by
    the project's .gitignore, ``.git/info/exclude`` or the user's own excludes. Git
    would overwrite it without a word; scaffold names it instead.
    """
    found = []
    for change in changes:
        if change.status != "added":
            continue
        path = PurePosixPath(change.path)
        for part in [path, *path.parents[:-1]]:  # the file, then each folder it needs
            where = repo.path / part
            if where.is_symlink() or (where.exists() and (part == path or not where.is_dir())):
                found.append(part.as_posix())
                break
    return sorted(set(found))


def preview_merge(
    repo: Repository, merged: Merged, env: Mapping[str, str], changes: tuple[FileChange, ...]
) -> Merge:
    """What applying ``merged`` to HEAD would change (its files: ``changes``)."""
    diff = run(repo.top, "diff", "--no-color", "--no-ext-diff", "HEAD", merged.tree, env=env)
    return Merge(changes, merged.conflicts, merged.kept, diff=diff)


MERGE_FILES = ("MERGE_MSG", "MERGE_MODE", "MERGE_HEAD")  # MERGE_HEAD last: it marks a merge


def apply_merge(
    repo: Repository,
    commit: str,
    merged: Merged,
    message: str,
    changes: tuple[FileChange, ...],
) -> Merge:
    """Apply a computed merge: a merge commit, or a merge in progress with conflicts marked.

    ``changes`` are the project's files the merge changes (``merge_changes``).

    Everything before is objects only, so an interrupt leaves the project as it was.
    The steps here run with Ctrl-C held and git in its own process group, so the
    terminal's Ctrl-C reaches neither: the project ends untouched or updated. Should
    the process die anyway, each step leaves a state git or the next update can
    finish: the merge is marked in progress (``git merge --abort`` works) before the
    work tree changes, HEAD and the template branch move in one transaction, and the
    merge marker is removed last (a stale one is cleared by the next update).
    """
    if merged.conflicts:
        result = None
    else:
        args = ("commit-tree", merged.tree, "-p", repo.head, "-p", commit, "-m", message)
        result = run(repo.top, *args, identity=True).strip()
    template_ref = f"refs/heads/{repo.template_branch}"
    local_tip = query(repo.top, "rev-parse", "-q", "--verify", template_ref)
    refs = f"update HEAD {result} {repo.head}\n" if result else ""
    if local_tip != commit:
        refs += f"update {template_ref} {commit} {local_tip or '0' * 40}\n"
    with held() as caught:
        texts = {"MERGE_MSG": message, "MERGE_MODE": "no-ff", "MERGE_HEAD": commit}
        for name in MERGE_FILES:
            (repo.git_dir / name).write_text(texts[name] + "\n", encoding="utf-8")
        target = result or merged.tree
        try:
            run(repo.top, "read-tree", "-m", "-u", "HEAD", target, session=True)
            if result is None:
                removed = "".join(
                    f"0 {'0' * 40}\t{repo.inside(c.path)}\n" for c in merged.conflicts
                )
                stages = removed + merged.stages
                run(repo.top, "update-index", "--index-info", stdin=stages, session=True)
            if refs:
                run(
                    repo.top, "update-ref", "-m", "scaffold update", "--stdin",
                    stdin=refs, session=True,
                )  # fmt: skip
        except UpdateError as err:
            # A step failed half-way (a file git could not write, say): nothing moved
            # HEAD yet, so the project's files and the index go back to HEAD's.
            raise UpdateError(f"{err}: {_undo(repo, target)}") from err
        if result is not None:
            clear_merge_state(repo.git_dir)
    if caught:
        raise Interrupted(applied_message(conflicts=result is None))
    if result is None:
        staged = run(
            repo.top, "diff", "--cached", "-z", "--no-renames", "--name-status",
            *_within(repo, True), "HEAD",
        )  # fmt: skip
        return Merge(_name_status(staged), merged.conflicts, merged.kept)
    return Merge(changes, (), merged.kept, commit=result)


def _undo(repo: Repository, target: str) -> str:
    """Put back HEAD's version of every file HEAD and ``target`` differ in, in the index and
    the work tree, and end the merge; say what was done, in words for the error message.

    The update refused uncommitted changes in the project and staged ones outside it,
    so nothing of the user's is lost: files of HEAD are checked out again, and files
    only ``target`` has (the merge wrote them, or began to) are removed.
    """
    try:
        changes = run(repo.top, "diff-tree", "-r", "-z", "--no-renames", "--name-status",
                      "HEAD", target, session=True)  # fmt: skip
        paths = _name_status(changes)
        scope = f":(literal){repo.prefix}" if repo.prefix else "."
        run(repo.top, "reset", "-q", "HEAD", "--", scope, session=True)
        kept = [change.path for change in paths if change.status != "added"]
        if kept:
            run(repo.top, "checkout-index", "-f", "-z", "--stdin",
                stdin="\0".join(kept), session=True)  # fmt: skip
        for change in paths:
            if change.status == "added":
                _remove(repo.top / change.path, repo.path)
    except (UpdateError, OSError) as err:
        detail = str(err).rstrip(".")
        return (
            f"undoing it failed as well ({detail}): `git status` shows what changed, and "
            "`git merge --abort` then `git checkout HEAD -- .` in the project undo it"
        )
    clear_merge_state(repo.git_dir)
    return "the update was undone, nothing in the project changed"


def _remove(path: Path, project: Path) -> None:
    """Remove a file the merge wrote, and the folders it made for it that are now empty."""
    path.unlink(missing_ok=True)
    for folder in path.parents:
        if folder == project or project not in folder.parents:
            break
        try:
            folder.rmdir()
        except OSError:  # not empty: it held more than what the merge wrote
            break


def clear_merge_state(git_dir: Path) -> None:
    """Remove the merge marker files, MERGE_HEAD first."""
    for name in reversed(MERGE_FILES):
        (git_dir / name).unlink(missing_ok=True)


def applied_message(*, conflicts: bool) -> str:
    """What an interrupt that came after the update was applied says."""
    if conflicts:
        return (
            "Interrupted: the update was already applied, with conflicts to resolve; "
            "finish it with `git commit` or undo it with `git merge --abort`."
        )
    return (
        "Interrupted: the update was already applied in full and committed; "
        "see it with `git show --stat HEAD`."
    )
