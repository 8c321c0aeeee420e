"""Forms for the reference data: they parse and check input; services save it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Area, FocusArea, HousingOrganisation, Indicator, LbfPeriod


class HousingOrganisationForm(forms.ModelForm):
    class Meta:
        model = HousingOrganisation
        fields = ["name"]
        help_texts = {"name": _("E.g. “fsb” or “AKB, København”.")}


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["code", "name", "district", "is_city_total"]
        help_texts = {
            "code": _("The area's code on the socioeconomic map (københavnerkortet)."),
            "is_city_total": _(
                "The row that holds the city average for comparison. Only one area can be it."
            ),
        }

    def clean(self):
        data = super().clean()
        if data.get("is_city_total"):
            from .services import area_check_city_total

            probe = Area(pk=self.instance.pk, is_city_total=True)
            try:
                area_check_city_total(probe)
            except ValidationError as error:
                self.add_error(None, error)
        return data


class LbfPeriodForm(forms.ModelForm):
    class Meta:
        model = LbfPeriod
        fields = ["name", "start_year", "end_year"]
        help_texts = {"name": _("E.g. “2019–2026”.")}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start is not None and end is not None and start > end:
            self.add_error("end_year", _("The last year cannot be before the first year."))
        return data


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "higher_is_better"]
        help_texts = {
            "code": _(
                "The indicator's code in the CSV files of indicator values: small letters, "
                "digits and hyphens, e.g. “uden-uddannelse”."
            ),
            "unit": _("E.g. “%” or “DKK”."),
            "higher_is_better": _("Tick when a rising value is good news (e.g. employment)."),
        }


class FocusAreaForm(forms.ModelForm):
    """A focus area's name; its LBF period is given by the page (never by the form)."""

    class Meta:
        model = FocusArea
        fields = ["name"]

    def __init__(self, *args, period: LbfPeriod, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.period = period

    def validate_unique(self):
        # The (period, name) constraint names the period, which is not a field here.
        self.instance.period_id = self.instance.period.pk
        super().validate_unique()
        if (
            "name" in self.cleaned_data
            and FocusArea.objects.filter(
                period_id=self.instance.period.pk, name=self.cleaned_data["name"]
            )
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("name", _("The LBF period already has a focus area with this name."))


class ConfirmForm(forms.Form):
    """A removal is confirmed with its button (an empty POST removes nothing)."""

    confirm = forms.BooleanField(required=True, widget=forms.HiddenInput)
