"""The production stack of the DMK-Plattform: render the nginx configuration, or run gunicorn
behind nginx locally (issue 17 item 3; docs/operations.md).

    python deploy/stack.py render --production --server-name dmk.example --out DIR
    python deploy/stack.py serve [--port 8480]          # what `make serve` runs

``serve`` runs unprivileged: nginx with ``-p <run dir> -c <conf>``, pid, logs and temp files
inside ``var/serve/`` (no ``user`` directive), gunicorn on a Unix socket there, the
background worker beside them; the database comes from ``DATABASE_URL`` (PostgreSQL in
production; SQLite in ``var/`` by default). No Django import here: ``bench/`` uses it too.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
TEMPLATES = DEPLOY / "nginx"
PYTHON = ROOT / ".venv" / "bin" / "python"
X_ACCEL_PREFIX = "/_protected/"  # = settings.X_ACCEL_PREFIX


def render_template(name: str, values: dict[str, str]) -> str:
    """``deploy/nginx/<name>`` with every ``@KEY@`` replaced; raises ValueError when a
    placeholder is left (a typo never reaches nginx)."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    leftover = re.findall(r"@[A-Z_]+@", text)
    if leftover:
        raise ValueError(f"placeholders left in {name}: {leftover}")
    return text


def site_values(
    *,
    static_root: Path,
    media_root: Path,
    cache_dir: Path,
    upstream: str,
    conf_dir: Path,
    server_name: str = "_",
    tls_cert: str = "/etc/ssl/dmk/fullchain.pem",
    tls_key: str = "/etc/ssl/dmk/privkey.pem",
) -> dict[str, str]:
    return {
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media_root),
        "CACHE_DIR": str(cache_dir),
        "UPSTREAM": upstream,
        "CONF_DIR": str(conf_dir),
        "SERVER_NAME": server_name,
        "TLS_CERT": tls_cert,
        "TLS_KEY": tls_key,
        "X_ACCEL_PREFIX": X_ACCEL_PREFIX,
    }


def render_production(out: Path, values: dict[str, str]) -> list[Path]:
    """Write ``dmk.conf``, ``dmk-http.conf`` and ``dmk-server.conf`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("dmk-http.conf.in", "dmk-server.conf.in", "dmk.conf.in"):
        target = out / name.removesuffix(".in")
        target.write_text(render_template(name, values), encoding="utf-8")
        written.append(target)
    return written


def render_local(
    run_dir: Path,
    *,
    port: int,
    static_root: Path,
    media_root: Path,
    extra_servers: str = "",
    access_log: bool = True,
) -> Path:
    """A complete nginx.conf for an unprivileged nginx (``nginx -p run_dir -c nginx.conf``):
    pid, logs, temp files and proxy cache inside ``run_dir``, listening on 127.0.0.1:``port``,
    gunicorn on ``run_dir/gunicorn.sock``. Returns the path of nginx.conf."""
    run_dir.mkdir(parents=True, exist_ok=True)
    for sub in ("logs", "tmp", "cache"):
        (run_dir / sub).mkdir(exist_ok=True)
    values = site_values(
        static_root=static_root,
        media_root=media_root,
        cache_dir=run_dir / "cache",
        upstream=f"unix:{run_dir / 'gunicorn.sock'}",
        conf_dir=run_dir,
    )
    (run_dir / "dmk-http.conf").write_text(render_template("dmk-http.conf.in", values))
    (run_dir / "dmk-server.conf").write_text(render_template("dmk-server.conf.in", values))
    mime_types = Path("/etc/nginx/mime.types")
    tmp = run_dir / "tmp"
    log = f"access_log {run_dir / 'logs' / 'access.log'} combined buffer=64k flush=5s;"
    conf = f"""# written by deploy/stack.py (`make serve`, bench): unprivileged, all inside
# {run_dir}
worker_processes auto;
pid {run_dir / "nginx.pid"};
error_log {run_dir / "logs" / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    {"include " + str(mime_types) + ";" if mime_types.exists() else ""}
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    {log if access_log else "access_log off;"}
    client_body_temp_path {tmp / "body"};
    proxy_temp_path {tmp / "proxy"};
    fastcgi_temp_path {tmp / "fastcgi"};
    uwsgi_temp_path {tmp / "uwsgi"};
    scgi_temp_path {tmp / "scgi"};
    include {run_dir / "dmk-http.conf"};
    server {{
        listen 127.0.0.1:{port};
        server_name _;
        include {run_dir / "dmk-server.conf"};
    }}
{extra_servers}
}}
"""
    path = run_dir / "nginx.conf"
    path.write_text(conf, encoding="utf-8")
    return path


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        raise SystemExit("nginx is not installed (apt-get install nginx)")
    return found


def nginx_test(run_dir: Path, conf: Path) -> subprocess.CompletedProcess[str]:
    """``nginx -t`` of ``conf`` with prefix ``run_dir`` (no root needed)."""
    return subprocess.run(  # noqa: S603 - fixed binary, our own files
        [
            nginx_binary(),
            "-t",
            "-p",
            str(run_dir),
            "-c",
            str(conf),
            "-e",
            str(run_dir / "logs" / "error.log"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def wait_for(url: str, seconds: float = 60) -> None:
    """Poll ``url`` until it answers (any HTTP status); raises TimeoutError."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback only
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


