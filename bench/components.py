"""The processes of the one-box rehearsal (`bench/cluster.py`): a PostgreSQL primary with a
streaming replica, gunicorn app servers and HAProxy, each in a temporary folder, on loopback only.

Every component starts in its own session (a Ctrl-C reaches only the rehearsal, which stops them
in order) and has a `stop()` that may be called more than once.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from bench.run import ROOT, STOP_SECONDS, Server, _free_port

READY_SECONDS = 60


def _wait(what: str, ready, seconds: float = READY_SECONDS, process=None) -> None:
    """Poll `ready()` until it is true; fail after `seconds` or when `process` has exited."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            if ready():
                return
        except (OSError, psycopg.Error):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} was not ready within {seconds:.0f} s")


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _start(command: list[str], log: Path, env: dict | None = None, **kwargs) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env if env is not None else os.environ.copy(),
            start_new_session=True,
            **kwargs,
        )


def _end(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    """Stop a process started by `_start` (its whole session if it will not go)."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(STOP_SECONDS)


# -- PostgreSQL -------------------------------------------------------------------------------


def postgres_bin() -> Path:
    """The newest PostgreSQL of Debian's packages (/usr/lib/postgresql/<version>/bin)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not found:
        raise RuntimeError("No PostgreSQL server binaries in /usr/lib/postgresql/*/bin.")
    return found[-1].parent


@dataclass
class PostgresCluster:
    """One PostgreSQL cluster (its own data folder, port and log), run by pg_ctl."""

    name: str
    data: Path
    port: int
    log: Path
    bin: Path
    as_user: list[str]  # runuser prefix when root: initdb and postgres refuse to run as root
    env: dict

    def run(self, program: str, *args: str) -> None:
        command = [*self.as_user, str(self.bin / program), *args]
        with self.log.open("ab") as out:
            subprocess.run(command, check=True, stdout=out, stderr=subprocess.STDOUT, env=self.env)

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self) -> None:
        if not (self.data / "postmaster.pid").exists():
            return
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")
        except subprocess.CalledProcessError:
            with contextlib.suppress(OSError, ValueError, IndexError):
                pid = int((self.data / "postmaster.pid").read_text().split()[0])
                os.kill(pid, signal.SIGQUIT)  # immediate shutdown; the folder is thrown away


