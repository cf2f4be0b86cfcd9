# ruff: noqa: E501 (the matrix reads best with one URL to a line)
"""The permission matrix: every URL against every role, in and out of its area, GET and POST.

Every URL of the project is requested by every role and anonymously, by GET and by POST, on an
object inside the role's area (Kenari, in Kecamatan Senen, Jakarta Pusat) and on one outside it
(Jakarta Selatan). The expected answers are the table below; a URL added to the URL
configuration without a row fails `test_every_url_has_a_row`.

Each cell reads "GET-inside GET-outside POST-inside POST-outside", or "GET POST" where the URL
takes no object. 200 is a page, 302 a redirect (to sign-in for visitors, back to the page after
an action), 400 a refused form, 403 an official who sees the object but may not do this, 404 an
object outside the official's reach (or a page their role does not have), 405 a method the URL
does not take, 409 a stale ranking. POSTs carry no fields; each request runs in a transaction
that is rolled back, so every cell starts from the same data.

The Django admin's URLs come from the admin, not from this table: test_admin_answers_by_rule
checks each registered model's pages by rule.
"""

import copy
import hashlib
import os

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from notices.services import notify
from proposals.models import Attachment, Progress
from sessions.models import Kind, Minutes, Sidang, SignedScan
from tests.conftest import official
from tests.pokir_fixtures import make_dapil, make_recess
from tests.proposal_fixtures import make_proposal, road_item
from tests.proposals.files import PNG
from tests.realisation_fixtures import accommodate
from tests.session_fixtures import attend, schedule

ROLES = ["anonymous", "rw", "lurah", "camat", "ukpd", "planning", "observer", "dprd", "superuser"]
CAST = {
    "rw": "rw_kenari_001",
    "lurah": "lurah_kenari",
    "camat": "camat_senen",
    "ukpd": "ukpd_binamarga",
    "planning": "suban",
    "observer": "dewan",
    "dprd": "dprd_senen",
    "superuser": "superuser",
}

