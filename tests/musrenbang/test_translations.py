"""Every user-facing string has its English translation (Indonesian is the source language)."""

import re
from pathlib import Path

CATALOG = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries(text: str):
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        if msgid:
            yield block, "".join(re.findall(r'"(.*)"', msgid.group(1))), msgstrs


def test_every_string_is_translated_to_english():
    untranslated = [
        msgid
        for block, msgid, msgstrs in entries(CATALOG.read_text(encoding="utf-8"))
        if msgid
        and ("#, fuzzy" in block or any(not "".join(re.findall(r'"(.*)"', s)) for s in msgstrs))
    ]
    assert untranslated == []