@dataclass
class Postgres:
    """A primary with the app's database and a streaming replica made by pg_basebackup -R."""

    folder: Path
    primary: PostgresCluster | None = None
    replica: PostgresCluster | None = None
    superuser_password: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    app_password: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    replication_password: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    database: str = "musrenbang"

    def url(self, cluster: PostgresCluster, user: str = "musrenbang", database: str = "") -> str:
        password = self.app_password if user == "musrenbang" else self.superuser_password
        return f"postgres://{user}:{password}@127.0.0.1:{cluster.port}/{database or self.database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary)

    @property
    def replica_url(self) -> str:
        return self.url(self.replica)

    def start(self) -> None:
        bin_ = postgres_bin()
        as_user: list[str] = []
        self.folder.mkdir(mode=0o700)
        if os.geteuid() == 0:
            as_user = [shutil.which("runuser") or "/usr/sbin/runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres", "postgres")
        sockets = self.folder / "run"
        password_file = self.folder / "superuser"
        password_file.write_text(self.superuser_password + "\n")
        sockets.mkdir(mode=0o700)
        if as_user:
            shutil.chown(password_file, "postgres", "postgres")
            shutil.chown(sockets, "postgres", "postgres")
        env = {**os.environ, "PGPASSWORD": self.replication_password, "LC_ALL": "C.UTF-8"}

        def cluster(name: str) -> PostgresCluster:
            log = self.folder / f"{name}.log"
            log.touch()
            if as_user:
                shutil.chown(log, "postgres", "postgres")
            return PostgresCluster(name, self.folder / name, _free_port(), log, bin_, as_user, env)

        self.primary = cluster("primary")
        self.primary.run(
            "initdb", "-D", str(self.primary.data), "-U", "postgres", "-E", "UTF8",
            "--locale=C.UTF-8", "--auth=scram-sha-256", f"--pwfile={password_file}", "--no-sync",
        )  # fmt: skip
        password_file.unlink()
        with (self.primary.data / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# The rehearsal's primary: loopback only, WAL for a streaming replica.\n"
                f"listen_addresses = '127.0.0.1'\nport = {self.primary.port}\n"
                f"unix_socket_directories = '{sockets}'\n"
                "wal_level = replica\nmax_wal_senders = 4\nmax_replication_slots = 4\n"
                "hot_standby = on\nmax_connections = 100\n"
            )
        self.primary.start()
        admin = self.url(self.primary, user="postgres", database="postgres")
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(
                f"CREATE ROLE musrenbang LOGIN CREATEDB PASSWORD '{self.app_password}'"
            )
            connection.execute(f"CREATE DATABASE {self.database} OWNER musrenbang")
            connection.execute(
                f"CREATE ROLE replicator REPLICATION LOGIN PASSWORD '{self.replication_password}'"
            )
        self.replica = cluster("replica")
        conninfo = (
            f"host=127.0.0.1 port={self.primary.port} user=replicator "
            f"password={self.replication_password} application_name=replica"
        )
        self.replica.run(
            "pg_basebackup", "-d", conninfo, "-D", str(self.replica.data), "-R",
            "-X", "stream", "-c", "fast", "-C", "-S", "replica", "--no-sync",
        )  # fmt: skip
        with (self.replica.data / "postgresql.conf").open("a") as conf:
            conf.write(f"\n# The rehearsal's replica.\nport = {self.replica.port}\n")
        self.replica.start()
        _wait("the replica's streaming", lambda: self.streaming() is not None)

    def streaming(self) -> str | None:
        """The replica's state as the primary sees it ("streaming"), or None."""
        admin = self.url(self.primary, user="postgres", database="postgres")
        with psycopg.connect(admin) as connection:
            row = connection.execute(
                "SELECT state FROM pg_stat_replication WHERE application_name = 'replica'"
            ).fetchone()
        return row[0] if row and row[0] == "streaming" else None

    def replay_wait(self, seconds: float = 60) -> float:
        """Wait until the replica has replayed everything the primary has written so far; the
        seconds it took."""
        started = time.monotonic()
        with psycopg.connect(self.url(self.primary, user="postgres", database="postgres")) as p:
            target = p.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        replica = self.url(self.replica, user="postgres", database="postgres")

        def replayed() -> bool:
            with psycopg.connect(replica) as r:
                return r.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
                ).fetchone()[0]

        _wait("the replica's replay", replayed, seconds)
        return time.monotonic() - started

    def transactions(self) -> dict[str, int]:
        """Transactions each cluster has committed in the app's database so far (a read-only
        transaction on the replica too)."""
        counts = {}
        for cluster in (self.primary, self.replica):
            with psycopg.connect(self.url(cluster, user="postgres", database="postgres")) as c:
                counts[cluster.name] = c.execute(
                    "SELECT xact_commit FROM pg_stat_database WHERE datname = %s", [self.database]
                ).fetchone()[0]
        return counts

    def stop(self) -> None:
        for cluster in (self.replica, self.primary):
            if cluster is not None:
                cluster.stop()


# -- gunicorn ---------------------------------------------------------------------------------


