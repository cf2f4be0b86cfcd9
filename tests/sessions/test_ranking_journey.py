"""A ranking's journey note in the reader's language: the decision and the words around its
figures read in English on an English page; the sidang's name and a typed reason stay as they
were recorded, in Indonesian."""

from django.utils import translation

from proposals.models import Event
from tests.notices.test_services import rank_and_close


def ranked_note(proposal) -> Event:
    return proposal.events.get(action=Event.Action.RANKED_KELURAHAN)


def test_a_ranking_note_reads_in_english(kelompok_kenari, lurah_kenari, accepted_kenari):
    rank_and_close(kelompok_kenari, lurah_kenari, utama=3)
    by_code = sorted(accepted_kenari, key=lambda p: p.code)
    first, last = ranked_note(by_code[0]), ranked_note(by_code[-1])
    assert first.note == "Utama (prioritas), peringkat 1, dalam Sidang Kelompok Kelurahan Kenari"
    with translation.override("en"):
        assert first.shown_note == ("Utama (priority), rank 1, in Sidang Kelompok Kelurahan Kenari")
        shown = last.shown_note
    assert shown.startswith("Not prioritised, rank ")
    assert shown.endswith(", in Sidang Kelompok Kelurahan Kenari: Anggaran tidak mencukupi")
    with translation.override("id"):
        assert first.shown_note == first.note
