#!/usr/bin/env python3
"""A real S3-compatible object store on this machine: OpenStack Swift's proxy with its s3api
middleware, from Debian's packages (swift swift-proxy swift-account swift-container
swift-object memcached), listening on 127.0.0.1 only.

Everything lives in one folder of its own: the configuration, a one-device ring per server, the
stored objects and each server's log. The account, container and object servers and memcached
take free ports; the proxy the one given. Access key `test:tester`, secret `testing`, region
us-east-1, path-style addresses, signature v4.

    python scripts/swift_store.py start --dir build/swift --port 8081 --bucket musrenbang

starts it, creates the bucket, writes the app's environment (S3_ENDPOINT_URL, S3_BUCKET, …) to
<dir>/s3.env once it answers, and runs until interrupted (SIGINT or SIGTERM), when it stops
every process it started. From Python:

    with SwiftStore(directory, port) as store:
        store.create_bucket("musrenbang")
        ...  # store.endpoint_url, store.environment("musrenbang")
"""

import argparse
import atexit
import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ACCESS_KEY = "test:tester"
SECRET_KEY = "testing"
REGION = "us-east-1"
HOST = "127.0.0.1"
SERVERS = ("account", "container", "object")
# What must be installed; Debian's swift package also brings /etc/swift/swift.conf (the hash
# path prefix and suffix, the default storage policy), which every Swift server reads.
COMMANDS = ["swift-proxy-server", *(f"swift-{kind}-server" for kind in SERVERS)]
COMMANDS += ["swift-ring-builder", "memcached"]
PACKAGES = "swift swift-proxy swift-account swift-container swift-object memcached"

SERVER_CONF = """\
[DEFAULT]
bind_ip = {host}
bind_port = {port}
workers = 0
user = {user}
swift_dir = {dir}
devices = {dir}/node
mount_check = false
log_level = WARNING

[pipeline:main]
pipeline = {kind}-server

[app:{kind}-server]
use = egg:swift#{kind}

[{kind}-replicator]

[{kind}-auditor]
"""

PROXY_CONF = """\
[DEFAULT]
bind_ip = {host}
bind_port = {port}
workers = {workers}
user = {user}
swift_dir = {dir}
log_level = WARNING

[pipeline:main]
pipeline = catch_errors proxy-logging cache s3api tempauth proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:cache]
use = egg:swift#memcache
memcache_servers = {host}:{memcached}

[filter:s3api]
use = egg:swift#s3api
location = {region}

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
"""

# Run by the Python that has Swift (Debian's): argv is the folder, the host and the ports.
RINGS = """
import ast, sys
from swift.common.ring import RingBuilder
folder, host, ports = sys.argv[1], sys.argv[2], ast.literal_eval(sys.argv[3])
for kind, port in ports.items():
    builder = RingBuilder(10, 1, 1)
    builder.add_dev({"region": 1, "zone": 1, "ip": host, "port": port, "device": "d1",
                     "weight": 1})
    builder.rebalance()
    builder.save(f"{folder}/{kind}.builder")
    builder.get_ring().save(f"{folder}/{kind}.ring.gz")
"""


class SwiftStoreError(RuntimeError):
    pass


