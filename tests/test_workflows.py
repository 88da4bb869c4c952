"""The GitHub workflows: valid, clean under zizmor, and doing what the project promises.

check-jsonschema validates against the GitHub-workflow schema it ships (no
download); zizmor runs offline with no configuration, so nothing is ignored.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
CHECK, PAGES = WORKFLOWS / "check.yml", WORKFLOWS / "pages.yml"

# The actions we run, each pinned to the commit of a release (the tag is the comment).
PINS = {
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "actions/setup-python": ("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "actions/upload-artifact": ("cf430e030ddbb5b0abf93d22962f4752f3646cd9", "v7.0.2"),
    "actions/download-artifact": ("9000827ccba6bdab643e8b6fd33ac0654aef8333", "v8.0.2"),
    "actions/upload-pages-artifact": ("fc324d3547104276b827a68afc52ff2a11cc49c9", "v5.0.0"),
    "actions/deploy-pages": ("368f82528645a54fb793d4d04e342629a3f51346", "v5.0.1"),
}
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+?)@(\S+)(?:\s+#\s*(\S+))?\s*$")
NEW_YORK_OFFSETS = {"EST": timedelta(hours=-5), "EDT": timedelta(hours=-4)}
H41_RELEASE = time(16, 30)  # the Fed's weekly H.4.1, Thursdays, New York time
H15_RELEASE = time(16, 15)  # the Fed's daily H.15 rates, New York time


def load(path: Path) -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def runs(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in steps(job))


def uses(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in steps(job) if str(step.get("uses", "")).startswith(action + "@")]


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def test_workflows_match_the_github_workflow_schema() -> None:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]
    result = subprocess.run([*command, str(CHECK), str(PAGES)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_zizmor_reports_nothing() -> None:
    command = [tool("zizmor"), "--offline", "--no-config", "--format", "plain", str(WORKFLOWS)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout, result.stdout


def test_every_action_is_pinned_to_a_release_commit() -> None:
    seen = set()
    for path in (CHECK, PAGES):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = USES.match(line)
            if not match:
                assert "uses:" not in line, f"{path.name}:{number}: cannot read {line.strip()!r}"
                continue
            action, ref, tag = match.groups()
            assert action in PINS, f"{path.name}:{number}: {action} is not a reviewed action"
            assert (ref, tag) == PINS[action], f"{path.name}:{number}: {action} pin or its tag comment"
            seen.add(action)
    assert seen == set(PINS), "every reviewed pin should be in use"


def test_check_runs_lint_types_and_all_tests_on_oldest_and_newest_python() -> None:
    workflow = load(CHECK)
    assert set(workflow["on"]) == {"push", "pull_request"}
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert "permissions" not in job or job["permissions"] == {"contents": "read"}
    versions = job["strategy"]["matrix"]["python"]
    assert versions[0] == "3.11" and len(versions) == 2
    assert tuple(map(int, versions[1].split("."))) > (3, 11)
    assert job["container"]["image"] == "python:${{ matrix.python }}-trixie", "Debian, for Debian's Chromium"
    script = runs(job)
    for command in (
        "apt-get install --yes --no-install-recommends chromium",
        'pip install --editable ".[test]"',
    ):
        assert command in script
    for command in ("ruff check .", "ruff format --check .", "mypy", "python -m pytest"):
        assert re.search(rf"^\s*{re.escape(command)}\s*$", script, re.MULTILINE), command


def new_york(cron: str) -> dict[str, tuple[int, time]]:
    """For a `M H * * DOW` line: per offset, (day shift, New York time) of the run."""
    minute, hour, *_ = cron.split()
    utc = timedelta(hours=int(hour), minutes=int(minute))
    shifted = {}
    for name, offset in NEW_YORK_OFFSETS.items():
        local = utc + offset
        shift = -1 if local < timedelta(0) else 0
        local %= timedelta(days=1)
        shifted[name] = (shift, time(local.seconds // 3600, local.seconds // 60 % 60))
    return shifted


def weekdays(cron: str) -> set[int]:
    days: set[int] = set()
    for part in cron.split()[4].split(","):
        first, _, last = part.partition("-")
        days.update(range(int(first), int(last or first) + 1))
    return days


def test_pages_runs_on_main_by_hand_and_after_the_data_is_published() -> None:
    triggers = load(PAGES)["on"]
    assert set(triggers) == {"push", "schedule", "workflow_dispatch"}
    assert triggers["push"] == {"branches": ["main"]}
    crons = [entry["cron"] for entry in triggers["schedule"]]
    assert len(crons) == 2
    for cron in crons:
        minute, hour, day, month, _ = cron.split()
        assert minute not in ("0", "00", "*") and (day, month) == ("*", "*"), cron
        assert int(hour) in range(24) and int(minute) in range(60)
    thursday = [c for c in crons if weekdays(c) == {4}]
    assert len(thursday) == 1, "one run on Thursday evening, for the H.4.1"
    assert set().union(*map(weekdays, crons)) == {1, 2, 3, 4, 5}, "every weekday"
    for cron in crons:
        for zone, (shift, local) in new_york(cron).items():
            assert shift == 0, f"{cron} runs on the previous New York day in {zone}"
            assert local >= H15_RELEASE.replace(hour=H15_RELEASE.hour + 1), f"{cron}: {local} {zone}"
    for zone, (_, local) in new_york(thursday[0]).items():
        assert local >= H41_RELEASE.replace(hour=H41_RELEASE.hour + 1), (
            f"{local} {zone} is too soon after H.4.1"
        )


def test_pages_permissions_are_least_privilege() -> None:
    workflow = load(PAGES)
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    jobs = workflow["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["commit-data"]["permissions"] == {"contents": "write"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert set(jobs) == {"build", "commit-data", "deploy"}
    secret_users = [name for name, job in jobs.items() if "secrets." in yaml.safe_dump(job)]
    assert secret_users == ["build"], "only the read-only build job may see FRED_API_KEY"


def test_pages_refreshes_builds_checks_commits_and_deploys() -> None:
    jobs = load(PAGES)["jobs"]
    build, commit, deploy = jobs["build"], jobs["commit-data"], jobs["deploy"]
    setup = uses(build, "actions/setup-python")[0]["with"]
    assert setup["cache"] == "pip"
    script = runs(build)
    assert "python build.py --refresh --strict" in script and "python build.py --strict" in script
    refresh = next(step for step in steps(build) if "--refresh" in str(step.get("run", "")))
    assert refresh["env"] == {"FRED_API_KEY": "${{ secrets.FRED_API_KEY }}"}
    assert "python -m reportsite.summary data --snapshot" in script and "$GITHUB_STEP_SUMMARY" in script
    assert "python -m reportsite.smoke site" in script
    assert uses(build, "actions/upload-pages-artifact")[0]["with"]["path"] == "site/"
    assert "data-changed == 'true'" in commit["if"] and "refs/heads/main" in commit["if"]
    assert "push origin HEAD:refs/heads/main" in runs(commit)
    assert "git diff --cached --quiet" in runs(commit), "commit only when data/ changed"
    assert deploy["needs"] == ["build", "commit-data"]
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(deploy, "actions/deploy-pages")[0]["id"] == "deployment"
    for job in jobs.values():
        for step in uses(job, "actions/checkout"):
            assert step["with"]["persist-credentials"] is False
