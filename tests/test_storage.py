"""Every stored file goes through Django's storage API, on both backends the app runs on: a
folder (MEDIA_ROOT) and an S3-compatible object store (S3_BUCKET), here a real one, OpenStack
Swift with its S3 API, started for this file by scripts/swift_store.py.

The object store's tests are marked s3. Without Swift's Debian packages they are skipped, with
the apt-get line that brings them; in CI (CI=true or REQUIRE_S3=1) they fail instead. They all
live in this one file, so that one test process starts one store (make test gives each file
to one worker).
"""

import hashlib
import io
import os
import subprocess
import tarfile
import uuid

import botocore
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from storages.backends.s3 import S3Storage

from areas.pdf import MEDIA_SCHEME, OfflineFetcher
from musrenbang.media_archive import ArchiveError, media_archive, media_restore, stored_names
from musrenbang.settings import object_storage
from scripts import swift_store
from sessions.models import Minutes, SignedScan, StoredFileAltered
from tests.musrenbang.test_backup import SCRIPTS, database_url
from tests.proposals.files import PNG
from tests.proposals.test_views import form_data
from tests.session_fixtures import closed, pleno_senen

__all__ = ["closed", "pleno_senen"]


def s3_required() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true"} or os.environ.get(
        "REQUIRE_S3", ""
    ) in {"1", "true"}


@pytest.fixture(scope="module")
def swift(tmp_path_factory):
    """One Swift store for this file's tests, in a folder and on ports of its own."""
    absent = swift_store.missing()
    if absent:
        message = f"{', '.join(absent)} not found: apt-get install -y {swift_store.PACKAGES}"
        if s3_required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    store = swift_store.SwiftStore(tmp_path_factory.mktemp("swift"))
    store.start()
    yield store
    store.stop()


