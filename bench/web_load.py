"""Load-test the web page's preview under gunicorn on loopback and print requests per second.

    python bench/web_load.py                      # 4 workers, 200 previews, 8 clients
    python bench/web_load.py --requests 400 --clients 16

It starts `gunicorn 'scaffold.web:create_app()'` (the team set-up) on a free port,
sends the previews from concurrent clients, stops gunicorn, and exits non-zero if
any request failed. Nothing here is a test: the figure depends on the machine.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ANSWERS = (
    {"project_name": "Weather API", "purpose": "api", "api": "true", "stays_small": "true"},
    {"project_name": "Newsroom", "purpose": "website", "admin": "true", "team": "large"},
    {"project_name": "Shop", "purpose": "product", "accounts": "true", "docker": "true"},
    {"project_name": "Notes", "framework": "flask", "forms": "true", "database": "postgresql"},
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {url} in time")


def preview(url: str, answers: dict[str, str]) -> tuple[float, int, int]:
    """One preview request: seconds taken, HTTP status, number of files."""
    body = json.dumps({"answers": answers}).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            files = len(json.load(response)["files"])
            return time.perf_counter() - started, response.status, files
    except urllib.error.HTTPError as err:
        return time.perf_counter() - started, err.code, 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}"]
    command += ["--timeout", "60", "--log-level", "warning", "scaffold.web:create_app()"]
    server = subprocess.Popen(command, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/", time.monotonic() + 60)
        for answers in ANSWERS:  # warm every worker's imports before timing
            preview(base + "/api/preview", answers)
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(
                pool.map(
                    lambda i: preview(base + "/api/preview", ANSWERS[i % len(ANSWERS)]),
                    range(args.requests),
                )
            )
        elapsed = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    failed = [status for _, status, files in results if status != 200 or files == 0]
    times = sorted(seconds for seconds, _, _ in results)
    print(
        f"{args.requests} previews, {args.clients} clients, {args.workers} gunicorn workers: "
        f"{args.requests / elapsed:.1f} requests/s in {elapsed:.1f} s; "
        f"median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.0f} ms; {len(failed)} failed "
        f"(cpus: {os.cpu_count()}, load average {os.getloadavg()[0]:.1f})"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
