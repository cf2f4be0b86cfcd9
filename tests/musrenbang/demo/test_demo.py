"""The Jakarta Pusat demo: areas, users for every role, the 2024 proposals and sessions.

The demo is loaded once for this folder (see conftest.py); each test runs in a savepoint.
"""

import csv
import datetime
import io
from collections import Counter

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from areas.models import Area, Assignment, Role, TechnicalUnit, User, validate_nip
from musrenbang.demo import demo_counts
from musrenbang.demo.officials import slug
from proposals.models import Category, Event, Proposal, Recommendation, Status
from sessions.models import Candidate, Decision, Kind, Sidang, State
from sessions.services import SessionError, quorum_for, sidang_start, utama_refusal


def jakarta_pusat_counts():
    return demo_counts(Area.objects.get(code="31.71"))


def test_demo_loads_jakarta_pusat_and_is_idempotent(loaded_demo, db, settings, capsys):
    settings.DEBUG = True
    first = jakarta_pusat_counts()
    call_command("demo")
    assert jakarta_pusat_counts() == first
    assert first["kecamatan"] == 8
    assert first["kelurahan"] == 44
    assert first["rw"] == 386
    assert first["kelurahan_dki"] == 267
    assert Area.objects.rw().filter(code__startswith="31.71.03.").count() == 77
    assert "Kata sandi semua pengguna demo: musrenbang2024" in capsys.readouterr().out


def test_demo_gives_every_role_a_user(loaded_demo, db):
    assert User.objects.get(username="admin").is_superuser
    expected = {
        "suban": (Role.PLANNING, "31.71"),
        "dewan": (Role.OBSERVER, "31.71"),
        "camat.senen": (Role.CAMAT, "31.71.04"),
        "lurah.kenari": (Role.LURAH, "31.71.04.1002"),
        "lurah.cempakaputihtimur": (Role.LURAH, "31.71.05.1001"),
        "rw.kenari.001": (Role.RW, "31.71.04.1002.001"),
    }
    for username, (role, code) in expected.items():
        assignment = Assignment.objects.get(user__username=username)
        assert (assignment.role, assignment.area.code) == (role, code)
    binamarga = Assignment.objects.get(user__username="ukpd.binamarga")
    assert binamarga.unit.code == "binamarga"
    assert User.objects.filter(username__startswith="camat.").count() == 8
    assert User.objects.filter(username__startswith="lurah.").count() == 44
    assert User.objects.filter(username__startswith="rw.").count() == 386
    assert User.objects.filter(username__startswith="ukpd.").count() == (
        TechnicalUnit.objects.count()
    )
    assert User.objects.get(username="lurah.kenari").check_password("musrenbang2024")


def test_demo_names_every_official_as_a_signature_block_prints_them(loaded_demo, db):
    officials = User.objects.exclude(username="admin").prefetch_related("assignments")
    names = [(u.full_name, u.assignments.all()[0].area_id) for u in officials]
    assert all(name for name, _area in names) and all(u.position for u in officials)
    for user in officials:
        role = user.assignments.all()[0].role
        if role in (Role.RW, Role.OBSERVER, Role.DPRD):  # elected residents and members
            assert user.nip == ""
        else:
            validate_nip(user.nip)
            assert "," in user.full_name  # a degree after the name
    assert User.objects.get(username="lurah.kenari").position == "Lurah Kenari"
    assert User.objects.get(username="camat.senen").position == "Camat Senen"
    assert User.objects.get(username="rw.kenari.001").position == "Ketua RW 001 Kelurahan Kenari"
    assert User.objects.get(username="suban").position == (
        "Kepala Suku Badan Perencanaan Pembangunan Kota Administrasi Jakarta Pusat"
    )
    # No two officials of the kota bear one name; every sidang's two signatories differ.
    assert len({name for name, _area in names}) == len(names)
    for sidang in Sidang.objects.filter(cycle__year=2024):
        assert sidang.chair and sidang.minute_taker and sidang.chair != sidang.minute_taker
        validate_nip(sidang.minute_taker_nip)
        assert sidang.minute_taker_position.startswith("Kepala Seksi Ekonomi dan Pembangunan")


