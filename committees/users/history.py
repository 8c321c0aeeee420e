"""The history of logins: django's User tracked by django-simple-history in this app.

The password hash and the last sign-in are never recorded; the roles (groups) and the
per-user permissions are, as many-to-many fields, and read by name on the history tab.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save

EXCLUDED_FIELDS = ["password", "last_login"]
M2M_FIELDS = ["groups", "user_permissions"]
# A save by user_create/password_set that only sets the password says so (history reason).
PASSWORD_SET = "password_set"


def _skip_sign_in_stamp(sender, instance, update_fields=None, **_kwargs):
    # Signing in saves last_login only: not a change anybody made, so no history row.
    if update_fields is not None and set(update_fields) == {"last_login"}:
        instance.skip_history_when_saving = True


def _after_save(sender, instance, **_kwargs):
    instance.__dict__.pop("skip_history_when_saving", None)


def register() -> None:
    import simple_history
    from simple_history.exceptions import MultipleRegistrationsError

    User = get_user_model()
    try:
        simple_history.register(
            User, app="committees", excluded_fields=EXCLUDED_FIELDS, m2m_fields=M2M_FIELDS
        )
    except MultipleRegistrationsError:
        return
    pre_save.connect(_skip_sign_in_stamp, sender=User, dispatch_uid="user-history-skip-login")
    # Connected after simple-history's own post_save, so it runs after it.
    post_save.connect(_after_save, sender=User, dispatch_uid="user-history-after-save")
