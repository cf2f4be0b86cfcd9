"""Every stored file into one tar.gz and back, through the storage API: `make backup` and
`make restore` with S3_BUCKET, where the files are in an object store rather than MEDIA_ROOT.

The archive holds each file under its storage name, as `tar -C MEDIA_ROOT .` does, so either
kind of archive restores into either storage (restoring a folder's backup with S3_BUCKET set
moves its files into the bucket).
"""

import posixpath
import tarfile
import time
from collections.abc import Iterator

from django.core.files.base import File
from django.core.files.storage import Storage, default_storage


class ArchiveError(Exception):
    pass


def stored_names(storage: Storage = default_storage, folder: str = "") -> Iterator[str]:
    """Every file's name in the storage, folder by folder (one listing each)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a media folder not made yet: nothing stored
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for name in sorted(folders):
        yield from stored_names(storage, posixpath.join(folder, name))


def media_archive(path: str, storage: Storage = default_storage) -> int:
    """Write every stored file into the tar.gz `path`; returns how many."""
    count = 0
    with tarfile.open(path, "w:gz") as archive:
        for name in stored_names(storage):
            with storage.open(name, "rb") as stored:
                member = tarfile.TarInfo(name)
                member.size = storage.size(name)
                member.mtime = int(time.time())
                archive.addfile(member, stored)
            count += 1
    return count


def _member_name(member: tarfile.TarInfo) -> str:
    name = member.name.removeprefix("./")
    if name.startswith("/") or ".." in name.split("/"):
        raise ArchiveError(f"Not a stored file's name: {member.name}")
    return name


def media_restore(path: str, storage: Storage = default_storage) -> int:
    """Replace every stored file with those of the tar.gz `path`; returns how many. The
    archive is read through first (every header, the whole gzip stream checked): a broken one
    changes nothing."""
    with tarfile.open(path, "r:gz") as archive:
        members = [member for member in archive.getmembers() if member.isfile()]
        names = [_member_name(member) for member in members]
        for name in list(stored_names(storage)):
            storage.delete(name)
        for member, name in zip(members, names, strict=True):
            content = File(archive.extractfile(member), name=name)
            content.size = member.size
            saved = storage.save(name, content)
            if saved != name:
                raise ArchiveError(f"{name} was stored as {saved}")
    return len(members)
