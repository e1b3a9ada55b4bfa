"""Pages at the size of France, each as a ratio to a bare DSFR page (issue 15).

On PostgreSQL (``BENCH_DATABASE_URL``, by default the local ``cte_bench`` database, created if
missing), the data of ``seed_national`` (``BENCH_SCALE``, default 1; a database already seeded
is left as it is), the portal runs under gunicorn with 2 sync workers, with a bare
authenticated page extending ``dsfr/base.html`` routed in the same process
(``CTE_BENCH_BARE_PAGE=1``). For each main page and two personas (the national admin, the
DDETS agent of the Rhône), the benchmark prints:

- the SQL queries of one request in a warm process, and the CPU time of one request in that
  process with its ratio to the bare page's (``tests/bench/pages_probe.py``): the page's own
  cost, which the load of a shared machine does not blur; and the CPU time of a cold request
  (every body and read model rebuilt, the worst case after a write);
- the median of ``BENCH_REQUESTS`` sequential requests (default 20), and its ratio to the bare
  page's median, the bare page being measured again just before each page (the speed of a
  shared host drifts during a run; the ratios compare figures taken side by side);
- the throughput of ``BENCH_CONCURRENCY`` threads (default 8) for ``BENCH_SECONDS`` seconds
  (default 5), and its ratio to the bare page's throughput.

Targets (issue 15): median ≤ 3× the bare page's, throughput ≥ 1/3 of it, ≤ 15 queries; a page
over target is flagged with ``!``.
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/cte_bench"
MAX_RATIO, MIN_THROUGHPUT_RATIO, MAX_QUERIES = 3.0, 1 / 3, 15


def _setting(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def _env(database_url: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=database_url,
        CTE_ENV="development",
        DEBUG="false",
        CTE_BENCH_BARE_PAGE="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def _ensure_database(database_url: str) -> None:
    """Create the PostgreSQL database when it does not exist (a fresh clone)."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def _manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, url: str, cookie: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn s'est arrêté au démarrage")
        try:
            _get(port, "/healthz", "")
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn ne répond pas")


def _median_ms(port: int, url: str, cookie: str, count: int) -> float:
    for _ in range(3):  # warm both workers
        _get(port, url, cookie)
    durations = []
    for _ in range(count):
        started = time.perf_counter()
        status = _get(port, url, cookie)
        durations.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"{url} : HTTP {status}")
    return statistics.median(durations) * 1000


def _throughput(port: int, url: str, cookie: str, threads: int, seconds: float) -> float:
    done = []
    stop = time.monotonic() + seconds

    def worker():
        count = 0
        while time.monotonic() < stop:
            _get(port, url, cookie)
            count += 1
        done.append(count)

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(done) / (time.monotonic() - started)


def run():
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    scale = os.environ.get("BENCH_SCALE", "1")
    requests = int(_setting("BENCH_REQUESTS", 20))
    threads = int(_setting("BENCH_CONCURRENCY", 8))
    seconds = _setting("BENCH_SECONDS", 5)
    env = _env(database_url)
    _ensure_database(database_url)
    started = time.monotonic()
    _manage(env, "migrate", "--noinput")
    _manage(env, "import_territories")
    _manage(env, "seed_national", "--scale", scale, "--no-progress")
    yield (
        f"PostgreSQL {urlsplit(database_url).path.lstrip('/')}, seed_national --scale {scale} "
        f"(migrations, territoires, données : {time.monotonic() - started:.0f} s, "
        "rien n'est rechargé si la base est déjà remplie)"
    )
    probe = subprocess.run(
        [sys.executable, "-m", "tests.bench.pages_probe"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(probe.stdout)
    yield f"comité mesuré : {data['committee']} ; gunicorn, 2 workers sync ; "
    yield (
        f"médiane de {requests} requêtes successives ; débit de {threads} clients "
        f"pendant {seconds:.0f} s ; ratios à la page nue mesurée dans le même passage"
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cte_portal.wsgi:application",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_for(port, server)
        for persona, measured in data["personas"].items():
            cookie = measured["cookie"]
            pages = measured["pages"]
            yield ""
            yield f"### {persona}"
            header = (
                f"{'page':<30} {'requêtes':>8} {'CPU':>7} {'× nue':>6} {'à froid':>8} {'médiane':>9} "
                f"{'× nue':>6} {'débit/s':>8} {'/ nue':>6}  cible"
            )
            yield header
            yield "-" * len(header)
            bare_url = pages[0]["url"]
            for page in pages:
                if page["status"] != 200:
                    reason = "page non ouverte à ce profil" if page["status"] == 403 else "erreur"
                    yield f"{page['label']:<30} HTTP {page['status']} : {reason} ({page['url']})"
                    continue
                # The bare page again just before each page: the speed of a shared host
                # drifts during a run, the ratios compare figures taken side by side.
                bare = (
                    _median_ms(port, bare_url, cookie, requests),
                    _throughput(port, bare_url, cookie, threads, seconds),
                )
                if page["url"] == bare_url:
                    median, rate = bare
                else:
                    median = _median_ms(port, page["url"], cookie, requests)
                    rate = _throughput(port, page["url"], cookie, threads, seconds)
                ratio, rate_ratio = median / bare[0], rate / bare[1]
                cpu_ratio = page["cpu_ms"] / page["bare_cpu_ms"]
                over = (
                    ratio > MAX_RATIO
                    or rate_ratio < MIN_THROUGHPUT_RATIO
                    or page["queries"] > MAX_QUERIES
                )
                yield (
                    f"{page['label']:<30} {page['queries']:>8} {page['cpu_ms']:>5.1f}ms "
                    f"{cpu_ratio:>6.1f} {page['cold_cpu_ms']:>6.1f}ms {median:>7.1f}ms {ratio:>6.1f} {rate:>8.1f} "
                    f"{rate_ratio:>6.2f}  {'!' if over else 'ok'}"
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
