"""The public tracker: search by area or code, each proposal's journey, no person named."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from areas.models import Area
from areas.services import rw_ensure
from proposals.models import Decision as FinalDecision
from proposals.models import Event, Recommendation, Status
from proposals.services import decision_record
from sessions.models import Candidate, Decision, Kind, Minutes, Sidang
from sessions.services import Placement, ranking_save, sidang_close
from tests.proposal_fixtures import make_proposal, recommend
from tests.session_fixtures import attend, schedule

TRACKER = reverse("tracker")
TODAY = datetime.date(2024, 1, 15)


def page_of(proposal) -> str:
    return reverse("tracker_proposal", args=[proposal.code])


def rank_and_close(sidang: Sidang, by, *, first, utama: int) -> Sidang:
    """Rank `first` on top, the not-recommended at the bottom, keep `utama`, and close."""
    attend(sidang, 3)
    candidates = sorted(
        sidang.candidates.select_related("proposal"),
        key=lambda c: (
            c.proposal_id != first.pk,
            c.proposal.recommendation == Recommendation.NOT_RECOMMENDED,
            c.proposal.code,
        ),
    )
    placements = [
        Placement(c.pk, rank, Decision.UTAMA)
        if rank <= utama
        else Placement(c.pk, rank, Decision.TIDAK, "Kalah prioritas dari usulan lain")
        for rank, c in enumerate(candidates, start=1)
    ]
    ranking_save(sidang=sidang, placements=placements, version=0, by=by)
    sidang.refresh_from_db()
    return sidang_close(sidang=sidang, by=by)


@pytest.fixture
def named(rw_kenari_001, ukpd_binamarga):
    """The people involved carry real-looking names, which must never reach a public page."""
    rw_kenari_001.first_name, rw_kenari_001.last_name = "Budi", "Santoso"
    rw_kenari_001.save()
    ukpd_binamarga.first_name, ukpd_binamarga.last_name = "Siti", "Aminah"
    ukpd_binamarga.save()
    return [rw_kenari_001, ukpd_binamarga]


@pytest.fixture
def journeyed(
    named, cycle, kenari, senen, accepted_kenari, lurah_kenari, camat_senen, ukpd_binamarga
):
    """A physical proposal of RW 001 Kenari, surveyed, first in its sidang kelompok and first
    in the musrenbang kecamatan of Senen, both closed with their berita acara."""
    proposal = accepted_kenari[2]
    Event.objects.create(
        proposal=proposal,
        action=Event.Action.SUBMITTED,
        actor=proposal.created_by,
        actor_office="Ketua RW 001 Kenari",
    )
    Event.objects.create(
        proposal=proposal,
        action=Event.Action.ACCEPTED,
        actor=lurah_kenari,
        actor_office="Lurah Kenari",
        note="Lengkap dan sesuai kamus usulan.",
    )
    recommend(proposal, ukpd_binamarga, "Jalan berlubang sepanjang 40 m.")
    kelompok = schedule(cycle, Kind.KELOMPOK, kenari, state="in_progress")
    rank_and_close(kelompok, lurah_kenari, first=proposal, utama=5)
    musrenbang = schedule(cycle, Kind.KECAMATAN, senen, state="in_progress")
    rank_and_close(musrenbang, camat_senen, first=proposal, utama=3)
    proposal.refresh_from_db()
    return proposal


# -- Search -----------------------------------------------------------------------------------


def test_anyone_opens_the_tracker_and_is_offered_the_kecamatan_only(client, cycle):
    response = client.get(TRACKER)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="kode"' in content and "Kode usulan" in content
    selects = response.context["search"].selects
    assert [s.name for s in selects] == ["kecamatan"]
    assert len(selects[0].options) == 8  # the kecamatan of Jakarta Pusat, not of all DKI


def test_a_kecamatan_narrows_the_kelurahan_and_a_kelurahan_the_rw(
    client, cycle, senen, kenari, rw_kenari
):
    selects = client.get(TRACKER, {"kecamatan": senen.pk}).context["search"].selects
    assert [s.name for s in selects] == ["kecamatan", "kelurahan"]
    assert len(selects[1].options) == 6
    response = client.get(TRACKER, {"kecamatan": senen.pk, "kelurahan": kenari.pk})
    selects = response.context["search"].selects
    assert [s.name for s in selects] == ["kecamatan", "kelurahan", "rw"]
    assert [label for _pk, label in selects[2].options] == ["RW 001", "RW 002"]
    assert response.context["proposals"] is None


def test_choosing_an_rw_lists_its_submitted_proposals_only(
    client, senen, kenari, rw_kenari, proposal_kenari, draft_kenari, proposal_paseban
):
    response = client.get(
        TRACKER, {"kecamatan": senen.pk, "kelurahan": kenari.pk, "rw": rw_kenari[0].pk}
    )
    assert response.status_code == 200
    assert list(response.context["proposals"]) == [proposal_kenari]
    content = response.content.decode()
    assert page_of(proposal_kenari) in content
    assert proposal_kenari.title in content
    assert "Fisik" in content and "Diajukan ke kelurahan" in content
    assert draft_kenari.code not in content
    assert proposal_paseban.code not in content


def test_an_rw_without_proposals_says_so(client, cycle, senen, kenari, rw_kenari):
    response = client.get(
        TRACKER, {"kecamatan": senen.pk, "kelurahan": kenari.pk, "rw": rw_kenari[1].pk}
    )
    assert "Belum ada usulan yang diajukan dari RW ini." in response.content.decode()


def test_a_kelurahan_left_from_another_kecamatan_is_not_chosen(
    client, cycle, gambir, kenari, rw_kenari, proposal_kenari
):
    response = client.get(
        TRACKER, {"kecamatan": gambir.pk, "kelurahan": kenari.pk, "rw": rw_kenari[0].pk}
    )
    search = response.context["search"]
    assert search.selects[1].chosen is None
    assert search.rw is None
    assert proposal_kenari.code not in response.content.decode()


def test_areas_of_a_kota_without_a_cycle_are_not_offered(client, cycle):
    jaksel = Area.objects.get(code="31.74").children.first()
    response = client.get(TRACKER, {"kecamatan": jaksel.pk})
    assert response.context["search"].selects[0].chosen is None
    assert not any(pk == jaksel.pk for pk, _l in response.context["search"].selects[0].options)


def test_with_cycles_in_two_kota_the_kota_is_asked_first(client, cycle, cycle_jaksel, kota_jaksel):
    selects = client.get(TRACKER).context["search"].selects
    assert [s.name for s in selects] == ["kota"]
    assert [pk for pk, _label in selects[0].options] == [cycle.kota_id, kota_jaksel.pk]
    response = client.get(TRACKER, {"kota": kota_jaksel.pk})
    selects = response.context["search"].selects
    assert [s.name for s in selects] == ["kota", "kecamatan"]
    assert {pk for pk, _l in selects[1].options} == set(
        kota_jaksel.children.values_list("pk", flat=True)
    )


def test_a_link_naming_the_kecamatan_alone_finds_its_kota(
    client, cycle, cycle_jaksel, senen, kenari, rw_kenari, proposal_kenari
):
    params = {"kecamatan": senen.pk, "kelurahan": kenari.pk, "rw": rw_kenari[0].pk}
    response = client.get(TRACKER, params)
    assert response.context["search"].kota.code == "31.71"
    assert list(response.context["proposals"]) == [proposal_kenari]


def test_a_busy_rw_is_listed_page_by_page(
    client, cycle, senen, kenari, rw_kenari, tenda, superuser
):
    for _ in range(55):
        make_proposal(cycle, rw_kenari[0], tenda, superuser)
    params = {"kecamatan": senen.pk, "kelurahan": kenari.pk, "rw": rw_kenari[0].pk}
    first = client.get(TRACKER, params)
    assert len(first.context["proposals"]) == 50
    content = first.content.decode()
    assert "55 usulan diajukan." in content
    assert "page=2" in content and "Berikutnya" in content
    second = client.get(TRACKER, {**params, "page": 2})
    assert len(second.context["proposals"]) == 5
    codes = {p.code for p in first.context["proposals"]} | {
        p.code for p in second.context["proposals"]
    }
    assert len(codes) == 55
    # A page past the end, or not a number, shows a page that exists.
    assert len(client.get(TRACKER, {**params, "page": "x"}).context["proposals"]) == 50


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code,
        lambda code: code.lower(),
        lambda code: f"  {code.lower()}  ",
        lambda code: code.replace("-", " - "),
        lambda code: code.replace("-", " "),
    ],
)
def test_a_code_goes_straight_to_its_journey(client, proposal_kenari, typed):
    response = client.get(TRACKER, {"kode": typed(proposal_kenari.code)})
    assert response.status_code == 302
    assert response["Location"] == page_of(proposal_kenari)


def test_an_unknown_code_says_so_in_indonesian(client, cycle):
    response = client.get(TRACKER, {"kode": "JP24-99999"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Usulan dengan kode “JP24-99999” tidak ditemukan." in content
    assert 'aria-invalid="true"' in content


def test_a_drafts_code_is_not_found(client, draft_kenari):
    response = client.get(TRACKER, {"kode": draft_kenari.code})
    assert response.status_code == 200
    assert "tidak ditemukan" in response.content.decode()
    assert client.get(page_of(draft_kenari)).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"kecamatan": "abc"},
        {"kecamatan": "1e9", "kelurahan": "-1", "rw": "0x10"},
        {"kecamatan": "9" * 40},
        {"kecamatan": ["1", "2"], "rw": ""},
        {"kode": "   "},
        {"kode": "x" * 500},
        {"kode": "JP24\u200b00001"},  # a NUL never reaches the page: tests/hostile/test_url_fuzz.py
        {"kode": "<script>alert(1)</script>"},
        {"kode": "' OR 1=1 --"},
    ],
)
def test_garbage_is_answered_without_error(client, cycle, params):
    response = client.get(TRACKER, params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_without_a_cycle_the_search_still_answers(client, db):
    response = client.get(TRACKER)
    assert response.status_code == 200
    assert "Belum ada siklus musrenbang." in response.content.decode()


# -- One proposal's journey ------------------------------------------------------------------


def test_anyone_reads_a_submitted_proposal(client, proposal_kenari):
    response = client.get(page_of(proposal_kenari))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Status sekarang:" in content and "Diajukan ke kelurahan" in content
    assert "Rp 54.000.000" in content
    assert "RW 001, Kelurahan Kenari, Kecamatan Senen" in content
    assert "Belum disurvei." in content


def test_the_page_is_public_to_officials_of_other_areas_too(client, lurah_paseban, proposal_kenari):
    client.force_login(lurah_paseban)
    assert client.get(page_of(proposal_kenari)).status_code == 200


@pytest.mark.parametrize("code", ["JP24-99999", "tidak-ada", "JP24-00001x", "%00"])
def test_unknown_codes_are_404(client, proposal_kenari, code):
    assert client.get(f"/lacak/{code}/").status_code == 404


def test_a_code_typed_in_lower_case_leads_to_the_one_address(client, proposal_kenari):
    response = client.get(f"/lacak/{proposal_kenari.code.lower()}/")
    assert response.status_code == 302
    assert response["Location"] == page_of(proposal_kenari)


def test_the_journey_tells_survey_ranks_and_the_berita_acara(client, journeyed):
    response = client.get(page_of(journeyed))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Status sekarang: <strong>Prioritas kecamatan</strong>" in content
    assert "RW 001, Kelurahan Kenari, Kecamatan Senen" in content
    assert "Rp 54.000.000" in content and "hasil survei: Rp 45.000.000" in content
    assert "Disurvei pada 12 Februari 2024: Direkomendasikan." in content
    for event in ("Diajukan ke kelurahan", "Diterima sebagai calon kelurahan", "Disurvei UKPD"):
        assert event in content
    assert "Diputuskan dalam sidang kelompok kelurahan" in content
    assert "Diputuskan dalam musrenbang kecamatan" in content
    assert content.count("Peringkat 1 — Utama (prioritas)") == 4  # summary and sessions
    candidacies = response.context["track"].candidacies
    assert [str(c.sidang) for c in candidacies] == [
        "Sidang Kelompok Kelurahan Kenari",
        "Musrenbang Kecamatan Senen",
    ]
    for minutes in Minutes.objects.filter(sidang__candidates__proposal=journeyed):
        assert minutes.get_absolute_url() in content
        assert reverse("sessions:verify_download", args=[minutes.code]) in content
    assert "Belum ada keputusan akhir." in content


def test_a_proposal_not_kept_reads_the_reason(client, journeyed, accepted_kenari):
    dropped = accepted_kenari[6]  # not recommended: last in the sidang kelompok
    content = client.get(page_of(dropped)).content.decode()
    assert "Status sekarang: <strong>Tidak diprioritaskan</strong>" in content
    assert "Peringkat 7 — Tidak diprioritaskan" in content
    assert "Kalah prioritas dari usulan lain" in content


def test_the_final_decision_and_its_reason(client, journeyed, suban):
    decision_record(
        proposal=journeyed,
        kind=FinalDecision.Kind.NOT_ACCOMMODATED,
        by=suban,
        reason="Ruas jalan sudah masuk program provinsi.",
    )
    content = client.get(page_of(journeyed)).content.decode()
    assert "Status sekarang: <strong>Tidak diakomodir</strong>" in content
    assert "Ruas jalan sudah masuk program provinsi." in content


def test_sessions_still_open_are_not_shown(client, kelompok_kenari, accepted_kenari):
    content = client.get(page_of(accepted_kenari[0])).content.decode()
    assert "Usulan ini belum dibahas dalam sidang yang sudah ditutup." in content
    assert "Sidang Kelompok Kelurahan Kenari" not in content


def test_no_person_is_named_on_any_public_page(
    client,
    journeyed,
    named,
    lurah_kenari,
    camat_senen,
    suban,
    senen,
    kenari,
    rw_kenari,
    sub_activity,
):
    decision_record(
        proposal=journeyed,
        kind=FinalDecision.Kind.RENJA,
        sub_activity=sub_activity,
        by=suban,
        reason="Masuk Renja 2025.",
    )
    pages = [
        client.get(page_of(journeyed)),
        client.get(TRACKER, {"kecamatan": senen.pk, "kelurahan": kenari.pk, "rw": rw_kenari[0].pk}),
    ]
    creator, officer = named
    assert journeyed.created_by == creator
    assert journeyed.survey.officer == officer
    forbidden = [
        creator.username,
        creator.first_name,
        creator.last_name,
        officer.username,
        officer.get_full_name(),
        camat_senen.username,
        lurah_kenari.username,
        "Pimpinan Kenari",  # the chair of the sidang kelompok: a person
    ]
    for response in pages:
        content = response.content.decode()
        assert response.status_code == 200
        for name in forbidden:
            assert name not in content, name
    # Offices are public.
    assert "Lurah Kenari" in pages[0].content.decode()
    assert "Sudin Bina Marga" in pages[0].content.decode()


# -- Queries stay few as the data grows -------------------------------------------------------


def queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_search_queries_do_not_grow_with_the_rw(
    client, cycle, senen, kenari, rw_kenari, betonisasi, tenda, superuser
):
    params = {"kecamatan": senen.pk, "kelurahan": kenari.pk, "rw": rw_kenari[0].pk}

    def grow(n):
        for i in range(n):
            make_proposal(cycle, rw_kenari[0], betonisasi if i % 2 else tenda, superuser)

    grow(3)
    small = queries(client, TRACKER, params)
    grow(27)
    rw_ensure(kelurahan=kenari, count=20)
    large = queries(client, TRACKER, params)
    assert len(client.get(TRACKER, params).context["proposals"]) == 30
    assert large == small
    assert large <= 12


def add_history(proposal, kelurahan: list[Area], cycle, by) -> None:
    """One more event and one more closed sidang (with berita acara) per kelurahan given."""
    for area in kelurahan:
        Event.objects.create(
            proposal=proposal, action=Event.Action.EDITED, actor=by, actor_office="Ketua RW"
        )
        sidang = schedule(cycle, Kind.KELOMPOK, area)
        Candidate.objects.create(sidang=sidang, proposal=proposal, rank=1, decision="utama")
        Minutes.objects.create(
            sidang=sidang,
            number=f"{sidang.pk:03d}/BA",
            code=f"TEST{sidang.pk:06d}",
            file=f"berita-acara/{sidang.pk}.pdf",
            sha256="a" * 64,
            size=1,
        )
        Sidang.objects.filter(pk=sidang.pk).update(state="closed", closed_at=timezone.now())


def test_journey_queries_do_not_grow_with_events_and_sessions(
    client, cycle, kota_jp, proposal_kenari, superuser
):
    kelurahan = list(Area.objects.kelurahan().filter(code__startswith=kota_jp.code + ".")[:20])
    add_history(proposal_kenari, kelurahan[:2], cycle, superuser)
    small = queries(client, page_of(proposal_kenari))
    add_history(proposal_kenari, kelurahan[2:], cycle, superuser)
    large = queries(client, page_of(proposal_kenari))
    track = client.get(page_of(proposal_kenari)).context["track"]
    assert len(track.journey) == 20 and len(track.candidacies) == 20
    assert large == small
    assert large <= 12


def test_statuses_other_than_draft_are_all_public(client, proposal_kenari):
    for status in (Status.RETURNED, Status.ACCEPTED, Status.RENJA):
        proposal_kenari.status = status
        proposal_kenari.submitted_at = None if status == Status.RETURNED else timezone.now()
        proposal_kenari.save()
        assert client.get(page_of(proposal_kenari)).status_code == 200
