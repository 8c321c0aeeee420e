"""Forms: they parse and check input; services save it."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from committees.models import Administration
from committees.rules import administrations_writable
from core.validation import SaneDateField

from ..models import (
    Area,
    Estate,
    FocusArea,
    HousingOrganisation,
    LbfPeriod,
    Plan,
    PolicyGoal,
)
from . import selectors, services

# -- fields ----------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")


def parse_danish_number(text: str) -> Decimal | None:
    """'1.250.000', '1250000', '1 250 000 kr.', '1250000,50' or '12.5' as a Decimal."""
    text = str(text).strip().lower().removesuffix("kr.").removesuffix("kr").replace("\u00a0", "")
    text = text.replace(" ", "")
    if not text:
        return None
    if _THOUSANDS.match(text):
        text = text.replace(".", "")
    if "," in text:
        if "." in text:
            return None
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def format_danish_number(value) -> str:
    if value in (None, ""):
        return ""
    value = Decimal(value)
    whole = int(value)
    text = f"{abs(whole):,}".replace(",", ".")
    fraction = abs(value - whole)
    if fraction:
        text += "," + f"{fraction:.2f}"[2:]
    return ("-" if value < 0 else "") + text


class DanishNumberInput(forms.TextInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float):
            return format_danish_number(value)
        return super().format_value(value)


class DanishDecimalField(forms.DecimalField):
    """A decimal number written the Danish way: thousands with dots, decimals with a comma."""

    widget = DanishNumberInput
    default_error_messages = {
        "invalid": _("Write a number, e.g. 12,5 or 1.250.000."),
        "required": _("Write a number: the field may not be empty."),
    }

    def __init__(self, *, empty_value=None, **kwargs):
        self.empty_value = empty_value  # what an empty, optional field saves
        super().__init__(**kwargs)

    def clean(self, value):
        cleaned = super().clean(value)
        return self.empty_value if cleaned is None else cleaned

    def to_python(self, value):
        if value in self.empty_values:
            return None
        parsed = parse_danish_number(value)
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed

    def widget_attrs(self, widget):
        return {}  # no step/min attributes: the input is text, not type=number


class DkkField(DanishDecimalField):
    """An amount in kroner, 0 or more."""

    default_error_messages = {
        "invalid": _("Write the amount in kroner, e.g. 1.250.000 or 1250000,50."),
        "required": _("Write the amount in kroner: the field may not be empty."),
        "min_value": _("The amount must be 0 kr. or more."),
        "max_decimal_places": _("Write at most 2 decimals (øre)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


class FocusAreaField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# -- the plan form ---------------------------------------------------------------------------


class NameChoices(forms.models.ModelChoiceIterator):
    """The choices of a model whose ``str()`` is its ``name``, read as (pk, name) pairs:
    no model instance per option (a shared installation's 400 housing organisations took
    8 ms of the edit form that way). For widgets that print value and label only."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class PlanForm(forms.ModelForm):
    """The plan's own fields; estates come in :data:`EstateFormSet`. Status is not edited here."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Plan
        # In the order the form shows them, so the error summary lists errors in that order.
        fields = [
            "name",
            "housing_organisation",
            "area",
            "lead_administration",
            "description",
            "budget",
            "lbf_grant",
            "period_start",
            "period_end",
            "lbf_period",
            "focus_areas",
            "participating_administrations",
            "policy_goals",
        ]
        field_classes = {
            "budget": DkkField,
            "lbf_grant": DkkField,
            "focus_areas": FocusAreaField,
            "period_start": SaneDateField,
            "period_end": SaneDateField,
        }
        widgets = {
            "participating_administrations": forms.CheckboxSelectMultiple,
            "focus_areas": forms.CheckboxSelectMultiple,
            "policy_goals": forms.CheckboxSelectMultiple,
            "period_start": DateInput,
            "period_end": DateInput,
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "name": _("Name of the plan"),
            "budget": _("Total budget (kr.)"),
            "lbf_grant": _("LBF grant (kr.)"),
        }
        help_texts = {
            "name": _("E.g. “Helhedsplan Tingbjerg 2019”."),
            "budget": _("The plan's total budget in kroner, e.g. 12.000.000."),
            "lbf_grant": _(
                "What Landsbyggefonden pays: at most 75 percent of the budget. "
                "At least 25 percent is local co-financing."
            ),
            "focus_areas": _("Only the focus areas of the plan's LBF period can be chosen."),
            "participating_administrations": _(
                "The administrations that take part, including the lead administration."
            ),
        }

    # Selects of hundreds of options (a shared installation's housing organisations and
    # areas), written in Python as Django's template would (FastSelect): through the
    # template, the options were half of the edit form's server time.
    FAST_SELECTS = ("housing_organisation", "area", "lbf_period", "lead_administration")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.FAST_SELECTS:
            field = self.fields[name]
            widget = DjangoSelect(attrs=field.widget.attrs)
            widget.is_required = field.widget.is_required
            field.widget = widget  # its choices are set with the queryset below
        self.fields["housing_organisation"].queryset = HousingOrganisation.objects.order_by("name")
        self.fields["area"].queryset = Area.objects.filter(is_city_total=False).order_by("name")
        for name in ("housing_organisation", "area"):
            self.fields[name].iterator = NameChoices
            self.fields[name].widget.choices = self.fields[name].choices
        self.fields["lbf_period"].queryset = LbfPeriod.objects.order_by("-start_year")
        # A caseworker leads plans for their own administration only (helhedsplaner/rules.py).
        self.fields["lead_administration"].queryset = administrations_writable(user)
        self.fields["participating_administrations"].queryset = Administration.objects.order_by(
            "name"
        )
        self.fields["focus_areas"].queryset = FocusArea.objects.select_related("period").order_by(
            "-period__start_year", "name"
        )
        self.fields["policy_goals"].queryset = PolicyGoal.objects.select_related("policy")
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.instance.version
        # A new plan's amounts are empty, not "0" to delete first; left empty they save as
        # the model's 0 (not null: the figures add them up).
        for name in ("budget", "lbf_grant"):
            field = self.fields[name]
            field.required, field.initial, field.empty_value = False, None, Decimal(0)
            if not self.instance.pk:
                self.initial.pop(name, None)

    def _post_clean(self):
        """The model's own validation (its foreign keys exist, its name is unique, its
        check constraints hold) only beside errors of the fields, so that the caseworker
        sees every error at once. Without them, the plan service validates the plan
        when saving it (``plan_create``, ``plan_update``: ``full_clean``) and the view
        shows what it finds on this form: validating here as well cost every save ten
        queries that the service repeated."""
        if self._errors:
            super()._post_clean()
            return
        try:
            self.instance = forms.models.construct_instance(
                self, self.instance, self._meta.fields, self._meta.exclude
            )
        except ValidationError as error:
            self._update_errors(error)

    def clean(self):
        cleaned = super().clean()
        period, focus_areas = cleaned.get("lbf_period"), cleaned.get("focus_areas")
        if period and focus_areas:
            try:
                services.plan_focus_areas_check(lbf_period=period, focus_areas=focus_areas)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def focus_area_groups(self):
        """The focus-area checkboxes grouped by LBF period, newest period first."""
        groups = []
        for checkbox in self["focus_areas"]:
            period = checkbox.data["value"].instance.period
            if not groups or groups[-1][0] != period:
                groups.append((period, []))
            groups[-1][1].append(checkbox)
        return groups

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "fields": {name: data[name] for name in services.PLAN_FIELDS},
            "m2m": {name: list(data[name]) for name in services.PLAN_M2M_FIELDS},
        }


class CountField(forms.IntegerField):
    """A count, 0 or more, that may be left empty: empty saves as 0. (Cleaned in
    ``clean``, not ``to_python``, so that an empty extra row is still unchanged.)"""

    def __init__(self, **kwargs):
        kwargs.update(required=False, initial=None, min_value=0)
        super().__init__(**kwargs)

    def clean(self, value):
        cleaned = super().clean(value)
        return 0 if cleaned is None else cleaned


class EstateForm(forms.ModelForm):
    class Meta:
        model = Estate
        fields = ["name", "number", "tenancies"]
        labels = {"name": _("Name"), "number": _("Estate number"), "tenancies": _("Tenancies")}
        field_classes = {"tenancies": CountField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.pop("tenancies", None)  # a new row's count is empty, not "0"


class KnownRowField(forms.ModelChoiceField):
    """The hidden id of an estate row: the estate is taken from the rows the formset has
    read already (``known``: id -> estate, or None), not read once more per row as
    Django's own field does (a plan with 30 estates cost 30 queries per save). An id
    the formset did not read is looked up as Django does."""

    def __init__(self, *args, known, **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.known = self.known
        return result

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                row = self.known(int(value))
            except (TypeError, ValueError):
                row = None
            if row is not None:
                return row
        return super().to_python(value)


class BaseEstateFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get(self._pk_field.name)
        if type(field) is forms.ModelChoiceField:
            form.fields[self._pk_field.name] = KnownRowField(
                field.queryset,
                known=self._existing_object,
                initial=field.initial,
                required=False,
                widget=field.widget,
            )

    def get_unique_error_message(self, unique_check):
        return _("Two estates have the same name; each estate in a plan needs its own name.")

    def rows(self) -> list[services.EstateRow]:
        """The estates as the service wants them: kept, changed, new and deleted rows."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            existing = form.instance.pk if form.instance and form.instance.pk else None
            deleted = bool(data.get("DELETE"))
            if existing is None and (not data or deleted or not form.has_changed()):
                continue
            rows.append(
                services.EstateRow(
                    pk=existing,
                    name=data.get("name", form.instance.name),
                    number=data.get("number", form.instance.number) or "",
                    tenancies=data.get("tenancies", form.instance.tenancies) or 0,
                    delete=deleted,
                )
            )
        return rows


