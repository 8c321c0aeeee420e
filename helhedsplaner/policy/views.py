"""The common policy for area-based initiatives and a page per goal (read by all roles).

The policy is the committees' political policy: the secretariat and administrators
create and edit it and its goals (``helhedsplaner.manage_policy``, asked on the server
for GET and POST alike); politicians and caseworkers read it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.history import history_entries

from ..models import Policy, PolicyGoal
from ..plans.forms import error_links
from . import selectors, services
from .forms import PolicyForm, PolicyGoalForm, RenumberForm

VIEW = "helhedsplaner.view_policy"
MANAGE = "helhedsplaner.manage_policy"


def _require_manage(user) -> None:
    if not user.has_perm(MANAGE):
        raise PermissionDenied


@permission_required(VIEW, raise_exception=True)
def policy_overview(request):
    return render(
        request,
        "helhedsplaner/policy/policy_overview.html",
        {
            "policies": selectors.policies_overview(),
            "may_manage": request.user.has_perm(MANAGE),
        },
    )


@permission_required("helhedsplaner.view_policygoal", raise_exception=True)
def goal_detail(request, pk: int):
    context = selectors.policy_goal_get_for_page(pk=pk, user=request.user)
    context["may_manage"] = request.user.has_perm(MANAGE)
    return render(request, "helhedsplaner/policy/goal_detail.html", context)


@permission_required(VIEW, raise_exception=True)
def policy_history(request, pk: int):
    policy = get_object_or_404(Policy, pk=pk)
    return render(
        request,
        "helhedsplaner/policy/policy_history.html",
        {
            "policy": policy,
            "history": history_entries(
                Policy.history.filter(id=policy.pk), PolicyGoal.history.filter(policy_id=policy.pk)
            ),
        },
    )


def _form_page(request, *, form, title, submit, cancel_url, policy=None, goal=None, intro=""):
    return render(
        request,
        "helhedsplaner/policy/form_page.html",
        {
            "form": form,
            "errors": error_links(form, form_anchor="#policy-form"),
            "title": title,
            "submit": submit,
            "cancel_url": cancel_url,
            "policy": policy,
            "goal": goal,
            "intro": intro,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@require_http_methods(["GET", "POST"])
def policy_create(request):
    _require_manage(request.user)
    form = PolicyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.policy_create(user=request.user, fields=_fields(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The policy “%(name)s” is registered.") % {"name": policy})
            return redirect(reverse("policy:policy_overview") + f"#policy-{policy.pk}")
    return _form_page(
        request,
        form=form,
        title=_("New policy"),
        submit=_("Register the policy"),
        cancel_url=reverse("policy:policy_overview"),
    )


@require_http_methods(["GET", "POST"])
def policy_edit(request, pk: int):
    _require_manage(request.user)
    policy = get_object_or_404(Policy, pk=pk)
    form = PolicyForm(request.POST if request.method == "POST" else None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(policy=policy, user=request.user, fields=_fields(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes to “%(name)s” are saved.") % {"name": policy})
            return redirect(reverse("policy:policy_overview") + f"#policy-{policy.pk}")
    return _form_page(
        request,
        form=form,
        title=_("Edit %(name)s") % {"name": Policy.objects.get(pk=pk).name},
        submit=_("Save the changes"),
        cancel_url=reverse("policy:policy_overview"),
        policy=policy,
    )


@require_http_methods(["GET", "POST"])
def policy_goal_create(request, pk: int):
    _require_manage(request.user)
    policy = get_object_or_404(Policy, pk=pk)
    next_number = max(policy.goals.values_list("number", flat=True), default=0) + 1
    form = PolicyGoalForm(
        request.POST if request.method == "POST" else None,
        policy=policy,
        initial={"number": next_number},
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.policy_goal_create(
                policy=policy, user=request.user, fields=_fields(form)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Goal %(goal)s is added.") % {"goal": goal})
            return redirect("policy:goal_detail", pk=goal.pk)
    return _form_page(
        request,
        form=form,
        title=_("New goal in %(name)s") % {"name": policy.name},
        submit=_("Add the goal"),
        cancel_url=reverse("policy:policy_overview") + f"#policy-{policy.pk}",
        policy=policy,
    )


@require_http_methods(["GET", "POST"])
def goal_edit(request, pk: int):
    _require_manage(request.user)
    goal = get_object_or_404(PolicyGoal.objects.select_related("policy"), pk=pk)
    form = PolicyGoalForm(
        request.POST if request.method == "POST" else None, instance=goal, policy=goal.policy
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_goal_update(goal=goal, user=request.user, fields=_fields(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes to the goal are saved."))
            return redirect("policy:goal_detail", pk=goal.pk)
    saved = PolicyGoal.objects.get(pk=pk)
    return _form_page(
        request,
        form=form,
        title=_("Edit goal %(goal)s") % {"goal": saved},
        submit=_("Save the changes"),
        cancel_url=reverse("policy:goal_detail", args=[goal.pk]),
        policy=goal.policy,
        goal=saved,
    )


@require_http_methods(["GET", "POST"])
def policy_goals_renumber(request, pk: int):
    _require_manage(request.user)
    policy = get_object_or_404(Policy, pk=pk)
    goals = policy.goals.order_by("number")
    form = RenumberForm(request.POST if request.method == "POST" else None, goals=goals)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_goals_renumber(policy=policy, user=request.user, numbers=form.numbers())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The goals are renumbered."))
            return redirect(reverse("policy:policy_overview") + f"#policy-{policy.pk}")
    return _form_page(
        request,
        form=form,
        title=_("Renumber the goals of %(name)s") % {"name": policy.name},
        submit=_("Save the numbers"),
        intro=_(
            "Give each goal its number; the goals are shown in that order. Two goals can "
            "swap numbers in one save."
        ),
        cancel_url=reverse("policy:policy_overview") + f"#policy-{policy.pk}",
        policy=policy,
    )