def test_demo_gives_every_office_an_address_for_its_kop(loaded_demo, db):
    kota = Area.objects.get(code="31.71")
    assert kota.office_address == "Jl. Tanah Abang I No. 1, Jakarta Pusat 10160"
    offices = Area.objects.filter(level__in=["kecamatan", "kelurahan"]).within(kota)
    assert offices.count() == 52
    assert not offices.filter(office_address="").exists()
    kenari = Area.objects.get(code="31.71.04.1002")
    assert kenari.office_address.startswith("Jl. Kenari Raya No. ")


def test_demo_refuses_production_without_force(db, settings):
    settings.DEBUG = False
    users = User.objects.count()
    with pytest.raises(CommandError, match="DEBUG mati"):
        call_command("demo")
    assert User.objects.count() == users


def test_demo_runs_in_production_when_forced(loaded_demo, db, settings, capsys):
    settings.DEBUG = False
    call_command("demo", "--force")
    assert "Kata sandi semua pengguna demo" in capsys.readouterr().out
    assert User.objects.filter(username="lurah.kenari").exists()


HELD_IN_FULL = {"31.71.01": "Gambir", "31.71.06": "Menteng"}
KENARI = "31.71.04.1002"
KRAMAT = "31.71.04.1004"
# What the planning office made of the kecamatan priorities (musrenbang.demo.aftermath).
DECIDED = (
    Status.RENJA,
    Status.CURRENT_BUDGET,
    Status.NOT_ACCOMMODATED,
)  # its sidang kelompok is left in progress for lurah.kramat
SENEN = "31.71.04"


