"""Throughput under gunicorn (as `hilltrack serve` runs it) on the large dataset, on SQLite and
PostgreSQL:

- a mixed workload: volunteers logging (home, finding an official, the quick-log form and its
  POST, their follow-ups) and coordinators reading (campaigns, officials, follow-ups, reports),
  in the proportions of MIX, driven by wrk with a generated Lua script; requests per second
  overall and per page, and each page's 95th percentile server time from gunicorn's access log;
- then a few pages alone, as many requests per second as they take.

Errors are any response other than the one expected (200 for a page, 302 after a POST) and
wrk's socket errors. Writes its tables into docs/performance.md.

Needs Debian's wrk (`apt-get install -y wrk`). Run with `make bench-load` or
`python -m bench.load_bench [--postgres URL]` (TRACKER_BENCH_POSTGRES_URL: a scratch database,
which it wipes).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import requests
from alembic import command

from bench.dataset import BENCH_PASSWORD, Landmarks, build, sizes
from bench.report import machine, write_section
from tracker import clock, create_app
from tracker.cli import alembic_config
from tracker.web.db import state
from tracker.web.serving import THREADS, WORKERS, gunicorn_arguments

# Another port when several runs share a machine: TRACKER_BENCH_PORT=5199.
PORT = int(os.environ.get("TRACKER_BENCH_PORT", "5099"))
SECONDS = 30
CONNECTIONS = 16
VOLUNTEER, COORDINATOR = "volunteer", "coordinator"


@dataclass(frozen=True)
class Step:
    """One kind of request in the mix: how often, by whom, what."""

    name: str
    weight: int
    who: str
    path: str
    post: bool = False


def mix(marks: Landmarks) -> list[Step]:
    """About six in ten requests are volunteers logging; the rest coordinators reading."""
    return [
        Step("home", 14, VOLUNTEER, "/"),
        Step("find an official", 8, VOLUNTEER, "/log/?q=family1"),
        Step("quick-log form", 14, VOLUNTEER, f"/log/{marks.quick_log_official_id}"),
        Step("quick-log POST", 12, VOLUNTEER, f"/log/{marks.quick_log_official_id}", post=True),
        Step("my follow-ups", 10, VOLUNTEER, "/follow-ups/"),
        Step(
            "campaign with 450 recipients", 10, COORDINATOR, f"/campaigns/{marks.big_campaign_id}"
        ),
        Step("campaigns list", 5, COORDINATOR, "/campaigns/"),
        Step("busiest official", 8, COORDINATOR, f"/officials/{marks.busy_official_id}"),
        Step("officials directory", 5, COORDINATOR, "/officials/"),
        Step("everyone's follow-ups", 4, COORDINATOR, "/follow-ups/?who=all"),
        Step("reports dashboard", 6, COORDINATOR, "/reports/"),
        Step("responsiveness by party", 4, COORDINATOR, "/reports/responsiveness?by=party"),
    ]


ALONE = {
    "home": "/",
    "officials directory": "/officials/",
    "reports dashboard": "/reports/",
    "health check": "/healthz",
}


@dataclass(frozen=True)
class Shape:
    """How gunicorn serves: processes, and threads in each (`hilltrack serve --workers
    --threads`)."""

    workers: int
    threads: int

    @property
    def name(self) -> str:
        return f"{self.workers}\u00d7{self.threads}"


DEFAULT_SHAPE = Shape(WORKERS, THREADS)


def _shapes(text: str) -> list[Shape]:
    """``2x4,4x1`` -> the shapes to compare on SQLite, in one run."""
    shapes = []
    for part in text.split(","):
        workers, _, threads = part.strip().partition("x")
        shapes.append(Shape(int(workers), int(threads or 1)))
    return shapes


def _serve(
    instance: Path, url: str, access_log: Path, shape: Shape = DEFAULT_SHAPE, **settings: str
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **{f"TRACKER_{name}": value for name, value in settings.items()},
        "TRACKER_INSTANCE_PATH": str(instance),
        "TRACKER_DATABASE_URL": url,
        "TRACKER_SECRET_KEY": "bench",
        "TRACKER_PASSWORD_HASHER": "fast-insecure-for-tests",
    }
    if _listening():
        # Another server (a bench run that died, say) would answer in this one's place.
        sys.exit(f"port {PORT} is in use: stop whatever listens there and run again")
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [
            gunicorn,
            *gunicorn_arguments(shape.workers, shape.threads),  # what `hilltrack serve` runs
            "--bind",
            f"127.0.0.1:{PORT}",
            "--access-logfile",
            str(access_log),
            # method, path, query, status, server time in microseconds
            "--access-logformat",
            "%(m)s %(U)s %(q)s %(s)s %(D)s",
            "tracker.wsgi:app",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            if requests.get(f"http://127.0.0.1:{PORT}/healthz", timeout=2).ok:
                return process
        except requests.RequestException:  # not listening yet, or workers still starting
            time.sleep(0.2)
    process.terminate()
    process.wait(timeout=30)
    raise RuntimeError("gunicorn did not start")


def _listening() -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", PORT)) == 0


def _signed_in(email: str) -> tuple[str, str]:
    """A signed-in session's cookie header, and its CSRF token for forms."""
    session = requests.Session()
    page = session.get(f"http://127.0.0.1:{PORT}/login", timeout=10).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    response = session.post(
        f"http://127.0.0.1:{PORT}/login",
        timeout=10,
        allow_redirects=False,
        data={"email": email, "password": BENCH_PASSWORD, "csrf_token": token.group(1)},
    )
    assert response.status_code == 302, response.status_code
    form = session.get(f"http://127.0.0.1:{PORT}/follow-ups/", timeout=30).text
    signed = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    assert signed, "no CSRF token for the signed-in session"
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items()), signed.group(1)


