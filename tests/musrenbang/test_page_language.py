"""Every main page speaks one language: no Indonesian left in the English pages, no English in
the Indonesian ones.

Each page is rendered in both languages, chosen as a visitor chooses (the language cookie), by
the official who works on it. What a user reads (text, placeholders, titles, labels for screen
readers, button captions, options) is checked against the catalogue, whose Indonesian msgids
must not show in English and whose English msgstrs must not show in Indonesian, and against
common words of each language. Text that comes from the data (names of areas, titles, venues)
is taken out first: it is in Indonesian whatever the page's language.
"""

import datetime
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models import Q
from django.urls import reverse

from areas.models import Area, Level
from proposals.models import (
    Category,
    Cycle,
    Decision,
    Recommendation,
    RejectionReason,
    Status,
)
from proposals.spreadsheet import EXAMPLE_ROW, HEADERS
from sessions.models import Kind, Minutes
from tests.proposal_fixtures import make_proposal
from tests.session_fixtures import JAKARTA, attend, schedule
from tests.sessions.test_ranking import placements, save

CATALOG = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
LANGUAGES = ("id", "en")

# Words that only one of the two languages uses. Neither list holds a word that the glossary
# keeps in English (kelurahan, kecamatan, kota, musrenbang, sidang kelompok, RW, UKPD, ...).
INDONESIAN_WORDS = """
    dan yang untuk dengan tidak belum sudah dari oleh pada atau ini itu akan bila harus dapat ya
    ke di halaman simpan ubah hapus kembali cari tambah batal semua masuk keluar lihat unduh
    pilih ada sebelumnya berikutnya tanggal jumlah usulan
    januari februari maret mei juni juli agustus oktober desember
    senin selasa rabu kamis jumat sabtu minggu
"""
ENGLISH_WORDS = """
    the and of with for not this that page save edit delete search show next previous to from
    by yes all back cancel add remove sign submit filter sort first last is are be an in on at
    or any none unknown ascending descending field required enter table navigation true false
    january february march june july august october december
    monday tuesday wednesday thursday friday saturday sunday
"""

# Elements whose text never reaches the reader, or is the reader's own typing.
SKIPPED = {"script", "style", "template", "textarea"}
# Elements that continue the sentence around them rather than start a new piece of text.
INLINE = set(
    """a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup time
    u var wbr""".split()  # noqa: SIM905 (a list of names reads better as one string)
)
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
BUTTON_TYPES = {"submit", "button", "reset"}


