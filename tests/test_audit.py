"""The audit trail: every write leaves who, when, from where and before → after; none is
ever changed or deleted."""

import ipaddress

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin
from django.db import DatabaseError, transaction
from django.test import RequestFactory
from django.urls import reverse

from proposals.models import Proposal, Status
from proposals.services import proposal_accept, proposal_return
from sessions.models import Candidate, Decision
from tests.conftest import official
from tests.proposal_fixtures import recommended
from tests.session_fixtures import held, schedule
from tests.sessions.test_forwarding import rank_and_close

IP = "203.0.113.7"


def entries(obj):
    return LogEntry.objects.get_for_object(obj).order_by("pk")


def test_ranking_through_the_raw_update_is_logged(client, lurah_kenari, kelompok_kenari):
    candidate = kelompok_kenari.candidates.order_by("proposal__code").first()
    client.force_login(lurah_kenari)
    data = {"version": "0", "action": "save"}
    for c in kelompok_kenari.candidates.all():
        data[f"rank-{c.pk}"] = ""
        data[f"decision-{c.pk}"] = ""
        data[f"reason-{c.pk}"] = ""
    data[f"rank-{candidate.pk}"] = "1"
    data[f"decision-{candidate.pk}"] = Decision.CADANGAN
    url = reverse("sessions:ranking", args=[kelompok_kenari.pk])
    assert client.post(url, data, REMOTE_ADDR=IP).status_code == 302

    entry = entries(candidate).filter(action=LogEntry.Action.UPDATE).get()
    assert (entry.actor, entry.remote_addr) == (lurah_kenari, IP)
    assert entry.changes["rank"] == ["None", "1"]
    assert entry.changes["decision"] == ["", "cadangan"]


def test_closing_logs_the_settled_candidates_and_the_forwarded_proposals(
    cycle, senen, kenari, rw_kenari, betonisasi, superuser
):
    recommended(cycle, rw_kenari, betonisasi, superuser, 3)
    held(cycle, "pleno_pembuka", senen)
    sidang = schedule(cycle, "kelompok", kenari, quota=1)
    with set_actor(superuser, remote_addr=IP):
        rank_and_close(sidang, superuser, utama=1)

    for proposal in Proposal.objects.filter(cycle=cycle):
        entry = entries(proposal).filter(action=LogEntry.Action.UPDATE).last()
        assert (entry.actor, entry.remote_addr) == (superuser, IP)
        assert entry.changes["status"][0] == Status.ACCEPTED
    created = LogEntry.objects.get_for_objects(Candidate.objects.filter(sidang=sidang))
    assert created.filter(action=LogEntry.Action.CREATE).count() == 3


def test_proposal_return_and_accept_are_logged(proposal_kenari, lurah_kenari):
    with set_actor(lurah_kenari, remote_addr=IP):
        proposal_return(proposal=proposal_kenari, by=lurah_kenari, note="Lengkapi foto")
    entry = entries(proposal_kenari).last()
    assert (entry.actor, entry.remote_addr) == (lurah_kenari, IP)
    assert entry.changes["status"] == [Status.SUBMITTED, Status.RETURNED]
    proposal_kenari.status = Status.SUBMITTED
    proposal_kenari.save()
    with set_actor(lurah_kenari, remote_addr=IP):
        proposal_accept(proposal=proposal_kenari, by=lurah_kenari)
    assert entries(proposal_kenari).last().changes["status"] == [
        Status.SUBMITTED,
        Status.ACCEPTED,
    ]


def test_an_admin_edit_is_logged_with_its_address(client, superuser, kenari):
    official_ = official("pak_ahmad")
    client.force_login(superuser)
    url = reverse("admin:areas_user_change", args=[official_.pk])
    response = client.get(url)
    data = {k: v for k, v in response.context["adminform"].form.initial.items() if v is not None}
    data.update(
        username="pak_ahmad",
        first_name="Ahmad",
        last_name="",
        email="",
        **{
            "date_joined_0": "2024-01-01",
            "date_joined_1": "08:00:00",
        },
    )
    for prefix in ("assignments",):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    client.post(url, data, REMOTE_ADDR=IP)
    entry = entries(official_).last()
    assert entry is not None and (entry.actor, entry.remote_addr) == (superuser, IP)
    assert "password" not in entry.changes and "last_login" not in entry.changes


