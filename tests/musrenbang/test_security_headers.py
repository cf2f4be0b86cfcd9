"""Headers every page carries, and markup that the Content-Security-Policy lets through."""

import re

import pytest
from django.urls import reverse

INLINE = [
    (re.compile(r"<style[\s>]", re.I), "a <style> element"),
    (re.compile(r"\sstyle=", re.I), "a style attribute"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+=", re.I), "an inline event handler"),
]


def test_the_policy_allows_nothing_inline(client, db):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize(
    ("who", "page"),
    [
        (None, "home"),
        (None, "login"),
        (None, "tracker"),
        (None, "recap"),
        ("suban", "home"),
        ("suban", "proposals:list"),
        ("lurah_kenari", "proposals:detail"),
        ("lurah_kenari", "sessions:ranking"),
        ("superuser", "admin:proposals_proposal_changelist"),
        ("superuser", "admin:proposals_proposal_change"),
    ],
)
def test_pages_hold_nothing_the_policy_would_block(
    request, client, proposal_kenari, kelompok_kenari, who, page
):
    if who:
        client.force_login(request.getfixturevalue(who))
    args = {
        "proposals:detail": [proposal_kenari.pk],
        "admin:proposals_proposal_change": [proposal_kenari.pk],
        "sessions:ranking": [kelompok_kenari.pk],
    }.get(page, [])
    response = client.get(reverse(page, args=args))
    assert response.status_code == 200
    html = response.content.decode()
    found = [what for pattern, what in INLINE if pattern.search(html)]
    assert not found, f"{page} holds {', '.join(found)}"
    assert response["X-Frame-Options"] == "DENY"


def test_refusals_are_explained_in_indonesian(client, camat_senen, proposal_kenari, settings):
    settings.DEBUG = False
    client.force_login(camat_senen)
    refused = client.post(reverse("proposals:accept", args=[proposal_kenari.pk]))
    assert refused.status_code == 403 and "Tidak diizinkan" in refused.content.decode()
    missing = client.get(reverse("proposals:detail", args=[proposal_kenari.pk + 999]))
    assert missing.status_code == 404 and "Halaman tidak ditemukan" in missing.content.decode()
