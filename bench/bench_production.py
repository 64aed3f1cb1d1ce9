"""Benchmark of the production stack (issue 17 item 5): `make bench` runs it.

    .venv/bin/python bench/bench_production.py

Generates N public resolutions (and N/20 meetings, N/10 papers) on top of the real record and
the demo, for each N in ``BENCH_N`` (default ``100,10000``), and measures with wrk, 16
connections, ``BENCH_SECONDS`` (default 5) per run, loopback only:

  (a) nginx serving a saved copy of the same page (the anchor of the ratios),
  (b) the shipped stack: nginx with its proxy cache → gunicorn (2 workers) with the page cache,
  (c) the app alone (gunicorn, 2 workers, no nginx) with the page cache off;

and prints req/s, p50, p95, the ratios b/a and c/a, the queries per page (Django test client
against the same database), the workers' CPU milliseconds per request of (c), the latency of
home and archive with one connection per worker (the time a request takes, without the queue
that 16 connections on 2 workers build), the gunicorn workers' RSS after the load, and a
50-user scenario (wrk + Lua: public pages, portal pages of logged-in members, votes in the
open written procedure — every accepted vote must be in the audit trail and the Land must
keep exactly one answer) for ``BENCH_SCENARIO_SECONDS`` (default 300, at most 300) against
the stack. The database is analysed after the bulk inserts (``VACUUM ANALYZE``), as
autovacuum or ``manage.py restore`` leave it in production.

Database: a fresh PostgreSQL database ``<name>_bench`` next to ``DATABASE_URL`` when that is
PostgreSQL (created and dropped here), else a fresh SQLite file in ``var/bench/``. No
assertions on time: the goals of the issue are printed beside the figures.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "deploy"))

import stack as deploy_stack  # noqa: E402  (deploy/stack.py, no Django import)

WORK = ROOT / "var" / "bench"
N_LIST = [int(n) for n in os.environ.get("BENCH_N", "100,10000").split(",") if n.strip()]
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
SCENARIO_SECONDS = min(300, int(os.environ.get("BENCH_SCENARIO_SECONDS", "300")))
CONNECTIONS = 16
PORT_STACK, PORT_STATIC, PORT_APP = 18480, 18481, 18482
PAGES = ["/", "/beschluesse/", "/sitzungen/", "/feeds/beschluesse/rss/"]
UNCACHED_ONLY = ["/beschluesse/?land=DE-BY", "/beschluesse/?seite=50"]

LUA_STATS = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout
  io.write(string.format('BENCH {"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, '
      .. '"errors": %d, "non2xx": %d}\\n', summary.requests, summary.duration / 1e6,
      latency:percentile(50) / 1000, latency:percentile(95) / 1000, errors, summary.errors.status))
end
"""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- database and environment -----------------------------------------------------------------


