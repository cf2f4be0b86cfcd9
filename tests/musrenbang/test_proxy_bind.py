"""Behind a proxy the settings refuse a gunicorn that others than the proxy could reach: a client
talking to it directly would choose the X-Forwarded-For entry that the lockout trusts."""

import pytest

from musrenbang.settings import is_loopback
from tests.musrenbang.test_settings import PRODUCTION, manage

BEHIND = {**PRODUCTION, "BEHIND_PROXY": "1", "PORT": "", "GUNICORN_CMD_ARGS": ""}


@pytest.mark.parametrize(
    "env",
    [
        {"GUNICORN_CMD_ARGS": "--bind=0.0.0.0:8000 --workers=2"},
        {"GUNICORN_CMD_ARGS": "--workers 2 -b 127.0.0.1:8000 -b [::]:8000"},
        {"GUNICORN_CMD_ARGS": "--bind 10.0.0.5:8000"},
        {"PORT": "8000"},  # no bind: gunicorn then listens on 0.0.0.0:$PORT
    ],
    ids=["all-interfaces", "one-of-two", "lan-address", "port-only"],
)
def test_behind_a_proxy_an_exposed_bind_is_refused(env):
    result = manage("check", **{**BEHIND, **env})
    assert result.returncode != 0
    assert "BEHIND_PROXY=1 needs gunicorn reachable by the proxy only" in result.stderr


@pytest.mark.parametrize(
    "bind", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "unix:/run/musrenbang.sock"]
)
def test_behind_a_proxy_a_loopback_bind_or_a_socket_is_accepted(bind):
    result = manage("check", **{**BEHIND, "GUNICORN_CMD_ARGS": f"--bind={bind} --workers=2"})
    assert result.returncode == 0, result.stderr


def test_behind_load_balancers_on_other_machines_the_network_bind_is_accepted():
    env = {**BEHIND, "GUNICORN_CMD_ARGS": "--bind=0.0.0.0:8000", "PROXY_ADDRESSES": "10.0.1.0/24"}
    result = manage("check", **env)
    assert result.returncode == 0, result.stderr


def test_proxy_addresses_must_be_addresses():
    result = manage("check", **{**BEHIND, "PROXY_ADDRESSES": "10.0.0.5,lb.example.go.id"})
    assert result.returncode != 0
    assert "PROXY_ADDRESSES must list addresses or networks" in result.stderr


def test_without_a_proxy_the_bind_is_not_checked():
    result = manage("check", **PRODUCTION, GUNICORN_CMD_ARGS="--bind=0.0.0.0:8000")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("bind", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.1:80", True),
        ("::1", True),
        ("fd://3", True),
        ("0.0.0.0:8000", False),
        (":8000", False),
        ("musrenbang.example.go.id:8000", False),
    ],
)
def test_what_counts_as_loopback(bind, loopback):
    assert is_loopback(bind) is loopback