def test_sign_in_and_a_failed_sign_in_are_recorded(client, lurah_kenari):
    lurah_kenari.set_password("rahasia-Kenari-1")
    lurah_kenari.save()
    url = reverse("login")
    client.post(url, {"username": lurah_kenari.username, "password": "salah"}, REMOTE_ADDR=IP)
    client.post(
        url, {"username": lurah_kenari.username, "password": "rahasia-Kenari-1"}, REMOTE_ADDR=IP
    )
    assert AccessFailureLog.objects.filter(username=lurah_kenari.username, ip_address=IP).exists()
    assert AccessLog.objects.filter(username=lurah_kenari.username, ip_address=IP).exists()
    client.post(reverse("logout"))  # stamps logout_time: the one update the trigger allows
    assert AccessLog.objects.get(username=lurah_kenari.username).logout_time is not None


def test_the_sidang_page_shows_its_trail(client, lurah_kenari, kelompok_kenari):
    with set_actor(lurah_kenari, remote_addr=IP):
        kelompok_kenari.venue = "Aula Baru"
        kelompok_kenari.save()
    client.force_login(lurah_kenari)
    page = client.get(kelompok_kenari.get_absolute_url()).content.decode()
    assert "Riwayat perubahan" in page
    assert "Aula Baru" in page and IP in page


@pytest.mark.parametrize("write", ["update", "delete"])
def test_the_database_refuses_to_change_an_entry(proposal_kenari, write):
    entry = entries(proposal_kenari).first()
    from django.db import connection

    if write == "delete" and connection.vendor == "sqlite":
        pytest.skip("SQLite guards updates only: Django empties its tables with DELETE")
    with pytest.raises(DatabaseError, match="catatan audit"), transaction.atomic():
        qs = LogEntry.objects.filter(pk=entry.pk)
        qs.update(object_repr="x") if write == "update" else qs.delete()


def test_the_admin_offers_no_change_or_delete_of_the_trail(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    for model in (LogEntry, AccessLog, AccessFailureLog):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def _accept_from(client, lurah_kenari, proposal_kenari, **headers) -> str:
    client.force_login(lurah_kenari)
    client.post(reverse("proposals:accept", args=[proposal_kenari.pk]), **headers)
    entry = LogEntry.objects.get_for_object(proposal_kenari).latest("timestamp")
    return entry.remote_addr


def test_a_forged_forwarded_header_does_not_sign_the_trail(client, lurah_kenari, proposal_kenari):
    forged = _accept_from(
        client, lurah_kenari, proposal_kenari, HTTP_X_FORWARDED_FOR="203.0.113.66"
    )
    assert forged == "127.0.0.1"


def test_behind_the_proxy_its_last_hop_is_the_address(
    client, lurah_kenari, proposal_kenari, settings
):
    settings.BEHIND_PROXY = True
    address = _accept_from(
        client,
        lurah_kenari,
        proposal_kenari,
        HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7",  # forged, then the proxy's
    )
    assert address == "198.51.100.7"


@pytest.mark.parametrize(
    ("connection", "recorded"),
    [("127.0.0.1", "127.0.0.1"), ("10.0.1.7", "198.51.100.7")],
    ids=["direct", "through-the-balancer"],
)
def test_behind_named_load_balancers_only_their_connections_forward_an_address(
    client, lurah_kenari, proposal_kenari, settings, connection, recorded
):
    """With the load balancers on other machines, a client reaching an app server directly
    cannot choose its address by writing the header; the balancer's own forwarding counts."""
    settings.BEHIND_PROXY = True
    settings.PROXY_ADDRESSES = [ipaddress.ip_network("10.0.1.0/24")]
    address = _accept_from(
        client,
        lurah_kenari,
        proposal_kenari,
        REMOTE_ADDR=connection,
        HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7",
    )
    assert address == recorded
