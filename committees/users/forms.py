"""Forms for user management: they parse the input; the rules are the services'."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordMixin
from django.utils.translation import gettext_lazy as _

from ..forms import error_summary  # noqa: F401  (re-exported for the views)
from .selectors import people_without_login, role_groups


class UserForm(forms.Form):
    """A login's details, roles, person and grant (no password, no staff or superuser)."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only. Used to sign in."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the user may do in the product."),
    )
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=None,
        required=False,
        help_text=_(
            "The person this login belongs to: their administration and committee seats "
            "decide what the user acts for."
        ),
    )
    act_for_all_administrations = forms.BooleanField(
        label=_("May act for every administration"),
        required=False,
        help_text=_("A caseworker may then write plans and commitments of every administration."),
    )

    def __init__(self, *args, user=None, **kwargs):
        if user is not None and "initial" not in kwargs:
            person = getattr(user, "person", None) if hasattr(user, "person") else None
            kwargs["initial"] = {
                "username": user.username,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "roles": [group.name for group in user.groups.all()],
                "person": person.pk if person else None,
                "act_for_all_administrations": bool(getattr(user, "act_for_all", [])),
            }
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [(group.name, group.name) for group in role_groups()]
        self.fields["person"].queryset = people_without_login(user=user)
        self.fields["person"].label_from_instance = lambda person: (
            f"{person.name} ({person.administration.code})"
            if person.administration
            else person.name
        )


def password_help_text() -> str:
    """The password rules as one line of text: Django's own help text is a <ul>, which HTML
    does not allow in the field's hint (a <span>, phrasing content)."""
    return " ".join(password_validation.password_validators_help_texts())


class UserCreateForm(SetPasswordMixin, UserForm):
    """A new login: its details and an initial password typed twice (the validators run
    in the service, which knows the user's name to compare with)."""

    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_help_text()

    def clean(self):
        self.validate_passwords()
        return super().clean()


class PasswordForm(SetPasswordMixin, forms.Form):
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("New password"), label2=_("New password confirmation")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_help_text()

    def clean(self):
        self.validate_passwords()
        return super().clean()


class ConfirmForm(forms.Form):
    """A confirm page's form: nothing to fill in."""
