"""The forms of the plan import: the file, then which column holds what."""

import os

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import imports

MAX_FILE_SIZE = 5 * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")


class PlanImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_(
            "One row per estate; a plan with several estates repeats its columns on each "
            "row. At most 5 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = os.path.splitext(upload.name or "")[1].lower()
        if extension not in EXTENSIONS:
            raise ValidationError(
                _("Choose a CSV or XLSX file (the file's name ends in .csv or .xlsx)."),
                code="extension",
            )
        if upload.size > MAX_FILE_SIZE:
            raise ValidationError(_("The file is larger than 5 MB."), code="size")
        self.extension = extension.lstrip(".")
        return upload


NOT_IN_FILE = ""


class PlanImportMappingForm(forms.Form):
    """One ``<select>`` per field of the app, listing the file's header cells."""

    def __init__(self, *args, header, **kwargs):
        super().__init__(*args, **kwargs)
        self.header = list(header)
        choices = [(NOT_IN_FILE, _("– not in the file –"))] + [
            (
                str(index),
                cell or gettext("(column %(number)s without a name)") % {"number": index + 1},
            )
            for index, cell in enumerate(self.header)
        ]
        for column in imports.COLUMNS:
            help_text = None
            if column.key == "lbf_period":
                help_text = _(
                    "If the file has no LBF period, the period whose years contain the "
                    "period start is used."
                )
            self.fields[column.key] = forms.ChoiceField(
                label=column.label,
                choices=choices,
                required=column.required,
                help_text=help_text,
                error_messages={"required": _("Choose the column that holds it.")},
            )

    @property
    def plan_fields(self):
        return [self[key] for key in imports.COLUMN_KEYS if key not in imports.ESTATE_COLUMNS]

    @property
    def estate_fields(self):
        return [self[key] for key in imports.ESTATE_COLUMNS]

    def clean(self):
        cleaned = super().clean()
        used: dict[str, str] = {}
        for column in imports.COLUMNS:
            value = cleaned.get(column.key)
            if not value:
                continue
            if value in used:
                self.add_error(
                    column.key,
                    _("The column “%(column)s” is chosen for %(other)s already.")
                    % {"column": self.header[int(value)], "other": used[value]},
                )
            else:
                used[value] = str(column.label)
        return cleaned

    def mapping(self) -> dict:
        """{key: column index or None}."""
        return {
            key: int(self.cleaned_data[key]) if self.cleaned_data.get(key) else None
            for key in imports.COLUMN_KEYS
        }

    @staticmethod
    def initial_for(mapping: dict) -> dict:
        return {key: str(index) for key, index in mapping.items() if index is not None}