def _lua(steps: list[Step], cookies: dict[str, str], token: str, recipient_id: int) -> str:
    """A wrk script that cycles through the mix, the steps spread evenly over the cycle; each
    POST logs a note with a submission key of its own."""
    # Step s at fractions (k + 0.5) / weight of the cycle: interleaved, not in blocks.
    spread = [((k + 0.5) / s.weight, n, s) for n, s in enumerate(steps) for k in range(s.weight)]
    cycle = [(at, s) for at, _n, s in sorted(spread, key=lambda entry: entry[:2])]
    entries = []
    for _, s in cycle:
        body = (
            f"recipient_id={recipient_id}&kind=note&occurred_on={clock.today()}"
            f"&channel=&reply_class=&summary=Called+the+office&csrf_token={token}"
            if s.post
            else ""
        )
        entries.append(
            f'{{path="{s.path}", post={str(s.post).lower()}, body="{body}", '
            f'cookie="{cookies[s.who]}"}}'
        )
    return (
        "local steps = {\n  " + ",\n  ".join(entries) + "\n}\n"
        "local threads = 0\n"
        "function setup(thread) threads = threads + 1; thread:set('id', threads) end\n"
        "local n = 0\n"
        "function request()\n"
        "  n = n + 1\n"
        "  local s = steps[(n % #steps) + 1]\n"
        "  local headers = {Cookie = s.cookie}\n"
        "  if s.post then\n"
        "    headers['Content-Type'] = 'application/x-www-form-urlencoded'\n"
        "    local body = s.body .. '&submission_key=wrk' .. id .. '-' .. n\n"
        "    return wrk.format('POST', s.path, headers, body)\n"
        "  end\n"
        "  return wrk.format('GET', s.path, headers)\n"
        "end\n"
    )