ESTATE_EXTRA_ROWS = 2
EstateFormSet = inlineformset_factory(
    Plan,
    Estate,
    form=EstateForm,
    formset=BaseEstateFormSet,
    extra=ESTATE_EXTRA_ROWS,
    can_delete=True,
    can_delete_extra=False,
    max_num=200,
)


def estate_formset(*, data=None, instance=None, extra_rows: int = 0):
    """The estates formset; ``extra_rows`` adds empty rows ("Tilføj flere afdelinger")."""
    if data is not None and extra_rows:
        data = data.copy()
        key = "estates-TOTAL_FORMS"
        if str(data.get(key, "")).isdigit():
            data[key] = str(int(data[key]) + extra_rows)
    return EstateFormSet(data=data, instance=instance or Plan(), prefix="estates")


def hide_errors(form, formset) -> None:
    """Show a bound form and formset without validating (after "add more estates")."""
    from django.forms.utils import ErrorDict, ErrorList

    form._errors = ErrorDict()
    form.cleaned_data = {}
    formset._errors = [ErrorDict() for _ in formset.forms]
    formset._non_form_errors = ErrorList()
    for each in formset.forms:
        each._errors = ErrorDict()


# -- error summary ---------------------------------------------------------------------------


def _href(bound_field) -> str:
    return "#" + (bound_field.id_for_label or bound_field.auto_id)


