"""Forms for the administrations: they parse and check the input; services save it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Administration


class AdministrationForm(forms.ModelForm):
    class Meta:
        model = Administration
        fields = ["code", "name"]
        help_texts = {
            "code": _("The short name the product shows in lists, e.g. “BIF”."),
            "name": _("E.g. “Beskæftigelses- og Integrationsforvaltningen”."),
        }


class ConfirmForm(forms.Form):
    """A removal is confirmed with its button (an empty POST removes nothing)."""

    confirm = forms.BooleanField(required=True, widget=forms.HiddenInput)
