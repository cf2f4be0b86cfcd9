"""The demo's pagu indikatif: every kecamatan and kelurahan of Jakarta Pusat has one, the held
sessions fit theirs (some closely, Kenari's passed for a reason its berita acara gives), and
the recap shows them."""

from django.urls import reverse

from areas.models import Area, Level
from proposals.models import Ceiling, Cycle
from sessions.models import Kind, Sidang, State
from sessions.services import ceiling_standing
from tests.sessions.helpers import pdf_text


def cycle_2024() -> Cycle:
    return Cycle.objects.get(kota__code="31.71", year=2024)


def test_every_kecamatan_and_kelurahan_has_a_ceiling(loaded_demo, db):
    cycle = cycle_2024()
    areas = Area.objects.within(cycle.kota).filter(level__in=[Level.KECAMATAN, Level.KELURAHAN])
    assert Ceiling.objects.filter(cycle=cycle).count() == areas.count() == 8 + 44


def test_held_sessions_fit_their_ceiling_some_closely_and_a_few_over_with_a_reason(loaded_demo, db):
    held = Sidang.objects.filter(
        cycle=cycle_2024(), kind__in=[Kind.KELOMPOK, Kind.KECAMATAN], state=State.CLOSED
    ).select_related("area")
    standings = {s.area.code: (s, ceiling_standing(s)) for s in held}
    assert all(st.ceiling for _s, st in standings.values())
    over = {code for code, (_s, st) in standings.items() if st.over}
    close = {
        code for code, (_s, st) in standings.items() if not st.over and st.left < st.utama / 10
    }
    assert "31.71.04.1002" in over  # Kenari
    assert 1 <= len(over) < len(standings) / 3
    assert len(close) >= 3
    assert all(standings[code][0].over_ceiling_reason for code in over)
    assert not any(
        s.over_ceiling_reason for code, (s, _st) in standings.items() if code not in over
    )
    # The musrenbang kecamatan held in Menteng and Gambir fit theirs.
    assert not {"31.71.01", "31.71.06"} & over


def test_kenaris_berita_acara_gives_the_reason(loaded_demo, db):
    kenari = Sidang.objects.get(cycle=cycle_2024(), kind=Kind.KELOMPOK, area__code="31.71.04.1002")
    content = pdf_text(kenari.minutes.file.read())
    assert "dari pagu indikatif Kelurahan Kenari sebesar" in content
    assert "melebihi pagu sebesar" in content and kenari.over_ceiling_reason[:40] in content


def test_lurah_kramat_ranks_against_kramats_ceiling(loaded_demo, client, db):
    kramat = Sidang.objects.get(cycle=cycle_2024(), kind=Kind.KELOMPOK, area__code="31.71.04.1004")
    assert kramat.state == State.IN_PROGRESS
    client.force_login(kramat.area.assignments.get(role="lurah").user)
    page = client.get(reverse("sessions:ranking", args=[kramat.pk])).content.decode()
    assert "Pagu indikatif Kramat" in page