class VisibleText(HTMLParser):
    """The pieces of text a user meets on a page: one per block of text, one per attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._current: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self._skipping += 1
        if tag not in INLINE:
            self._flush()
        attributes = dict(attrs)
        shown = [attributes.get(name) for name in SHOWN_ATTRIBUTES]
        if tag == "input" and (attributes.get("type") or "").lower() in BUTTON_TYPES:
            shown.append(attributes.get("value"))
        if tag == "optgroup":
            shown.append(attributes.get("label"))
        self.pieces.extend(text for text in shown if text and text.strip())

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED:
            self._skipping -= 1

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self._skipping = max(self._skipping - 1, 0)
        if tag not in INLINE:
            self._flush()

    def handle_data(self, data):
        if not self._skipping:
            self._current.append(data)

    def _flush(self):
        text = " ".join("".join(self._current).split())
        if text:
            self.pieces.append(text)
        self._current = []

    def close(self):
        super().close()
        self._flush()


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return [" ".join(piece.split()) for piece in parser.pieces]


# -- The catalogue ---------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|<[^>]+>")


def _literal(text: str) -> str:
    return " ".join(PLACEHOLDER.sub(" ", text).split())


def _pattern(text: str) -> re.Pattern:
    """A catalogue string as it shows on a page: placeholders and markup stand for anything."""
    parts = [" ".join(part.split()) for part in PLACEHOLDER.split(" ".join(text.split()))]
    body = r".+?".join(re.escape(part) for part in parts if part.strip())
    return re.compile(rf"(?<![\w-]){body}(?![\w-])")


@cache
def catalogue() -> dict[str, list[tuple[str, re.Pattern]]]:
    """For each language, the strings that betray the other one: the Indonesian msgids whose
    English differs (betraying Indonesian) and the English msgstrs (betraying English)."""
    pairs = []
    for entry in polib.pofile(str(CATALOG)):
        if entry.obsolete or entry.fuzzy:
            continue
        if entry.msgid_plural:
            pairs += [
                (entry.msgid, entry.msgstr_plural.get(0, "")),
                (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
            ]
        else:
            pairs.append((entry.msgid, entry.msgstr))
    pairs = [(i, e) for i, e in pairs if e and _literal(i) != _literal(e)]
    english_text = "\n".join(_literal(e) for _, e in pairs)
    indonesian_text = "\n".join(_literal(i) for i, _ in pairs)

    def betraying(strings, other_language_text):
        found = []
        for text in set(strings):
            literal = _literal(text)
            if sum(c.isalpha() for c in literal) < 4:
                continue  # "Ya", "No", "Ke": too short to tell anything
            # A word the other language's catalogue also uses is shared (the glossary's nouns,
            # the spreadsheet's column names): only a piece that is nothing else betrays.
            if re.search(rf"(?<![\w-]){re.escape(literal)}(?![\w-])", other_language_text):
                if literal == text:
                    found.append((text, re.compile(rf"^{re.escape(text)}$")))
                continue
            found.append((text, _pattern(text)))
        return found

    return {
        "en": betraying([i for i, _ in pairs], english_text),
        "id": betraying([e for _, e in pairs], indonesian_text),
    }


# -- The data, in Indonesian whatever the page's language -------------------------------------

DATA_APPS = ("areas", "proposals", "sidang", "auditlog")
# Text the system writes into the record (offices and notes of the journey, names in the audit
# trail) in the project's language whoever acts: Indonesian pages show it as it is, and an
# official who reads English must not leave English in it.
RECORDS = {"event.actor_office", "event.note", "logentry.object_repr"}


def data_strings(*extra: str, language: str = "en") -> list[str]:
    """Every free-text value in the database (names, titles, venues, notes, user names), the
    longest first so that a title goes before the name of the area it contains."""
    found = set(extra)
    for model in [m for label in DATA_APPS for m in apps.get_app_config(label).get_models()]:
        rows = _shown_areas() if model is Area else model.objects
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices
            and f.name != "password"
            and not (language == "id" and f"{model._meta.model_name}.{f.name}" in RECORDS)
        ]
        for name in names:
            found.update(rows.values_list(name, flat=True).distinct())
    found = {" ".join(value.split()) for value in found if value}
    return sorted((value for value in found if len(value) >= 2), key=len, reverse=True)


def _shown_areas():
    """The areas a page can name: the kota holding a cycle, all within them, and every kota
    and province (the others' names, such as Kampung Baru, would hide Indonesian words)."""
    shown = Q(level__in=[Level.PROVINSI, Level.KOTA])
    for code in Cycle.objects.values_list("kota__code", flat=True):
        shown |= Q(code__startswith=f"{code}.")
    return Area.objects.filter(shown)


def _code_like(value: str) -> bool:
    """Units and codes ("unit", "m2", "binamarga") are single lower-case words: data where
    they stand alone, words of the page inside a sentence."""
    return len(value) < 3 or (value.islower() and " " not in value)


def without_data(pieces: list[str], data: list[str]) -> list[str]:
    """The pieces with every value from the data replaced by "¤". A unit or a code ("unit",
    "binamarga") is data only where it stands alone: inside a sentence it is a word."""
    whole = set(data)
    page = "\n".join(pieces)
    present = [re.escape(value) for value in data if value in page and not _code_like(value)]
    values = re.compile(rf"(?<![\w-])({'|'.join(present)})(?![\w-])") if present else None
    cleaned = []
    for piece in pieces:
        if piece in whole:
            piece = "¤"
        elif values is not None:
            piece = " ".join(values.sub(" ¤ ", piece).split())
        cleaned.append(piece)
    return cleaned


# -- The detector ----------------------------------------------------------------------------


def _words(words: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-])({'|'.join(words.split())})(?![\w-])", re.IGNORECASE)


OTHER_LANGUAGE = {"id": "English", "en": "Indonesian"}
FOREIGN_WORDS = {"id": _words(ENGLISH_WORDS), "en": _words(INDONESIAN_WORDS)}


