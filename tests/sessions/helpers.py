"""Helpers several session test modules share: a page's address and text, a PDF's text."""

import io
import re

from django.urls import reverse
from pypdf import PdfReader

from sessions.models import Participant, Sidang


def url(name: str, sidang: Sidang, participant: Participant | None = None) -> str:
    args = [sidang.pk] if participant is None else [sidang.pk, participant.pk]
    return reverse(f"sessions:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


NEW_PERSON = {
    "category": "tokoh_masyarakat",
    "name": "Haji Sulaiman",
    "institution": "Masjid Al-Ikhlas",
    "presence": "luring",
}


def pdf_pages(content: bytes) -> list[str]:
    return [
        re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages
    ]


def pdf_text(content: bytes) -> str:
    return " ".join(pdf_pages(content))
