import pytest
from django.urls import reverse

from tests.urlwalk import all_routes

pytestmark = pytest.mark.django_db

# Routes reachable without login, and why.
PUBLIC = {
    "login": "the login page itself",
    "accessibility": "the accessibility statement must be public by law",
    "set_language": "choosing the language on the login page",
    "calendar_mine": "a calendar feed, authenticated by the user's secret token in the URL",
    "calendar_committee": "a calendar feed, authenticated by the user's secret token in the URL",
}


def routes():
    return sorted(set(all_routes()))


def test_the_walk_finds_the_routes():
    names = {name for name, _ in routes()}
    assert {"home", "cases:case_detail", "cases:case_list", "login"} <= names


@pytest.mark.parametrize(("name", "path"), routes())
def test_every_page_requires_login(client, name, path):
    response = client.get(path)
    if name in PUBLIC:
        assert response.status_code in (200, 302, 404, 405)
        return
    assert response.status_code == 302, f"{name} ({path}) answered {response.status_code}"
    assert response["Location"].startswith(reverse("login"))


def test_admin_requires_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_login_page_is_danish(client):
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert '<html lang="da">' in content
    assert "Log ind" in content
    assert "Brugernavn" in content
    assert "Adgangskode" in content


def test_wrong_password_gets_danish_message(client, caseworker):
    response = client.post(reverse("login"), {"username": "sagsbehandler", "password": "forkert"})
    assert response.status_code == 200
    assert "Brugernavnet eller adgangskoden er forkert" in response.content.decode()


def test_login_and_logout(client, caseworker):
    response = client.post(reverse("login"), {"username": "sagsbehandler", "password": "pw"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_english_is_one_setting_away(client, caseworker, settings):
    settings.LANGUAGE_CODE = "en"
    response = client.get(reverse("login"))
    assert '<html lang="en">' in response.content.decode()
    assert "User name" in response.content.decode()


def test_browser_language_does_not_override_danish(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Brugernavn" in response.content.decode()


def test_language_menu_switches_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/log-ind/"})
    assert "User name" in client.get(reverse("login")).content.decode()