def leftovers(html: str, language: str, data: list[str] = ()) -> list[str]:
    """The pieces of a page in `language` that are in the other language, each explained."""
    found = []
    for piece in without_data(visible_text(html), list(data)):
        reasons = [
            f"catalogue {text!r}"
            for text, pattern in catalogue()[language]
            if pattern.search(piece)
        ]
        words = sorted({m.lower() for m in FOREIGN_WORDS[language].findall(piece)})
        if words:
            reasons.append(f"word{'s' if len(words) > 1 else ''} {', '.join(words)}")
        if reasons:
            found.append(f"{piece!r} ({'; '.join(reasons)})")
    return found


class Pages:
    """Renders pages in both languages and remembers every leftover, to report them at once."""

    def __init__(self, client):
        self.client = client
        self.problems: list[str] = []

    def sign_in(self, user):
        if user is None:
            self.client.logout()
        else:
            self.client.force_login(user)

    def check(self, name, url, *, user=None, post=None, status=200, data=(), follow=False):
        """Get (or post to) `url` in each language; `follow` goes on to where a form leads,
        to read the message it leaves."""
        self.sign_in(user)
        for language in LANGUAGES:
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            if post is None:
                response = self.client.get(url, follow=follow)
            else:
                response = self.client.post(url, post, follow=follow)
            assert response.status_code == status, f"{name} ({language}): {response.status_code}"
            html = response.content.decode()
            assert f'lang="{language}"' in html, f"{name} ({language}) is not in {language}"
            self.record(name, language, html, data)
        return response

    def record(self, name, language, html, data=()):
        for problem in leftovers(html, language, data_strings(*data, language=language)):
            self.problems.append(f"{name} ({language}): {OTHER_LANGUAGE[language]} {problem}")

    def assert_clean(self):
        assert not self.problems, "text in the wrong language:\n" + "\n".join(self.problems)


@pytest.fixture
def pages(client):
    return Pages(client)


# -- The detector can fail ---------------------------------------------------------------------


INDONESIAN_PAGE = """<html lang="id"><body><h1>Usulan baru</h1>
<p>Simpan draf <strong>sekarang</strong> atau <a href="/">kembali</a>.</p>
<input type="submit" value="Simpan"><script>var next = "the page";</script></body></html>"""
ENGLISH_PAGE = """<html lang="en"><body><h1>New proposal</h1>
<p>Save the draft <strong>now</strong> or go <a href="/">back</a>.</p>
<input type="submit" value="Save"><script>var kembali = "halaman";</script></body></html>"""


def test_a_page_in_one_language_passes():
    assert leftovers(INDONESIAN_PAGE, "id") == []
    assert leftovers(ENGLISH_PAGE, "en") == []


def test_english_in_an_indonesian_page_is_caught():
    planted = INDONESIAN_PAGE.replace("<h1>Usulan baru</h1>", "<h1>New proposal</h1>")
    planted = planted.replace('value="Simpan"', 'value="Simpan" aria-label="Show all"')
    found = leftovers(planted, "id")
    assert any("'New proposal'" in problem and "catalogue" in problem for problem in found)
    assert any("'Show all'" in problem and "all, show" in problem for problem in found)


def test_indonesian_in_an_english_page_is_caught():
    planted = ENGLISH_PAGE.replace("Save the draft", "Simpan draf")
    planted = planted.replace('value="Save"', 'value="Save" title="Halaman berikutnya"')
    found = leftovers(planted, "en")
    assert any("'Simpan draf now or go back.'" in problem for problem in found)
    assert any("catalogue 'Simpan draf'" in problem for problem in found)
    assert any("berikutnya, halaman" in problem for problem in found)


def test_text_from_the_data_is_not_a_leftover():
    page = ENGLISH_PAGE.replace("now", "Jalan rusak dan tergenang")
    assert leftovers(page, "en", ["Jalan rusak dan tergenang"]) == []
    assert leftovers(page, "en") != []


# -- The pages ---------------------------------------------------------------------------------


