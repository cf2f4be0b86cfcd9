"""The main menu: each entry names who may use it, so nobody sees a link they cannot follow.

The menu holds one line at 1280 px for every role: the entries a user works with every day stand
in the bar, the rest (the administration) in the account menu beside the user's password.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from areas.scope import reach
from notices.models import Notice

ANYONE = "anyone"
SIGNED_IN = "signed_in"
STAFF = "staff"


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str
    audience: frozenset[str]  # roles, or ANYONE / SIGNED_IN / STAFF
    unread: bool = False  # shows the count of the user's unread notices beside its label
    in_account_menu: bool = False  # listed in the account menu rather than in the bar


def unread_count(user) -> int:
    """The user's unread notices: one COUNT on the partial index of unread notices."""
    return Notice.objects.visible_to(user).unread().count()


MENU = [
    Entry("home", _("Beranda"), frozenset({ANYONE})),
    Entry("proposals:list", _("Usulan"), frozenset({SIGNED_IN})),
    Entry(
        "proposals:survey_queue",
        _("Survei"),
        frozenset({"ukpd", "lurah", "camat", "planning", "observer"}),
    ),
    # A DPRD member works in their recesses; the kota's offices (and the superuser) read them
    # now and then, from the account menu. A page is listed once, at its first allowed entry.
    Entry(
        "proposals:recess_list",
        _("Reses DPRD"),
        frozenset({"planning", "observer"}),
        in_account_menu=True,
    ),
    Entry("proposals:recess_list", _("Reses"), frozenset({"dprd"})),
    Entry("sessions:list", _("Sidang"), frozenset({SIGNED_IN})),
    Entry("notices:inbox", _("Notifikasi"), frozenset({SIGNED_IN}), unread=True),
    Entry("recap", _("Rekap"), frozenset({ANYONE})),
    Entry("tracker", _("Lacak usulan"), frozenset({ANYONE})),
    Entry("admin:index", _("Administrasi"), frozenset({STAFF}), in_account_menu=True),
]


def _allowed(entry: Entry, user) -> bool:
    if ANYONE in entry.audience:
        return True
    if not user.is_authenticated:
        return False
    if SIGNED_IN in entry.audience or user.is_superuser:
        return True
    if STAFF in entry.audience:
        return user.is_staff
    return bool(reach(user).roles & entry.audience)


def unread_for(request):
    """The count of the user's unread notices, asked once per request and only if a page shows
    it; none for a visitor."""
    if not hasattr(request, "_unread_notices"):
        user = request.user
        request._unread_notices = SimpleLazyObject(
            lambda: unread_count(user) if user.is_authenticated else 0
        )
    return request._unread_notices


def menu_for(request) -> list[dict]:
    items = []
    for entry in MENU:
        if not _allowed(entry, request.user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        if any(item["url"] == url for item in items):
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        count = unread_for(request) if entry.unread else None
        items.append(
            {
                "url": url,
                "label": entry.label,
                "active": active,
                "count": count,
                "in_account_menu": entry.in_account_menu,
            }
        )
    return items