def test_demo_holds_the_sessions_up_to_mid_cycle_and_only_once(loaded_demo, db, settings):
    settings.DEBUG = True
    kota = Area.objects.get(code="31.71")
    sessions = Sidang.objects.filter(cycle__kota=kota, cycle__year=2024)
    jakarta = timezone.get_default_timezone()

    pembuka = sessions.filter(kind=Kind.PLENO_PEMBUKA)
    assert pembuka.count() == 8
    opening = datetime.datetime(2024, 2, 26, 9, 0, tzinfo=jakarta)
    for sidang in pembuka.select_related("area"):
        assert sidang.starts_at == opening
        assert (sidang.state, sidang.mode) == (State.CLOSED, "hybrid")
        assert sidang.meeting_link.startswith("https://")
        assert sidang.venue == f"Aula Kecamatan {sidang.area.name}"
        camat = User.objects.get(username=f"camat.{slug(sidang.area.name)}")
        assert (sidang.chair, sidang.chair_nip, sidang.chair_position) == (
            camat.full_name,
            camat.nip,
            f"Camat {sidang.area.name}",
        )
        # A little beyond the quorum of a plenary (15 by default), which closing requires.
        assert 15 <= sidang.participants.count() <= 20

    kelompok = sessions.filter(kind=Kind.KELOMPOK)
    assert kelompok.count() == 44
    for sidang in kelompok.select_related("area__parent"):
        assert sidang.venue == f"Aula Kelurahan {sidang.area.name}"
        lurah = User.objects.get(username=f"lurah.{slug(sidang.area.name)}")
        assert (sidang.chair, sidang.chair_nip, sidang.chair_position) == (
            lurah.full_name,
            lurah.nip,
            f"Lurah {sidang.area.name}",
        )
        day = sidang.starts_at.astimezone(jakarta).date()
        assert datetime.date(2024, 2, 27) <= day <= datetime.date(2024, 3, 5)
        if sidang.state != State.CLOSED:
            continue
        decisions = Counter(sidang.candidates.values_list("decision", flat=True))
        assert decisions[Decision.UTAMA] == 5 or (
            decisions[Decision.UTAMA] < 5 and sidang.shortfall_reason
        )
        assert 2 <= sidang.participants.filter(is_delegate=True).count() <= 3
        utama = Proposal.objects.filter(
            candidacies__sidang=sidang, candidacies__decision=Decision.UTAMA
        )
        # A kelurahan priority waits for its musrenbang kecamatan, or has been decided there
        # (and its kecamatan priorities by the planning office since).
        if sidang.area.parent.code in HELD_IN_FULL:
            assert set(utama.values_list("status", flat=True)) <= {
                *DECIDED,
                Status.KECAMATAN_RESERVE,
                Status.NOT_PRIORITISED,
            }
        else:
            assert set(utama.values_list("status", flat=True)) == {Status.KELURAHAN_PRIORITY}
        ranked = Event.objects.filter(proposal__in=utama, action=Event.Action.RANKED_KELURAHAN)
        assert ranked.count() == decisions[Decision.UTAMA]
        assert {at.astimezone(jakarta).date() for at in ranked.values_list("at", flat=True)} == {
            day
        }

    for code in HELD_IN_FULL:
        assert not kelompok.filter(area__parent__code=code).exclude(state=State.CLOSED).exists()
        musrenbang = sessions.get(kind=Kind.KECAMATAN, area__code=code)
        assert musrenbang.state == State.CLOSED
        utama = musrenbang.candidates.filter(decision=Decision.UTAMA)
        assert utama.count() == 3
        assert set(utama.values_list("proposal__status", flat=True)) <= set(DECIDED)
        # Its table held exactly the priorities of its kelurahan.
        assert musrenbang.candidates.count() == 5 * kelompok.filter(area__parent__code=code).count()
        assert musrenbang.participants.filter(is_delegate=True).exists()
        penutupan = sessions.get(kind=Kind.PLENO_PENUTUPAN, area__code=code)
        assert penutupan.state == State.CLOSED
        assert penutupan.participants.exists()

    kramat = kelompok.get(area__code=KRAMAT)
    assert kramat.state == State.IN_PROGRESS
    assert kramat.ranking_version == 0
    accepted = Proposal.objects.filter(kelurahan__code=KRAMAT, status=Status.ACCEPTED)
    assert kramat.candidates.count() == accepted.count() > 0
    assert not kramat.candidates.exclude(decision="").exists()
    assert 1 <= kramat.participants.count() <= 6
    # Kenari's is held, and leaves RW 001 Kenari a priority and proposals to carry over.
    assert kelompok.get(area__code=KENARI).state == State.CLOSED
    rw_001 = Counter(
        Proposal.objects.filter(cycle__year=2024, rw__code=f"{KENARI}.001").values_list(
            "status", flat=True
        )
    )
    assert rw_001[Status.KELURAHAN_PRIORITY] >= 1
    assert rw_001[Status.KELURAHAN_RESERVE] + rw_001[Status.NOT_PRIORITISED] >= 1
    assert sessions.get(kind=Kind.KECAMATAN, area__code=SENEN).state == State.SCHEDULED
    assert kelompok.filter(area__parent__code=SENEN, state=State.CLOSED).exists()

    elsewhere = kelompok.exclude(area__parent__code__in=HELD_IN_FULL).exclude(area__code=KRAMAT)
    states = Counter(elsewhere.values_list("state", flat=True))
    assert set(states) == {State.CLOSED, State.SCHEDULED}
    assert abs(states[State.CLOSED] - states[State.SCHEDULED]) <= 6
    others = sessions.filter(kind__in=[Kind.KECAMATAN, Kind.PLENO_PENUTUPAN])
    assert set(others.exclude(area__code__in=HELD_IN_FULL).values_list("state", flat=True)) == {
        State.SCHEDULED
    }

    first, events = demo_counts(kota), Event.objects.count()
    assert (first["sessions"], first["proposals"]) == (68, 1451)
    call_command("demo")
    assert demo_counts(kota) == first
    assert Event.objects.count() == events


