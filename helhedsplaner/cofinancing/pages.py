"""What the form pages of the co-financing and follow-up rooms share: the page a form is
shown on, and the one way a posted form is handled (parse, call the service, say what was
done and move on, or show the service's refusal on the form with the user's input kept)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from .forms import add_service_errors


def form_page(request, form, *, title, submit, cancel_url, status=None, **extra) -> HttpResponse:
    """The form on its page (``helhedsplaner/cofinancing/form_page.html``): 400 when it
    shows errors, unless ``status`` says otherwise; ``extra`` goes to the template
    (``intro``, ``notice``, ``section``, the object the form is about)."""
    return render(
        request,
        "helhedsplaner/cofinancing/form_page.html",
        {"form": form, "title": title, "submit": submit, "cancel_url": cancel_url, **extra},
        status=status if status is not None else 400 if form.errors else 200,
    )


def form_saved(
    request,
    form,
    save: Callable,
    *,
    done: str | Callable,
    then: str | Callable,
) -> HttpResponse | None:
    """Handle a posted form: ``save(**form.cleaned_data)`` (the service call), then the
    message ``done`` and a redirect to ``then`` (either may be a function of what ``save``
    returned). ``None`` when there is nothing to redirect to: a GET, a form with errors,
    or a service's ``ValidationError``, which is put on the form field by field; the
    caller then shows the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(**form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return redirect(then(result) if callable(then) else then)
