"""`gvia serve` as a real server: several processes on a port, static files, SIGTERM stops it all."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "gvia serve exited before listening"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listening on port {port} after {seconds} s")


def get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read()


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_answers_pages_and_static_files_then_stops_with_its_worker_on_sigterm(gvia_org, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GVIA_")}
    env["GVIA_HOME"] = str(tmp_path)
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gvia", "serve", "--port", str(port), "--workers", "2", "--threads", "2",
             "--worker", "--db", gvia_org.db],
            stdout=out, stderr=subprocess.STDOUT, env={**env, "COLUMNS": "200"}, cwd=tmp_path)
    try:
        wait_for_port(port, server)
        status, _, body = get(f"http://127.0.0.1:{port}/login/")
        assert status == 200
        assert b"<form" in body
        status, content_type, css = get(f"http://127.0.0.1:{port}/static/gvia/app.css")
        assert status == 200
        assert content_type.startswith("text/css")
        with open(_app_css(), "rb") as f:
            assert css == f.read()

        text = log.read_text()
        assert "2 processes × 2 threads" in text
        worker_pid = int(re.search(r"worker started \(pid (\d+)\)", text).group(1))
        assert running(worker_pid)

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=45) == 0
        assert not running(worker_pid)   # the worker was stopped (and reaped) with the server
        assert "Shutting down: Master" in log.read_text()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            raise AssertionError("the port still answers after SIGTERM")
        except OSError:
            pass
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _app_css() -> str:
    import gvia.web

    return os.path.join(os.path.dirname(gvia.web.__file__), "static", "gvia", "app.css")
