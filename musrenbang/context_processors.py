"""Template context shared by every page: the navigation the user's roles may use, and the
count of their unread notices (asked only when a page shows it)."""

from musrenbang.navigation import menu_for, unread_for


def navigation(request):
    return {"nav_items": menu_for(request), "unread_notices": unread_for(request)}
