"""Forms for registering one indicator value and for uploading an indicator file."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Area, Indicator
from ..plans.forms import DanishDecimalField
from . import importer


class IndicatorValueForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.order_by("name"))
    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.order_by("name")
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=importer.YEAR_MIN,
        max_value=importer.YEAR_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    value = DanishDecimalField(
        label=_("Value"),
        max_digits=12,
        decimal_places=2,
        help_text=_("A decimal comma, e.g. 23,4. The unit is the indicator's own (mostly %)."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": datetime.date.today().year - 1})
        super().__init__(*args, **kwargs)
        self.fields["year"].error_messages.update(
            {
                "min_value": _("The year must be %(limit_value)s or later."),
                "max_value": _("The year must be %(limit_value)s or earlier."),
            }
        )


class IndicatorImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Semicolon-separated, UTF-8, at most 1 MB. See the format below."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        importer.check_size(upload.size)  # before reading: a large file is not loaded
        self.text = importer.decode(upload.read())
        return upload
