"""The plan status report PDF: the status page's content, rendered to bytes.

The page and the report share their partials (``templates/helhedsplaner/partials/status_*``)
and their charts, so what a politician reads on screen and on paper is the same.
The reader's visibility rules apply: a closed item outside the reader's committees
is only its number and "Lukket punkt" in the report too.
"""

from django.db.models.signals import post_delete
from django.template.loader import render_to_string

from cases import rendering
from cases.pdf import document_language
from core.pagecache import plan_scope

from ..cachescopes import CITY_INDICATORS
from ..models import Plan
from .selectors import plan_status_get, status_report_date, status_report_title


def plan_status_report_html(*, pk: int, user) -> tuple[str, str]:
    """(document title, HTML) of the report as ``user`` may read it."""
    status = plan_status_get(pk=pk, user=user)
    title = status_report_title(status["plan"])
    html = render_to_string(
        "helhedsplaner/status/pdf/plan_status.html",
        {
            **status,
            "document_title": title,
            "printed_on": status_report_date(),
            "pdf": True,
            # <html lang> (and so the PDF's /Lang): no request here, so no LANGUAGE_CODE
            "LANGUAGE_CODE": document_language(),
        },
    )
    return title, html


def _report_html(pk: int, user) -> str:
    return plan_status_report_html(pk=pk, user=user)[1]


def _forget_reports(sender, instance, **_kwargs) -> None:
    rendering.forget_reports(plan_scope(instance.pk))


def register() -> None:
    """Status reports are rendered in the background and kept (``cases.rendering``): named
    by the status page's scope (``plan:34``), made again after a change to what the page
    shows (its own scope and the city's indicators), forgotten with their plan."""
    rendering.register_subject("plan", html=_report_html, shared_scopes=[CITY_INDICATORS])
    post_delete.connect(_forget_reports, sender=Plan, dispatch_uid="plan-status-reports")
