"""The common policy for area-based initiatives and a page per goal (read for all roles;
administrators maintain the policy in the admin site)."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from . import selectors

VIEW = "helhedsplaner.view_policy"


@permission_required(VIEW, raise_exception=True)
def policy_overview(request):
    return render(
        request,
        "helhedsplaner/policy/policy_overview.html",
        {"policies": selectors.policies_overview()},
    )


@permission_required("helhedsplaner.view_policygoal", raise_exception=True)
def goal_detail(request, pk: int):
    context = selectors.policy_goal_get_for_page(pk=pk, user=request.user)
    return render(request, "helhedsplaner/policy/goal_detail.html", context)