def use_bucket(settings, store, bucket: str) -> None:
    """The default storage in `bucket` of the store, as S3_BUCKET and the rest configure it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": object_storage(
            bucket=bucket,
            endpoint_url=store.endpoint_url,
            access_key=swift_store.ACCESS_KEY,
            secret_key=swift_store.SECRET_KEY,
            region=swift_store.REGION,
        ),
    }


@pytest.fixture(params=["folder", pytest.param("s3", marks=pytest.mark.s3)])
def storage(request, settings, tmp_path):
    """The default storage on one backend: a fresh folder, or a fresh bucket of the store."""
    if request.param == "folder":
        settings.MEDIA_ROOT = tmp_path / "media"
    else:
        store = request.getfixturevalue("swift")
        bucket = f"uji-{uuid.uuid4().hex[:12]}"
        store.create_bucket(bucket)
        use_bucket(settings, store, bucket)
        assert isinstance(default_storage, S3Storage)
    return request.param


def test_a_file_makes_the_round_trip(storage):
    name = default_storage.save("uji/catatan.txt", ContentFile(b"isi berkas"))
    assert name == "uji/catatan.txt"
    assert default_storage.exists(name)
    assert default_storage.size(name) == len(b"isi berkas")
    with default_storage.open(name, "rb") as stored:
        assert stored.read() == b"isi berkas"
    # A name taken gets another: nothing stored is ever overwritten.
    again = default_storage.save("uji/catatan.txt", ContentFile(b"yang lain"))
    assert again != name
    assert set(default_storage.listdir("uji")[1]) == {"catatan.txt", again.rsplit("/", 1)[1]}
    default_storage.delete(name)
    assert not default_storage.exists(name)


@pytest.mark.s3
def test_the_object_store_keeps_the_files_private(swift, settings):
    swift.create_bucket("uji-pribadi")
    use_bucket(settings, swift, "uji-pribadi")
    name = default_storage.save("uji/rahasia.txt", ContentFile(b"rahasia"))
    anonymous = swift.client()
    anonymous.meta.events.register("choose-signer.s3.*", lambda **kwargs: botocore.UNSIGNED)
    with pytest.raises(anonymous.exceptions.ClientError):
        anonymous.get_object(Bucket="uji-pribadi", Key=name)
    assert swift.client().get_object(Bucket="uji-pribadi", Key=name)["Body"].read() == b"rahasia"


def test_the_berita_acara_is_stored_and_checked_on_read(storage, closed, client, camat_senen):
    minutes = Minutes.objects.get(sidang=closed)
    content = minutes.content()
    assert content.startswith(b"%PDF") and len(content) == minutes.size
    assert default_storage.size(minutes.file.name) == minutes.size
    client.force_login(camat_senen)
    download = client.get(reverse("sessions:minutes_pdf", args=[closed.pk]))
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == minutes.sha256
    # Changed in the storage behind the app's back: refused.
    default_storage.delete(minutes.file.name)
    default_storage.save(minutes.file.name, ContentFile(content + b"%% diubah\n"))
    with pytest.raises(StoredFileAltered):
        minutes.content()
    client.raise_request_exception = False
    assert client.get(reverse("sessions:verify_download", args=[minutes.code])).status_code == 500


def test_a_photo_uploaded_through_the_form_is_read_back_through_its_page(
    storage, client, rw_kenari_001, cycle, betonisasi
):
    client.force_login(rw_kenari_001)
    response = client.post(
        reverse("proposals:create"),
        {**form_data(betonisasi), "uploads": [SimpleUploadedFile("jalan.png", PNG)]},
    )
    assert response.status_code == 302
    photo = cycle.proposals.get().attachments.get()
    assert default_storage.exists(photo.file.name)
    image = client.get(photo.get_absolute_url())
    assert image["Content-Type"] == "image/jpeg"
    served = b"".join(image.streaming_content)
    assert served.startswith(b"\xff\xd8") and len(served) == photo.size


def test_a_scan_uploaded_through_its_page_is_read_back_through_the_verification(
    storage, closed, client, camat_senen
):
    client.force_login(camat_senen)
    upload = SimpleUploadedFile("pindaian.png", PNG)
    client.post(reverse("sessions:scan_upload", args=[closed.pk]), {"file": upload})
    scan = SignedScan.objects.get(minutes__sidang=closed)
    assert default_storage.exists(scan.file.name)
    client.logout()  # the verification is public
    response = client.get(reverse("sessions:verify_scan", args=[scan.minutes.code]))
    assert b"".join(response.streaming_content) == PNG
    assert hashlib.sha256(PNG).hexdigest() == scan.sha256


def test_the_letterhead_logo_is_read_from_the_storage(storage, kenari):
    kenari.logo.save("kenari.png", ContentFile(PNG))
    assert OfflineFetcher().fetch(MEDIA_SCHEME + kenari.logo.name).read() == PNG


def test_the_health_check_reads_the_storage(storage, client, db, settings):
    assert client.get("/sehat/").json()["storage"] == "ok"
    if storage == "s3":
        default = settings.STORAGES["default"]
        gone = {**default, "OPTIONS": {**default["OPTIONS"], "bucket_name": "tidak-ada"}}
        settings.STORAGES = {**settings.STORAGES, "default": gone}
        response = client.get("/sehat/")
        assert response.status_code == 503 and response.json()["storage"] == "error"


def test_every_stored_file_goes_into_the_archive_and_back(storage, tmp_path):
    """make backup and make restore with S3_BUCKET: the files through the storage API."""
    kept = {
        "usulan/1/a.jpg": b"foto satu",
        "usulan/2/b.png": b"foto dua",
        "berita-acara/2024/KODE1234.pdf": b"%PDF berita acara",
    }
    for name, content in kept.items():
        assert default_storage.save(name, ContentFile(content)) == name
    archive = tmp_path / "media.tar.gz"
    assert media_archive(str(archive)) == 3
    default_storage.delete("usulan/1/a.jpg")
    default_storage.save("usulan/3/baru.jpg", ContentFile(b"setelah cadangan"))

    assert media_restore(str(archive)) == 3
    assert sorted(stored_names()) == sorted(kept)
    for name, content in kept.items():
        with default_storage.open(name, "rb") as stored:
            assert stored.read() == content


def test_a_folder_s_archive_restores_into_either_storage(storage, tmp_path):
    """A deployment moving its files from MEDIA_ROOT into a bucket restores its last backup."""
    folder = tmp_path / "sumber"
    (folder / "usulan" / "7").mkdir(parents=True)
    (folder / "usulan" / "7" / "foto.jpg").write_bytes(b"dari folder")
    archive = tmp_path / "folder.media.tar.gz"
    subprocess.run(["tar", "-czf", str(archive), "-C", str(folder), "."], check=True)
    assert media_restore(str(archive)) == 1
    with default_storage.open("usulan/7/foto.jpg", "rb") as stored:
        assert stored.read() == b"dari folder"


def test_an_archive_with_a_name_outside_the_storage_changes_nothing(storage, tmp_path):
    default_storage.save("usulan/1/a.jpg", ContentFile(b"tetap"))
    archive = tmp_path / "jahat.tar.gz"
    with tarfile.open(archive, "w:gz") as out:
        member = tarfile.TarInfo("../../luar.txt")
        member.size = 4
        out.addfile(member, io.BytesIO(b"luar"))
    with pytest.raises(ArchiveError):
        media_restore(str(archive))
    assert list(stored_names()) == ["usulan/1/a.jpg"]


@pytest.mark.s3
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump and pg_restore back up PostgreSQL only"
)
@pytest.mark.django_db(transaction=True)
def test_make_backup_and_restore_keep_the_object_store_s_files(swift, settings, tmp_path):
    swift.create_bucket("uji-cadangan")
    use_bucket(settings, swift, "uji-cadangan")
    name = default_storage.save("berita-acara/2024/KODE0001.pdf", ContentFile(b"%PDF asli"))
    env = {
        **os.environ,
        **swift.environment("uji-cadangan"),
        "DATABASE_URL": database_url(),
        "BACKUP_DIR": str(tmp_path),
    }
    backup = subprocess.run([str(SCRIPTS / "backup")], env=env, capture_output=True, text=True)
    assert backup.returncode == 0, backup.stderr
    (dump,) = tmp_path.glob("musrenbang-*.dump")
    default_storage.delete(name)
    restore = subprocess.run(
        [str(SCRIPTS / "restore"), str(dump)], env=env, capture_output=True, text=True
    )
    assert restore.returncode == 0, restore.stderr
    assert "into the bucket uji-cadangan" in restore.stdout
    with default_storage.open(name, "rb") as stored:
        assert stored.read() == b"%PDF asli"