class Stack:
    """gunicorn (+ the background worker) behind nginx, started and stopped together."""

    def __init__(
        self,
        *,
        port: int,
        run_dir: Path,
        env: dict[str, str] | None = None,
        workers: int = 2,
        with_worker: bool = True,
        extra_servers: str = "",
        access_log: bool = True,
    ) -> None:
        self.port = port
        self.run_dir = run_dir
        self.env = {**os.environ, **(env or {})}
        self.env.setdefault("X_ACCEL_REDIRECT", "1")
        self.env.setdefault("DEBUG", "0")
        self.env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
        self.env.setdefault("BASE_URL", f"http://127.0.0.1:{port}")
        self.env["GUNICORN_BIND"] = f"unix:{run_dir / 'gunicorn.sock'}"
        self.env.setdefault("GUNICORN_WORKERS", str(workers))
        self.with_worker = with_worker
        self.extra_servers = extra_servers
        self.access_log = access_log
        self.processes: list[subprocess.Popen[bytes]] = []

    def settings_paths(self) -> tuple[Path, Path]:
        out = subprocess.run(  # noqa: S603 - our own interpreter
            [
                str(PYTHON),
                "-c",
                "import django,os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','dmk.settings');"
                "django.setup(); from django.conf import settings as s;"
                "print(s.STATIC_ROOT); print(s.MEDIA_ROOT)",
            ],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
        return Path(out[0]), Path(out[1])

    def prepare(self) -> None:
        """migrate and collectstatic (DEBUG off serves hashed static names)."""
        for args in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=self.env, check=True)  # noqa: S603

    def start(self) -> None:
        static_root, media_root = self.settings_paths()
        media_root.mkdir(parents=True, exist_ok=True)
        conf = render_local(
            self.run_dir,
            port=self.port,
            static_root=static_root,
            media_root=media_root,
            extra_servers=self.extra_servers,
            access_log=self.access_log,
        )
        check = nginx_test(self.run_dir, conf)
        if check.returncode != 0:
            raise SystemExit(check.stderr)
        sock = self.run_dir / "gunicorn.sock"
        sock.unlink(missing_ok=True)
        logs = self.run_dir / "logs"
        self.processes.append(
            subprocess.Popen(  # noqa: S603 - our own interpreter
                [
                    str(PYTHON),
                    "-m",
                    "gunicorn",
                    "-c",
                    str(DEPLOY / "gunicorn.conf.py"),
                    "dmk.wsgi:application",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=open(logs / "gunicorn.log", "ab"),  # noqa: SIM115 - lives with the process
                stderr=subprocess.STDOUT,
            )
        )
        if self.with_worker:
            self.processes.append(
                subprocess.Popen(  # noqa: S603 - our own interpreter
                    [
                        str(PYTHON),
                        "manage.py",
                        "db_worker",
                        "--backend",
                        "queue",
                        "--queue-name",
                        "*",
                        "--no-reload",
                    ],
                    cwd=ROOT,
                    env=self.env,
                    stdout=open(logs / "worker.log", "ab"),  # noqa: SIM115 - lives with the process
                    stderr=subprocess.STDOUT,
                )
            )
        self.processes.append(
            subprocess.Popen(  # noqa: S603 - fixed binary, our own files
                [
                    nginx_binary(),
                    "-p",
                    str(self.run_dir),
                    "-c",
                    str(conf),
                    "-e",
                    str(logs / "error.log"),
                    "-g",
                    "daemon off;",
                ],
                stdout=subprocess.DEVNULL,
                stderr=open(logs / "nginx.log", "ab"),  # noqa: SIM115 - lives with the process
            )
        )
        deadline = time.monotonic() + 60
        while not sock.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        wait_for(f"http://127.0.0.1:{self.port}/healthz")

    def gunicorn_pids(self) -> list[int]:
        """The master and worker pids of gunicorn (for RSS figures)."""
        master = self.processes[0].pid
        children = Path(f"/proc/{master}/task/{master}/children")
        kids = [int(p) for p in children.read_text().split()] if children.exists() else []
        return [master, *kids]

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(
                    signal.SIGTERM if process.args[0] != nginx_binary() else signal.SIGQUIT
                )
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes = []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", help="write the nginx configuration files")
    render.add_argument("--production", action="store_true", help="TLS site for /etc/nginx")
    render.add_argument("--out", type=Path, required=True)
    render.add_argument("--server-name", default="dmk.example")
    render.add_argument("--root", type=Path, default=Path("/srv/dmk"), help="the checkout")
    render.add_argument("--conf-dir", type=Path, default=Path("/etc/nginx/dmk"))
    render.add_argument("--tls-cert", default="/etc/letsencrypt/live/dmk.example/fullchain.pem")
    render.add_argument("--tls-key", default="/etc/letsencrypt/live/dmk.example/privkey.pem")
    serve = sub.add_parser("serve", help="gunicorn + worker behind nginx on a high port")
    serve.add_argument("--port", type=int, default=int(os.environ.get("SERVE_PORT", "8480")))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS", "2")))
    args = parser.parse_args(argv)

    if args.command == "render":
        values = site_values(
            static_root=args.root / "staticfiles",
            media_root=args.root / "var" / "media",
            cache_dir=Path("/var/cache/nginx/dmk"),
            upstream="unix:/run/dmk/gunicorn.sock",
            conf_dir=args.conf_dir,
            server_name=args.server_name,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
        )
        for path in render_production(args.out, values):
            print(path)
        return 0

    stack = Stack(port=args.port, run_dir=ROOT / "var" / "serve", workers=args.workers)
    stack.prepare()
    stack.start()
    print(f"DMK-Plattform (gunicorn {args.workers} workers + nginx): http://127.0.0.1:{args.port}/")
    print(f"Logs: {stack.run_dir / 'logs'}; Ctrl+C stops everything.")
    try:
        while all(p.poll() is None for p in stack.processes):
            time.sleep(1)
        print("a process of the stack ended; see the logs", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
