"""The one-box rehearsal's verdict (bench/rehearsal.py), on figures made up for each case: the
rehearsal itself (`make cluster`) is not part of the suite."""

from bench.client import Answer
from bench.rehearsal import Rehearsal, StoredFile, Timeline, Written, report

SHA = "ab" * 32


def _written(database: str = "primary", **changes) -> Written:
    figures = {
        "database": database,
        "saves_acknowledged": 40,
        "version_raised_by": 40,
        "entries_acknowledged": 30,
        "attendance_missing": 0,
        "attendance_duplicates": 0,
        "proposals_acknowledged": 20,
        "proposals_missing": 0,
        "photos_acknowledged": 6,
        "photos_missing": 0,
    }
    return Written(**{**figures, **changes})


def _rehearsal(answers=(), written=None, files=None, on_disk=None) -> Rehearsal:
    return Rehearsal(
        servers=["a", "b"],
        stopped_server="a",
        seconds=60.0,
        answers=[
            Answer("table", "", 200, 1.0, 0.05, server="a"),
            Answer("ranking save", "", 302, 2.0, 0.04, server="b"),
            *answers,
        ],
        timeline=Timeline(stopped=20.0, left=20.1, exited=20.6, started=40.0, back=41.5),
        written=written or [_written(), _written("replica")],
        files=files
        if files is not None
        else [StoredFile("photo", "usulan/1.jpg", "b", SHA, {"a": SHA, "b": SHA})],
        on_disk=on_disk or {"a": 0, "b": 0},
        replay_seconds=0.1,
    )


def test_a_clean_rehearsal_passes():
    rehearsal = _rehearsal()
    assert rehearsal.problems() == []
    assert report(rehearsal).endswith(
        "Verdict: passed: 0 acknowledged writes lost, client errors only around the stop, "
        "every stored file readable from both servers"
    )


def test_errors_while_the_stopped_server_ends_its_requests_are_around_the_stop():
    broken = Answer("photo upload", "Usulan beban 0000007", 502, 19.9, 0.5)
    rehearsal = _rehearsal([broken])
    assert rehearsal.failed == [broken]
    assert rehearsal.failed_away_from_stop == []
    assert rehearsal.problems() == []
    assert "Errors seen by clients: 1 (all around the stop)" in report(rehearsal)


def test_an_error_long_after_the_stop_fails_the_rehearsal():
    late = Answer("table", "", "error", 45.0, 0.2)
    rehearsal = _rehearsal([late])
    assert rehearsal.failed_away_from_stop == [late]
    assert rehearsal.problems() == ["1 client errors away from the stop"]


def test_an_acknowledged_save_missing_on_the_replica_is_lost():
    rehearsal = _rehearsal(written=[_written(), _written("replica", version_raised_by=39)])
    assert rehearsal.lost == 1
    assert rehearsal.problems() == ["1 acknowledged writes lost"]


def test_a_save_applied_without_its_acknowledgement_is_not_lost():
    written = _written(version_raised_by=41)
    assert written.saves_lost == 0
    assert _rehearsal(written=[written, written]).problems() == []


def test_missing_proposals_photos_and_attendance_entries_count_as_lost():
    written = _written(proposals_missing=2, photos_missing=1, attendance_missing=1)
    assert written.lost == 4


def test_a_file_one_server_cannot_read_fails_the_rehearsal():
    unreadable = StoredFile("berita acara", "berita-acara/x.pdf", "a", SHA, {"a": SHA, "b": None})
    rehearsal = _rehearsal(
        files=[StoredFile("photo", "usulan/1.jpg", "b", SHA, {"a": SHA, "b": SHA}), unreadable]
    )
    assert rehearsal.unreadable == [(unreadable, "b")]
    assert rehearsal.problems() == ["1 reads of a stored file failed"]
    line = "berita acara        1 stored (1 through a, 0 through b): readable from a 1/1, b 0/1"
    assert line in report(rehearsal)


def test_a_file_read_with_other_bytes_is_not_readable():
    changed = StoredFile("photo", "usulan/1.jpg", "a", SHA, {"a": SHA, "b": "cd" * 32})
    assert not changed.readable_from("b")


def test_no_photo_stored_or_a_file_on_a_servers_disk_fails_the_rehearsal():
    assert _rehearsal(files=[]).problems() == ["no photo was stored"]
    assert _rehearsal(on_disk={"a": 3, "b": 0}).problems() == [
        "files were left on an app server's own disk"
    ]
