"""`python -m reportsite.summary`: what a publishing run did to the data, as a Markdown table.

Compares each series' manifest (data/fred/<ID>.json) with a copy taken before the
refresh and sorts the series into refreshed (its data changed), unchanged (FRED
was asked and had nothing new), stale (the refresh failed and the last good
data was kept) and not checked. The GitHub workflow appends the output to the
job summary.

    python -m reportsite.summary data --before BEFORE_DIR
    python -m reportsite.summary data --snapshot      # no API key: nothing was refreshed
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REFRESHED, UNCHANGED, STALE, NOT_CHECKED = "refreshed", "unchanged", "stale", "not checked"
ORDER = (REFRESHED, UNCHANGED, STALE, NOT_CHECKED)


@dataclass(frozen=True)
class SeriesStatus:
    series: str
    status: str
    note: str
    last_observation: str
    rows: str
    retrieved_at: str
    origin: str


def read_manifests(folder: Path) -> dict[str, dict[str, Any]]:
    """Every `<ID>.json` manifest in `folder` that parses, by series id."""
    manifests: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict):
            manifests[path.stem] = manifest
    return manifests


def classify(now: dict[str, Any], before: dict[str, Any] | None) -> tuple[str, str]:
    """The status of one series and a short note explaining it."""
    stale = now.get("stale")
    if stale:
        reason = stale.get("reason", "") if isinstance(stale, dict) else str(stale)
        return STALE, reason or "the refresh failed; the last good data is kept"
    if before is None:
        return NOT_CHECKED, "no earlier manifest to compare with"
    if now.get("sha256") != before.get("sha256"):
        return REFRESHED, "new or revised observations"
    if now.get("retrieved_at") != before.get("retrieved_at"):
        return UNCHANGED, "FRED had nothing new"
    return NOT_CHECKED, ""


def statuses(data_dir: Path, before_dir: Path | None) -> list[SeriesStatus]:
    now = read_manifests(data_dir / "fred")
    before = read_manifests(before_dir) if before_dir is not None else {}
    rows = []
    for series, manifest in now.items():
        status, note = classify(manifest, before.get(series) if before_dir is not None else None)
        if before_dir is None and status == NOT_CHECKED:
            note = "built from the committed snapshot"
        rows.append(
            SeriesStatus(
                series=series,
                status=status,
                note=note,
                last_observation=str(manifest.get("last_observation") or "—"),
                rows=str(manifest.get("rows", "—")),
                retrieved_at=str(manifest.get("retrieved_at") or "—"),
                origin=str(manifest.get("origin") or "—"),
            )
        )
    return sorted(rows, key=lambda r: (ORDER.index(r.status), r.series))


def render(rows: list[SeriesStatus], *, snapshot: bool) -> str:
    """The Markdown for the job summary."""
    counts = {status: sum(r.status == status for r in rows) for status in ORDER}
    lines = ["## Data", ""]
    if snapshot:
        lines.append(
            "No `FRED_API_KEY` secret is available to this run (a fork, or the secret is not set yet): "
            "the site was built from the data snapshot committed in `data/`, and nothing was refreshed."
        )
    else:
        tally = ", ".join(f"{counts[s]} {s}" for s in ORDER if counts[s])
        lines.append(f"Refresh from the FRED API: {tally or 'no series'}.")
    lines += [
        "",
        "| Series | Status | Last observation | Rows | Retrieved at | Origin | Note |",
        "| --- | --- | --- | ---: | --- | --- | --- |",
    ]
    for r in rows:
        cells = (r.series, r.status, r.last_observation, r.rows, r.retrieved_at, r.origin, r.note)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m reportsite.summary", description="The data table of a publishing run, in Markdown."
    )
    p.add_argument("data", type=Path, help="the project's data/ folder")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--before", type=Path, help="a copy of data/fred/*.json taken before the refresh")
    group.add_argument("--snapshot", action="store_true", help="no refresh ran: say the snapshot was used")
    args = p.parse_args(argv)
    rows = statuses(args.data, None if args.snapshot else args.before)
    if not rows:
        sys.stderr.write(f"no series manifests in {args.data / 'fred'}\n")
        return 1
    sys.stdout.write(render(rows, snapshot=args.snapshot))
    return 0


if __name__ == "__main__":
    sys.exit(main())