def bench_database() -> tuple[str, callable]:
    """The URL of a fresh database and a function that drops it afterwards."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(base)
        name = parts.path.lstrip("/") + "_bench"
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return urlunsplit(parts._replace(path=f"/{name}")), drop
    path = WORK / "bench.sqlite3"
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "CACHE_DIR": str(WORK / "cache"),
        "MEDIA_ROOT": str(WORK / "media"),
        "REDIS_URL": "",
        "DEBUG": "0",
        "EMAIL_URL": "memory:",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "ERROR",
        **extra,
    }


# --- data ---------------------------------------------------------------------------------------


def load_base() -> None:
    from django.core.management import call_command

    log("migrate, public record, site content, demo")
    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    for command in ("load_public_record", "load_site_content", "load_demo", "load_demo_meeting"):
        with open(os.devnull, "w") as sink:
            call_command(command, stdout=sink)


def grow_to(n: int) -> None:
    """Public resolutions up to ``n`` (plus n/20 meetings, n/10 public papers), spread over
    the years 2000–2026 (bulk inserts: the services would take an hour for 10,000)."""
    from django.db import transaction

    from dmk.bodies.models import Body, State
    from dmk.core.enums import Visibility
    from dmk.meetings.models import Meeting
    from dmk.papers.models import Paper
    from dmk.resolutions.models import Resolution

    body = Body.objects.get(short_name="DMK")
    have = Resolution.objects.filter(slug__startswith="bench-").count()
    want_meetings = max(5, n // 20)
    meetings_have = Meeting.objects.filter(slug__startswith="bench-").count()
    with transaction.atomic():
        Meeting.objects.bulk_create(
            Meeting(
                body=body,
                kind="regular",
                name=f"Bench-Sitzung {i}",
                slug=f"bench-s{i}",
                state="held",
                is_public=True,
                place="Berlin",
                start_date=datetime.date(2000, 1, 1) + datetime.timedelta(days=i * 3 % 9800),
            )
            for i in range(meetings_have, want_meetings)
        )
        meetings = list(Meeting.objects.filter(slug__startswith="bench-").order_by("pk"))
        Resolution.objects.bulk_create(
            (
                Resolution(
                    body=body,
                    meeting=meetings[i % len(meetings)],
                    slug=f"bench-r{i}",
                    title=f"Beschluss zur Verwaltungsdigitalisierung Nr. {i}",
                    text_html="<p>" + "Die Konferenz beschließt. " * 20 + "</p>",
                    visibility=Visibility.PUBLIC,
                    decided_on=datetime.date(2000, 1, 1) + datetime.timedelta(days=i % 9800),
                )
                for i in range(have, n)
            ),
            batch_size=1000,
        )
        states = list(State.objects.all())
        through = Resolution.initiating_states.through
        new = Resolution.objects.filter(slug__startswith="bench-").order_by("pk")[have:]
        through.objects.bulk_create(
            (
                through(resolution_id=pk, state_id=states[pk % len(states)].pk)
                for pk in new.values_list("pk", flat=True)
            ),
            batch_size=2000,
        )
        papers_have = Paper.objects.filter(slug__startswith="bench-").count()
        Paper.objects.bulk_create(
            (
                Paper(
                    body=body,
                    title=f"Bench-Vorlage {i}",
                    slug=f"bench-p{i}",
                    visibility=Visibility.PUBLIC,
                    author_state=states[i % len(states)],
                )
                for i in range(papers_have, n // 10)
            ),
            batch_size=1000,
        )


def analyse() -> None:
    """Planner statistics after the bulk inserts, as autovacuum (or ``restore``) would leave
    them in production: without them PostgreSQL takes the 10,000-row table for a 14-row one
    and sorts the whole joined archive for the feed (43 ms instead of 0.5 ms)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def queries_per_page(paths: list[str]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    counts = {}
    with override_settings(DMK_PAGE_CACHE=False, ALLOWED_HOSTS=["testserver"]):
        for path in paths:
            client.get(path)
            with CaptureQueriesContext(connection) as context:
                client.get(path)
            counts[path] = len(context)
    return counts


def portal_sessions(count: int) -> tuple[list[str], str, int, str]:
    """Session cookies of ``count`` logged-in portal users (second factor passed), the CSRF
    secret, the open written procedure's id and the Land the first user votes for."""
    from django.test import Client

    from dmk.accounts.middleware import SESSION_MFA_SETUP_KEY
    from dmk.accounts.models import User
    from dmk.bodies.models import State
    from dmk.voting.models import WrittenProcedure

    users = list(User.objects.filter(email__endswith="@dmk.example", is_active=True)[:count])
    # the voter's session goes first: the scenario's votes are cast with it (Lua's cookies[1])
    users.sort(key=lambda user: user.email != "mitglied.by@dmk.example")
    cookies = []
    for user in users:
        client = Client()
        client.force_login(user)
        session = client.session
        session[SESSION_MFA_SETUP_KEY] = True
        session.save()
        cookies.append(session.session_key)
    procedure = WrittenProcedure.objects.filter(closed_at__isnull=True).order_by("pk").first()
    voter = next((u for u in users if u.email == "mitglied.by@dmk.example"), users[0])
    state = State.objects.get(code="DE-BY")
    csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
    return cookies, csrf, (procedure.pk if procedure else 0), f"{voter.pk}:{state.pk}"


# --- servers ------------------------------------------------------------------------------------


def wrk(url: str, *, seconds: int = SECONDS, connections: int = CONNECTIONS, script: Path) -> dict:
    result = subprocess.run(  # noqa: S603 - fixed binary, loopback URL
        [
            shutil.which("wrk") or "/usr/bin/wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=seconds + 60,
    )
    match = re.search(r"^BENCH (\{.*\})$", result.stdout, flags=re.M)
    if not match:
        raise RuntimeError(f"wrk failed for {url}: {result.stdout} {result.stderr}")
    data = json.loads(match.group(1))
    data["rps"] = data["requests"] / data["seconds"]
    return data


def rss_mb(pids: list[int]) -> list[float]:
    sizes = []
    for pid in pids:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            found = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
            if found:
                sizes.append(int(found.group(1)) / 1024)
    return sizes


def cpu_ms(pids: list[int]) -> float:
    """User + system CPU time of ``pids`` so far, in milliseconds (``/proc/<pid>/stat``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        stat = Path(f"/proc/{pid}/stat")
        if stat.exists():
            fields = stat.read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total * 1000 / ticks


def start_app_alone(env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(  # noqa: S603 - our own interpreter
        [
            str(deploy_stack.PYTHON),
            "-m",
            "gunicorn",
            "-c",
            str(deploy_stack.DEPLOY / "gunicorn.conf.py"),
            "dmk.wsgi:application",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{PORT_APP}",
            "GUNICORN_WORKERS": "2",
            "DMK_PAGE_CACHE": "0",
        },
        stdout=open(WORK / "app-alone.log", "ab"),  # noqa: SIM115 - lives with the process
        stderr=subprocess.STDOUT,
    )
    deploy_stack.wait_for(f"http://127.0.0.1:{PORT_APP}/healthz")
    return process


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def fetch(url: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
        return response.read()


# --- the run ------------------------------------------------------------------------------------


def scenario_lua(
    cookies: list[str], csrf: str, procedure: int, voter_state: str, slugs: list[str]
) -> str:
    voter_cookie_index, state_pk = voter_state.split(":")
    public = [
        "/",
        "/beschluesse/",
        "/beschluesse/?seite=2",
        "/sitzungen/",
        "/laender/",
        "/vorsitz/",
        "/aktuelles/",
        "/feeds/beschluesse/rss/",
    ]
    public += [f"/beschluesse/{slug}/" for slug in slugs]
    portal = ["/intern/", "/intern/umlaufverfahren/", "/intern/sitzungen/"]
    lua = [
        "local public = {" + ",".join(json.dumps(p) for p in public) + "}",
        "local portal = {" + ",".join(json.dumps(p) for p in portal) + "}",
        "local cookies = {" + ",".join(json.dumps(c) for c in cookies) + "}",
        f"local csrf = {json.dumps(csrf)}",
        f"local procedure = {procedure}",
        f"local state = {state_pk}",
        """
-- globals, not locals: done() reads them from each thread with thread:get()
counter = 0
server_errors = 0
client_errors = 0
votes_accepted = 0
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function(args) math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
request = function()
  counter = counter + 1
  local r = math.random(100)
  if r <= 70 then
    return wrk.format("GET", public[math.random(#public)])
  end
  local cookie = cookies[math.random(#cookies)]
  local headers = {["Cookie"] = "sessionid=" .. cookie .. "; csrftoken=" .. csrf}
  if r <= 95 or procedure == 0 then
    return wrk.format("GET", portal[math.random(#portal)], headers)
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Cookie"] = "sessionid=" .. cookies[1] .. "; csrftoken=" .. csrf
  local choices = {"yes", "no", "abstain"}
  return wrk.format("POST", "/intern/umlaufverfahren/" .. procedure .. "/", headers,
    "csrfmiddlewaretoken=" .. csrf .. "&action=vote&state=" .. state .. "&choice="
    .. choices[math.random(3)])
end
response = function(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1
  elseif status >= 400 then client_errors = client_errors + 1
  elseif status == 302 and string.find(headers["Location"] or "", "/umlaufverfahren/", 1, true)
  then votes_accepted = votes_accepted + 1 end
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout
  local fivexx, fourxx, accepted = 0, 0, 0
  for _, thread in ipairs(threads) do
    fivexx = fivexx + (thread:get("server_errors") or 0)
    fourxx = fourxx + (thread:get("client_errors") or 0)
    accepted = accepted + (thread:get("votes_accepted") or 0)
  end
  io.write(string.format('BENCH {"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, '
      .. '"errors": %d, "non2xx": %d, "server_errors": %d, "client_errors": %d, '
      .. '"votes_accepted": %d}\\n', summary.requests,
      summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
      errors, summary.errors.status, fivexx, fourxx, accepted))
end
""",
    ]
    # the voter's cookie goes first: only they may vote for the Land
    del voter_cookie_index
    return "\n".join(lua)


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): bench_production skipped")
        return 0
    started = time.monotonic()
    WORK.mkdir(parents=True, exist_ok=True)
    # run as root, nginx's workers run as "nobody" and must reach the socket and the proxy
    # cache in here; Django's file cache creates missing parents 0700 (umask 077)
    WORK.chmod(0o755)
    database_url, drop_database = bench_database()
    env = app_env(database_url)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dmk.settings"
    import django

    django.setup()
    stats_lua = WORK / "stats.lua"
    stats_lua.write_text(LUA_STATS)
    results: dict[int, dict] = {}
    scenario: dict = {}
    try:
        load_base()
        for n in N_LIST:
            log(f"N = {n}: generating")
            grow_to(n)
            analyse()
            from django.db import close_old_connections

            close_old_connections()
            queries = queries_per_page(PAGES + UNCACHED_ONLY + ["/sitemap.xml"])
            for sub in ("cache", "static-copy"):
                shutil.rmtree(WORK / sub, ignore_errors=True)
            (WORK / "static-copy").mkdir()
            static_server = f"""
    server {{
        listen 127.0.0.1:{PORT_STATIC};
        root {WORK / "static-copy"};
        location / {{ default_type text/html; try_files /page.html =404; }}
    }}"""
            stack = deploy_stack.Stack(
                port=PORT_STACK,
                run_dir=WORK / "serve",
                env={**env, "DMK_PAGE_CACHE": "1"},
                workers=2,
                with_worker=False,
                extra_servers=static_server,
                access_log=False,
            )
            shutil.rmtree(WORK / "serve" / "cache", ignore_errors=True)
            figures: dict[str, dict] = {}
            try:
                stack.start()
                for path in PAGES:
                    (WORK / "static-copy" / "page.html").write_bytes(
                        fetch(f"http://127.0.0.1:{PORT_STACK}{path}")
                    )
                    log(f"N = {n}: {path} static, stack")
                    static = wrk(f"http://127.0.0.1:{PORT_STATIC}/", script=stats_lua)
                    shipped = wrk(f"http://127.0.0.1:{PORT_STACK}{path}", script=stats_lua)
                    figures[path] = {"static": static, "stack": shipped}
                stack_rss = rss_mb(stack.gunicorn_pids()[1:])
            finally:
                stack.stop()
            app = start_app_alone(env)
            try:
                workers = children(app.pid)
                for path in PAGES + UNCACHED_ONLY:
                    log(f"N = {n}: {path} app uncached")
                    wrk(f"http://127.0.0.1:{PORT_APP}{path}", seconds=1, script=stats_lua)  # warm
                    before = cpu_ms(workers)
                    run = wrk(f"http://127.0.0.1:{PORT_APP}{path}", script=stats_lua)
                    run["cpu_ms"] = (cpu_ms(workers) - before) / max(run["requests"], 1)
                    figures.setdefault(path, {})["app"] = run
                    if path in ("/", "/beschluesse/"):
                        # one request per worker at a time: the time a request takes, without
                        # the queue that 16 connections on 2 workers build (Little's law)
                        figures[path]["app_alone"] = wrk(
                            f"http://127.0.0.1:{PORT_APP}{path}",
                            connections=2,
                            script=stats_lua,
                        )
                app_rss = rss_mb(workers)
            finally:
                app.terminate()
                app.wait(timeout=30)
            results[n] = {
                "figures": figures,
                "queries": queries,
                "stack_rss": stack_rss,
                "app_rss": app_rss,
            }
        if SCENARIO_SECONDS > 0:
            from dmk.resolutions.models import Resolution

            cookies, csrf, procedure, voter = portal_sessions(10)
            slugs = list(
                Resolution.objects.filter(visibility="public")
                .order_by("?")
                .values_list("slug", flat=True)[:50]
            )
            lua = WORK / "scenario.lua"
            lua.write_text(scenario_lua(cookies, csrf, procedure, voter, slugs))
            stack = deploy_stack.Stack(
                port=PORT_STACK,
                run_dir=WORK / "serve",
                env={**env, "DMK_PAGE_CACHE": "1"},
                workers=2,
                with_worker=True,
                access_log=False,
            )
            from dmk.core.models import ActivityLog
            from dmk.voting.models import WrittenVote

            votes_logged_before = ActivityLog.objects.filter(
                action__startswith="voting.written_vote.", object_id=str(procedure)
            ).count()
            try:
                stack.start()
                log(f"50-user scenario, {SCENARIO_SECONDS} s")
                scenario = wrk(
                    f"http://127.0.0.1:{PORT_STACK}/",
                    seconds=SCENARIO_SECONDS,
                    connections=50,
                    script=lua,
                )
                scenario["rss"] = rss_mb(stack.gunicorn_pids()[1:])
            finally:
                stack.stop()
            # every accepted vote (302 back to the procedure) is in the audit trail, and the
            # Land still has exactly one answer: nothing lost, nothing doubled under load
            scenario["votes_logged"] = (
                ActivityLog.objects.filter(
                    action__startswith="voting.written_vote.", object_id=str(procedure)
                ).count()
                - votes_logged_before
            )
            scenario["answers_of_land"] = WrittenVote.objects.filter(
                procedure_id=procedure, state_id=int(voter.split(":")[1])
            ).count()
    finally:
        from django.db import connections

        connections.close_all()
        drop_database()
    report(results, scenario, time.monotonic() - started, database_url)
    return 0


def report(results: dict[int, dict], scenario: dict, elapsed: float, database_url: str) -> None:
    system = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print()
    print(
        f"bench_production: {system}, wrk -t2 -c{CONNECTIONS} -d{SECONDS}s, gunicorn 2 sync "
        f"workers, DEBUG off, loopback, {os.cpu_count()} cores shared by wrk, nginx, gunicorn "
        f"and the database; {elapsed / 60:.1f} min in all"
    )
    for n, result in results.items():
        print(f"\nN = {n} public resolutions (+ the real record and the demo)")
        print(
            f"{'page':32} {'kind':24} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'×static':>8} "
            f"{'queries':>7} {'CPU ms':>7}"
        )
        for path, kinds in result["figures"].items():
            anchor = kinds.get("static", {}).get("rps")
            for kind, label in (
                ("static", "(a) nginx file"),
                ("stack", "(b) stack"),
                ("app", "(c) app, no page cache"),
                ("app_alone", "(c) same, 1 conn/worker"),
            ):
                if kind not in kinds:
                    continue
                f = kinds[kind]
                ratio = f"{f['rps'] / anchor:.2f}" if anchor else "–"
                queries = result["queries"].get(path, "") if kind == "app" else ""
                cpu = f"{f['cpu_ms']:.1f}" if "cpu_ms" in f else ""
                errors = (
                    f"  errors {f['errors']}, non-2xx {f['non2xx']}"
                    if f["errors"] or f["non2xx"]
                    else ""
                )
                print(
                    f"{path:32} {label:24} {f['rps']:9.0f} {f['p50']:8.1f} {f['p95']:8.1f} "
                    f"{ratio:>8} {queries!s:>7} {cpu:>7}{errors}"
                )
        print(f"queries per page: {json.dumps(result['queries'])}")
        print(
            f"gunicorn worker RSS after the load: stack {fmt_mb(result['stack_rss'])}, "
            f"app alone {fmt_mb(result['app_rss'])}"
        )
    print(
        "\nCPU ms: CPU time of both gunicorn workers per request (user + system); with the "
        "database, wrk and nginx on the same cores, req/s of (c) cannot pass "
        f"{os.cpu_count()} × 1000 / (CPU ms + the database's share)."
    )
    if scenario:
        print(
            f"\n50-user scenario ({SCENARIO_SECONDS} s; 70 % public pages, 25 % portal pages, "
            f"5 % votes): {scenario['requests']} requests, {scenario['rps']:.0f} req/s, p50 "
            f"{scenario['p50']:.1f} ms, p95 {scenario['p95']:.1f} ms, socket errors "
            f"{scenario['errors']}, 5xx {scenario['server_errors']}, 4xx "
            f"{scenario['client_errors']}; votes accepted {scenario['votes_accepted']}, in the "
            f"audit trail {scenario['votes_logged']}, answers of the Land afterwards "
            f"{scenario['answers_of_land']} (must be 1); worker RSS {fmt_mb(scenario['rss'])}"
        )
    if results:
        big = results[max(results)]
        fig = big["figures"]
        print("\nGoals of issue 17 (largest N):")
        cached = min(fig[p]["stack"]["rps"] / fig[p]["static"]["rps"] for p in PAGES)
        print(f"  cached pages through nginx ≥ 0.5 × nginx static: worst {cached:.2f} ×")
        for path in ("/", "/beschluesse/"):
            app = fig[path]["app"]
            print(
                f"  app alone, uncached, {path} ≥ 150 req/s: {app['rps']:.0f} req/s "
                f"({app['cpu_ms']:.1f} ms CPU a request)"
            )
        archive = fig["/beschluesse/"]
        counts = [r["queries"]["/beschluesse/"] for r in results.values()]
        print(
            f"  archive page p95 ≤ 50 ms: {archive['app_alone']['p95']:.1f} ms with one request "
            f"per worker; {archive['app']['p95']:.1f} ms behind a queue of 16 connections"
        )
        print(f"  archive page ≤ 10 queries at any N: {counts} (N = {list(results)})")
        all_rss = [mb for r in results.values() for mb in r["stack_rss"] + r["app_rss"]]
        all_rss += scenario.get("rss", [])
        print(f"  worker RSS ≤ 250 MB after the load: max {max(all_rss, default=0):.0f} MB")
        if scenario:
            print(
                f"  50-user scenario 0 errors: {scenario['errors'] + scenario['server_errors']} "
                f"(socket errors + 5xx), {scenario['client_errors']} 4xx; votes "
                f"{scenario['votes_accepted']} accepted, {scenario['votes_logged']} logged: "
                + vote_verdict(scenario["votes_accepted"], scenario["votes_logged"])
            )


def vote_verdict(accepted: int, logged: int, connections: int = 50) -> str:
    """Every vote wrk saw accepted must be in the audit trail; a few more may be logged, as
    wrk stops with requests in flight whose answers it never reads (at most one per
    connection)."""
    if logged < accepted:
        return f"{accepted - logged} accepted votes LOST"
    if logged - accepted > connections:
        return (
            f"{logged - accepted} more logged than accepted: more than the {connections} in flight"
        )
    return f"none lost ({logged - accepted} answered after wrk stopped reading)"


def fmt_mb(sizes: list[float]) -> str:
    return ", ".join(f"{mb:.0f} MB" for mb in sizes) or "–"


if __name__ == "__main__":
    sys.exit(main())
