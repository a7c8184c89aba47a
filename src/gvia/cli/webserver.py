"""The web server behind `gvia serve`: gunicorn, several worker processes.

One Python process runs one request at a time per interpreter lock: threads in a process share
it, so ten requests in one process each take about ten times their own time. `gvia serve`
therefore runs a gunicorn master that forks WORKERS processes (default: one more than the cores,
:func:`default_workers`), each answering :data:`DEFAULT_THREADS` request at a time ("gthread"
workers, which keep connections alive). A request then runs alone in its process, at its own
speed; requests beyond the processes wait in the listening socket, first come first served, and
the extra process keeps the cores busy while one waits for the database. Measured on two cores
with ten clients at once (bench/bench_web.py --http, 100,000 customers): 3 processes x 1 thread
gave the highest throughput and the lowest server time; 4 x 4 spread each request over the lock
(server-time p95 up to 10x a page's own time) without a shorter round trip. More threads
(`--threads`) suit slow requests that wait (large uploads, PDFs) more than they compute.

Django is set up and the application loaded once in the master before the workers are forked; no
database connection is carried across a fork (each worker thread opens its own). Static files are
served by WhiteNoise inside the application (see settings), so no separate file server is needed.

Stopping: Ctrl+C (SIGINT) or SIGTERM to the master stops the workers (finishing the requests in
hand, at most GRACEFUL_SECONDS) and then the master, and `run_server` returns.

gunicorn, Django and gvia's services are imported inside the functions that use them: only
`gvia serve` needs gunicorn, and the rest need django.setup() first.
"""

from __future__ import annotations

import os

GRACEFUL_SECONDS = 10
REQUEST_TIMEOUT_SECONDS = 120   # a worker silent for longer than this is restarted


DEFAULT_THREADS = 1


def default_workers() -> int:
    """One worker process per core, and one more."""
    return (os.cpu_count() or 1) + 1


def bind_address(host: str, port: int) -> str:
    """gunicorn's bind string; an IPv6 address goes in brackets."""
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def run_server(host: str, port: int, workers: int, threads: int) -> None:
    """Serve the Django application (Django already set up) until stopped by a signal.

    Returns in the master process only, after a stop signal. In a forked worker process the
    worker's own exit (SystemExit) passes through, so a caller's ``finally`` must check
    ``os.getpid()`` before cleaning up what belongs to the master.
    """
    from gunicorn.app.base import BaseApplication

    options = {
        "bind": bind_address(host, port),
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "timeout": REQUEST_TIMEOUT_SECONDS,
        "graceful_timeout": GRACEFUL_SECONDS,
        "proc_name": "gvia",
        "accesslog": "-",
        "errorlog": "-",
        "control_socket_disable": True,
        "pre_fork": _close_db_connections,
    }

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            # loaded in each worker process after the fork, not when the command line starts
            from gvia.wsgi import application

            return application

    _warm_up()
    master = os.getpid()
    # `gvia restore` refuses while this server (any of its processes: they inherit the lock) uses
    # the SQLite database
    from gvia.services.dblocks import ServeLock

    lock = ServeLock()
    lock.acquire()
    try:
        Server().run()
    except SystemExit as exc:
        if os.getpid() != master or exc.code not in (None, 0):
            raise                 # a worker process ending, or the master failing
        # the master's normal end after a stop signal: return
    finally:
        if os.getpid() == master:
            lock.release()


def _warm_up() -> None:
    """Build in the master what each process would otherwise build on its first page, so the
    forks share it: the organizations' business calendars (reading the holiday tables takes over
    a second). A calendar that cannot be built is left for its page to report."""
    from gvia.services.locality import org_calendar
    from gvia.store.models import Organization

    for org in Organization.objects.all():
        try:
            org_calendar(org)
        except Exception:  # noqa: BLE001 — the page that needs it says what is wrong
            pass


def _close_db_connections(server, worker) -> None:
    """A connection opened in the master (migrations at start) must not be shared by the forks."""
    from django.db import connections

    connections.close_all()
