"""Forms for co-financing: they parse and validate input; the services do the writing."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.selectors import user_can_see_closed
from committees.models import Administration
from committees.rules import administrations_writable
from core.templatetags.dk import date_text
from core.validation import SaneDateField, SaneYearField

from ..models import CoFinancing, CoFinancingPool, Plan
from .selectors import STATUS_FILTERS

_DANISH_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d{1,2})?$")
_PLAIN = re.compile(r"^-?\d+(,\d{1,2})?$")


def danish_amount(value: Decimal | None) -> str:
    """1250000 -> "1.250.000"; 1250000.5 -> "1.250.000,50" (for form initial values)."""
    if value in (None, ""):
        return ""
    value = Decimal(value)
    whole = int(value)
    text = f"{whole:,}".replace(",", ".")
    if value != whole:
        text += f",{int(abs(value - whole) * 100):02d}"
    return text


class AmountInput(forms.TextInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int):
            return danish_amount(value)
        return super().format_value(value)


class AmountField(forms.DecimalField):
    """An amount in kroner written the Danish way: "1.250.000", "1250000" or "1250000,50"."""

    widget = AmountInput
    default_error_messages = {
        "invalid": _(
            "Write the amount in kroner with a comma for øre, e.g. 1.250.000 or 1250000,50."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower().removesuffix("kr.").removesuffix("kr").strip()
        text = text.replace(" ", "").replace("\u00a0", "")
        if _DANISH_GROUPED.match(text):
            text = text.replace(".", "")
        elif not _PLAIN.match(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class ItemChoiceField(forms.ModelChoiceField):
    """Agenda items by committee, date and number; closed ones masked as on the case page."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def label_from_instance(self, item):
        date = date_text(item.meeting.starts_at, "j. F Y")
        where = f"{item.meeting.committee.short_name} {date}, {_('item')} {item.number}"
        if item.is_closed and not user_can_see_closed(self.user, item.meeting.committee_id):
            return f"{where}: {_('Closed item')}"
        return f"{where}: {item.title} ({item.case.number})"


