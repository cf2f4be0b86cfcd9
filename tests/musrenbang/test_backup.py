"""Backup and restore (scripts/backup, scripts/restore) and the export of a whole cycle
(cycle_export, cycle_import): what was decided comes back whole, berita acara included."""

import datetime
import hashlib
import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from areas.models import User
from musrenbang.cycle_transfer import TransferError, cycle_import
from proposals.models import Decision, Event, Proposal, Status, Survey
from proposals.services import attachment_add
from sessions.models import Candidate, Minutes, Participant, Sidang, SignedScan
from sessions.services import scan_upload, sidang_close
from tests.proposals.files import PNG
from tests.session_fixtures import attend
from tests.sessions.test_ranking import placements, save

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
COMPARED = [Proposal, Survey, Decision, Event, Sidang, Candidate, Participant, Minutes, SignedScan]


@pytest.fixture(autouse=True)
def content_types_forgotten():
    """Flushing and importing inside a test's transaction recreate the content types, and the
    process-wide cache keeps their ids after the transaction rolls them back: forget them, so
    the next test's audit entries name content types that exist."""
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def media(settings, tmp_path):
    """A media folder of the test's own: restore replaces the whole folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def decided_cycle(media, cycle, kelompok_kenari, lurah_kenari, ukpd_binamarga, suban):
    """Kenari's sidang kelompok closed with its berita acara and the scan of its signed copy, a
    surveyed proposal with a photo, and a final decision."""
    attend(kelompok_kenari, 3)
    save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari))
    kelompok_kenari.refresh_from_db()
    sidang_close(sidang=kelompok_kenari, by=lurah_kenari)
    scan_upload(
        sidang=kelompok_kenari, upload=SimpleUploadedFile("pindaian.png", PNG), by=lurah_kenari
    )
    surveyed, decided = Proposal.objects.filter(cycle=cycle).order_by("number")[:2]
    photo = attachment_add(
        proposal=surveyed, upload=SimpleUploadedFile("jalan.png", PNG), by=ukpd_binamarga
    )
    Survey.objects.create(
        proposal=surveyed,
        surveyed_on=datetime.date(2024, 2, 20),
        officer=ukpd_binamarga,
        findings="Jalan berlubang sepanjang 40 m.",
        photo=photo,
        recommendation="recommended",
        revised_volume=Decimal("100.50"),
        revised_cost=45_225_000,
    )
    Decision.objects.create(proposal=decided, kind=Decision.Kind.RENJA, decided_by=suban)
    Proposal.objects.filter(pk=decided.pk).update(status=Status.RENJA)
    return cycle


def snapshot() -> dict[str, list]:
    return {
        model.__name__: serializers.serialize("python", model.objects.order_by("pk"))
        for model in COMPARED
    }


def stored_hashes() -> dict[str, str]:
    """The SHA-256 of every berita acara and scan, as recorded and as its stored bytes say."""
    hashes = {}
    for kept in [*Minutes.objects.all(), *SignedScan.objects.all()]:
        with default_storage.open(kept.file.name, "rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == kept.sha256
        hashes[kept.file.name] = kept.sha256
    return hashes


# -- Export of a cycle ----------------------------------------------------------------------


def test_an_exported_cycle_imports_whole_into_an_empty_database(decided_cycle, tmp_path):
    before, hashes = snapshot(), stored_hashes()
    assert len(hashes) == 2 and before["Survey"] and before["Decision"]
    photo = Survey.objects.get().photo
    photo_bytes = photo.file.read()
    export = tmp_path / "jp24.json"
    call_command("cycle_export", "JP24", str(export), verbosity=0)

    if connection.vendor == "postgresql":
        # TRUNCATE refuses to run while the test transaction has deferred checks pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", "--noinput", verbosity=0)
    default_storage.delete(photo.file.name)
    for kept in before["Minutes"] + before["SignedScan"]:
        default_storage.delete(kept["fields"]["file"])
    assert not Proposal.objects.exists()

    call_command("cycle_import", str(export), verbosity=0)

    assert snapshot() == before
    assert stored_hashes() == hashes
    with default_storage.open(photo.file.name, "rb") as stored:
        assert stored.read() == photo_bytes
    assert not any(user.has_usable_password() for user in User.objects.all())


def test_the_import_refuses_a_database_that_holds_the_cycle(decided_cycle, tmp_path):
    export = tmp_path / "jp24.json"
    call_command("cycle_export", "JP24", str(export), verbosity=0)
    with pytest.raises(TransferError, match="empty database"):
        cycle_import(data=json.loads(export.read_text()))


# -- Backup and restore (PostgreSQL) ----------------------------------------------------------


def run(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPTS / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def test_backup_refuses_sqlite(tmp_path):
    result = run(
        "backup", env={"DATABASE_URL": "sqlite:///db.sqlite3", "BACKUP_DIR": str(tmp_path)}
    )
    assert result.returncode == 1
    assert "need PostgreSQL" in result.stderr
    assert not list(tmp_path.iterdir())


def test_restore_needs_a_file():
    result = run("restore", env={"DATABASE_URL": "postgres://localhost/musrenbang"})
    assert result.returncode == 1
    assert "make restore FILE=" in result.stderr


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump and pg_restore back up PostgreSQL only"
)
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_data_and_the_media(decided_cycle, media, tmp_path):
    env = {"DATABASE_URL": database_url(), "MEDIA_ROOT": str(media), "BACKUP_DIR": str(tmp_path)}
    before, hashes = snapshot(), stored_hashes()
    backup = run("backup", env=env)
    assert backup.returncode == 0, backup.stderr
    (dump,) = tmp_path.glob("musrenbang-*.dump")
    assert Path(str(dump).removesuffix(".dump") + ".media.tar.gz").is_file()

    Proposal.objects.filter(cycle=decided_cycle).update(title="Diubah setelah cadangan")
    Decision.objects.all().delete()
    for minutes in Minutes.objects.all():
        default_storage.delete(minutes.file.name)

    restore = run("restore", str(dump), env=env)
    assert restore.returncode == 0, restore.stderr
    assert snapshot() == before
    assert stored_hashes() == hashes