def test_the_public_pages_speak_one_language(pages, surveyed, cycle_jaksel, lurah_kenari, settings):
    pages.check("home, visitor", "/")
    pages.check("sign-in", reverse("login"))
    wrong = {"username": lurah_kenari.username, "password": "salah"}
    pages.check("sign-in, failed", reverse("login"), post=wrong)
    pages.check("recap", reverse("recap"))
    pages.check("recap, a kecamatan", f"{reverse('recap')}?kecamatan={surveyed.kecamatan.code}")
    pages.check("tracker", reverse("tracker"))
    search = {"kecamatan": surveyed.kecamatan_id, "kelurahan": surveyed.kelurahan_id}
    pages.check("tracker, kelurahan chosen", f"{reverse('tracker')}?{urlencode(search)}")
    search["rw"] = surveyed.rw_id
    pages.check("tracker, RW's proposals", f"{reverse('tracker')}?{urlencode(search)}")
    pages.check("tracker, unknown code", f"{reverse('tracker')}?kode=JP24-99999")
    pages.check("tracker, a proposal", reverse("tracker_proposal", args=[surveyed.code]))
    pages.check("404", "/tidak-ada/", status=404)
    settings.AXES_FAILURE_LIMIT = 1
    pages.check("sign-in, locked out", reverse("login"), post=wrong, status=429)
    pages.assert_clean()


def test_the_home_of_every_role_speaks_one_language(
    pages,
    surveyed,
    draft_kenari,
    kelompok_kenari,
    rw_kenari_001,
    lurah_kenari,
    camat_senen,
    ukpd_binamarga,
    suban,
    dewan,
    superuser,
    unassigned,
):
    for user in (rw_kenari_001, lurah_kenari, camat_senen, ukpd_binamarga, suban, dewan, superuser):
        pages.check(f"home, {user.username}", "/", user=user)
    pages.check("home, without assignment", "/", user=unassigned)
    pages.assert_clean()


INVALID_PROPOSAL = {
    "title": "",
    "catalogue_item": "",
    "problem": "",
    "category": "bukan-kategori",
    "target_unit": "9999",
    "address": "",
    "rt": "12345",
    "latitude": "utara",
    "longitude": "",
    "volume": "banyak",
    "measure": "",
    "unit_price": "-5",
    "beneficiaries": "-1",
}


def test_the_proposal_pages_speak_one_language(
    pages,
    surveyed,
    draft_kenari,
    proposal_paseban,
    rw_kenari,
    betonisasi,
    rw_kenari_001,
    lurah_kenari,
    suban,
):
    submitted = make_proposal(surveyed.cycle, rw_kenari[1], betonisasi, rw_kenari_001)
    pages.check("proposal detail, to validate", submitted.get_absolute_url(), user=lurah_kenari)
    list_url = reverse("proposals:list")
    pages.check("proposals", list_url, user=suban)
    pages.check(
        "proposals, filtered",
        f"{list_url}?q=jalan&status={Status.ACCEPTED}&category={Category.FISIK}"
        f"&recommendation={Recommendation.RECOMMENDED}&kecamatan={surveyed.kecamatan_id}",
        user=suban,
    )
    pages.check("proposals, nothing found", f"{list_url}?q=zzzz", user=suban)
    pages.check("proposals, sorted", f"{list_url}?sort=-estimated_cost&per_page=1", user=suban)
    pages.check("proposals, page 2", f"{list_url}?sort=code&per_page=1&page=2", user=suban)
    pages.check("proposals, lurah", list_url, user=lurah_kenari)
    pages.check("proposal detail", surveyed.get_absolute_url(), user=lurah_kenari)
    pages.check("proposal detail, planning office", surveyed.get_absolute_url(), user=suban)
    pages.check("draft detail", draft_kenari.get_absolute_url(), user=rw_kenari_001)
    create_url = reverse("proposals:create")
    pages.check("new proposal", create_url, user=rw_kenari_001)
    pages.check("new proposal, invalid", create_url, user=rw_kenari_001, post=INVALID_PROPOSAL)
    new = {
        **INVALID_PROPOSAL,
        "title": "Saluran air RW 002",
        "catalogue_item": betonisasi.pk,
        "problem": "Saluran tersumbat.",
        "category": "",
        "target_unit": "",
        "address": "Jl. Kenari I",
        "rt": "002",
        "latitude": "",
        "volume": "10",
        "unit_price": "",
        "beneficiaries": "40",
    }
    pages.check("new proposal, saved", create_url, user=rw_kenari_001, post=new, follow=True)
    edit_url = reverse("proposals:edit", args=[draft_kenari.pk])
    pages.check("edit proposal", edit_url, user=rw_kenari_001)
    submitting = reverse("proposals:submit", args=[draft_kenari.pk])
    pages.check("submit, to confirm", submitting, user=rw_kenari_001, data=[draft_kenari.title])
    pages.check("edit proposal, invalid", edit_url, user=rw_kenari_001, post=INVALID_PROPOSAL)
    pages.check(
        "not found", reverse("proposals:detail", args=[99999]), user=lurah_kenari, status=404
    )
    returning = reverse("proposals:return", args=[submitted.pk])
    pages.check("return, no note", returning, user=lurah_kenari, post={"note": ""}, status=400)
    deciding = reverse("proposals:decide", args=[surveyed.pk])
    no_reason = {"kind": Decision.Kind.NOT_ACCOMMODATED, "reason": ""}
    pages.check("decision, no reason", deciding, user=suban, post=no_reason, status=400)
    # Decided by an official who reads English: the journey keeps one language.
    pages.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    decided = {"kind": Decision.Kind.NOT_ACCOMMODATED, "reason": "Anggaran habis."}
    pages.check(
        "decision, to confirm", deciding, user=suban, post=decided, data=[decided["reason"]]
    )
    pages.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    confirmed = {**decided, "confirmed": "1"}
    assert pages.client.post(deciding, confirmed, follow=True).redirect_chain
    pages.check("proposal detail, decided in English", surveyed.get_absolute_url(), user=suban)
    pages.assert_clean()


