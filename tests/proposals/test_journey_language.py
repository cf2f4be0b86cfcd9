"""The journey in the reader's language: its notes are stored in Indonesian, and what the system
wrote from its own labels reads in English on an English page; what an official typed does not
change, and the record itself is never rewritten."""

import datetime

from django.conf import settings
from django.utils import translation

from proposals.models import Event, Recommendation, RejectionReason
from proposals.services import SurveyData, survey_record


def survey_event(proposal) -> Event:
    return proposal.events.filter(action=Event.Action.SURVEYED).latest("pk")


def test_a_recommendation_reads_in_english(surveyed):
    event = survey_event(surveyed)
    assert event.note == "Direkomendasikan"
    with translation.override("en"):
        assert event.shown_note == "Recommended"
    with translation.override("id"):
        assert event.shown_note == "Direkomendasikan"


def test_a_rejection_keeps_what_the_officer_typed(surveyed, ukpd_binamarga):
    proposal = surveyed  # surveyed again, not recommended this time
    survey_record(
        proposal=proposal,
        data=SurveyData(
            surveyed_on=proposal.cycle.rw_opens,
            findings="Masih baik.",
            recommendation=Recommendation.NOT_RECOMMENDED,
            reason=RejectionReason.STILL_ADEQUATE,
            reason_note="Aspal diganti tahun lalu.",
            revised_volume=proposal.volume,
        ),
        by=ukpd_binamarga,
    )
    event = survey_event(proposal)
    assert event.note == (
        "Tidak direkomendasikan: Kondisi eksisting masih layak — Aspal diganti tahun lalu."
    )
    with translation.override("en"):
        shown = event.shown_note
    assert shown.startswith("Not recommended: ")
    assert shown.endswith(" — Aspal diganti tahun lalu.")
    assert "direkomendasikan" not in shown.lower()


def test_the_journey_page_reads_in_english(client, surveyed, lurah_kenari):
    client.force_login(lurah_kenari)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(surveyed.get_absolute_url()).content.decode()
    assert '<div class="mt-1">Recommended</div>' in page
    assert "Direkomendasikan" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(surveyed.get_absolute_url()).content.decode()
    assert '<div class="mt-1">Direkomendasikan</div>' in page


def test_carried_and_progress_notes_read_in_english(surveyed):
    notes = {
        "Dibawa dari JP24-00003 (musrenbang 2024)": "Carried over from JP24-00003",
        "Perencanaan 10 %: Survei ulang lokasi.": "Planning 10 %: Survei ulang lokasi.",
        "Sudah dikerjakan swadaya warga.": "Sudah dikerjakan swadaya warga.",
    }
    actions = [Event.Action.CARRIED, Event.Action.PROGRESS, Event.Action.WITHDRAWN]
    for (note, english), action in zip(notes.items(), actions, strict=True):
        event = Event(
            proposal=surveyed,
            action=action,
            note=note,
            at=datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC),
        )
        with translation.override("en"):
            assert event.shown_note.startswith(english), event.shown_note
