"""Forms for registering one indicator value and for uploading an indicator file."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..imports import reading
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
        label=_("File (CSV or Excel)"),
        help_text=_(
            "CSV in any encoding (also Excel's “CSV (semikolonsepareret)”) or an Excel "
            "workbook (.xlsx), at most 64 MB: the app's own format, Statistikbanken's CSV "
            "or one column per indicator. See the formats below."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        importer.check_size(upload.size)  # before reading: a large file is not loaded
        sheet = reading.open_sheet(upload, upload.name)  # a ValidationError says what is wrong
        if not sheet.header:
            raise ValidationError(_("The file is empty."), code="empty")
        upload.seek(0)
        return upload


class MappingForm(forms.Form):
    """Names in a file the app does not know, each mapped once to an existing area or
    indicator (or left out), remembered for the next file from the same source."""

    def __init__(self, *args, unknown_areas=(), unknown_indicators=(), may_create=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas, self.indicators = [], []
        first = [("", _("– choose –")), (str(importer.SKIP), _("Leave out"))]
        area_first, indicator_first = list(first), list(first)
        if may_create:  # those who maintain the reference data (helhedsplaner.rules)
            area_first.append((str(importer.CREATE), _("Create as a new area")))
            indicator_first.append((str(importer.CREATE), _("Create as a new indicator")))
        area_choices = area_first + [
            (str(area.pk), area.name) for area in Area.objects.order_by("name")
        ]
        indicator_choices = indicator_first + [
            (str(indicator.pk), indicator.name) for indicator in Indicator.objects.order_by("name")
        ]
        for index, name in enumerate(unknown_areas):
            field_name = f"area_{index}"
            self.fields[field_name] = forms.TypedChoiceField(
                label=name, choices=area_choices, coerce=int, required=False
            )
            self.areas.append((field_name, name))
        for index, name in enumerate(unknown_indicators):
            field_name = f"indicator_{index}"
            self.fields[field_name] = forms.TypedChoiceField(
                label=name, choices=indicator_choices, coerce=int, required=False
            )
            self.indicators.append((field_name, name))

    @property
    def area_fields(self):
        return [self[name] for name, _label in self.areas]

    @property
    def indicator_fields(self):
        return [self[name] for name, _label in self.indicators]

    def clean(self):
        data = super().clean()
        if not any(
            data.get(name) not in (None, "") for name, _label in self.areas + self.indicators
        ):
            raise ValidationError(_("Choose an area or indicator for at least one name."))
        return data

    def mapped(self) -> tuple[dict, dict]:
        data = self.cleaned_data
        areas = {
            name: data[field] for field, name in self.areas if data.get(field) not in (None, "")
        }
        indicators = {
            name: data[field]
            for field, name in self.indicators
            if data.get(field) not in (None, "")
        }
        return areas, indicators


class ColumnsForm(forms.Form):
    """Which column of a file holds what, when its header uses none of the names the
    sources use (e.g. "Bydel;Årstal;Andel")."""

    def __init__(self, *args, header=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            ("", _("– choose –")),
            ("area", _("Area")),
            ("year", _("Year")),
            ("indicator", _("Indicator")),
            ("value", _("Value")),
            ("wide", _("An indicator of its own (one value per row)")),
            ("skip", _("Leave out")),
        ]
        self.columns = []
        for index, cell in enumerate(header):
            if not cell.strip():
                continue
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(label=cell, choices=choices, required=False)
            self.columns.append((name, cell))

    @property
    def column_fields(self):
        return [self[name] for name, _cell in self.columns]

    def clean(self):
        data = super().clean()
        chosen = [data.get(name) for name, _cell in self.columns]
        if "area" not in chosen or "year" not in chosen:
            raise ValidationError(
                _("Choose the column with the area and the column with the year.")
            )
        for role in ("area", "year", "indicator", "value"):
            if chosen.count(role) > 1:
                raise ValidationError(
                    _("Only one column can hold the %(role)s.")
                    % {"role": dict(self.fields[self.columns[0][0]].choices)[role].lower()}
                )
        return data

    def roles(self) -> dict:
        return {
            cell: self.cleaned_data[name]
            for name, cell in self.columns
            if self.cleaned_data.get(name)
        }