def _wrk(target: str, extra: list[str]) -> tuple[int, int]:
    """Requests made, and socket errors."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", *extra, target],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return total, sum(int(g) for g in errors.groups()) if errors else 0


@dataclass
class PageLoad:
    requests: int = 0
    errors: int = 0
    p95_ms: float = 0.0
    median_ms: float = 0.0


def _read_log(
    access_log: Path, names: dict[tuple[str, str], tuple[str, int]]
) -> dict[str, PageLoad]:
    """Per page: requests, unexpected statuses, and server-time percentiles."""
    times: dict[str, list[float]] = defaultdict(list)
    pages: dict[str, PageLoad] = defaultdict(PageLoad)
    for line in access_log.read_text().splitlines():
        method, path, query, status, micros = line.split(" ")
        full = f"{path}?{query}" if query and query != "-" else path
        name, expected = names.get((method, full), (f"other: {method} {full}", 200))
        pages[name].requests += 1
        pages[name].errors += int(status) != expected
        times[name].append(int(micros) / 1000)
    for name, values in times.items():
        values.sort()
        pages[name].p95_ms = values[max(0, round(0.95 * len(values)) - 1)]
        pages[name].median_ms = statistics.median(values)
    return dict(pages)


@dataclass
class Result:
    mixed: dict[str, PageLoad]
    total_rps: float
    socket_errors: int
    alone: dict[str, tuple[float, int]]  # name -> (requests/s, errors)


def _warm(cookies: dict[str, str], steps: list[Step]) -> None:
    for s in steps:
        if not s.post:
            requests.get(
                f"http://127.0.0.1:{PORT}{s.path}", headers={"Cookie": cookies[s.who]}, timeout=60
            )


def run(url: str, marks: Landmarks, workdir: Path, shape: Shape = DEFAULT_SHAPE) -> Result:
    steps = mix(marks)
    access_log = workdir / "access.log"
    server = _serve(workdir, url, access_log, shape)
    try:
        volunteer_email = f"user{sizes()['users'] // 10}@bench.example"
        volunteer, token = _signed_in(volunteer_email)
        coordinator, _token = _signed_in(marks.coordinator_email)
        cookies = {VOLUNTEER: volunteer, COORDINATOR: coordinator}
        _warm(cookies, steps)
        access_log.write_text("")  # the warm-up and sign-ins do not count
        script = workdir / "mix.lua"
        script.write_text(_lua(steps, cookies, token, marks.quick_log_recipient_id))
        total, socket_errors = _wrk(f"http://127.0.0.1:{PORT}", ["-s", str(script)])
        time.sleep(1)  # the access log is written as each response goes
        names = {
            ("POST" if s.post else "GET", s.path): (s.name, 302 if s.post else 200) for s in steps
        }
        mixed = _read_log(access_log, names)
        alone = {}
        for name, path in ALONE.items():
            done, errors = _wrk(f"http://127.0.0.1:{PORT}{path}", ["-H", f"Cookie: {coordinator}"])
            alone[name] = (done / SECONDS, errors)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return Result(mixed, total / SECONDS, socket_errors, alone)


def _dataset(url: str) -> Landmarks:
    command.downgrade(alembic_config(url), "base")
    command.upgrade(alembic_config(url), "head")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    marks = build(state(app).sessions, state(app).engine)
    state(app).engine.dispose()
    return marks


def _tables(results: dict[str, Result], steps: list[Step]) -> str:
    databases = list(results)
    weights = sum(s.weight for s in steps)
    header = "| Page | Share | " + " | ".join(
        f"{db} requests/s | {db} p95 (ms) | {db} errors" for db in databases
    )
    lines = [header + " |", "|---|---|" + "---|---|---|" * len(databases)]
    for s in steps:
        cells = []
        for db in databases:
            page = results[db].mixed.get(s.name, PageLoad())
            cells += [f"{page.requests / SECONDS:.0f}", f"{page.p95_ms:.0f}", f"{page.errors}"]
        lines.append(f"| {s.name} | {100 * s.weight / weights:.0f}% | " + " | ".join(cells) + " |")
    totals = []
    for db in databases:
        r = results[db]
        errors = sum(p.errors for p in r.mixed.values()) + r.socket_errors
        totals += [f"**{r.total_rps:.0f}**", "", f"**{errors}**"]
    lines.append("| **all** | 100% | " + " | ".join(totals) + " |")
    alone = [
        "",
        "| Page alone | " + " | ".join(f"{db} requests/s | {db} errors" for db in databases) + " |",
    ]
    alone.append("|---|" + "---|---|" * len(databases))
    for name in ALONE:
        cells = []
        for db in databases:
            rps, errors = results[db].alone[name]
            cells += [f"{rps:.0f}", str(errors)]
        alone.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines + alone)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get("TRACKER_BENCH_POSTGRES_URL"))
    parser.add_argument(
        "--shapes",
        default=f"{WORKERS}x{THREADS},2x4",
        help="gunicorn's workers x threads to compare on SQLite (the first is the default's)",
    )
    args = parser.parse_args()
    shapes = _shapes(args.shapes)
    if shutil.which("wrk") is None:
        sys.exit("bench-load needs the wrk load generator: apt-get install -y wrk")
    workdir = Path(tempfile.mkdtemp(prefix="hilltrack-load-"))
    os.environ["TRACKER_INSTANCE_PATH"] = str(workdir)
    databases = {"SQLite": f"sqlite:///{workdir / 'load.sqlite3'}"}
    if args.postgres:
        databases["PostgreSQL"] = args.postgres
    results = {}
    steps: list[Step] = []
    for name, url in databases.items():
        marks = _dataset(url)
        steps = mix(marks)
        # Each shape on SQLite, one after the other on the same data (the quick-log POSTs of
        # one add a few hundred notes before the next: a few in a hundred thousand entries).
        for shape in shapes if name == "SQLite" else [DEFAULT_SHAPE]:
            column = f"{name} {shape.name}"
            results[column] = run(url, marks, workdir, shape)
            print(f"{column}: {results[column].total_rps:.0f} requests/s", flush=True)
    body = f"""## Throughput under gunicorn: a mixed workload

Measured {clock.today()} on {machine()}: gunicorn as `hilltrack serve` runs it
({WORKERS} workers of {THREADS} threads, `tracker/web/serving.py`; a column's name says
workers\u00d7threads, and SQLite is served in each shape of `--shapes`, one after the other)
on the large dataset (1\u00d7, `bench/dataset.py`), `wrk -t2 -c{CONNECTIONS} -d{SECONDS}s` on the
same machine (client and server share the 2 cores). The mix cycles through the pages in the
shares below: volunteers (about six requests in ten: home, finding an official, the
quick-log form and its POST, which records a note each time, their follow-ups) and
coordinators reading; default settings (the dashboard's figures reused for up to 30 s). The
p95 is the server's time per request, from gunicorn's access log; an error is any status
other than the one expected (200 for a page, 302 after a POST) or a socket error. Then a
few pages alone, as a coordinator, for comparison.

{_tables(results, steps)}
"""
    write_section("load", body)
    print(body)


if __name__ == "__main__":
    main()
