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
        "helhedsplaner.area",
        "helhedsplaner.housingorganisation",
        "cases.case",
        "cases.agendaitem",
        "cases.recommendationpoint",
        "cases.attachment",
    ],
    SECRETARY: [
        "committees.meeting",
        "committees.followupgroupmeeting",
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
    ],
    POLITICIAN: [],
}
# Models each role may delete (besides the administrator, who may do everything).
DELETABLE = {
    CASEWORKER: ["helhedsplaner.estate", "cases.attachment", "cases.recommendationpoint"],
    SECRETARY: [
        "cases.attachment",
        "cases.recommendationpoint",
        "cases.decisionvote",
        "committees.meetingabsence",
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


def user_roles(user) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            user._role_names.add(ADMINISTRATOR)
    return user._role_names


def is_administrator(user) -> bool:
    return ADMINISTRATOR in user_roles(user)


def ensure_roles() -> None:
    """Recreate the role groups if they are missing (e.g. after a test flushed the tables)."""
    from django.apps import apps as global_apps
    from django.contrib.auth.models import Group

    if Group.objects.filter(name__in=ROLES).count() < len(ROLES):
        sync_roles(global_apps)
