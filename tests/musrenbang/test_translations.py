"""Every user-facing string has its English translation (Indonesian is the source language).

The catalogue is extracted afresh from a scratch copy of the sources, so a string added to a
template or module and never translated fails here, not in front of a user; the project's own
catalogue is never touched.
"""

import shutil
from pathlib import Path

import polib
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["areas", "musrenbang", "notices", "proposals", "sessions", "templates"]
CATALOG = Path("locale") / "en" / "LC_MESSAGES" / "django.po"


def test_every_string_in_the_code_is_translated_to_english(settings, tmp_path, monkeypatch):
    for folder in SOURCES:
        shutil.copytree(
            ROOT / folder,
            tmp_path / folder,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "data"),
        )
    (tmp_path / CATALOG).parent.mkdir(parents=True)
    shutil.copy(ROOT / CATALOG, tmp_path / CATALOG)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], no_location=True, verbosity=0)

    catalog = polib.pofile(str(tmp_path / CATALOG))
    missing = [e.msgid for e in catalog if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert missing == [], "untranslated: run makemessages -l en and translate these"
    assert fuzzy == [], "fuzzy: check these translations"
