"""Reading a PDF back in a test: the bytes of a download (stored files stream) and its text."""

import io

from pypdf import PdfReader


def pdf_bytes(response) -> bytes:
    """The body of a PDF download, whether it was rendered or streamed from storage."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def text_of(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
