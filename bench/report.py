"""Write a benchmark's table into its marked section of docs/performance.md."""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

PERFORMANCE_MD = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` runs of ``action``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def median_ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:.0f} ms"


def reference_loop_ms(repeat: int = 9) -> float:
    """The median time of a fixed pure-Python loop. This machine's speed drifts by a third from
    one minute to the next (a shared virtual machine); printed beside the figures, it tells a
    reader how fast the processor was when they were taken."""
    times = timed(lambda: sum(i * i for i in range(1_000_000)), repeat)
    return statistics.median(times) * 1000


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        found = re.search(r"Model name:\s*(.+)", model)
        cpu = found.group(1).strip() if found else cpu
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()} "
        f"(reference loop {reference_loop_ms():.0f} ms)"
    )


def write_section(name: str, body: str) -> None:
    """Replace the text between the section's markers (or append the section)."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    text = PERFORMANCE_MD.read_text() if PERFORMANCE_MD.exists() else "# Performance\n"
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    PERFORMANCE_MD.write_text(text)