# fmt: off
EXPECTED = {
    # url name                         anonymous, rw, lurah, camat, ukpd, planning, observer, dprd, superuser
    "accounts:password_change":       ("302 302", "200 200", "200 200", "200 200", "200 200", "200 200", "200 200", "200 200", "200 200"),
    "accounts:password_change_done":  ("302 302", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405"),
    "home":                           ("200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405"),
    "login":                          ("200 200", "302 302", "302 302", "302 302", "302 302", "302 302", "302 302", "302 302", "302 302"),
    "logout":                         ("405 302", "405 302", "405 302", "405 302", "405 302", "405 302", "405 302", "405 302", "405 302"),
    "notices:inbox":                  ("302 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405"),
    "notices:open":                   ("302 302 302 302", "302 404 302 404", "404 404 404 404", "404 404 404 404", "404 404 404 404", "404 404 404 404", "404 404 404 404", "404 404 404 404", "404 404 404 404"),
    "notices:read_all":               ("405 302", "405 302", "405 302", "405 302", "405 302", "405 302", "405 302", "405 302", "405 302"),
    "proposals:accept":               ("302 302 302 302", "405 405 403 404", "405 405 302 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 302 302"),
    "proposals:attachment":           ("302 302 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 200 405 405"),
    "proposals:carried":              ("302 302", "200 400", "404 404", "404 404", "404 404", "404 404", "404 404", "404 404", "404 404"),
    "proposals:ceilings":             ("302 302 302 302", "404 404 404 404", "404 404 404 404", "404 404 404 404", "404 404 404 404", "200 404 400 404", "404 404 404 404", "404 404 404 404", "200 200 400 400"),
    "proposals:columns":              ("405 302", "405 302", "405 302", "405 302", "405 302", "405 302", "405 302", "405 302", "405 302"),
    "proposals:create":               ("302 302", "200 200", "404 404", "404 404", "404 404", "404 404", "404 404", "404 404", "404 404"),
    "proposals:cycle_open":           ("302 302", "404 404", "404 404", "404 404", "404 404", "200 200", "404 404", "404 404", "200 200"),
    "proposals:decide":               ("302 302 302 302", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 400 404", "405 405 403 404", "405 405 403 404", "405 405 400 400"),
    "proposals:decide_many":          ("302 302", "405 404", "405 404", "405 404", "405 404", "405 302", "405 404", "405 404", "405 302"),
    "proposals:validate_many":        ("302 302", "405 404", "405 400", "405 404", "405 404", "405 404", "405 404", "405 404", "405 400"),
    "proposals:detail":               ("302 302 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 200 405 405"),
    "proposals:edit":                 ("302 302 302 302", "403 404 403 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "403 403 403 403"),
    "proposals:import":               ("302 302", "404 404", "200 200", "404 404", "404 404", "200 200", "404 404", "404 404", "200 200"),
    "proposals:import_template":      ("302 302 405 405", "404 404 405 405", "200 200 405 405", "404 404 405 405", "404 404 405 405", "200 200 405 405", "404 404 405 405", "404 404 405 405", "200 200 405 405"),
    "proposals:pokir_create":         ("302 302 302 302", "404 404 404 404", "404 404 404 404", "404 404 404 404", "404 404 404 404", "403 404 403 404", "403 404 403 404", "200 404 200 404", "403 403 403 403"),
    "proposals:progress":             ("302 302 302 302", "403 404 403 404", "403 404 403 404", "403 404 403 404", "200 404 400 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "200 200 400 400"),
    "proposals:list":                 ("302 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405"),
    "proposals:map":                  ("302 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405"),
    "proposals:map_points":           ("302 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405"),
    "proposals:receipt":              ("302 302 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 200 405 405"),
    "proposals:renja_xlsx":           ("302 405", "404 405", "404 405", "404 405", "404 405", "200 405", "200 405", "404 405", "200 405"),
    "proposals:recess":               ("302 302 405 405", "404 404 405 405", "404 404 405 405", "404 404 405 405", "404 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 200 405 405"),
    "proposals:recess_create":        ("302 302", "404 404", "404 404", "404 404", "404 404", "404 404", "404 404", "200 200", "404 404"),
    "proposals:recess_list":          ("302 405", "404 405", "404 405", "404 405", "404 405", "200 405", "200 405", "200 405", "200 405"),
    "proposals:return":               ("302 302 302 302", "405 405 403 404", "405 405 400 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 400 400"),
    "proposals:sub_activities":       ("302 302", "404 404", "404 404", "404 404", "404 404", "200 200", "404 404", "404 404", "200 200"),
    "proposals:submit":               ("302 302 302 302", "302 404 302 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "302 302 302 302"),
    "proposals:survey":               ("302 302 302 302", "403 404 403 404", "403 404 403 404", "403 404 403 404", "200 404 200 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "403 403 403 403"),
    "proposals:survey_queue":         ("302 405", "404 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405"),
    "recap":                          ("200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405"),
    "recap_pdf":                      ("200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405"),
    "recap_xlsx":                     ("200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405"),
    "sessions:attendance":            ("302 302 302 302", "404 404 404 404", "200 404 400 404", "200 404 403 404", "200 404 403 404", "200 404 403 404", "200 404 403 404", "200 404 403 404", "200 200 400 400"),
    "sessions:attendance_sheet_pdf":  ("302 302 405 405", "404 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 200 405 405"),
    "sessions:candidates_refresh":    ("302 302 302 302", "405 405 404 404", "405 405 302 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 302 302"),
    "sessions:close":                 ("302 302 302 302", "404 404 404 404", "200 404 400 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "200 200 400 400"),
    "sessions:create":                ("302 302", "200 200", "200 200", "200 200", "404 404", "200 200", "404 404", "404 404", "200 200"),
    "sessions:detail":                ("302 302 405 405", "404 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 200 405 405"),
    "sessions:edit":                  ("302 302 302 302", "404 404 404 404", "200 404 200 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "403 404 403 404", "200 200 200 200"),
    "sessions:list":                  ("302 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405"),
    "sessions:minutes_pdf":           ("302 302 405 405", "404 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 404 405 405", "200 200 405 405"),
    "sessions:participant_delegate":  ("302 302 302 302", "405 405 404 404", "405 405 302 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 302 302"),
    "sessions:participant_remove":    ("302 302 302 302", "405 405 404 404", "405 405 302 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 302 302"),
    "sessions:participants_invite":   ("302 302 302 302", "405 405 404 404", "405 405 302 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 302 302"),
    "sessions:participants_present":  ("302 302 302 302", "405 405 404 404", "405 405 302 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 302 302"),
    "sessions:pleno_pembuka_all":     ("302 302", "404 404", "404 404", "404 404", "404 404", "200 200", "404 404", "404 404", "200 200"),
    "sessions:ranking":               ("302 302 302 302", "404 404 404 404", "200 404 400 404", "200 404 403 404", "200 404 403 404", "200 404 403 404", "200 404 403 404", "200 404 403 404", "200 200 400 400"),
    "sessions:scan_upload":           ("302 302 302 302", "405 405 404 404", "405 405 302 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 302 302"),
    "sessions:start":                 ("302 302 302 302", "405 405 404 404", "405 405 302 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 403 404", "405 405 302 302"),
    "sessions:verify":                ("200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405"),
    "sessions:verify_download":       ("200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405"),
    "sessions:verify_scan":           ("200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405"),
    "set_language":                   ("302 302", "302 302", "302 302", "302 302", "302 302", "302 302", "302 302", "302 302", "302 302"),
    "tracker":                        ("200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405", "200 405"),
    "tracker_photo":                  ("200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405"),
    "tracker_proposal":               ("200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405", "200 200 405 405"),
}
# fmt: on

CASES = {"count": 0}  # requests made, reported at the end of the run (tests/conftest.py)


# -- The URLs ---------------------------------------------------------------------------------


def project_urls() -> dict[str, list[str]]:
    """Every named URL outside the admin, with the names of its parameters."""
    found: dict[str, list[str]] = {}

    def walk(patterns, namespace: str, params: list[str]) -> None:
        for pattern in patterns:
            names = params + list(getattr(pattern.pattern, "converters", {}))
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = pattern.namespace or namespace
                walk(pattern.url_patterns, f"{inner}:" if pattern.namespace else namespace, names)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found[f"{namespace}{pattern.name}"] = names

    walk(get_resolver().url_patterns, "", [])
    return found


def test_every_url_has_a_row():
    urls = set(project_urls())
    assert urls - set(EXPECTED) == set(), "URLs without a row in the permission matrix"
    assert set(EXPECTED) - urls == set(), "rows for URLs that no longer exist"


# -- The objects inside and outside ------------------------------------------------------------


def _minutes(sidang: Sidang, by) -> Minutes:
    """A closed sidang's berita acara, with the scan of its copy signed on paper."""
    minutes = Minutes(
        sidang=sidang,
        number=f"{sidang.pk}/BA",
        code=f"UJI{sidang.pk:06d}",
        sha256=hashlib.sha256(b"%PDF").hexdigest(),  # checked whenever it is served
        size=4,
    )
    minutes.file.save(f"uji-{sidang.pk}.pdf", ContentFile(b"%PDF"), save=False)
    minutes.save()
    scan = SignedScan(
        minutes=minutes, content_type="image/png", sha256="b" * 64, size=len(PNG), uploaded_by=by
    )
    scan.file.save(f"uji-{sidang.pk}.png", ContentFile(PNG), save=False)
    scan.save()
    Sidang.objects.filter(pk=sidang.pk).update(state="closed", closed_at=timezone.now())
    return minutes


def _attachment(proposal, by, token: str = "") -> Attachment:
    attachment = Attachment(
        proposal=proposal,
        token=token or f"{proposal.pk:032d}",
        kind="photo",
        content_type="image/png",
        original_name="foto.png",
        size=len(PNG),
        uploaded_by=by,
    )
    attachment.file.save(f"uji-{proposal.pk}.png", ContentFile(PNG), save=False)
    attachment.save()
    return attachment


def _realised(cycle, rw, item, by) -> Attachment:
    """An accommodated proposal of the RW, with a realisation report and its photo."""
    realisation = accommodate(make_proposal(cycle, rw, item, by), by)
    progress = Progress.objects.create(
        realisation=realisation,
        stage="pelaksanaan",
        percent=50,
        reported_on=timezone.localdate(),
        recorded_by=by,
    )
    photo = _attachment(realisation.proposal, by, token=f"r{realisation.pk:031d}")
    photo.progress = progress
    photo.save(update_fields=["progress"])
    return photo


@pytest.fixture
def places(
    rw_kenari,
    betonisasi,
    kelompok_kenari,
    cycle_jaksel,
    rw_jaksel,
    binamarga_jaksel,
    superuser,
    rw_kenari_001,
    recess_senen,
):
    """For each side, the objects a URL names: proposal, sidang (in progress), participant,
    attachment, the code of a closed berita acara (with its scan), and the photo of a
    realisation report of an accommodated proposal."""
    # A physical proposal of RW 001 on the sidang's table: in the reach of every role of the
    # cast, the RW's and Bina Marga's UKPD officer's included.
    inside_proposal = (
        kelompok_kenari.candidates.filter(
            proposal__target_unit=betonisasi.unit, proposal__rw=rw_kenari[0]
        )
        .first()
        .proposal
    )
    item = road_item(binamarga_jaksel)
    outside_proposal = make_proposal(cycle_jaksel, rw_jaksel, item, superuser, status="accepted")
    outside_sidang = schedule(cycle_jaksel, Kind.KELOMPOK, rw_jaksel.parent, state="in_progress")
    item_of = {"in": betonisasi, "out": item}
    jaksel_kecamatan = rw_jaksel.parent.parent
    dapil_jaksel = make_dapil(jaksel_kecamatan.parent, "Dapil Uji Jaksel", [jaksel_kecamatan])
    recess_of = {"in": recess_senen, "out": make_recess(cycle_jaksel, dapil_jaksel, superuser)}
    sides = {}
    for side, proposal, sidang, rembuk_area in (
        ("in", inside_proposal, kelompok_kenari, rw_kenari[0]),
        ("out", outside_proposal, outside_sidang, rw_jaksel),
    ):
        sides[side] = {
            "proposal": proposal,
            "sidang": sidang,
            "participant": attend(sidang, 1)[0],
            "attachment": _attachment(proposal, superuser),
            "progress_photo": _realised(sidang.cycle, rembuk_area, item_of[side], superuser),
            "minutes": _minutes(schedule(sidang.cycle, Kind.REMBUK_RW, rembuk_area), superuser),
            "recess": recess_of[side],
        }
    # A notice to the RW's official inside; outside, one to an RW official of Jakarta Selatan:
    # nobody but its addressee opens a notice, not even the superuser.
    outsider = official("rw.jaksel", "rw", area=rw_jaksel)
    for side, holder in (("in", rw_kenari_001), ("out", outsider)):
        [sides[side]["notice"]] = notify([holder], kind="uji", subject="Uji", text="Uji", url="/")
    return sides


# The URLs that name a DPRD member's recess.
RECESS_URLS = {"proposals:recess", "proposals:pokir_create"}
# The URLs about an accommodated proposal's realisation name that proposal.
REALISED = {"proposals:progress", "tracker_photo"}


def _args(name: str, params: list[str], objects: dict) -> list:
    proposal = objects["progress_photo"].proposal if name in REALISED else objects["proposal"]
    values = {
        "pk": objects["sidang"].pk if name.startswith("sessions:") else proposal.pk,
        # The pagu indikatif page names a cycle: the one of the side's sidang.
        **({"pk": objects["sidang"].cycle_id} if name == "proposals:ceilings" else {}),
        **({"pk": objects["notice"].pk} if name.startswith("notices:") else {}),
        **({"pk": objects["recess"].pk} if name in RECESS_URLS else {}),
        "attachment_pk": objects["attachment"].pk,
        "participant_pk": objects["participant"].pk,
        "token": objects["progress_photo"].token,
        "fmt": "xlsx",
        "code": objects["minutes"].code if name.startswith("sessions:verify") else proposal.code,
    }
    return [values[param] for param in params]


def _answer(client: Client, method: str, url: str) -> str:
    """One request, its writes rolled back and the client's cookies restored after it (a
    sign-out must not sign out the rest of the row)."""
    CASES["count"] += 1
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    client.cookies = cookies
    return str(response.status_code)


def _row(client: Client, name: str, params: list[str], places: dict) -> str:
    if not params:
        url = reverse(name)
        return f"{_answer(client, 'get', url)} {_answer(client, 'post', url)}"
    urls = [reverse(name, args=_args(name, params, places[side])) for side in ("in", "out")]
    return " ".join(_answer(client, method, url) for method in ("get", "post") for url in urls)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_everywhere(request, client, places, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(CAST[role]))
    column = ROLES.index(role)
    actual, wrong = {}, []
    for name, params in sorted(project_urls().items()):
        actual[name] = _row(client, name, params, places)
        expected = EXPECTED.get(name, ("?",) * len(ROLES))[column]
        if actual[name] != expected:
            wrong.append(f"{name}: expected {expected}, got {actual[name]}")
    if os.environ.get("MATRIX_PRINT"):
        print(f"\n{role}: " + repr(actual))
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


# -- The admin, by rule -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_admin_answers_by_rule(request, client, places, role):
    """Visitors and officials without staff status are sent to the admin's sign-in; the
    planning office (staff) opens what its role permits, and another kota's object is a 404."""
    user = None if role == "anonymous" else request.getfixturevalue(CAST[role])
    if user:
        client.force_login(user)
    objects = {
        "proposal": (places["in"]["proposal"], places["out"]["proposal"]),
        "sidang": (places["in"]["sidang"], places["out"]["sidang"]),
    }
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        urls = [reverse("admin:{}_{}_changelist".format(*info))]
        pair = objects.get(model._meta.model_name)
        if pair:
            urls += [reverse("admin:{}_{}_change".format(*info), args=[obj.pk]) for obj in pair]
        for index, url in enumerate(urls):
            answer = _answer(client, "get", url)
            if user is None or not user.is_staff:
                assert answer == "302", (role, url)
            elif user.is_superuser:
                assert answer == "200", (role, url)
            elif index == 2:  # another kota's object
                assert answer in ("404", "403"), (role, url, answer)
            else:
                allowed = model_admin.has_view_permission(_request_for(user))
                assert answer == ("200" if allowed else "403"), (role, url, answer)


def _request_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request