def error_links(form, formset=None, form_anchor="#form") -> list[dict]:
    """[{href, text}] for the error summary: each error links to its field."""
    links = [{"href": form_anchor, "text": str(error)} for error in form.non_field_errors()]
    for bound_field in form:
        for error in bound_field.errors:
            links.append({"href": _href(bound_field), "text": f"{bound_field.label}: {error}"})
    if formset is not None:
        links += [{"href": "#estates", "text": str(error)} for error in formset.non_form_errors()]
        for number, row in enumerate(formset.forms, start=1):
            for error in row.non_field_errors():
                links.append({"href": "#estates", "text": _row_text(number, None, error)})
            for bound_field in row:
                if bound_field.is_hidden:
                    for error in bound_field.errors:
                        links.append({"href": "#estates", "text": _row_text(number, None, error)})
                    continue
                for error in bound_field.errors:
                    links.append(
                        {"href": _href(bound_field), "text": _row_text(number, bound_field, error)}
                    )
    return links


def _row_text(number, bound_field, error) -> str:
    if bound_field is None:
        return str(_("Estate %(number)s: %(error)s") % {"number": number, "error": error})
    return str(
        _("Estate %(number)s, %(field)s: %(error)s")
        % {"number": number, "field": bound_field.label, "error": error}
    )


# -- the plan list filters -------------------------------------------------------------------

SORT_CHOICES = [
    ("navn", _("Name (A–Å)")),
    ("-navn", _("Name (Å–A)")),
    ("status", _("Status (lifecycle order)")),
    ("periode", _("LBF period (newest first)")),
    ("-periode", _("LBF period (oldest first)")),
    ("beloeb", _("Budget (largest first)")),
    ("-beloeb", _("Budget (smallest first)")),
]


