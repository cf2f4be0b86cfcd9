"""/sehat/ (musrenbang/health.py): what the load balancer asks each app server."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OK = {"status": "ok", "database": "ok", "migrations": "ok", "storage": "ok"}


def test_it_answers_ok_with_no_session_and_no_cookie(client, db):
    response = client.get("/sehat/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == OK
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"


def test_it_answers_any_host_name_the_probe_sends(client, db):
    assert client.get("/sehat/", HTTP_HOST="10.0.0.7:8000").json() == OK


def test_it_costs_one_query_once_the_migrations_are_known(client, db, django_assert_num_queries):
    client.get("/sehat/")
    with django_assert_num_queries(1):
        assert client.get("/sehat/").status_code == 200


def test_it_only_answers_get_and_head(client, db):
    assert client.head("/sehat/").status_code == 200
    assert client.post("/sehat/").status_code == 405


def test_a_storage_that_cannot_be_read_fails(client, db, settings, tmp_path):
    not_a_folder = tmp_path / "media"
    not_a_folder.write_text("")
    settings.MEDIA_ROOT = not_a_folder
    response = client.get("/sehat/")
    assert response.status_code == 503
    assert response.json() == {**OK, "status": "error", "storage": "error"}


def test_a_media_folder_not_made_yet_is_fine(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "nothing-stored-yet"
    assert client.get("/sehat/").json() == OK


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again once the probe is


def probe(tmp_path, **env) -> tuple[int, dict]:
    """/sehat/ as a fresh app server with this environment answers it."""
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/sehat/'); print(json.dumps([r.status_code, r.json()]))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "musrenbang.settings",
        "MEDIA_ROOT": str(tmp_path),
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    status, parts = json.loads(done.stdout.strip().splitlines()[-1])
    return status, parts


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("postgres://musrenbang:x@127.0.0.1:{port}/musrenbang", id="postgresql"),
        pytest.param("sqlite:///{folder}/absent/db.sqlite3", id="sqlite"),
    ],
)
def test_a_database_that_does_not_answer_fails(tmp_path, url):
    status, parts = probe(tmp_path, DATABASE_URL=url.format(port=closed_port(), folder=tmp_path))
    assert status == 503
    assert parts == {**OK, "status": "error", "database": "error", "migrations": "error"}


def test_a_database_without_its_migrations_fails(tmp_path):
    status, parts = probe(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/empty.sqlite3")
    assert status == 503
    assert parts == {**OK, "status": "error", "migrations": "error"}


def test_nothing_personal_is_said(client, db, lurah_kenari):
    client.force_login(lurah_kenari)
    body = client.get("/sehat/").content.decode()
    assert set(json.loads(body)) == set(OK) and "lurah" not in body
