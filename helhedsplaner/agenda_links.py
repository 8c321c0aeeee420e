"""Which plans an agenda item concerns ("related plans"), edited from the item.

The link is ``Plan.agenda_items`` (owned here, in ``helhedsplaner``); the lower
``cases`` app only reads it through the reverse relation ``item.plans``. The
form, the service and the view live together in this one module so the plan
register's own files stay untouched.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.forms import error_summary
from cases.models import AgendaItem
from cases.selectors import agenda_item_editable_by, agenda_item_get_for_page
from committees.services import meeting_assert_unlocked

from .models import Plan


class ItemPlansForm(forms.Form):
    plans = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Plans the item concerns"),
        queryset=Plan.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@transaction.atomic
def agenda_item_plans_set(*, item: AgendaItem, plans) -> None:
    """Make ``plans`` exactly the item's related plans (each change is in the plan's history)."""
    if item.meeting_id is not None:
        meeting_assert_unlocked(item.meeting)
    wanted = {plan.pk: plan for plan in plans}
    current = {plan.pk: plan for plan in item.plans.all()}
    # From the plan's side, so each plan's history records the link it gained or lost.
    for pk, plan in current.items():
        if pk not in wanted:
            plan.agenda_items.remove(item)
    for pk, plan in wanted.items():
        if pk not in current:
            plan.agenda_items.add(item)


def item_plans_edit(request, pk: int):
    item = agenda_item_get_for_page(pk=pk, user=request.user)
    if not agenda_item_editable_by(request.user, item):
        raise PermissionDenied
    target = redirect("cases:item_detail", pk=item.pk)
    if item.meeting_id is not None:
        try:
            meeting_assert_unlocked(item.meeting)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return target
    form = ItemPlansForm(
        request.POST or None, initial={"plans": [plan.pk for plan in item.plans.all()]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            agenda_item_plans_set(item=item, plans=form.cleaned_data["plans"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The related plans have been saved."))
            return target
    return render(
        request,
        "cases/item_plans_form.html",
        {"item": item, "form": form, "errors": error_summary(form) if form.is_bound else []},
    )
