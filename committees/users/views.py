"""User and role management for administrators (``committees.manage_users``); everybody
else gets 403 on every route, GET and POST. A superuser is changed by superusers only
(``committees.manage_user`` on the login)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..views import _add_errors, _posted, _require
from . import selectors, services
from .forms import ConfirmForm, PasswordForm, UserCreateForm, UserForm, error_summary

MANAGE = "committees.manage_users"
MANAGE_ONE = "committees.manage_user"


def _form_page(request, template, context, form):
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, template, {**context, "form": form, "errors": error_summary(form)}, status=status
    )


def _user_data(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("password2", None)
    if "password1" in data:
        data["password"] = data.pop("password1")
    return data


def user_list(request):
    _require(request.user, MANAGE)
    return render(request, "committees/users/user_list.html", selectors.users_list())


def user_history(request, pk: int):
    _require(request.user, MANAGE)
    target = selectors.user_get(pk=pk)
    return render(
        request,
        "committees/users/user_history.html",
        {
            "target": target,
            "history": selectors.user_history(target),
            "may_change": request.user.has_perm(MANAGE_ONE, target),
            "is_self": target.pk == request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
def user_create(request):
    _require(request.user, MANAGE)
    form = UserCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            target = services.user_create(actor=request.user, **_user_data(form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The user has been created."))
            return redirect("users:user_history", target.pk)
    return _form_page(request, "committees/users/user_form.html", {"target": None}, form)


@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    _require(request.user, MANAGE)
    target = selectors.user_get(pk=pk)
    _require(request.user, MANAGE_ONE, target)
    form = UserForm(_posted(request), user=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=target, **_user_data(form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The user has been saved."))
            return redirect("users:user_history", target.pk)
    return _form_page(request, "committees/users/user_form.html", {"target": target}, form)


@require_http_methods(["GET", "POST"])
def user_password(request, pk: int):
    _require(request.user, MANAGE)
    target = selectors.user_get(pk=pk)
    _require(request.user, MANAGE_ONE, target)
    form = PasswordForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_set(
                actor=request.user, user=target, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The new password has been set."))
            return redirect("users:user_history", target.pk)
    return _form_page(request, "committees/users/user_password.html", {"target": target}, form)


def _status_page(request, pk: int, *, service, template, message):
    _require(request.user, MANAGE)
    target = selectors.user_get(pk=pk)
    _require(request.user, MANAGE_ONE, target)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, user=target)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("users:user_history", target.pk)
    return _form_page(
        request, template, {"target": target, "is_self": target.pk == request.user.pk}, form
    )


@require_http_methods(["GET", "POST"])
def user_deactivate(request, pk: int):
    return _status_page(
        request,
        pk,
        service=services.user_deactivate,
        template="committees/users/user_deactivate.html",
        message=_("The user has been deactivated."),
    )


@require_http_methods(["GET", "POST"])
def user_reactivate(request, pk: int):
    return _status_page(
        request,
        pk,
        service=services.user_reactivate,
        template="committees/users/user_reactivate.html",
        message=_("The user has been reactivated."),
    )
