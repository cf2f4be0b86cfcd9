"""The one-box rehearsal's report (`bench/cluster.py`): what the clients saw, which writes were
found afterwards, which stored files each server could read, and the verdict.

Pure functions over what the run collected, so that the rules of the verdict are tested on
their own (tests/bench/test_rehearsal.py).
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from bench.client import Answer

# A request that fails while the stopped server lets its last requests go counts as "around
# the stop": from the SIGTERM until this long after the server's process has exited.
STOP_MARGIN = 2.0

WRITE_KINDS = ("ranking save", "attendance entry", "proposal entry", "photo upload")


@dataclass
class Timeline:
    """What happened to the stopped server, in seconds from the start of the load."""

    stopped: float  # SIGTERM sent
    left: float | None = None  # HAProxy no longer sends it requests
    exited: float | None = None  # its gunicorn has exited
    started: float | None = None  # started again
    ready: float | None = None  # answering /sehat/ again
    back: float | None = None  # HAProxy sends it requests again

    def around_stop(self, seen: float) -> bool:
        end = (self.exited if self.exited is not None else self.stopped) + STOP_MARGIN
        return self.stopped <= seen <= end


@dataclass
class Written:
    """What one database holds of the acknowledged writes (Load.check's figures)."""

    database: str
    saves_acknowledged: int
    version_raised_by: int
    entries_acknowledged: int
    attendance_missing: int
    attendance_duplicates: int
    proposals_acknowledged: int
    proposals_missing: int
    photos_acknowledged: int
    photos_missing: int

    @property
    def saves_lost(self) -> int:
        """Acknowledged saves that did not raise the version. A save whose answer was lost may
        have raised it without an acknowledgement: that one is not lost."""
        return max(0, self.saves_acknowledged - self.version_raised_by)

    @property
    def lost(self) -> int:
        return (
            self.saves_lost + self.attendance_missing + self.proposals_missing + self.photos_missing
        )


@dataclass
class StoredFile:
    """One stored file, read straight from each app server (not through the load balancer)."""

    kind: str  # "photo", "berita acara", "wet-signed scan"
    name: str
    stored_by: str  # the server that stored it
    sha256: str  # what the database or the object store says it is
    read: dict[str, str | None] = field(default_factory=dict)  # server → SHA-256 read, or None
    size: int = 0  # bytes

    def readable_from(self, server: str) -> bool:
        return self.read.get(server) == self.sha256


@dataclass
class Rehearsal:
    servers: list[str]
    stopped_server: str
    seconds: float
    answers: list[Answer]
    timeline: Timeline
    written: list[Written]
    files: list[StoredFile]
    on_disk: dict[str, int]  # server → files in its own media folder
    replay_seconds: float
    setup: list[str] = field(default_factory=list)  # lines on what ran, for the report's head
    transactions: dict[str, int] = field(default_factory=dict)  # database → during the load
    notes: list[str] = field(default_factory=list)  # lines on what the load left behind

    @property
    def failed(self) -> list[Answer]:
        return [a for a in self.answers if a.failed]

    @property
    def failed_away_from_stop(self) -> list[Answer]:
        return [a for a in self.failed if not self.timeline.around_stop(a.at + a.seconds)]

    @property
    def lost(self) -> int:
        return sum(w.lost for w in self.written)

    @property
    def doubled(self) -> int:
        return sum(w.attendance_duplicates for w in self.written)

    @property
    def unreadable(self) -> list[tuple[StoredFile, str]]:
        return [(f, s) for f in self.files for s in self.servers if not f.readable_from(s)]

    def problems(self) -> list[str]:
        """Why the rehearsal failed; empty when it passed."""
        problems = []
        if self.lost:
            problems.append(f"{self.lost} acknowledged writes lost")
        if self.doubled:
            problems.append(f"{self.doubled} writes doubled")
        if self.unreadable:
            problems.append(f"{len(self.unreadable)} reads of a stored file failed")
        if self.failed_away_from_stop:
            problems.append(f"{len(self.failed_away_from_stop)} client errors away from the stop")
        if not any(f.kind == "photo" for f in self.files):
            problems.append("no photo was stored")
        if any(self.on_disk.values()):
            problems.append("files were left on an app server's own disk")
        return problems


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"


def _count(n: int) -> str:
    return f"{n:,}"


def report(r: Rehearsal) -> str:
    """The report, as printed and as quoted in docs/scaling.md."""
    answers = r.answers
    latencies = sorted(a.seconds for a in answers if not a.failed)

    def percentile(share: float) -> float:
        return latencies[max(0, math.ceil(share * len(latencies)) - 1)] if latencies else 0.0

    by_server = Counter(a.server or "?" for a in answers if not a.failed)
    t = r.timeline
    lines = [*r.setup]
    lines += [
        f"Load: {len(answers):,} requests in {r.seconds:.0f} s through HAProxy "
        f"({len(answers) / r.seconds:.1f} req/s), p50 {percentile(0.5) * 1000:.0f} ms, "
        f"p95 {percentile(0.95) * 1000:.0f} ms; answered by "
        + ", ".join(f"{s} {by_server.get(s, 0):,}" for s in r.servers),
        f"Server {r.stopped_server}: SIGTERM at {_seconds(t.stopped)}, out of the rotation at "
        f"{_seconds(t.left)}, exited at {_seconds(t.exited)}; started again at "
        f"{_seconds(t.started)}, answering /sehat/ at {_seconds(t.ready)}, back in the rotation at "
        f"{_seconds(t.back)}",
    ]
    failed = r.failed
    away = r.failed_away_from_stop
    if not failed:
        lines.append("Errors seen by clients: 0")
    else:
        when = "all around the stop" if not away else f"{len(away)} away from the stop"
        lines.append(f"Errors seen by clients: {len(failed)} ({when})")
        for a in sorted(failed, key=lambda a: a.at)[:20]:
            lines.append(
                f"  sent at {a.at:5.1f} s, failed at {a.at + a.seconds:5.1f} s: "
                f"{a.kind}, {a.status}"
            )
    kinds = Counter(a.kind for a in answers)
    statuses = Counter((a.kind, a.status) for a in answers)
    lines.append(
        "Requests by kind: "
        + ", ".join(
            f"{kind} {n:,}"
            + (
                f" ({statuses[(kind, 302)]:,} acknowledged)"
                if kind in WRITE_KINDS and (kind, 302) in statuses
                else ""
            )
            for kind, n in kinds.most_common()
        )
    )
    lines.append("Writes: acknowledged / found on " + " / ".join(w.database for w in r.written))
    rows = [
        ("ranking saves", "saves_acknowledged", lambda w: w.version_raised_by),
        (
            "attendance entries",
            "entries_acknowledged",
            lambda w: w.entries_acknowledged - w.attendance_missing,
        ),
        (
            "new proposals",
            "proposals_acknowledged",
            lambda w: w.proposals_acknowledged - w.proposals_missing,
        ),
        ("their photos", "photos_acknowledged", lambda w: w.photos_acknowledged - w.photos_missing),
    ]
    first = r.written[0]
    for label, acknowledged, found in rows:
        lines.append(
            f"  {label:<20} {getattr(first, acknowledged):>6,} / "
            + " / ".join(_count(found(w)) for w in r.written)
        )
    lines.append(
        "  lost: "
        + ", ".join(f"{w.lost} on the {w.database}" for w in r.written)
        + f"; doubled: {r.doubled}"
        + f" (the replica had replayed the primary within {r.replay_seconds:.1f} s)"
    )
    if r.transactions:
        lines.append(
            "Transactions committed during the load: "
            + ", ".join(f"{n:,} on the {database}" for database, n in r.transactions.items())
        )
    lines.append("Stored files read straight from each server, SHA-256 compared:")
    kinds_seen = list(dict.fromkeys(f.kind for f in r.files))
    for kind in kinds_seen:
        files = [f for f in r.files if f.kind == kind]
        stored = Counter(f.stored_by for f in files)
        lines.append(
            f"  {kind:<16} {len(files):>4} stored ("
            + ", ".join(f"{stored.get(s, 0)} through {s}" for s in r.servers)
            + "): readable from "
            + ", ".join(
                f"{s} {sum(f.readable_from(s) for f in files)}/{len(files)}" for s in r.servers
            )
            + f"; {sum(f.size for f in files) / len(files) / 1024:,.0f} KB each on average"
        )
    lines += r.notes
    lines.append(
        "Files on the app servers' own disks: "
        + ", ".join(f"{n} on {s}" for s, n in r.on_disk.items())
    )
    problems = r.problems()
    if problems:
        lines.append("Verdict: FAILED: " + "; ".join(problems))
    else:
        lines.append(
            "Verdict: passed: 0 acknowledged writes lost, client errors only around the stop, "
            "every stored file readable from both servers"
        )
    return "\n".join(lines)
