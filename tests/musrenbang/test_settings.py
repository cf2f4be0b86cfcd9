"""Production settings come from the environment and pass Django's deployment checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "uji-" + "x" * 60,
    "ALLOWED_HOSTS": "musrenbang.jakarta.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://musrenbang.jakarta.go.id",
}


def manage(*args, **env):
    # The browser tests' async switch is no part of a deployment.
    drop = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "musrenbang.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_settings_follow_the_environment(settings):
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


SHOW = """
import json
from django.conf import settings
from django.core.files.storage import default_storage
print(json.dumps({
    "databases": {alias: {key: db.get(key) for key in ("HOST", "NAME", "CONN_MAX_AGE", "TEST")}
                  for alias, db in settings.DATABASES.items()},
    "routers": settings.DATABASE_ROUTERS,
    "middleware": settings.MIDDLEWARE,
    "pin": settings.REPLICA_PIN_SECONDS,
    "storage": settings.STORAGES["default"],
    "storage_class": default_storage.__class__.__name__,
    "cache": settings.CACHES["default"]["BACKEND"],
}, default=str))
"""


def settings_with(**env) -> dict:
    unset = {name: "" for name in ("DATABASE_REPLICA_URL", "S3_BUCKET", "REPLICA_PIN_SECONDS")}
    result = manage("shell", "-c", SHOW, **{**unset, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_replica_or_a_bucket_nothing_of_them_is_configured():
    found = settings_with()
    assert list(found["databases"]) == ["default"]
    assert found["routers"] == []
    assert "musrenbang.replica.ReplicaMiddleware" not in found["middleware"]
    assert found["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert found["storage_class"] == "FileSystemStorage"
    assert found["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert found["middleware"][0] == "musrenbang.health.HealthMiddleware"


def test_a_replica_url_adds_the_replica_its_router_and_its_middleware():
    found = settings_with(
        DATABASE_URL="postgres://app:k@primary.internal:5432/musrenbang",
        DATABASE_REPLICA_URL="postgres://app:k@replica.internal:5432/musrenbang",
        REPLICA_PIN_SECONDS="30",
        CONN_MAX_AGE="60",
    )
    replica = found["databases"]["replica"]
    assert (replica["HOST"], replica["NAME"], replica["CONN_MAX_AGE"]) == (
        "replica.internal",
        "musrenbang",
        60,
    )
    assert replica["TEST"]["MIRROR"] == "default"
    assert found["routers"] == ["musrenbang.replica.ReplicaRouter"]
    middleware = found["middleware"]
    assert middleware.index("musrenbang.replica.ReplicaMiddleware") < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    assert found["pin"] == 30


def test_a_bucket_puts_the_files_in_the_object_store():
    found = settings_with(
        S3_BUCKET="musrenbang-berkas",
        S3_ENDPOINT_URL="http://127.0.0.1:8081",
        S3_ACCESS_KEY="kunci",
        S3_SECRET_KEY="rahasia",
    )
    assert found["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert found["storage_class"] == "S3Storage"
    options = found["storage"]["OPTIONS"]
    assert options == {
        "bucket_name": "musrenbang-berkas",
        "endpoint_url": "http://127.0.0.1:8081",
        "access_key": "kunci",
        "secret_key": "rahasia",
        "region_name": "us-east-1",
        "addressing_style": "path",
        "signature_version": "s3v4",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