class Form(forms.Form):
    """Labels without a trailing colon (the labels sit above their inputs)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class CommitmentForm(Form):
    plan = forms.ModelChoiceField(
        label=_("Helhedsplan"), queryset=Plan.objects.order_by("name"), empty_label=_("Choose…")
    )
    administration = forms.ModelChoiceField(
        label=pgettext_lazy("municipal administration", "Administration"),
        queryset=Administration.objects.order_by("name"),
        empty_label=_("Choose…"),
        help_text=_("The administration that commits the money."),
    )
    year = SaneYearField(
        label=_("Year"),
        help_text=_("The budget year the money is for, e.g. 2027."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    amount = AmountField(label=_("Amount (DKK)"), help_text=_("E.g. 1.250.000."))
    source = forms.ChoiceField(
        label=_("Source"),
        choices=CoFinancing.Source.choices,
        initial=CoFinancing.Source.OWN_BUDGET,
        widget=forms.RadioSelect,
    )
    pool = forms.ModelChoiceField(
        label=_("Pool"),
        queryset=CoFinancingPool.objects.order_by("-start_year", "name"),
        required=False,
        empty_label=_("None"),
        help_text=_("Only when the source is the shared pool."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Commitments of the user's own administration only (helhedsplaner/rules.py).
        self.fields["administration"].queryset = administrations_writable(user)

    def clean(self):
        data = super().clean()
        source, pool = data.get("source"), data.get("pool")
        if source == CoFinancing.Source.POOL and not pool and "pool" not in self.errors:
            self.add_error("pool", _("Choose the pool the money comes from."))
        if source == CoFinancing.Source.OWN_BUDGET and pool:
            self.add_error("pool", _("Choose a pool only when the source is the shared pool."))
        return data


class CommitmentEditForm(CommitmentForm):
    """The commitment form with the version it was loaded with (core.versioning)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class GrantForm(Form):
    item = ItemChoiceField(
        label=_("The committee's decision (agenda item)"),
        queryset=None,
        empty_label=_("Choose…"),
        help_text=_(
            "Items on meetings that have been held, about this plan or recommended by this "
            "administration."
        ),
    )

    def __init__(self, *args, items, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["item"].user = user


class WithdrawForm(Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, reason_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.required = reason_required
        field.help_text = (
            _("Required: the commitment has been granted, so the reason is recorded.")
            if reason_required
            else _("Optional.")
        )


class CorrectionForm(CommitmentForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with the correction and shown in its history."),
    )
    decided_by_item = ItemChoiceField(
        label=_("New decision (agenda item)"),
        queryset=None,
        required=False,
        empty_label=_("None – a correction of an error"),
        help_text=_("If a new committee decision changed the commitment, choose it here."),
    )
    field_order = ["reason", "decided_by_item"]

    def __init__(self, *args, items, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["decided_by_item"].queryset = items
        self.fields["decided_by_item"].user = user


class HousingContributionForm(Form):
    amount = AmountField(label=_("Amount (DKK)"), help_text=_("E.g. 1.250.000."))
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        help_text=_("E.g. the housing organisation's disposition fund or staff hours."),
    )


class PoolForm(Form):
    """A shared pool: its name, the years it covers and its budget."""

    name = forms.CharField(label=_("Name"), max_length=200)
    start_year = SaneYearField(
        label=_("First year"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    end_year = SaneYearField(
        label=_("Last year"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    budget = AmountField(
        label=_("Budget (DKK)"),
        help_text=_("E.g. 20.000.000. It cannot be lower than what has been granted from it."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The last year cannot be before the first year."))
        return data


class ConfirmForm(forms.Form):
    """A removal is confirmed with its button (an empty POST removes nothing)."""

    confirm = forms.BooleanField(required=True, widget=forms.HiddenInput)


PLAN_STATUS_CHOICES = [("", _("All"))] + list(Plan.Status.choices)


class OverviewFilterForm(Form):
    """Filters carried in the URL (GET), shared by the list and the overviews."""

    administration = forms.ModelChoiceField(
        label=pgettext_lazy("municipal administration", "Administration"),
        queryset=Administration.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    plan = forms.ModelChoiceField(
        label=_("Helhedsplan"),
        queryset=Plan.objects.order_by("name"),
        required=False,
        empty_label=_("All"),
    )
    year_from = SaneYearField(
        label=_("From year"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    year_to = SaneYearField(
        label=_("To year"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    pool = forms.ModelChoiceField(
        label=_("Pool"),
        queryset=CoFinancingPool.objects.order_by("-start_year", "name"),
        required=False,
        empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("Commitment status"),
        choices=[("", _("All"))] + [(key, label) for key, (label, _s) in STATUS_FILTERS.items()],
        required=False,
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[("", _("All")), *CoFinancing.Source.choices],
        required=False,
    )
    plan_status = forms.ChoiceField(
        label=_("Plan status"), choices=PLAN_STATUS_CHOICES, required=False
    )

    def __init__(self, *args, fields=None, default_status="", **kwargs):
        super().__init__(*args, **kwargs)
        if fields is not None:
            for name in list(self.fields):
                if name not in fields:
                    del self.fields[name]
        if "status" in self.fields and default_status:
            self.fields["status"].choices = [
                (key, label) for key, (label, _s) in STATUS_FILTERS.items()
            ]
            self.fields["status"].initial = default_status
        self.default_status = default_status

    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first and last and first > last:
            self.add_error("year_to", _("The last year must not be before the first year."))
        elif first and last and last - first >= 30:
            self.add_error("year_to", _("Choose at most 30 years at a time."))
        if "status" in self.fields and not data.get("status"):
            data["status"] = self.default_status
        return data


class FollowUpMeetingForm(Form):
    date = SaneDateField(
        label=_("Date"),
        input_formats=["%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the group discussed and agreed to follow up on."),
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field if the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
