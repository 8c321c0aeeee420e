"""Checking uploaded attachments by what they contain, not only by their name."""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

PDF = b"%PDF-"
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# extension -> (signature family, content type)
ALLOWED = {
    ".pdf": ("pdf", "application/pdf"),
    ".docx": (
        "ooxml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".xlsx": ("ooxml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": (
        "ooxml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ".odt": ("odf", "application/vnd.oasis.opendocument.text"),
    ".ods": ("odf", "application/vnd.oasis.opendocument.spreadsheet"),
    ".doc": ("ole", "application/msword"),
    ".xls": ("ole", "application/vnd.ms-excel"),
}

WRONG_TYPE = _(
    "The file is not a PDF or office document. Allowed are PDF, DOCX, XLSX, PPTX, DOC, XLS, "
    "ODT and ODS; the type is checked from the file's content, not only its name."
)


@dataclass(frozen=True)
class CheckedUpload:
    filename: str
    content_type: str
    size: int


def _family(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF):
        return "pdf"
    if head.startswith(OLE):
        return "ole"
    if head.startswith(ZIP):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            return "ooxml"
        if "mimetype" in names:
            return "odf"
    return None


def attachment_upload_check(upload) -> CheckedUpload:
    """Raise a ValidationError (in the user's language) unless ``upload`` is an allowed file."""
    if upload is None:
        raise ValidationError(_("Choose a file to upload."), code="required")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    filename = PurePath(upload.name or "").name
    extension = PurePath(filename).suffix.lower()
    if extension not in ALLOWED:
        raise ValidationError(WRONG_TYPE, code="wrong_type")
    family, content_type = ALLOWED[extension]
    if _family(upload) != family:
        raise ValidationError(WRONG_TYPE, code="wrong_type")
    return CheckedUpload(filename=filename, content_type=content_type, size=size)