def missing() -> list[str]:
    """The commands of the store that are not installed."""
    return [command for command in COMMANDS if shutil.which(command) is None]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class SwiftStore:
    """One Swift store in `directory` (made if missing), its S3 API on 127.0.0.1:`port`."""

    def __init__(self, directory: Path | str, port: int | None = None, *, workers: int = 0):
        self.directory = Path(directory).resolve()
        self.port = port or free_port()
        self.workers = workers
        self.processes: list[subprocess.Popen] = []

    @property
    def endpoint_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def environment(self, bucket: str) -> dict[str, str]:
        """The app's settings for this store (README, Configuration)."""
        return {
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_ACCESS_KEY": ACCESS_KEY,
            "S3_SECRET_KEY": SECRET_KEY,
            "S3_REGION": REGION,
        }

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1},
            ),
        )

    def create_bucket(self, name: str) -> None:
        client = self.client()
        try:
            client.head_bucket(Bucket=name)
        except client.exceptions.ClientError:
            client.create_bucket(Bucket=name)

    # -- Starting and stopping ----------------------------------------------------------------

    def start(self, timeout: float = 60) -> "SwiftStore":
        absent = missing()
        if absent:
            raise SwiftStoreError(
                f"{', '.join(absent)} not installed: apt-get install -y {PACKAGES}"
            )
        (self.directory / "node" / "d1").mkdir(parents=True, exist_ok=True)
        atexit.register(self.stop)  # a script that dies on an error leaves nothing running
        user = getpass.getuser()
        ports = {kind: free_port() for kind in SERVERS}
        memcached = free_port()
        try:
            self._run(["memcached", "-l", HOST, "-p", str(memcached), "-U", "0", "-m", "16"]
                      + (["-u", user] if os.geteuid() == 0 else []), "memcached")  # fmt: skip
            self._rings(ports)
            for kind, port in ports.items():
                conf = self.directory / f"{kind}-server.conf"
                conf.write_text(
                    SERVER_CONF.format(
                        host=HOST, port=port, user=user, dir=self.directory, kind=kind
                    )
                )
                self._run([f"swift-{kind}-server", str(conf)], f"{kind}-server")
            conf = self.directory / "proxy-server.conf"
            conf.write_text(
                PROXY_CONF.format(
                    host=HOST,
                    port=self.port,
                    workers=self.workers,
                    user=user,
                    dir=self.directory,
                    memcached=memcached,
                    region=REGION,
                )
            )
            self._run(["swift-proxy-server", str(conf)], "proxy-server")
            self._wait(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _rings(self, ports: dict[str, int]) -> None:
        """A one-device, one-replica ring per server, all in one run of Swift's own Python
        (swift-ring-builder's create, add and rebalance, three times, would take nine)."""
        python = Path(shutil.which("swift-ring-builder")).read_text().splitlines()[0][2:].strip()
        done = subprocess.run(
            [python, "-c", RINGS, str(self.directory), HOST, repr(ports)],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SwiftStoreError(f"the rings could not be built: {done.stderr[-2000:]}")

    def _run(self, command: list[str], name: str) -> None:
        log = open(self.directory / f"{name}.log", "ab")  # noqa: SIM115 (the process keeps it)
        process = subprocess.Popen(
            command,
            cwd=self.directory,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: a terminal's Ctrl-C reaches stop() only
        )
        log.close()
        process.name = name
        self.processes.append(process)

    def _wait(self, timeout: float) -> None:
        """Until the proxy answers an S3 request: every server is up and the account exists."""
        deadline = time.monotonic() + timeout
        error = None
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    log = (self.directory / f"{process.name}.log").read_text(errors="replace")
                    raise SwiftStoreError(
                        f"{process.name} stopped (exit {process.returncode}): {log[-2000:]}"
                    )
            try:
                self.client().list_buckets()
                return
            except Exception as failure:  # refused, or a 503 while the servers start
                error = failure
                time.sleep(0.3)
        raise SwiftStoreError(f"the Swift store did not answer within {timeout:.0f} s: {error}")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes = []

    def __enter__(self) -> "SwiftStore":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("start", help="start the store and run until interrupted")
    start.add_argument("--dir", required=True, type=Path, help="a folder of its own")
    start.add_argument("--port", type=int, default=0, help="the S3 port (default: a free one)")
    start.add_argument("--bucket", default="", help="a bucket to create once it answers")
    start.add_argument("--workers", type=int, default=0, help="proxy worker processes")
    args = parser.parse_args(argv)

    store = SwiftStore(args.dir, args.port or None, workers=args.workers)

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        store.start()
        if args.bucket:
            store.create_bucket(args.bucket)
        environment = "".join(
            f"{name}={value}\n" for name, value in store.environment(args.bucket).items()
        )
        (store.directory / "s3.env").write_text(environment)
        print(f"Swift store ready on {store.endpoint_url} ({store.directory}):", flush=True)
        print(environment, end="", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    except SwiftStoreError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        (store.directory / "s3.env").unlink(missing_ok=True)
        store.stop()


if __name__ == "__main__":
    sys.exit(main())
