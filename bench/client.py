"""The load client: HTTP/1.1 over loopback from Python threads, one connection per client.

Single-client latency (p50, p95 after a warm-up) and throughput at N concurrent clients. Each
request is built just before it is sent (a ranking save reads the current version first), and
only the exchange itself is timed. gunicorn's sync workers close the connection after every
response; http.client then reconnects, so the time includes a loopback connect, as a browser's
would.
"""

import http.client
import math
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.middleware import QUERIES_HEADER, QUERY_MS_HEADER

TIMEOUT = 120  # seconds; the slowest page measured (an import) must finish well within
SERVED_BY_HEADER = "X-Served-By"


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    tag: str = ""  # what the request writes, to look it up afterwards (a name, a title)


@dataclass
class Exchange:
    status: int
    seconds: float
    queries: int | None
    query_ms: float | None
    size: int
    location: str = ""
    server: str = ""  # the app server that answered, as a load balancer names it (X-Served-By)


@dataclass
class Latency:
    """What one client saw, request after request."""

    exchanges: list[Exchange]

    @property
    def seconds(self) -> list[float]:
        return sorted(e.seconds for e in self.exchanges)

    def percentile(self, share: float) -> float:
        """Nearest rank: the value below which `share` of the requests fall."""
        values = self.seconds
        return values[max(0, math.ceil(share * len(values)) - 1)]

    @property
    def statuses(self) -> Counter:
        return Counter(e.status for e in self.exchanges)

    @property
    def queries(self) -> int | None:
        """The page's usual query count (a worker's first request may fill caches)."""
        counted = Counter(e.queries for e in self.exchanges if e.queries is not None)
        return counted.most_common(1)[0][0] if counted else None

    @property
    def queries_max(self) -> int | None:
        counted = [e.queries for e in self.exchanges if e.queries is not None]
        return max(counted) if counted else None

    @property
    def query_ms(self) -> float | None:
        timed = [e.query_ms for e in self.exchanges if e.query_ms is not None]
        return statistics.median(timed) if timed else None


class Client:
    """One keep-alive-capable connection to the server under test."""

    def __init__(self, host: str, port: int):
        self.connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)

    def send(self, request: Request) -> Exchange:
        headers = {"Host": "127.0.0.1", **request.headers}
        started = time.perf_counter()
        try:
            self.connection.request(request.method, request.path, request.body, headers)
            response = self.connection.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()  # a stale connection: retry once on a fresh one
            started = time.perf_counter()
            self.connection.request(request.method, request.path, request.body, headers)
            response = self.connection.getresponse()
            body = response.read()
        seconds = time.perf_counter() - started
        queries = response.getheader(QUERIES_HEADER)
        query_ms = response.getheader(QUERY_MS_HEADER)
        return Exchange(
            status=response.status,
            seconds=seconds,
            queries=int(queries) if queries else None,
            query_ms=float(query_ms) if query_ms else None,
            size=len(body),
            location=response.getheader("Location", ""),
            server=response.getheader(SERVED_BY_HEADER, ""),
        )

    def close(self) -> None:
        self.connection.close()


def latency(
    host: str,
    port: int,
    build: Callable[[], Request],
    *,
    warmup: int = 20,
    count: int = 200,
    budget: float = 30.0,
) -> Latency:
    """One client, one request after another: `warmup` untimed, then up to `count` timed ones
    (fewer if `budget` seconds run out, but at least 5)."""
    client = Client(host, port)
    try:
        for _ in range(warmup):
            client.send(build())
        exchanges = []
        deadline = time.monotonic() + budget
        while len(exchanges) < count and (len(exchanges) < 5 or time.monotonic() < deadline):
            exchanges.append(client.send(build()))
        return Latency(exchanges)
    finally:
        client.close()


