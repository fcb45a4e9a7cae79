"""`hilltrack worker` runs the job queue's consumer; `hilltrack serve` runs it beside gunicorn."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

import tracker.jobs.imports
import tracker.jobs.letters
import tracker.jobs.webhooks  # noqa: F401  (registers the webhook deliveries job)
from tracker.cli.localised import LocalisedCommand
from tracker.jobs.doorbell import Doorbell, QuietOutages
from tracker.jobs.queue import queue
from tracker.operations.processes import this_process
from tracker.web.serving import THREADS, WORKERS, gunicorn_arguments


@click.command(
    "worker",
    cls=LocalisedCommand,
    help=_l("Run queued jobs (imports, letters) and the nightly import until stopped (Ctrl-C)."),
)
@click.option("--threads", type=click.IntRange(1, 32), default=None, help=_l("Jobs run at once."))
@with_appcontext
def worker_command(threads: int | None) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("QUEUE_IMMEDIATE"):
        raise click.ClickException(_("QUEUE_IMMEDIATE is set: jobs run in the app, not here."))
    _log_each_line_once()
    jobs = queue(app)
    requeued = jobs.prepare_worker()
    click.echo(
        _(
            "Hilltrack worker on the %(engine_name)s queue; %(requeued)s waiting job(s) queued.",
            engine_name=jobs.engine_name,
            requeued=requeued,
        ),
        err=True,
    )
    consumer = jobs.huey.create_consumer(
        workers=threads or int(app.config.get("WORKER_THREADS", 2)),
        worker_type="thread",
        periodic=True,
        check_worker_health=True,
    )
    worker = this_process()
    Doorbell(lambda: jobs.rescan(worker), float(app.config["QUEUE_RESCAN_SECONDS"])).start()
    consumer.run()


def _log_each_line_once() -> None:
    """The worker's log: the app's JSON lines (tracker.web.json_logs) for huey's records too,
    each written once, without huey's traceback for every poll of an unreachable queue."""
    app_handlers = logging.getLogger("tracker").handlers
    root = logging.getLogger()
    root.handlers = list(app_handlers) or [logging.StreamHandler()]
    root.setLevel(logging.INFO)
    for name in ("tracker", "importers"):
        logging.getLogger(name).propagate = False  # the root's handler is theirs already
    for log_handler in root.handlers:
        log_handler.addFilter(QuietOutages())


@click.command(
    "serve",
    cls=LocalisedCommand,
    help=_l("The web app under gunicorn and the job worker, together; Ctrl-C stops both."),
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=WORKERS, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=THREADS, show_default=True)
def serve_command(host: str, port: int, workers: int, threads: int) -> None:
    bin_dir = Path(sys.executable).parent
    children = [
        subprocess.Popen(  # noqa: S603  (our own executables, fixed arguments)
            [
                str(bin_dir / "gunicorn"),
                *gunicorn_arguments(workers, threads),
                "--bind",
                f"{host}:{port}",
                "--access-logfile",
                "-",
                "tracker.wsgi:app",
            ]
        ),
        subprocess.Popen([str(bin_dir / "hilltrack"), "worker"]),  # noqa: S603
    ]

    def stop(_signum: int, _frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(child.poll() is None for child in children):
            try:
                children[0].wait(timeout=1)
            except subprocess.TimeoutExpired:
                continue
    finally:
        stop(signal.SIGTERM, None)
        for child in children:
            child.wait()
    codes = [child.returncode for child in children]
    if any(code not in (0, -signal.SIGTERM, -signal.SIGINT) for code in codes):
        raise SystemExit(1)
