"""The four roles as auth groups, with their model permissions.

The groups are created and kept in step by migrations (``core/migrations``)
that call :func:`sync_roles`; a migration that adds a model calls it again.
Group names are what administrators see, so they are in Danish.
"""

CASEWORKER = "Sagsbehandler"
SECRETARY = "Udvalgssekretær"
POLITICIAN = "Politiker"
ADMINISTRATOR = "Administrator"

ROLES = (CASEWORKER, SECRETARY, POLITICIAN, ADMINISTRATOR)
DOMAIN_APPS = ("committees", "cases", "helhedsplaner")

# Models each role may add and change, as "app.model"; everybody with a role may view all
# domain models (closed agenda items are filtered on top of this, per committee).
EDITABLE = {
    CASEWORKER: [
        "helhedsplaner.plan",
        "helhedsplaner.estate",
        "helhedsplaner.planstatuschange",
        "helhedsplaner.cofinancing",
        "helhedsplaner.commitmentcorrection",
        "helhedsplaner.housingcontribution",
        "helhedsplaner.indicatorvalue",
        # Reference data, their administration's own (helhedsplaner.manage_reference_data).
        "helhedsplaner.area",
        "helhedsplaner.housingorganisation",
        "helhedsplaner.lbfperiod",
        "helhedsplaner.focusarea",
        "helhedsplaner.indicator",
        "cases.case",
        "cases.agendaitem",
        "cases.recommendationpoint",
        "cases.attachment",
    ],
    SECRETARY: [
        "committees.meeting",
        "committees.followupgroupmeeting",
        "committees.followupgroup",
        "committees.followupgroupmembership",
        "cases.case",
        "cases.agendaitem",
        "cases.recommendationpoint",
        "cases.attachment",
        "cases.decision",
        "cases.memberinquiry",
        "cases.agendaversion",
        "cases.decisionvote",
        "cases.correction",
        "committees.meetingabsence",
        # Their committees' mandate and memberships (committees.edit_committee,
        # committees.manage_memberships) and the common policy (helhedsplaner.manage_policy).
        "committees.committee",
        "committees.membership",
        "helhedsplaner.policy",
        "helhedsplaner.policygoal",
    ],
    POLITICIAN: [],
}
# Models each role may delete (besides the administrator, who may do everything).
DELETABLE = {
    CASEWORKER: [
        "helhedsplaner.estate",
        "cases.attachment",
        "cases.recommendationpoint",
        # Reference data nothing refers to (the services refuse the rest).
        "helhedsplaner.area",
        "helhedsplaner.housingorganisation",
        "helhedsplaner.lbfperiod",
        "helhedsplaner.focusarea",
        "helhedsplaner.indicator",
    ],
    SECRETARY: [
        "cases.attachment",
        "cases.recommendationpoint",
        "cases.decisionvote",
        "committees.meetingabsence",
        "committees.followupgroupmembership",
    ],
    POLITICIAN: [],
}


