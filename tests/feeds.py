"""Paths to the recorded feed fixtures (see fixtures/feeds/PROVENANCE.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
MEMBERS_2023 = FEEDS / "2023-10-24" / "members.xml"
SNAPSHOT_2026 = FEEDS / "2026-01"
CONSTRUCTED = FEEDS / "constructed"


def feed_folder(
    target: Path,
    *,
    members: Path | None = SNAPSHOT_2026 / "members.xml",
    with_positions: bool = True,
    with_constructed: bool = False,
) -> Path:
    """Lay out a --from-dir folder with the chosen recorded files."""
    target.mkdir(parents=True, exist_ok=True)
    if members is not None:
        shutil.copy(members, target / "members.xml")
    if with_positions:
        for name in ("ministries.xml", "house-officers.xml", "chair-occupants.xml"):
            shutil.copy(SNAPSHOT_2026 / name, target / name)
    if with_constructed:
        shutil.copy(CONSTRUCTED / "parliamentary-secretaries.xml", target)
        shutil.copy(CONSTRUCTED / "represent.json", target)
        shutil.copytree(CONSTRUCTED / "profiles", target / "profiles")
    return target


HANSARD = FEEDS / "hansard"
