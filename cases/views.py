from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Attachment


def case_list(request):
    page = Paginator(selectors.cases_list(user=request.user), 50).get_page(request.GET.get("side"))
    return render(request, "cases/case_list.html", {"page": page})


def case_detail(request, number: str):
    case, items = selectors.case_get_for_page(number=number, user=request.user)
    return render(request, "cases/case_detail.html", {"case": case, "items": items})


def attachment_download(request, pk: int):
    """Serve an attachment only to those who may see it; 404 otherwise (no existence leak)."""
    attachment = get_object_or_404(Attachment.objects.select_related("item__meeting"), pk=pk)
    if not selectors.attachment_visible_to(request.user, attachment) or not attachment.file:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=False,
        filename=attachment.original_filename or attachment.file.name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox"
    return response
