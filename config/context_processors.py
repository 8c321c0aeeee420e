from config.roles import ADMINISTRATOR, CASEWORKER, POLITICIAN, SECRETARY, user_roles


def roles(request):
    """Role flags for navigation; the server checks permissions again in every view."""
    names = user_roles(getattr(request, "user", None)) if hasattr(request, "user") else set()
    return {
        "role_caseworker": CASEWORKER in names,
        "role_secretary": SECRETARY in names,
        "role_politician": POLITICIAN in names,
        "role_administrator": ADMINISTRATOR in names,
    }
