"""The PDF renderer reads only the app's own static files (cases.pdf.url_fetcher)."""

import pytest
from django.urls import reverse
from weasyprint.urls import URLFetcher

from cases import pdf
from core import roles
from tests import factories
from tests.pdfs import pdf_bytes

HOSTILE = ("file:///etc/passwd", "http://127.0.0.1:1/x", "https://example.org/logo.png")


@pytest.fixture
def opened(monkeypatch):
    """Every URL WeasyPrint's own fetcher (urllib) is asked to open."""
    urls = []
    original = URLFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    return urls


@pytest.mark.parametrize(
    "url",
    [
        *HOSTILE,
        "file:///static/../../../../etc/passwd",
        "file:///static/css/../../../../../etc/passwd",
        f"file://{pdf.PDF_STYLESHEET.parent}/../../pyproject.toml",
        "ftp://127.0.0.1/x",
    ],
)
def test_the_fetcher_refuses_anything_but_static_files(url, opened):
    with pytest.raises(ValueError, match="only the app's static files"):
        pdf.url_fetcher().fetch(url)
    assert opened == []


def test_the_fetcher_serves_the_stylesheet_the_fonts_and_static_paths(opened):
    css = pdf.url_fetcher().fetch(pdf.PDF_STYLESHEET.as_uri())
    assert b"Helhed Sans" in css.read()
    css.close()
    font = pdf.url_fetcher().fetch((pdf.PDF_STYLESHEET.parent / "../fonts/DejaVuSans.ttf").as_uri())
    assert font.headers["Content-Type"].startswith("font/") or font.read()[:4]
    font.close()
    via_static_url = pdf.url_fetcher().fetch("file:///static/css/pdf.css")
    assert b"Helhed Sans" in via_static_url.read()
    via_static_url.close()
    pdf.url_fetcher().fetch("data:text/plain,ok").close()
    assert opened == ["data:text/plain,ok"]  # only data: reaches urllib


def test_markup_that_reaches_the_renderer_fetches_nothing_and_still_renders(opened):
    html = (
        '<html lang="da"><head><title>T</title></head><body><p>Tekst</p>'
        + "".join(f'<img src="{url}" alt="">' for url in HOSTILE)
        + '<link rel="stylesheet" href="http://127.0.0.1:1/x.css"></body></html>'
    )
    assert pdf.html_to_pdf(html).startswith(b"%PDF")
    assert opened == []


@pytest.mark.django_db
def test_an_agenda_whose_item_text_holds_such_markup_renders_without_fetching(client, opened):
    meeting = factories.meeting()
    factories.item(
        meeting,
        title='Punkt <img src="file:///etc/passwd">',
        problem='<img src="http://127.0.0.1:1/x"> og <img src="file:///etc/passwd">',
    )
    client.force_login(factories.user(roles.ADMINISTRATOR, "adm"))
    response = client.get(reverse("pdf:meeting_agenda", args=[meeting.pk]))
    assert response.status_code == 200
    assert pdf_bytes(response).startswith(b"%PDF")
    assert not [url for url in opened if not url.startswith("data:")]
