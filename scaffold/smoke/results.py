"""What a smoke run found: one result per combination, the run as a whole, and its progress.

The runner (runner.py, steps.py) fills these in; the reports (report.py) and the command's
progress display read them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scaffold.smoke.checks import StepResult
from scaffold.smoke.combination import Combination
from scaffold.smoke.environment import Environment
from scaffold.smoke.matrix import Matrix


@dataclass
class CombinationResult:
    """The outcome of one combination: every step that ran, with timings.

    ``refused``: the template's pre-generation hook refused the combination (not a
    failure of the template, but not a pass either, unless the checks file's
    ``expect_refused`` says so: then ``expected_refusal`` holds its reason).
    """

    template: str
    combination: Combination
    steps: list[StepResult] = field(default_factory=list)
    seconds: float = 0.0
    project_dir: Path | None = None
    refused: bool = False
    expected_refusal: str = ""

    @property
    def ok(self) -> bool:
        if self.refused:
            return bool(self.expected_refusal)
        return all(step.ok for step in self.steps)

    @property
    def status(self) -> str:
        """``passed``, ``failed``, ``refused`` (unexpectedly) or ``refused as expected``."""
        if self.refused:
            return "refused as expected" if self.expected_refusal else "refused"
        return "passed" if self.ok else "failed"

    @property
    def failed_step(self) -> StepResult | None:
        return next((step for step in self.steps if not step.ok), None)

    @property
    def checks_seconds(self) -> float:
        return sum(step.seconds for step in self.steps if not step.setup)

    @property
    def setup_seconds(self) -> float:
        return sum(step.seconds for step in self.steps if step.setup)


@dataclass
class SmokeRun:
    """Everything a smoke run did: one result per combination, and the environments used."""

    matrices: list[Matrix]
    results: list[CombinationResult]
    environments: list[Environment]
    jobs: int
    shard: tuple[int, int] | None
    wall_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.results)

    @property
    def failures(self) -> list[CombinationResult]:
        """The combinations that failed a step (a refusal is not one: see ``refusals``)."""
        return [result for result in self.results if not result.ok and not result.refused]

    @property
    def refusals(self) -> list[CombinationResult]:
        """The combinations the template's hook refused though nothing said it would."""
        return [result for result in self.results if result.status == "refused"]

    @property
    def expected_refusals(self) -> list[CombinationResult]:
        """The combinations the template's hook refused, as its checks file expects."""
        return [result for result in self.results if result.status == "refused as expected"]

    @property
    def outside_seconds(self) -> float:
        """Time spent on scaffold's own work: generating, environments, databases."""
        setup = sum(result.setup_seconds for result in self.results)
        return setup + sum(env.seconds for env in self.environments)

    @property
    def outside_share(self) -> float:
        """Share of the work spent outside the projects' own checks (0 to 1)."""
        checks = sum(result.checks_seconds for result in self.results)
        total = checks + self.outside_seconds
        return self.outside_seconds / total if total else 0.0


@dataclass(frozen=True)
class Progress:
    """What the run is doing now, for a progress display.

    ``kind`` is ``planned`` (``total`` set), ``status`` (``message``), ``step``
    (``combination`` and ``step``) or ``finished`` (``result``).
    """

    kind: str
    total: int = 0
    message: str = ""
    combination: Combination | None = None
    step: str = ""
    result: CombinationResult | None = None


ProgressHook = Callable[[Progress], None]
