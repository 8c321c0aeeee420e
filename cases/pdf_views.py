"""PDF downloads: agenda, single item, minutes and the printable package.

The views check who may see what, then wrap the bytes from ``cases.pdf`` in a
response whose file name keeps æ/ø/å (RFC 5987, ``filename*=UTF-8''…``).
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from committees.models import Meeting

from . import pdf, rendering
from .models import AgendaVersion, RenderedFile
from .selectors import agenda_items_visible_to

EDITION_PARAMETER = {"medlem": pdf.Edition.MEMBERS, "offentlig": pdf.Edition.PUBLIC}


def _meeting_for(user, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if meeting.status == Meeting.Status.DRAFT and not user.has_perm("committees.change_meeting"):
        raise Http404  # an unpublished agenda does not exist for readers
    return meeting


def _edition(request, meeting: Meeting) -> pdf.Edition:
    requested = request.GET.get("udgave")
    may_see_members = pdf.edition_allowed(
        user=request.user, meeting=meeting, edition=pdf.Edition.MEMBERS
    )
    if requested is None:
        return pdf.Edition.MEMBERS if may_see_members else pdf.Edition.PUBLIC
    edition = EDITION_PARAMETER.get(requested)
    if edition is None:
        raise Http404
    if not pdf.edition_allowed(user=request.user, meeting=meeting, edition=edition):
        raise PermissionDenied
    return edition


def _response(content: bytes, filename: str) -> HttpResponse:
    return _as_download(HttpResponse(content, content_type="application/pdf"), filename)


def _as_download(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _suffix(edition: pdf.Edition) -> str:
    return "" if edition == pdf.Edition.MEMBERS else f" ({pdf.public_label()})"


# How often the page of a PDF being made reloads itself.
REFRESH_SECONDS = 3


def stored_pdf(request, row_of, filename: str, *, may_retry: bool, back: tuple[str, str]):
    """The stored PDF if it shows what the data shows now (``row_of(again)``: the row from
    ``cases.rendering``); else the page that says it is being made (and reloads itself),
    or why it failed. POST: make it again (``may_retry``: after a failure). ``back``: the
    page the PDF belongs to, as (url, name), for the page's breadcrumb."""
    again = request.method == "POST"
    if again and not may_retry:
        raise PermissionDenied
    row = row_of(again)
    if again:
        return redirect(request.get_full_path())
    if row.is_ready:
        response = FileResponse(row.file.open("rb"), content_type="application/pdf")
        return _as_download(response, filename)
    return render(
        request,
        "cases/pdf_pending.html",
        {
            "back_url": back[0],
            "back_name": back[1],
            "title": filename.removesuffix(".pdf"),
            "rendered": row,
            "failed": row.status == RenderedFile.Status.FAILED,
            "may_retry": may_retry,
            "refresh_seconds": REFRESH_SECONDS,
        },
        status=202,
    )


def _stored(request, meeting: Meeting, kind: str, edition: pdf.Edition, filename: str):
    """A meeting's stored PDF (:func:`stored_pdf`); the meeting's own secretariat (and
    administrators) may have it made again."""
    return stored_pdf(
        request,
        lambda again: rendering.current(meeting, kind, edition, again=again),
        filename,
        may_retry=request.user.has_perm("committees.manage_meeting", meeting),
        back=(reverse("meetings:meeting_detail", args=[meeting.pk]), str(meeting)),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_agenda(request, pk: int):
    meeting = _meeting_for(request.user, pk)
    edition = _edition(request, meeting)
    filename = f"{pdf.agenda_title(meeting)}{_suffix(edition)}.pdf"
    return _stored(request, meeting, RenderedFile.Kind.AGENDA, edition, filename)


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_version_agenda(request, pk: int, number: int):
    """A published version's agenda (v1, v2, the tillæg) as it was published, in the
    edition the reader may read (the members' edition follows the closed-item rule)."""
    meeting = _meeting_for(request.user, pk)
    version = get_object_or_404(
        AgendaVersion.objects.select_related("meeting__committee"), meeting=meeting, number=number
    )
    edition = _edition(request, meeting)
    filename = f"{pdf.version_title(version)}{_suffix(edition)}.pdf"
    back = (reverse("meetings:meeting_detail", args=[meeting.pk]), str(meeting))
    if not pdf.version_printable(version):
        return render(
            request,
            "cases/version_pdf_unavailable.html",
            {"back_url": back[0], "back_name": back[1], "title": filename.removesuffix(".pdf")},
            status=404,
        )
    return stored_pdf(
        request,
        lambda again: rendering.current_version(version, edition, again=again),
        filename,
        may_retry=request.user.has_perm("committees.manage_meeting", meeting),
        back=back,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_package(request, pk: int):
    meeting = _meeting_for(request.user, pk)
    edition = _edition(request, meeting)
    filename = f"{pdf.package_title(meeting)}{_suffix(edition)}.pdf"
    return _stored(request, meeting, RenderedFile.Kind.PACKAGE, edition, filename)


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_minutes(request, pk: int):
    meeting = _meeting_for(request.user, pk)
    if meeting.status not in (Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED):
        raise Http404
    if not meeting.is_locked and not request.user.has_perm("cases.change_decision"):
        raise Http404  # draft minutes are for the secretariat
    edition = _edition(request, meeting)
    filename = f"{pdf.minutes_title(meeting)}{_suffix(edition)}.pdf"
    return _stored(request, meeting, RenderedFile.Kind.MINUTES, edition, filename)


def agenda_item(request, pk: int):
    queryset = agenda_items_visible_to(request.user).filter(meeting__isnull=False)
    item = get_object_or_404(
        queryset.select_related(
            "meeting__committee", "case", "recommending_administration", "decided_by", "decision"
        ),
        pk=pk,
    )
    meeting = _meeting_for(request.user, item.meeting_id)
    edition = _edition(request, meeting)
    content = pdf.agenda_item_pdf(item=item, edition=edition)
    return _response(content, f"{pdf.item_title(item)}{_suffix(edition)}.pdf")
