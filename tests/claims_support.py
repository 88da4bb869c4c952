"""A tiny data folder for ledger and event tests: three series, sources, and TOML writers."""

from __future__ import annotations

import hashlib
import json
import textwrap
from pathlib import Path

from reportsite.data import Snapshot, load_snapshot
from reportsite.errors import Warnings

REGISTRY = """
[series.{id}]
title = {{ en = "{id} title", zh-Hant = "{id} 標題" }}
short = {{ en = "{short}", zh-Hant = "{short_zh}" }}
fred_title = "{id}"
units = "{units}"
scale = "{scale}"
frequency = "{frequency}"
as_of = "{as_of}"
as_of_note = {{ en = "note", zh-Hant = "說明" }}
source = "Board of Governors"
release = "H.4.1"
licence = "public-domain"
licence_note = {{ en = "public", zh-Hant = "公共" }}
redistribute = true
"""

# Weekly reserves in millions (a Wednesday each week), and two daily rates in percent.
RESERVES = {
    "2025-09-03": 3100000,
    "2025-09-10": 3050000,
    "2025-09-17": 2990000,  # first under $3T
    "2025-09-24": 2950000,  # the low
    "2025-10-01": 3010000,  # back above
    "2025-10-08": 2960000,
}
SOFR = {"2025-09-29": 4.20, "2025-09-30": 4.40, "2025-10-01": 4.25, "2025-10-02": 4.10}
IORB = {"2025-09-29": 4.15, "2025-09-30": 4.15, "2025-10-01": 4.15, "2025-10-02": 4.15}
SERIES = {
    "WRESBAL": (RESERVES, dict(short="Reserves", short_zh="準備金", units="usd", scale="millions",
                               frequency="weekly", as_of="week-average")),
    "SOFR": (SOFR, dict(short="SOFR", short_zh="SOFR", units="percent", scale="units",
                        frequency="daily", as_of="daily")),
    "IORB": (IORB, dict(short="IORB", short_zh="IORB", units="percent", scale="units",
                        frequency="daily", as_of="daily")),
}  # fmt: skip

SOURCES = """
[source.fomc]
url = "https://www.federalreserve.gov/newsevents/pressreleases/monetary20251029a.htm"
title = { en = "FOMC statement", zh-Hant = "聲明" }

[source.faq]
url = "https://www.newyorkfed.org/markets/reserve-management-reinvestment-purchases-faq"
title = { en = "FAQ", zh-Hant = "問答" }

[source.fannie]
url = "https://www.fanniemae.com/research-and-insights/forecast"
title = { en = "Forecast", zh-Hant = "預測" }
"""


def make_data(root: Path) -> Path:
    """Write data/ with the three series, their manifests and the sources; return data/."""
    data = root / "data"
    (data / "fred").mkdir(parents=True)
    registry = []
    for sid, (values, meta) in SERIES.items():
        registry.append(REGISTRY.format(id=sid, **meta))
        rows = "".join(f"{d},{v}\n" for d, v in values.items())
        raw = f"observation_date,{sid}\n{rows}".encode()
        (data / "fred" / f"{sid}.csv").write_bytes(raw)
        manifest = {"series": sid, "sha256": hashlib.sha256(raw).hexdigest()}
        (data / "fred" / f"{sid}.json").write_text(json.dumps(manifest), encoding="utf-8")
    (data / "series.toml").write_text("".join(registry), encoding="utf-8")
    (data / "sources.toml").write_text(SOURCES, encoding="utf-8")
    return data


def snapshot_of(data: Path) -> Snapshot:
    return load_snapshot(data, Warnings())


def claim(
    check: str = "", *, id: str = "1.1", verdict: str | None = None, sources: str = "[]", extra: str = ""
) -> str:
    """One [[claim]] table with an optional [[claim.check]] body (TOML lines)."""
    lines = [
        "[[claim]]",
        f'id = "{id}"',
        f"chapter = {id.split('.')[0]}",
        f"sources = {sources}",
    ]
    if verdict:
        lines.append(f'verdict = "{verdict}"')
    lines += [
        'paraphrase = { en = "Reserves were {{ quote(\\"$2.93 trillion\\") }}.", zh-Hant = "準備金。" }',
        'evidence = { en = "Data: {% for c in checks %}{{ c.figure }} {% endfor %}", zh-Hant = "資料。" }',
    ]
    lines.append(extra)
    if check:
        lines += ["[[claim.check]]", textwrap.dedent(check).strip()]
    return "\n".join(lines) + "\n"


def write_claims(data: Path, *claims: str) -> Path:
    path = data / "claims.toml"
    path.write_text("# test ledger\n\n" + "\n".join(claims), encoding="utf-8")
    return path
