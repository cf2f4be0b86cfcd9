"""Template context shared by every page: the navigation the user's roles may use."""

from musrenbang.navigation import menu_for


def navigation(request):
    return {"nav_items": menu_for(request)}