@dataclass
class Throughput:
    requests: int
    seconds: float
    statuses: Counter

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _for_a_while(clients: int, seconds: float, run: Callable[[threading.Event], None]) -> float:
    """`run(stop)` on `clients` threads until `seconds` have passed; the time it all took."""
    stop = threading.Event()
    threads = [threading.Thread(target=run, args=(stop,), daemon=True) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(TIMEOUT)
    return time.perf_counter() - started


def throughput(
    host: str, port: int, build: Callable[[], Request], *, clients: int = 8, seconds: float = 10
) -> Throughput:
    """`clients` threads sending back to back for `seconds`; completed requests per second."""
    statuses: Counter = Counter()
    lock = threading.Lock()
    errors: list[BaseException] = []

    def run(stop: threading.Event) -> None:
        client = Client(host, port)
        try:
            while not stop.is_set():
                exchange = client.send(build())
                with lock:
                    statuses[exchange.status] += 1
        except BaseException as error:  # reported by the caller, not lost in the thread
            errors.append(error)
        finally:
            client.close()

    elapsed = _for_a_while(clients, seconds, run)
    if errors:
        raise errors[0]
    return Throughput(sum(statuses.values()), elapsed, statuses)


@dataclass
class Answer:
    """One request of a mixed load as its client saw it: when it was sent (seconds from the
    load's start), how long it took, and the status ("error" for a broken exchange)."""

    kind: str
    tag: str
    status: int | str
    at: float
    seconds: float
    location: str = ""
    server: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "error" or (isinstance(self.status, int) and self.status >= 500)


@dataclass
class Mix:
    """What many clients saw over a mix of requests, by kind."""

    seconds: float
    statuses: dict[str, Counter]  # kind → HTTP status → count ("error" for a broken exchange)
    latencies: list[float]
    errors: list[str]
    answers: list[Answer] = field(default_factory=list)

    def acknowledged(self, kind: str, status: int = 302) -> list[Answer]:
        return [a for a in self.answers if a.kind == kind and a.status == status]

    @property
    def requests(self) -> int:
        return sum(sum(counter.values()) for counter in self.statuses.values())

    def percentile(self, share: float) -> float:
        values = sorted(self.latencies)
        return values[max(0, math.ceil(share * len(values)) - 1)] if values else 0.0


def mixed(
    host: str,
    port: int,
    choose: Callable[[int], tuple[str, Request]],
    *,
    clients: int = 50,
    seconds: float = 60,
    started: float | None = None,
) -> Mix:
    """`clients` threads for `seconds`, each sending what `choose(n)` builds for its n-th
    request (a kind and a request); every status is counted, and an exchange that breaks
    (after the client's one retry) is counted as an error rather than stopping the run. Each
    answer is kept with its time from `started` (a time.perf_counter(); by default now)."""
    statuses: dict[str, Counter] = {}
    latencies: list[float] = []
    errors: list[str] = []
    answers: list[Answer] = []
    lock = threading.Lock()
    sequence = iter(range(10**9))
    started = time.perf_counter() if started is None else started

    def run(stop: threading.Event) -> None:
        client = Client(host, port)
        try:
            while not stop.is_set():
                with lock:
                    n = next(sequence)
                kind, request = choose(n)
                at = time.perf_counter() - started
                try:
                    exchange = client.send(request)
                except (http.client.HTTPException, OSError) as error:
                    with lock:
                        statuses.setdefault(kind, Counter())["error"] += 1
                        errors.append(f"{kind}: {type(error).__name__}: {error}")
                        seconds = time.perf_counter() - started - at
                        answers.append(Answer(kind, request.tag, "error", at, seconds))
                    client.close()
                    client = Client(host, port)
                    continue
                with lock:
                    statuses.setdefault(kind, Counter())[exchange.status] += 1
                    latencies.append(exchange.seconds)
                    answer = Answer(kind, request.tag, exchange.status, at, exchange.seconds)
                    answer.location, answer.server = exchange.location, exchange.server
                    answers.append(answer)
        finally:
            client.close()

    elapsed = _for_a_while(clients, seconds, run)
    return Mix(elapsed, statuses, latencies, errors, answers)
