"""Forms for the common policy and its goals: they parse and check input; services save it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.validation import SaneDateField

from ..models import Policy, PolicyGoal
from ..plans.forms import DateInput


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = ["name", "adopted_on", "description"]
        field_classes = {"adopted_on": SaneDateField}
        widgets = {"adopted_on": DateInput, "description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"adopted_on": _("The date the City Council adopted the policy.")}


class PolicyGoalForm(forms.ModelForm):
    """A goal's number, title and description; its policy is given by the page."""

    class Meta:
        model = PolicyGoal
        fields = ["number", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "number": _("Goals are shown in the order of their numbers; each number once."),
        }

    def __init__(self, *args, policy: Policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.policy = policy
        self.fields["number"].min_value = 1
        self.fields["number"].widget.attrs["min"] = 1

    def clean_number(self):
        number = self.cleaned_data["number"]
        taken = (
            PolicyGoal.objects.filter(policy_id=self.instance.policy.pk, number=number)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if taken is not None:
            raise forms.ValidationError(
                _("Goal %(number)s is “%(title)s”. Choose another number, or renumber the goals."),
                params={"number": number, "title": taken.title},
                code="number_taken",
            )
        return number


class RenumberForm(forms.Form):
    """One number field per goal of the policy (``goal_<pk>``), each number once."""

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.IntegerField(
                label=goal.title, min_value=1, initial=goal.number
            )

    def clean(self):
        data = super().clean()
        seen: dict[int, str] = {}
        for goal in self.goals:
            number = data.get(f"goal_{goal.pk}")
            if number is None:
                continue
            if number in seen:
                self.add_error(
                    f"goal_{goal.pk}",
                    _("Number %(number)s is also given to “%(title)s”.")
                    % {"number": number, "title": seen[number]},
                )
            seen[number] = goal.title
        return data

    def numbers(self) -> dict[int, int]:
        return {goal.pk: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.goals}