@dataclass
class AppServer:
    """One gunicorn serving the app on its own port, with its own media and temporary folders,
    as if on its own machine; `start()` again after `stop()` brings it back on the same port."""

    name: str
    folder: Path
    env: dict
    port: int = field(default_factory=_free_port)
    workers: int = 2
    server: Server | None = None

    def start(self) -> None:
        for sub in ("media", "tmp"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        env = {
            **self.env,
            "MEDIA_ROOT": str(self.folder / "media"),
            "TMPDIR": str(self.folder / "tmp"),
            # The deployment's way (README, Deploying): the bind in GUNICORN_CMD_ARGS, where the
            # settings check that only the proxy reaches it.
            "GUNICORN_CMD_ARGS": f"--bind=127.0.0.1:{self.port} --workers={self.workers} "
            "--no-control-socket --timeout=120 --graceful-timeout=30",
        }
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        process = _start([gunicorn, "musrenbang.wsgi"], self.folder / "gunicorn.log", env, cwd=ROOT)
        self.server = Server(process, self.port)
        try:
            # Listening is not serving: each worker imports the app first, seconds on a busy
            # machine. Ready is /sehat/ answering, as many times in a row as there are workers.
            _wait(f"app server {self.name}", self.healthy, seconds=120, process=process)
            for _ in range(self.workers):
                self.healthy()
        except BaseException:
            self.stop()
            raise

    def healthy(self) -> bool:
        return http_get(self.port, HEALTH_PATH, timeout=60)[0] == 200

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.process.poll() is None

    def terminate(self) -> None:
        """SIGTERM: gunicorn stops accepting and lets its workers finish what they serve."""
        self.server.process.send_signal(signal.SIGTERM)

    def wait(self, seconds: float = 60) -> int:
        return self.server.process.wait(seconds)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def files_on_disk(self) -> list[Path]:
        """What the app stored in this server's own media folder (nothing, with object storage)."""
        return [p for p in (self.folder / "media").rglob("*") if p.is_file()]


@dataclass
class Worker:
    """The notice worker (manage.py db_worker), beside the app servers."""

    folder: Path
    env: dict
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"]
        env = {**self.env, "MEDIA_ROOT": str(self.folder / "media")}
        self.process = _start(command, self.folder / "worker.log", env, cwd=ROOT)

    def stop(self) -> None:
        _end(self.process)


# -- HAProxy ----------------------------------------------------------------------------------

HEALTH_PATH = "/sehat/"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def haproxy_config(port: int, servers: dict[str, int], stats_socket: Path, workers: int = 2) -> str:
    """Round robin over the app servers, each checked on /sehat/ twice a second. Each server
    gets at most as many requests at once as it has workers (`maxconn`), the rest wait in
    HAProxy's queue: a health check then waits behind one request at most, never behind a
    backlog, so a busy server is not taken for a dead one. A refused connection is retried on
    another server (`option redispatch 1`: at once, never twice on the one that refused), and
    the first refused connection marks the server down (`observe layer4`), so a stopped server
    leaves the rotation without waiting for its next check; a slow answer to a check counts
    only after 10 s, three times over, so that a server busy on a busy machine stays in. A
    request the server has begun is never retried: it may have written."""
    lines = [
        "global",
        "    maxconn 1000",
        f"    stats socket {stats_socket} mode 600 level admin",
        "    log stdout format iso local0 info",
        "",
        "defaults",
        "    mode http",
        "    log global",
        "    option httplog",
        "    option dontlognull",
        "    timeout connect 2s",
        "    timeout client 150s",
        "    timeout server 150s",
        "    timeout check 10s",
        "    timeout queue 120s",
        "    retries 3",
        "    option redispatch 1",
        "",
        "frontend musrenbang",
        f"    bind 127.0.0.1:{port}",
        "    option forwardfor",
        "    http-request set-header X-Forwarded-Proto http",
        "    http-response set-header X-Served-By %[srv_name]",
        "    default_backend app",
        "",
        "backend app",
        "    balance roundrobin",
        "    option httpchk",
        f"    http-check send meth GET uri {HEALTH_PATH} ver HTTP/1.1 hdr Host 127.0.0.1",
        "    http-check expect status 200",
        f"    default-server maxconn {workers} check inter 500ms fastinter 250ms downinter 500ms "
        "rise 2 fall 3 observe layer4 error-limit 1 on-error mark-down",
    ]
    lines += [f"    server {name} 127.0.0.1:{p}" for name, p in servers.items()]
    return "\n".join(lines) + "\n"


@dataclass
class HAProxy:
    folder: Path
    servers: dict[str, int]
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen | None = None
    started: float = 0.0  # time.monotonic() at start, to place the log's events

    @property
    def log(self) -> Path:
        return self.folder / "haproxy.log"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "haproxy.cfg"
        config.write_text(haproxy_config(self.port, self.servers, self.folder / "haproxy.sock"))
        subprocess.run([HAPROXY, "-c", "-q", "-f", str(config)], check=True)
        self.process = _start([HAPROXY, "-db", "-f", str(config)], self.log)
        self.started = time.monotonic()
        _wait("HAProxy", lambda: listening(self.port), process=self.process)
        _wait("HAProxy's servers up", lambda: self.up() == set(self.servers))

    def up(self) -> set[str]:
        """The servers HAProxy sends requests to now."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(self.folder / "haproxy.sock"))
            sock.sendall(b"show servers state app\n")
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        up = set()
        for line in answer.decode().splitlines():
            fields = line.split()
            # be_id be_name srv_id srv_name srv_addr srv_op_state (2: running) ...
            if len(fields) > 5 and fields[1] == "app" and fields[5] == "2":
                up.add(fields[3])
        return up

    def stop(self) -> None:
        _end(self.process, signal.SIGUSR1)  # soft stop: finish what is under way


def http_get(port: int, path: str, headers: dict | None = None, timeout: float = 30):
    """(status, body) of a GET straight to one port on loopback."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": "127.0.0.1", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
