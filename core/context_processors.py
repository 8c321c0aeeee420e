from core import pagecache
from core.roles import ADMINISTRATOR, CASEWORKER, POLITICIAN, SECRETARY, user_roles


def roles(request):
    """Role flags for navigation; the server checks permissions again in every view."""
    user = getattr(request, "user", None)
    # The menu needs the role names only: what else a page wanted it has read by now.
    names = user_roles(user, only=True) if user is not None else set()
    return {
        "role_caseworker": CASEWORKER in names,
        "role_secretary": SECRETARY in names,
        "role_politician": POLITICIAN in names,
        "role_administrator": ADMINISTRATOR in names,
    }


def reader(request):
    """The signed-in user's name for the header, and the CSRF token.

    A page rendered for the page cache (``core.pagecache.shared_page``) gets
    placeholders instead, filled in for each reader when the page is served. This
    processor comes after Django's built-in CSRF processor, so its token wins.
    """
    if getattr(request, "render_shared_page", False):
        return {
            "csrf_token": pagecache.CSRF_PLACEHOLDER,
            "user_display_name": pagecache.NAME_PLACEHOLDER,
        }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_display_name": pagecache.display_name(user)}
