"""A journey note in the reader's language, where the system wrote it from its own words.

Notes are stored in the project's language whoever acts (see services.office_of), so that the
record never changes language from step to step. What the system composed from its own labels
("Tidak direkomendasikan: Sudah dianggarkan", "Perencanaan 10 %", "Dibawa dari JP24-00003
(musrenbang 2024)") is shown in the page's language; what an official typed stays as typed.
"""

import re
from functools import cache

from django.conf import settings
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from proposals.models import Decision, Event, Recommendation, RejectionReason, Stage

# The labels a note of each kind starts with, one after another, separated by ": ".
LEADING_LABELS: dict[str, tuple[type[TextChoices], ...]] = {
    Event.Action.SURVEYED: (Recommendation, RejectionReason),
    Event.Action.DECIDED: (Decision.Kind,),
    Event.Action.PROGRESS: (Stage,),
}
# Sentences with figures in them, as proposals.carry and proposals.decisions write them.
PHRASES = {
    Event.Action.CARRIED: (
        _("Dibawa ke musrenbang %(year)s sebagai %(code)s"),
        _("Dibawa dari %(code)s (musrenbang %(year)s)"),
    ),
    Event.Action.DECIDED: (
        _("sub kegiatan %(sub)s, tahun anggaran %(year)s"),
        _("Usulan %(code)s digabung ke usulan ini"),
    ),
}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def register(action: str, *, labels: tuple[type[TextChoices], ...] = (), phrases=()) -> None:
    """How the notes of a step recorded by a later layer (the sidang's rankings) are shown:
    the labels they start with and the sentences with figures in them. Called once, by the
    app that records the step, when it is ready."""
    if labels:
        LEADING_LABELS[action] = labels
    if phrases:
        PHRASES[action] = tuple(phrases)


def shown_note(event: Event) -> str:
    note = event.note
    if not note or translation.get_language() == settings.LANGUAGE_CODE:
        return note
    note = _leading_labels(note, LEADING_LABELS.get(event.action, ()))
    for phrase in PHRASES.get(event.action, ()):
        note = _pattern(_stored(phrase)).sub(
            lambda found, phrase=phrase: str(phrase) % found.groupdict(), note
        )
    return note


def _stored(text) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _leading_labels(note: str, choices: tuple[type[TextChoices], ...]) -> str:
    shown, rest = [], note
    for index, labels in enumerate(choices):
        if index:
            if not rest.startswith(": "):
                break
            shown.append(": ")
            rest = rest[2:]
        label = _stored_labels(labels).get(_leading(rest, labels))
        if label is None:
            break
        shown.append(str(label))
        rest = rest[len(_stored(label)) :]
    return "".join(shown) + rest


def _leading(text: str, labels: type[TextChoices]) -> str | None:
    """The stored label `text` starts with, the longest that stands as a word of its own."""
    for stored in sorted(_stored_labels(labels), key=len, reverse=True):
        if text.startswith(stored) and not text[len(stored) : len(stored) + 1].isalnum():
            return stored
    return None


@cache
def _stored_labels(labels: type[TextChoices]) -> dict:
    return {_stored(label): label for label in labels.labels}


@cache
def _pattern(stored: str) -> re.Pattern:
    """The stored sentence with its figures to be found: up to the text after them, or a word
    where nothing follows."""
    parts = PLACEHOLDER.split(stored)  # text, name, text, name, ..., text
    regex = ""
    for index, part in enumerate(parts):
        if index % 2 == 0:
            regex += re.escape(part)
        else:
            regex += rf"(?P<{part}>.+?)" if parts[index + 1] else rf"(?P<{part}>\S+)"
    return re.compile(regex)
