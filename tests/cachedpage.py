"""Reading a shared page in a test: whether it came from the page cache, and what it shows."""

from django.test import Client

from core import pagecache


def get_page(client: Client, url: str, data: dict | None = None) -> tuple[str | None, str]:
    """GET ``url``: the ``X-Page-Cache`` header ("hit", "miss", or None for a page not kept
    in the cache) and the page's text. Any answer other than 200 fails the test."""
    response = client.get(url, data)
    assert response.status_code == 200, (url, response.status_code)
    return response.get(pagecache.STATUS_HEADER), response.content.decode()