def test_demo_makes_no_physical_proposal_utama_without_a_recommending_survey(loaded_demo, db):
    utama = Candidate.objects.filter(
        sidang__state=State.CLOSED, decision=Decision.UTAMA
    ).select_related("sidang__cycle", "proposal__survey")
    assert utama.filter(proposal__category=Category.FISIK).count() > 50
    for candidate in utama:
        proposal, sidang = candidate.proposal, candidate.sidang
        assert utama_refusal(proposal, sidang.cycle) == ""
        if proposal.category == Category.FISIK:
            # Recommended by a survey the UKPD had recorded when the session opened.
            assert proposal.survey.recommendation == Recommendation.RECOMMENDED
            assert proposal.survey.recorded_at < sidang.starts_at
    # Cikini's JP24-01377 was never surveyed: the sidang kelompok could keep it only in reserve.
    unsurveyed = Proposal.objects.get(code="JP24-01377")
    assert (unsurveyed.kelurahan.name, unsurveyed.category) == ("Cikini", Category.FISIK)
    assert not hasattr(unsurveyed, "survey")
    assert unsurveyed.candidacies.get().decision == Decision.CADANGAN


def started_at(sidang: Sidang) -> datetime.datetime:
    """When the sidang was started, as its audit trail has it."""
    (at,) = [
        entry.timestamp
        for entry in LogEntry.objects.get_for_object(sidang)
        if (entry.changes or {}).get("state") == [State.SCHEDULED, State.IN_PROGRESS]
    ]
    return at


@pytest.mark.parametrize("code", HELD_IN_FULL)
def test_demo_holds_each_stage_after_the_one_before_it_closed(loaded_demo, db, code):
    sessions = Sidang.objects.filter(cycle__year=2024, area__code__startswith=code)
    assert set(sessions.values_list("state", flat=True)) == {State.CLOSED}
    # Nothing started early, so nothing needed an exception, and no priority came late.
    assert not sessions.exclude(stages_missing="", stage_exception="", closed_late=False).exists()
    pembuka = sessions.get(kind=Kind.PLENO_PEMBUKA)
    kelompok = list(sessions.filter(kind=Kind.KELOMPOK))
    kecamatan = sessions.get(kind=Kind.KECAMATAN)
    penutupan = sessions.get(kind=Kind.PLENO_PENUTUPAN)
    assert len(kelompok) == Area.objects.kelurahan().filter(parent__code=code).count()
    for sidang in kelompok:
        assert pembuka.closed_at < started_at(sidang) < sidang.closed_at
        assert pembuka.starts_at < sidang.starts_at < kecamatan.starts_at
    assert max(s.closed_at for s in kelompok) < started_at(kecamatan) < kecamatan.closed_at
    assert kecamatan.closed_at < started_at(penutupan)
    assert kecamatan.starts_at < penutupan.starts_at


def test_demo_leaves_senen_midway_its_musrenbang_kecamatan_waiting(loaded_demo, db):
    sessions = Sidang.objects.filter(cycle__year=2024, area__code__startswith=SENEN)
    assert sessions.get(kind=Kind.PLENO_PEMBUKA).state == State.CLOSED
    kelompok = Counter(sessions.filter(kind=Kind.KELOMPOK).values_list("state", flat=True))
    assert kelompok[State.CLOSED] >= 1 and kelompok[State.SCHEDULED] >= 1
    assert kelompok[State.IN_PROGRESS] == 1  # Kramat's, for lurah.kramat
    musrenbang = sessions.get(kind=Kind.KECAMATAN)
    camat = User.objects.get(username="camat.senen")
    with transaction.atomic():
        with pytest.raises(SessionError, match="Tahap sebelumnya belum selesai"):
            sidang_start(sidang=musrenbang, by=camat)
        # Only with the camat's reason, kept beside what was still open.
        started = sidang_start(
            sidang=musrenbang, by=camat, stage_exception="Jadwal narasumber tidak dapat diubah."
        )
        assert started.state == State.IN_PROGRESS
        assert "Sidang Kelompok Kelurahan Kramat: berlangsung" in started.stages_missing
        transaction.set_rollback(True)
    musrenbang.refresh_from_db()
    assert (musrenbang.state, musrenbang.stages_missing) == (State.SCHEDULED, "")