def test_the_import_pages_speak_one_language(pages, cycle, rw_kenari, betonisasi, lurah_kenari):
    # The spreadsheet's column headings are the same in both languages, like data.
    url = reverse("proposals:import")
    pages.check("import", url, user=lurah_kenari, data=HEADERS)
    csv = f"Kode RW,Judul\n{rw_kenari[0].code},\n".encode()
    for language in LANGUAGES:
        pages.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        upload = SimpleUploadedFile("usulan.csv", csv, "text/csv")
        response = pages.client.post(url, {"file": upload})
        pages.record("import, rejected", language, response.content.decode(), HEADERS)
        response = pages.client.post(url, {})
        pages.record("import, no file", language, response.content.decode(), HEADERS)
        upload = SimpleUploadedFile("usulan.csv", _example_csv(), "text/csv")
        response = pages.client.post(url, {"file": upload}, follow=True)
        assert response.redirect_chain, "the example row is imported"
        pages.record("import, imported", language, response.content.decode(), HEADERS)
    pages.assert_clean()


def _example_csv() -> bytes:
    rows = [HEADERS, EXAMPLE_ROW]
    return "\n".join(",".join(str(value) for value in row) for row in rows).encode()


def test_the_survey_pages_speak_one_language(pages, surveyed, ukpd_binamarga, lurah_kenari):
    queue = reverse("proposals:survey_queue")
    pages.check("survey queue", queue, user=ukpd_binamarga)
    pages.check("survey queue, surveyed", f"{queue}?tampil=selesai", user=ukpd_binamarga)
    url = reverse("proposals:survey", args=[surveyed.pk])
    pages.check("survey form", url, user=ukpd_binamarga)
    invalid = {"surveyed_on": "kemarin", "recommendation": Recommendation.NOT_RECOMMENDED}
    pages.check("survey form, invalid", url, user=ukpd_binamarga, post=invalid)
    pages.check("403", url, user=lurah_kenari, status=403)
    # Surveyed again by an officer who reads English: the journey keeps one language.
    pages.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages.client.force_login(ukpd_binamarga)
    again = {
        "surveyed_on": surveyed.cycle.rw_opens.isoformat(),  # within the cycle's survey dates
        "findings": "Jalan berlubang.",
        "recommendation": Recommendation.NOT_RECOMMENDED,
        "reason": RejectionReason.STILL_ADEQUATE,
        "revised_volume": "100",
    }
    assert pages.client.post(url, again, follow=True).redirect_chain
    detail = surveyed.get_absolute_url()
    pages.check("proposal detail, surveyed in English", detail, user=lurah_kenari)
    tracker = reverse("tracker_proposal", args=[surveyed.code])
    pages.check("tracker, surveyed in English", tracker)
    pages.assert_clean()


