"""Forms for committees, people and memberships: they parse and check the input; the writes
are the services' (committees/services.py)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Committee, Membership, Person

DATE_INPUT = {"type": "date"}
# Addresses under /udvalg/ that are not committees (committees/urls.py).
RESERVED_SLUGS = {"nyt", "personer", "medlemskaber", "forvaltninger"}


def _date(label, *, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )


def error_summary(*forms_) -> list[dict]:
    """Every error of the given forms, with the id of the field it belongs to (for the
    summary at the top of the page)."""
    entries = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        entries += [{"anchor": "", "label": "", "message": e} for e in form.non_field_errors()]
        for field in form:
            for message in field.errors:
                entries.append(
                    {
                        "anchor": field.id_for_label or field.auto_id,
                        "label": field.label,
                        "message": message,
                    }
                )
    return entries


class CommitteeForm(forms.ModelForm):
    """All of a committee, for an administrator."""

    period_start = _date(_("Period start"))
    period_end = _date(
        _("Period end"), help_text=_("Required for a special committee (§ 17, stk. 4).")
    )
    established_on = _date(
        _("Date of the decision"),
        help_text=_("For a special committee: the date of the city council's decision."),
    )

    class Meta:
        model = Committee
        fields = [
            "name",
            "short_name",
            "slug",
            "kind",
            "administration",
            "mandate",
            "period_start",
            "period_end",
            "established_by",
            "established_on",
        ]
        help_texts = {
            "slug": _("Used in the committee's address, e.g. “tmu”."),
        }

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("“%(slug)s” is the address of another page: choose another slug."),
                params={"slug": slug},
            )
        return slug

    def clean(self):
        data = super().clean()
        if data.get("kind") == Committee.Kind.SPECIAL_COMMITTEE:
            missing = {
                "established_by": _("Give the city council's decision that set it up."),
                "established_on": _("Give the date of the city council's decision."),
                "period_end": _("A special committee is set up for a limited time: give its end."),
            }
            for name, message in missing.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data


class CommitteeMandateForm(forms.ModelForm):
    """What a committee's secretariat keeps up to date: its mandate."""

    class Meta:
        model = Committee
        fields = ["mandate"]


class CommitteeEndForm(forms.Form):
    period_end = _date(_("Last day of the committee"), required=True)

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee

    def clean_period_end(self):
        day = self.cleaned_data["period_end"]
        if self.committee.period_start and day < self.committee.period_start:
            raise forms.ValidationError(
                _("The committee cannot end before its period starts (%(day)s)."),
                params={"day": self.committee.period_start.strftime("%d.%m.%Y")},
            )
        return day


class PersonForm(forms.ModelForm):
    user = forms.ModelChoiceField(
        label=_("Login"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("The user account of the person, so that “my committees” work for them."),
    )

    class Meta:
        model = Person
        fields = ["name", "party", "administration", "email", "user"]
        help_texts = {
            "party": _("For a politician, e.g. “Socialdemokratiet (A)”."),
            "administration": _("For a member of staff: the administration they work in."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = Person.objects.filter(user__isnull=False)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(pk__in=taken.values("user_id"))
            .order_by("username")
        )
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.username})" if user.get_full_name() else user.username
        )


class MembershipForm(forms.ModelForm):
    """A seat in ``committee``: who (when new), which role, from and to."""

    start_date = _date(_("From"), required=True)
    end_date = _date(_("To"), help_text=_("Leave empty while the membership lasts."))

    class Meta:
        model = Membership
        fields = ["person", "role", "start_date", "end_date"]

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.committee = committee
        if self.instance.pk:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = Person.objects.order_by("name", "pk")
            self.fields["person"].help_text = _("The party is the person's own.")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The membership cannot end before it starts."))
        return data


class MembershipEndForm(forms.Form):
    end_date = _date(_("Last day of the membership"), required=True)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean_end_date(self):
        day = self.cleaned_data["end_date"]
        if day < self.membership.start_date:
            raise forms.ValidationError(
                _("The membership cannot end before it starts (%(day)s)."),
                params={"day": self.membership.start_date.strftime("%d.%m.%Y")},
            )
        return day