def test_demo_closes_sessions_with_their_quorum_and_a_reason_for_every_refusal(loaded_demo, db):
    closed = Sidang.objects.filter(cycle__year=2024, state=State.CLOSED).select_related("cycle")
    assert closed.count() == 41
    for sidang in closed:
        present = sidang.participants.filter(present=True).count()
        assert present >= quorum_for(sidang.kind, sidang.cycle)
    candidates = Candidate.objects.filter(sidang__in=closed)
    assert not candidates.filter(decision="").exists()
    refused = candidates.filter(decision=Decision.TIDAK)
    assert not refused.filter(reason="").exists()
    assert not refused.filter(reason__startswith="Tidak terpilih").exists()
    reasons = Counter(refused.values_list("reason", flat=True))
    assert any(r.startswith("Kalah skor dari usulan lain") for r in reasons)
    assert any(r.startswith("Belum ada hasil survei UKPD") for r in reasons)
    assert any(r.startswith("Tidak direkomendasikan survei UKPD") for r in reasons)


def test_demo_keeps_its_sessions_inside_the_cycle_calendar(loaded_demo, db):
    jakarta = timezone.get_default_timezone()
    for sidang in Sidang.objects.filter(cycle__year=2024).select_related("cycle"):
        cycle, day = sidang.cycle, sidang.starts_at.astimezone(jakarta).date()
        window = {
            Kind.PLENO_PEMBUKA: (cycle.pleno_pembuka_on, cycle.pleno_pembuka_on),
            Kind.KELOMPOK: (cycle.kelompok_opens, cycle.kelompok_closes),
            Kind.KECAMATAN: (cycle.kecamatan_opens, cycle.kecamatan_closes),
            Kind.PLENO_PENUTUPAN: (cycle.penutupan_on, cycle.penutupan_on),
        }[sidang.kind]
        assert window[0] <= day <= window[1]


def export(client, username, **params):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("proposals:list"), {"_export": "csv", **params})
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_the_demo_as_the_planning_office_and_the_lurah_see_it(loaded_demo, client, db):

    rows = export(client, "suban")
    carried = Proposal.objects.filter(cycle__year=2025).count()
    assert len(rows) == 1451 + carried
    rows = [r for r in rows if r["Kode"].startswith("JP24-")]  # the table lists every cycle
    assert len(rows) == 1451
    assert sum(r["Kecamatan"] == "Kemayoran" for r in rows) == 303
    assert sum(r["Kategori"] == "Fisik" for r in rows) == 1072

    kenari = export(client, "lurah.kenari")
    assert kenari
    assert {r["Kelurahan"] for r in kenari} == {"Kenari"}
    assert len(kenari) == Proposal.objects.filter(kelurahan__name="Kenari").count()

    client.force_login(User.objects.get(username="lurah.paseban"))
    one_of_kenari = Proposal.objects.filter(kelurahan__name="Kenari").first()
    assert client.get(one_of_kenari.get_absolute_url()).status_code == 404


def test_demo_places_most_proposals_near_their_kelurahan(loaded_demo, db):
    """The demo's maps are not empty: most proposals have a point, inside DKI Jakarta and
    within half a kilometre of their kelurahan's centre."""
    from decimal import Decimal

    from musrenbang.demo.places import KELURAHAN_CENTRES, SPREAD
    from proposals.plausible import proposal_problems

    cycle_2024 = Proposal.objects.filter(cycle__year=2024, cycle__kota__code="31.71")
    placed = cycle_2024.filter(latitude__isnull=False).select_related("kelurahan")
    assert 0.75 < placed.count() / cycle_2024.count() < 0.95
    for proposal in placed.iterator():
        latitude, longitude = (Decimal(v) for v in KELURAHAN_CENTRES[proposal.kelurahan.name])
        assert abs(proposal.latitude - latitude) <= Decimal(str(SPREAD))
        assert abs(proposal.longitude - longitude) <= Decimal(str(SPREAD))
        assert not proposal_problems(latitude=proposal.latitude, longitude=proposal.longitude)
    assert set(KELURAHAN_CENTRES) == set(
        Area.objects.filter(level="kelurahan", code__startswith="31.71.").values_list(
            "name", flat=True
        )
    )