def sync_roles(apps, schema_editor=None) -> None:
    """Create the role groups and set their permissions (idempotent; usable in migrations)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Migration-state app configs have no models module; create_permissions needs one.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    domain = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS)

    def perms(model_labels, actions):
        wanted = set()
        for label in model_labels:
            app_label, model = label.split(".")
            for action in actions:
                wanted.add((app_label, f"{action}_{model}"))
        return [
            p
            for p in domain.select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]

    view_all = list(domain.filter(codename__startswith="view_"))
    for role in (CASEWORKER, SECRETARY, POLITICIAN):
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(
            view_all
            + perms(EDITABLE[role], ("add", "change"))
            + perms(DELETABLE[role], ("delete",))
        )
    admin_group, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    admin_group.permissions.set(
        list(domain) + list(Permission.objects.filter(content_type__app_label="auth"))
    )


# Reads about the user that a higher app adds to that one query (so core imports no app
# above it): kind -> (rows(user, kind) -> a values_list of three text columns whose first
# is ``kind``, or None to read nothing for this user; apply(user, rows) -> None caching
# what it read on the user).
_reads_with_roles: dict = {}


def read_with_roles(kind: str, rows, apply) -> None:
    """Register a read that rides along with :func:`load_roles_and_permissions` (by kind,
    so registering again replaces)."""
    _reads_with_roles[kind] = (rows, apply)


def load_roles_and_permissions(user, *, permissions: bool = True, reads: bool = True) -> None:
    """Read what the user may do in one query (a UNION) and cache it on the user object
    where :func:`user_roles`, the registered reads (:func:`read_with_roles`) and Django's
    ``ModelBackend`` look for it: the role names unless read already (with ``reads``, the
    registered reads along with them), and with ``permissions`` the model permissions
    (the user's and their groups') unless read already.

    A page that checks a permission first reads it all at once; one that asks the roles
    first reads them with the seats, and the permissions only if it checks one later.
    Before, each was a round trip of its own: roles, user permissions, group
    permissions, seats. The caches live as long as the user object, one request, as
    Django's do.
    """
    from django.contrib.auth.models import Group, Permission
    from django.db.models import CharField, Value

    def kind(name):
        return Value(name, output_field=CharField())

    parts = []
    applied = []  # (kind, apply) of the registered reads in this query
    read_roles = not hasattr(user, "_role_names")
    if read_roles:
        parts.append(
            Group.objects.filter(user=user).order_by().values_list(kind("role"), "name", "name")
        )
        if reads:
            for name, (rows_for, apply) in _reads_with_roles.items():
                part = rows_for(user, name)
                if part is not None:
                    parts.append(part)
                    applied.append((name, apply))
    # ModelBackend gives an inactive user no permissions (and caches none).
    read_permissions = permissions and user.is_active and not hasattr(user, "_perm_cache")
    if read_permissions:
        perms = Permission.objects.order_by()
        columns = ("content_type__app_label", "codename")
        if user.is_superuser:
            parts.append(perms.values_list(kind("all"), *columns))
        else:
            parts.append(perms.filter(group__user=user).values_list(kind("group"), *columns))
            parts.append(perms.filter(user=user).values_list(kind("user"), *columns))
    if not parts:
        return
    found: dict[str, set] = {"role": set(), "group": set(), "user": set(), "all": set()}
    extra: dict[str, list] = {name: [] for name, _apply in applied}
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for what, first, second in rows:
        if what in extra:
            extra[what].append((first, second))
        else:
            found[what].add(first if what == "role" else f"{first}.{second}")
    for name, apply in applied:
        apply(user, extra[name])
    if read_roles:
        user._role_names = found["role"] | ({ADMINISTRATOR} if user.is_superuser else set())
        if reads:
            user._grant_reads = extra
    if read_permissions:
        user._user_perm_cache = found["user"] | found["all"]
        user._group_perm_cache = found["group"] | found["all"]
        user._perm_cache = user._user_perm_cache | user._group_perm_cache


def grants(user) -> dict | None:
    """What :func:`load_roles_and_permissions` read for ``user`` (roles, the registered
    reads, model permissions), to keep for the user's next request, or None when it has
    not read all of it. :func:`restore_grants` puts it back. A cache that keeps it must
    key it by everything it depends on: ``core.pagecache`` keys it by the ``access``
    version (auth tables, memberships and people) and the day (memberships have periods).
    """
    if not all(hasattr(user, name) for name in ("_role_names", "_grant_reads", "_perm_cache")):
        return None
    return {
        "roles": sorted(user._role_names),
        "reads": user._grant_reads,
        "user": sorted(user._user_perm_cache),
        "group": sorted(user._group_perm_cache),
    }


def restore_grants(user, kept: dict) -> None:
    """Cache on ``user`` what :func:`grants` returned, as if just read (unless anything
    is read already): the request asks the database for none of it."""
    if any(hasattr(user, name) for name in ("_role_names", "_perm_cache")):
        return
    for name, rows in kept["reads"].items():
        if name in _reads_with_roles:
            _reads_with_roles[name][1](user, rows)
    user._grant_reads = kept["reads"]
    user._role_names = set(kept["roles"])
    user._user_perm_cache = set(kept["user"])
    user._group_perm_cache = set(kept["group"])
    user._perm_cache = user._user_perm_cache | user._group_perm_cache


def user_roles(user, *, only: bool = False) -> set[str]:
    """The user's role names, read with the registered reads (the committee seats the
    visibility rules ask next), not the permissions: many pages check none after this
    (and an administrator's checks need none). ``only``: the role names alone (the menu,
    rendered after whatever else the page asked)."""
    if user is None or not user.is_authenticated:
        return set()
    if not hasattr(user, "_role_names"):
        load_roles_and_permissions(user, permissions=False, reads=not only)
    return user._role_names


def is_administrator(user) -> bool:
    return ADMINISTRATOR in user_roles(user)


def ensure_roles() -> None:
    """Recreate the role groups if they are missing (e.g. after a test flushed the tables)."""
    from django.apps import apps as global_apps
    from django.contrib.auth.models import Group

    if Group.objects.filter(name__in=ROLES).count() < len(ROLES):
        sync_roles(global_apps)