def test_the_session_pages_speak_one_language(
    pages, kelompok_kenari, musrenbang_senen, lurah_kenari, camat_senen, suban
):
    participant = attend(kelompok_kenari, 4, delegates=2)[0]
    # A change of a yes/no field, for the session's history.
    pages.client.force_login(lurah_kenari)
    delegate = reverse("sessions:participant_delegate", args=[kelompok_kenari.pk, participant.pk])
    assert pages.client.post(delegate).status_code == 302
    list_url = reverse("sessions:list")
    pages.check("sessions", list_url, user=camat_senen)
    pages.check("sessions, filtered", f"{list_url}?kind={Kind.KELOMPOK}", user=camat_senen)
    pages.check("sessions, page 2", f"{list_url}?per_page=1&page=2", user=camat_senen)
    pages.check("schedule a session", reverse("sessions:create"), user=lurah_kenari)
    pages.check(
        "schedule a session, invalid",
        reverse("sessions:create"),
        user=lurah_kenari,
        post={"date": "besok", "time": "pagi", "mode": "x"},
    )
    pages.check("session", kelompok_kenari.get_absolute_url(), user=lurah_kenari)
    pages.check("session, scheduled", musrenbang_senen.get_absolute_url(), user=camat_senen)
    pages.check(
        "edit session", reverse("sessions:edit", args=[musrenbang_senen.pk]), user=camat_senen
    )
    attendance = reverse("sessions:attendance", args=[kelompok_kenari.pk])
    pages.check("attendance", attendance, user=lurah_kenari)
    pages.check("attendance, invalid", attendance, user=lurah_kenari, post={"name": ""}, status=400)
    pages.check(
        "ranking", reverse("sessions:ranking", args=[kelompok_kenari.pk]), user=lurah_kenari
    )
    pages.check("delegate chosen", delegate, user=lurah_kenari, post={}, follow=True)
    start = reverse("sessions:start", args=[musrenbang_senen.pk])
    pages.check("session started", start, user=camat_senen, post={}, follow=True)
    pleno = reverse("sessions:pleno_pembuka_all")
    pages.check("opening plenaries", pleno, user=suban)
    pages.check("opening plenaries, invalid", pleno, user=suban, post={"date": ""})
    pages.assert_clean()


def test_a_closed_sidang_kelompok_speaks_one_language(pages, kelompok_kenari, lurah_kenari):
    attend(kelompok_kenari, 3)
    save(kelompok_kenari, lurah_kenari, placements(kelompok_kenari, utama=4))
    ranking = reverse("sessions:ranking", args=[kelompok_kenari.pk])
    pages.check("ranking, saved", ranking, user=lurah_kenari)
    # Closed by a lurah who reads English: the decisions and the journey keep one language.
    close = reverse("sessions:close", args=[kelompok_kenari.pk])
    pages.check("closing, to confirm", close, user=lurah_kenari)
    pages.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages.client.post(close, {"shortfall_reason": "Anggaran terbatas."}, follow=True)
    assert Minutes.objects.filter(sidang=kelompok_kenari).exists()
    pages.check("sidang kelompok, closed", kelompok_kenari.get_absolute_url(), user=lurah_kenari)
    pages.check("ranking, closed", ranking, user=lurah_kenari)
    reserve = kelompok_kenari.candidates.exclude(decision="utama").first().proposal
    pages.check("tracker, a reserve", reverse("tracker_proposal", args=[reserve.code]))
    pages.assert_clean()


def test_a_closed_session_and_its_verification_speak_one_language(pages, cycle, senen, camat_senen):
    pleno = schedule(
        cycle,
        Kind.PLENO_PEMBUKA,
        senen,
        state="in_progress",
        starts_at=datetime.datetime(2024, 2, 26, 9, 0, tzinfo=JAKARTA),
    )
    attend(pleno, 3)
    # Closed by a camat who reads English: the trail names the sidang in the page's language.
    pages.client.force_login(camat_senen)
    pages.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages.client.post(reverse("sessions:close", args=[pleno.pk]), follow=True)
    pages.check("closed session", pleno.get_absolute_url(), user=camat_senen)
    code = Minutes.objects.get(sidang=pleno).code
    pages.check("verification", reverse("sessions:verify", args=[code]))
    pages.assert_clean()
