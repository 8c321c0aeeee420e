"""Thin views: parse with a form, call one service or selector, render or redirect.

Who may do what is asked of the policy layer (committees/rules.py) for the object at hand,
on GET and POST alike: administrators set up committees and people; a committee's own
secretariat keeps its mandate and its memberships; everybody with a role reads.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import (
    CommitteeEndForm,
    CommitteeForm,
    CommitteeMandateForm,
    MembershipEndForm,
    MembershipForm,
    PersonForm,
    error_summary,
)


def _require(user, perm: str, obj=None) -> None:
    """403 unless the policy layer allows ``perm`` (on ``obj``)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _posted(request):
    """The posted data, or None on GET (an empty POST is still a POST: its errors show)."""
    return request.POST if request.method == "POST" else None


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (on a field where it names one)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _committee_may(user, committee) -> dict:
    return {
        "may_edit": user.has_perm("committees.edit_committee", committee),
        "may_edit_details": user.has_perm("committees.edit_committee_details", committee),
        "may_end": user.has_perm("committees.end_committee", committee),
        "may_manage_members": user.has_perm("committees.manage_memberships", committee),
    }


# -- committees -------------------------------------------------------------------------------


def committee_list(request):
    return render(
        request,
        "committees/committee_list.html",
        {
            "committees": selectors.committees_list(),
            "may_create": request.user.has_perm("committees.create_committee"),
        },
    )


def committee_detail(request, slug: str):
    context = selectors.committee_get_for_page(slug=slug)
    committee = context["committee"]
    context["can_add_meeting"] = request.user.has_perm("committees.add_meeting_in", committee)
    context["tab"] = "overview"
    context.update(_committee_may(request.user, committee))
    return render(request, "committees/committee_detail.html", context)


def committee_history(request, slug: str):
    _require(request.user, "committees.view_committee")
    context = selectors.committee_get_with_history(slug=slug)
    context["tab"] = "history"
    context.update(_committee_may(request.user, context["committee"]))
    return render(request, "committees/committee_history.html", context)


@require_http_methods(["GET", "POST"])
def committee_create(request):
    _require(request.user, "committees.create_committee")
    form = CommitteeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The committee has been created."))
            return redirect("committees:committee_detail", committee.slug)
    return render(
        request,
        "committees/committee_form.html",
        {"form": form, "committee": None, "errors": error_summary(form)},
    )


@require_http_methods(["GET", "POST"])
def committee_edit(request, slug: str):
    committee = selectors.committee_get(slug=slug)
    _require(request.user, "committees.edit_committee", committee)
    form_class = (
        CommitteeForm
        if request.user.has_perm("committees.edit_committee_details", committee)
        else CommitteeMandateForm
    )
    form = form_class(_posted(request), instance=selectors.committee_get(slug=slug))
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_update(
                committee=committee, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The committee has been saved."))
            return redirect("committees:committee_detail", committee.slug)
    return render(
        request,
        "committees/committee_form.html",
        {"form": form, "committee": committee, "errors": error_summary(form)},
    )


@require_http_methods(["GET", "POST"])
def committee_end(request, slug: str):
    committee = selectors.committee_get(slug=slug)
    _require(request.user, "committees.end_committee", committee)
    form = CommitteeEndForm(
        _posted(request),
        committee=committee,
        initial={"period_end": committee.period_end},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_end(
                committee=committee,
                user=request.user,
                period_end=form.cleaned_data["period_end"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The committee has been ended."))
            return redirect("committees:committee_detail", committee.slug)
    return render(
        request,
        "committees/committee_end.html",
        {"form": form, "committee": committee, "errors": error_summary(form)},
    )


# -- memberships ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def membership_create(request, slug: str):
    committee = selectors.committee_get(slug=slug)
    _require(request.user, "committees.manage_memberships", committee)
    form = MembershipForm(_posted(request), committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_create(user=request.user, committee=committee, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The membership has been added."))
            return redirect("committees:committee_detail", committee.slug)
    return render(
        request,
        "committees/membership_form.html",
        {"form": form, "committee": committee, "membership": None, "errors": error_summary(form)},
    )


@require_http_methods(["GET", "POST"])
def membership_edit(request, pk: int):
    membership = selectors.membership_get(pk=pk)
    committee = membership.committee
    _require(request.user, "committees.manage_memberships", membership)
    form = MembershipForm(
        _posted(request), instance=selectors.membership_get(pk=pk), committee=committee
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_update(
                membership=membership,
                user=request.user,
                role=data["role"],
                start_date=data["start_date"],
                end_date=data["end_date"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The membership has been saved."))
            return redirect("committees:committee_detail", committee.slug)
    return render(
        request,
        "committees/membership_form.html",
        {
            "form": form,
            "committee": committee,
            "membership": membership,
            "errors": error_summary(form),
        },
    )


@require_http_methods(["GET", "POST"])
def membership_end(request, pk: int):
    membership = selectors.membership_get(pk=pk)
    committee = membership.committee
    _require(request.user, "committees.manage_memberships", membership)
    form = MembershipEndForm(
        _posted(request), membership=membership, initial={"end_date": membership.end_date}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                membership=membership, user=request.user, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The membership has been ended."))
            return redirect("committees:committee_detail", committee.slug)
    return render(
        request,
        "committees/membership_end.html",
        {
            "form": form,
            "committee": committee,
            "membership": membership,
            "errors": error_summary(form),
        },
    )


# -- people -----------------------------------------------------------------------------------


def _person_data(form) -> dict:
    data = dict(form.cleaned_data)
    data["login"] = data.pop("user")
    return data


def person_list(request):
    _require(request.user, "committees.view_person")
    return render(
        request,
        "committees/person_list.html",
        {
            "people": selectors.people_list(),
            "may_manage": request.user.has_perm("committees.manage_people"),
        },
    )


def person_history(request, pk: int):
    _require(request.user, "committees.view_person")
    context = selectors.person_get_with_history(pk=pk)
    context["may_manage"] = request.user.has_perm("committees.manage_people", context["person"])
    return render(request, "committees/person_history.html", context)


@require_http_methods(["GET", "POST"])
def person_create(request):
    _require(request.user, "committees.manage_people")
    form = PersonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(user=request.user, **_person_data(form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The person has been created."))
            return redirect("committees:person_history", person.pk)
    return render(
        request,
        "committees/person_form.html",
        {"form": form, "person": None, "errors": error_summary(form)},
    )


@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = selectors.person_get(pk=pk)
    _require(request.user, "committees.manage_people", person)
    form = PersonForm(_posted(request), instance=selectors.person_get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_update(person=person, user=request.user, **_person_data(form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The person has been saved."))
            return redirect("committees:person_history", person.pk)
    return render(
        request,
        "committees/person_form.html",
        {"form": form, "person": person, "errors": error_summary(form)},
    )
