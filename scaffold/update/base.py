"""Opening a project for an update: is it mergeable, and which render is the merge's base.

``scaffold new`` commits the template's output untouched and keeps that commit on the
project's template branch; each update commits a fresh render on top and merges it,
so the base of the next merge is the last render merged. ``open_for_update`` finds
it (the answers file's record, else history), the branch's newest render, and
refuses a project an update cannot merge into (detached, mid-merge, uncommitted).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import UpdateError
from scaffold.project import ANSWERS_FILE, recorded_commit, without_commit
from scaffold.repository import ProjectRepository, locate

MERGE_FILES = ("MERGE_MSG", "MERGE_MODE", "MERGE_HEAD")  # MERGE_HEAD last: it marks a merge


@dataclass(frozen=True)
class UpdateTarget(ProjectRepository):
    """A project's repository opened for an update: its branch, HEAD, and the template
    branch's commits that matter.

    ``base`` is the last render merged into HEAD; ``tip`` is the branch's newest
    render, which is ahead of ``base`` only when an update's merge was aborted.
    """

    branch: str | None
    head: str
    base: str
    tip: str
    answers: str | None = None  # the answers file as committed in HEAD


def open_for_update(path: Path, *, strict: bool, fetch: bool = True) -> UpdateTarget:
    """Check that ``path`` is a committed project in a repository with its template branch.

    ``strict`` adds what merging needs and a comparison does not: a branch checked
    out, no merge in progress, nothing uncommitted in the project. The base is the
    render the answers file records (``_commit``); else the render on the template
    branch whose answers file is the project's (history rewritten by a rebase); else
    the merge base. The template branch is the newest of the local one and the
    remotes' ones; when neither has the base, it is fetched from the remotes (``fetch``).
    """
    repo = locate(path)
    head = repo.query("rev-parse", "--verify", "-q", "HEAD^{commit}")
    if head is None:
        raise UpdateError(f"{path} has no commits yet: commit the project first")
    branch = repo.query("symbolic-ref", "-q", "--short", "HEAD")
    if strict:
        _check_mergeable(repo, branch)
    answers = repo.head_file(ANSWERS_FILE)
    recorded = recorded_commit(answers or "")
    tips = repo.template_tips()
    known = recorded is not None and repo.is_commit(recorded)
    if fetch and (not tips or (recorded and not known)):
        repo.fetch_template_branch()
        tips = repo.template_tips()
        known = recorded is not None and repo.is_commit(recorded)
    if not tips:
        raise UpdateError(missing_branch_message(repo))
    # A recorded render that is not in the repository is as good as none.
    usable = recorded if known else None
    tip = _newest(repo, tips, usable)
    base = usable or _base(repo, tips, tip, answers or "")
    return UpdateTarget(**vars(repo), branch=branch, head=head, base=base, tip=tip, answers=answers)


def project_state(path: Path) -> tuple[str | None, ...]:
    """HEAD, the template branch and any merge in progress: what an update changes."""
    path = Path(path)
    if not path.is_dir():
        return ()
    try:
        repo = locate(path.resolve())
    except UpdateError:
        return ()
    return tuple(repo.resolve("HEAD", f"refs/heads/{repo.template_branch}", "MERGE_HEAD"))


def missing_branch_message(repo: ProjectRepository) -> str:
    """What to do about a project whose template branch is nowhere to be found."""
    remotes = repo.remotes()
    where = remotes[0] if remotes else "REMOTE"
    tried = f" and could not fetch it from {', '.join(remotes)}" if remotes else ""
    branch = repo.template_branch
    return (
        f"{repo.path} has no {branch} branch, the template's output scaffold new "
        f"commits{tried}: where {where} is reachable, run `git fetch {where} {branch}:{branch}`; "
        "a project that never had one (made with --no-git) gets one from `scaffold adopt`"
    )


def _newest(repo: ProjectRepository, tips: list[str], recorded: str | None) -> str:
    """The tip every other one is an ancestor of; if they diverged, the one with the base.

    The recorded render (one the repository has) counts as one: a pull of the user's
    branch alone brings it without moving the remote's template branch.
    """
    if recorded:
        tips = [*tips, recorded]
    for tip in tips:
        if all(other == tip or repo.is_ancestor(other, tip) for other in tips):
            return tip
    for tip in tips:
        if recorded and repo.is_ancestor(recorded, tip):
            return tip
    return tips[0]


def _base(repo: ProjectRepository, tips: list[str], tip: str, answers: str) -> str:
    # No usable record: the render whose answers file is the project's. A rebase drops
    # the update's merge commit but keeps the render's answers file as it was.
    own = without_commit(answers)
    for commit in (repo.query("rev-list", "--first-parent", *tips) or "").split():
        if repo.file_at(commit, ANSWERS_FILE) == own.rstrip("\n"):
            return commit
    # A branch made beside the project's history (scaffold new inside another repository,
    # scaffold adopt) shares none with it until the first update: its tip, whose answers
    # file then differs from the project's, which is refused as edited by hand.
    return repo.query("merge-base", "HEAD", tip) or tip


def _check_mergeable(repo: ProjectRepository, branch: str | None) -> None:
    if branch is None:
        raise UpdateError("HEAD is detached: check out your branch first (git switch BRANCH)")
    if branch == repo.template_branch:
        raise UpdateError(f"{branch} holds the template's output only: check out your own branch")
    merging = _merge_head(repo.git_dir)
    if merging is not None and repo.query("rev-parse", "-q", "--verify", "HEAD^2") == merging:
        # The marker of a merge already committed (an update cut short right after
        # its commit): nothing is in progress.
        clear_merge_state(repo.git_dir)
        merging = None
    if merging is not None:
        raise UpdateError(
            "a merge is in progress: finish it (git commit) or abort it (git merge --abort) first"
        )
    inside, staged = _dirty_files(repo)
    if inside:
        raise UpdateError(
            f"uncommitted changes in {first_five(inside)}: commit or stash them first, so the "
            "update can be inspected and undone on its own"
        )
    if staged:
        raise UpdateError(
            f"changes staged outside the project, in {first_five(staged)}: commit or unstage "
            "them first, or they would go into the update's merge commit"
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


def clear_merge_state(git_dir: Path) -> None:
    """Remove the merge marker files, MERGE_HEAD first."""
    for name in reversed(MERGE_FILES):
        (git_dir / name).unlink(missing_ok=True)


def first_five(names: list[str]) -> str:
    """The first five names, and how many more."""
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _dirty_files(repo: ProjectRepository) -> tuple[list[str], list[str]]:
    """The project's uncommitted files, and the files staged outside it.

    Changes outside the project's directory that are not staged neither block an
    update nor are touched by it: the merge changes only the project's files.
    """
    out = repo.run("status", "--porcelain=v1", "-z", "--untracked-files=normal")
    inside: list[str] = []
    staged: list[str] = []
    start = f"{repo.prefix}/" if repo.prefix else ""
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
