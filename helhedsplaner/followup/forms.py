"""Forms for political follow-up groups: the group, its members, the plans it follows and
its meetings (the rules about them are in ``services``; these parse the input)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from committees.models import Committee, FollowUpGroup, Membership, Person
from core.validation import SaneDateField

from ..cofinancing.forms import FollowUpMeetingForm, Form

DATE_FORMATS = ["%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"]


def date_field(label, **kwargs) -> SaneDateField:
    return SaneDateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


class GroupForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=FollowUpGroup.Kind.choices, widget=forms.RadioSelect
    )
    committee = forms.ModelChoiceField(
        label=_("Special committee (§ 17, stk. 4)"),
        queryset=Committee.objects.filter(kind=Committee.Kind.SPECIAL_COMMITTEE).order_by("name"),
        required=False,
        empty_label=_("– none (informal group) –"),
        help_text=_(
            "A formal group is the special committee the city council set up under "
            "Styrelsesloven § 17, stk. 4. An informal group has none."
        ),
    )
    formed_by = forms.ModelChoiceField(
        label=_("Formed by"),
        queryset=Committee.objects.order_by("name"),
        required=False,
        empty_label=_("– not stated –"),
        help_text=_("The committee that set the group up (for a formal group: the city council)."),
    )
    mandate = forms.CharField(
        label=_("Mandate"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    period_start = date_field(_("Period start"), required=False)
    period_end = date_field(
        _("Period end"),
        required=False,
        help_text=_("End the group by giving the last day of its period."),
    )


class MemberAddForm(Form):
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.filter(
            Q(party__gt="") | Q(memberships__role__in=Membership.POLITICAL_ROLES)
        )
        .distinct()
        .order_by("name"),
        empty_label=_("– choose a politician –"),
    )
    is_chair = forms.BooleanField(
        label=_("Chair of the group"),
        required=False,
        help_text=_("The group has one chair: the present chair becomes an ordinary member."),
    )


class PlanFilterForm(Form):
    q = forms.CharField(label=_("Filter by name"), required=False, max_length=200)


class PlanCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose group has an id of its own (the fieldset), so the error summary
    links to it."""

    def id_for_label(self, id_, index=None):
        return id_ if index is None else super().id_for_label(id_, index)


class PlansForm(Form):
    plans = forms.ModelMultipleChoiceField(
        label=_("Plans followed"),
        queryset=None,
        required=False,
        widget=PlanCheckboxes,
    )

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = plans


__all__ = ["FollowUpMeetingForm", "GroupForm", "MemberAddForm", "PlanFilterForm", "PlansForm"]