def _django_attrs(attrs: dict) -> str:
    """Attributes as ``django/forms/widgets/attrs.html`` writes them (in their order)."""
    return mark_safe(  # noqa: S308 - names are Django's, values escaped
        "".join(
            f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


class FastSelect(forms.Select):
    """A ``<select>`` with the same HTML as Django's template, built in Python.

    Django renders every ``<option>`` through its own template include and builds a
    dictionary per option first; with a municipality's 200 areas and the focus areas of
    every LBF period that was most of the plan list's server time (issue 9). This
    follows ``ChoiceWidget.optgroups`` (the first matching option is ``selected``) and
    takes the ``<select>``'s attributes (``aria-describedby``, ``aria-invalid``) from the
    same ``build_attrs``, but writes each option as one string. With ``as_django`` it
    writes what Django's template does byte for byte (line breaks, indents, attributes
    in their order); without, the compact form the plan list has always had.
    """

    as_django = False

    def render(self, name, value, attrs=None, renderer=None):
        gap, end = ("\n  ", "\n") if self.as_django else ("", "")
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        chosen = self.format_value(value)
        parts = [
            format_html(
                '<select name="{}"{}>',
                name,
                _django_attrs(attrs) if self.as_django else flatatt(attrs),
            )
        ]
        has_selected = False
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):
                group_name, options = option_value, option_label
            else:
                group_name = None
                options = (("" if option_value is None else option_value, option_label),)
            if group_name:
                parts.append(gap + format_html('<optgroup label="{}">', group_name))
            for subvalue, sublabel in options:
                selected = (not has_selected or self.allow_multiple_selected) and str(
                    subvalue
                ) in chosen
                has_selected |= selected
                parts.append(
                    f'{gap}<option value="{escape(subvalue)}"{" selected" if selected else ""}>'
                    f"{conditional_escape(sublabel)}</option>{end}"
                )
            if group_name:
                parts.append(gap + "</optgroup>")
        parts.append("\n</select>" if self.as_django else "</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


class DjangoSelect(FastSelect):
    """:class:`FastSelect` writing what Django's own ``<select>`` template writes."""

    as_django = True


class PlanFilterForm(forms.Form):
    """The list's filters, all in the URL (GET) so a list can be bookmarked and shared."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Plan name, housing organisation or estate."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, widget=FastSelect)
    periode = forms.ModelChoiceField(
        label=_("LBF period"), queryset=LbfPeriod.objects.none(), required=False, widget=FastSelect
    )
    omraade = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.none(), required=False, widget=FastSelect
    )
    forvaltning = forms.ModelChoiceField(
        label=_("Lead administration"),
        queryset=Administration.objects.none(),
        required=False,
        widget=FastSelect,
    )
    deltager = forms.ModelChoiceField(
        label=_("Participating administration"),
        queryset=Administration.objects.none(),
        required=False,
        widget=FastSelect,
    )
    indsatsomraade = forms.TypedChoiceField(
        label=_("Focus area"), coerce=int, required=False, empty_value=None, widget=FastSelect
    )
    sortering = forms.ChoiceField(
        label=_("Sort by"), choices=SORT_CHOICES, required=False, widget=FastSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The querysets check a chosen value; the options are read as (id, name) rows,
        # one query per list (the two administration lists share theirs), so the page
        # builds no model instances for its 200 areas and every period's focus areas.
        choices = selectors.plan_filter_choices()
        options = selectors.plan_filter_options()
        all_label = _("All")
        self.fields["status"].choices = [("", all_label), *Plan.Status.choices]
        self.fields["periode"].queryset = choices["lbf_period"]
        self.fields["omraade"].queryset = choices["area"]
        self.fields["forvaltning"].queryset = choices["administration"]
        self.fields["deltager"].queryset = choices["administration"]
        for name, key in (
            ("periode", "lbf_period"),
            ("omraade", "area"),
            ("forvaltning", "administration"),
            ("deltager", "administration"),
        ):
            self.fields[name].choices = [("", all_label), *options[key]]
        groups: dict[str, list] = {}
        for pk, name, period_name in options["focus_area"]:
            groups.setdefault(period_name, []).append((pk, name))
        self.fields["indsatsomraade"].choices = [("", all_label), *groups.items()]

    def filters(self) -> tuple[dict, str]:
        """The valid filters as the selectors want them, and the sort key."""
        self.is_valid()  # invalid filters are reported and left out; the valid ones apply
        data = self.cleaned_data
        filters = {
            "q": data.get("q"),
            "status": data.get("status"),
            "lbf_period": data.get("periode"),
            "area": data.get("omraade"),
            "lead_administration": data.get("forvaltning"),
            "participating_administration": data.get("deltager"),
            "focus_area": data.get("indsatsomraade"),
        }
        return filters, data.get("sortering") or selectors.DEFAULT_SORT


# -- lifecycle -------------------------------------------------------------------------------


class TransitionForm(forms.Form):
    """One lifecycle step: rendered once per possible next status (prefix = the status)."""

    date = SaneDateField(label=_("Date of the step"), widget=DateInput)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the decision or letter the step rests on."),
    )

    def __init__(self, *args, status: str, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, prefix=status, **kwargs)
        self.status = status
        self.status_label = dict(Plan.Status.choices).get(status, status)


class ItemPlansForm(forms.Form):
    plans = forms.ModelMultipleChoiceField(
        label=_("Plans the item concerns"),
        queryset=Plan.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
