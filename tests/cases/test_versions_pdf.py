"""Each published agenda version keeps its PDF in both editions (issue 18, point 6), and
the confidential marking appears only where an edition prints closed content (point 5).

The PDFs are read back as text; user-visible text is compared with the translation of
its msgid, so the tests hold before and after the Danish is added."""

from datetime import date, datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from cases import pdf, rendering, services
from cases.models import AgendaVersion, RenderedFile
from committees.models import Meeting
from core import roles
from tests import factories
from tests.pdfs import pdf_bytes, text_of

pytestmark = pytest.mark.django_db

CPH_DAY = date(2027, 1, 12)
SECRET = "Fortroligt lejemålskøb"


def danish(text: str, **values) -> str:
    with translation.override("da"):
        translated = translation.gettext(text)
    return translated % values if values else translated


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(text_of(pdf_bytes(response)))


def published_on(meeting, day: date, hour=10) -> AgendaVersion:
    when = datetime(day.year, day.month, day.day, hour, tzinfo=factories.CPH)
    return services.meeting_publish(meeting=meeting, published_at=when)


def retitle(item, title: str) -> None:
    item.refresh_from_db()
    services.agenda_item_update(
        item=item,
        expected_version=item.version,
        points=[p.text for p in item.recommendation_points.all()],
        title=title,
    )


@pytest.fixture
def meeting():
    """A draft TMU meeting with one open item; not yet published."""
    committee = factories.committee("TMU", name="Teknik- og Miljøudvalget", slug="tmu")
    meeting = factories.meeting(committee, day=date(2027, 1, 21), status=Meeting.Status.DRAFT)
    factories.item(meeting, number=1, title="Helhedsplan for Tingbjerg")
    return meeting


def version_url(meeting, number, edition=None):
    url = reverse("pdf:meeting_version_agenda", args=[meeting.pk, number])
    return f"{url}?udgave={edition}" if edition else url


# -- A. each version's own content --------------------------------------------------------


def test_an_earlier_version_prints_what_it_published_not_todays_agenda(client, politician, meeting):
    published_on(meeting, CPH_DAY)
    retitle(meeting.agenda_items.get(), "Helhedsplan for Tingbjerg og Husum")
    published_on(meeting, date(2027, 1, 14))
    client.force_login(politician)

    first = text(client.get(version_url(meeting, 1)))
    assert "1. Helhedsplan for Tingbjerg" in first
    assert "Husum" not in first
    second = text(client.get(version_url(meeting, 2)))
    assert "1. Helhedsplan for Tingbjerg og Husum" in second


def test_a_version_not_rendered_at_publish_is_rendered_on_demand_and_kept(
    client, politician, meeting
):
    version = published_on(meeting, CPH_DAY)  # the test settings render nothing at publish
    assert not RenderedFile.objects.filter(version=version).exists()
    client.force_login(politician)
    text(client.get(version_url(meeting, 1)))
    row = RenderedFile.objects.get(version=version)
    assert row.is_ready and row.edition == pdf.Edition.PUBLIC
    # Kept as made: a later change to the meeting's agenda does not make it again.
    retitle(meeting.agenda_items.get(), "Noget andet")
    published_on(meeting, date(2027, 1, 14))
    assert "Noget andet" not in text(client.get(version_url(meeting, 1)))
    assert RenderedFile.objects.get(pk=row.pk).file.name == row.file.name


@override_settings(PDF_RENDER_AT_PUBLISH=True)
def test_publishing_renders_the_versions_agenda_in_both_editions(meeting):
    version = published_on(meeting, CPH_DAY)
    made = RenderedFile.objects.filter(version=version, status=RenderedFile.Status.READY)
    assert sorted(made.values_list("edition", flat=True)) == ["members", "public"]
    # The meeting's own (live) documents are still one per kind and edition.
    live = RenderedFile.objects.filter(meeting=meeting, version__isnull=True)
    assert live.count() == 4


def test_a_version_that_kept_nothing_says_why_it_cannot_be_printed(client, politician, meeting):
    version = published_on(meeting, CPH_DAY)
    AgendaVersion.objects.filter(pk=version.pk).update(snapshot={})
    client.force_login(politician)
    response = client.get(version_url(meeting, 1))
    assert response.status_code == 404
    assert danish("This version cannot be printed") in response.content.decode()


def test_an_unknown_version_is_not_found(client, politician, meeting):
    published_on(meeting, CPH_DAY)
    client.force_login(politician)
    assert client.get(version_url(meeting, 2)).status_code == 404
    assert client.get(version_url(meeting, 1, "noget")).status_code == 404


def test_the_version_table_offers_each_versions_pdfs(client, politician, meeting):
    published_on(meeting, CPH_DAY)
    factories.item(meeting, number=2, title=SECRET, is_closed=True)
    published_on(meeting, date(2027, 1, 14))
    client.force_login(politician)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    for number in (1, 2):
        assert f'href="{version_url(meeting, number, "offentlig")}"' in page
    assert version_url(meeting, 2, "medlem") not in page  # not a member of TMU

    factories.member(politician, meeting.committee)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert f'href="{version_url(meeting, 2, "medlem")}"' in page
    # Version 1 has no closed content: its members' edition is the public one.
    assert version_url(meeting, 1, "medlem") not in page


# -- A. permissions per role ----------------------------------------------------------------


@pytest.fixture
def closed_version(meeting):
    factories.item(meeting, number=2, title=SECRET, is_closed=True, problem="4,2 mio. kr.")
    published_on(meeting, CPH_DAY)
    return meeting


def login(client, role, meeting, *, member=False):
    user = factories.user(role, scoped=True)
    if role == roles.SECRETARY:
        factories.secretary_of(user, meeting.committee)
    if member:
        factories.member(user, meeting.committee)
    client.force_login(user)
    return client


# role, member of the committee, status of the public edition, of the members' edition
ROLES = [
    (roles.CASEWORKER, False, 200, 403),
    (roles.SECRETARY, False, 200, 200),
    (roles.POLITICIAN, False, 200, 403),
    (roles.POLITICIAN, True, 200, 200),
    (roles.ADMINISTRATOR, False, 200, 200),
]


@pytest.mark.parametrize(("role", "member", "public", "members"), ROLES)
def test_version_pdf_per_role(client, closed_version, role, member, public, members):
    client = login(client, role, closed_version, member=member)
    response = client.get(version_url(closed_version, 1, "offentlig"))
    assert response.status_code == public
    assert SECRET not in text(response)
    response = client.get(version_url(closed_version, 1, "medlem"))
    assert response.status_code == members
    if members == 200:
        assert SECRET in text(response)
    # Without a choice: the members' edition if they may read it, else the public one.
    assert (SECRET in text(client.get(version_url(closed_version, 1)))) == (members == 200)


@pytest.mark.parametrize(("role", "member", "public", "members"), ROLES)
def test_asking_again_is_for_the_secretariat(client, closed_version, role, member, public, members):
    client = login(client, role, closed_version, member=member)
    response = client.post(version_url(closed_version, 1, "offentlig"))
    assert response.status_code == (302 if role in (roles.SECRETARY, roles.ADMINISTRATOR) else 403)


def test_a_draft_meetings_versions_do_not_exist_for_readers(client, politician, meeting):
    client.force_login(politician)
    assert client.get(version_url(meeting, 1)).status_code == 404


# -- B. each PDF prints its version ---------------------------------------------------------


def test_each_pdf_prints_its_version_and_date(client, politician, meeting):
    published_on(meeting, CPH_DAY)
    factories.item(meeting, number=2, title="Orientering om Husum")
    supplementary = published_on(meeting, date(2027, 1, 14))
    assert supplementary.kind == AgendaVersion.Kind.SUPPLEMENTARY
    client.force_login(politician)

    pages = text_of(pdf_bytes(client.get(version_url(meeting, 1))))
    first = danish("Version %(number)s of %(date)s", number=1, date="12. januar 2027")
    assert first in pages[0]  # on the cover
    assert all(first in page for page in pages[1:])  # and in the running footer
    assert len(pages) > 1

    pages = text_of(pdf_bytes(client.get(version_url(meeting, 2))))
    label = danish(
        "Supplementary agenda, version %(number)s of %(date)s", number=2, date="14. januar 2027"
    )
    assert danish("Supplementary agenda") in pages[0]
    assert all(label in page for page in pages)


def test_the_current_agenda_prints_its_version_and_unpublished_changes(client, politician, meeting):
    client.force_login(politician)
    agenda = reverse("pdf:meeting_agenda", args=[meeting.pk])
    published_on(meeting, CPH_DAY)
    label = danish("Version %(number)s of %(date)s", number=1, date="12. januar 2027")
    whole = text(client.get(agenda))
    assert label in whole
    pending = danish("%(version)s, with changes not yet published", version=label)
    assert pending not in whole

    retitle(meeting.agenda_items.get(), "Helhedsplan for Husum")
    assert pending in text(client.get(agenda))


# -- C. confidential only with closed content -----------------------------------------------


def test_members_edition_without_closed_content_is_not_marked_confidential(meeting):
    published_on(meeting, CPH_DAY)
    version = meeting.agenda_versions.get()
    with translation.override("da"):
        live = "\n".join(
            text_of(pdf.meeting_agenda_pdf(meeting=meeting, edition=pdf.Edition.MEMBERS))
        )
        kept = "\n".join(
            text_of(
                pdf.html_to_pdf(
                    pdf.version_agenda_html(version=version, edition=pdf.Edition.MEMBERS)
                )
            )
        )
    for whole in (live, kept):
        assert danish("Members' edition – confidential") not in whole
        assert (
            danish("Members' edition: contains closed items. Confidential – do not pass on.")[:20]
            not in whole
        )
        assert danish("Confidential") not in whole


def test_members_edition_with_a_closed_item_is_marked_confidential_and_public_is_not(
    closed_version,
):
    version = closed_version.agenda_versions.get()
    with translation.override("da"):
        members = text_of(
            pdf.html_to_pdf(pdf.version_agenda_html(version=version, edition=pdf.Edition.MEMBERS))
        )
        public = "\n".join(
            text_of(
                pdf.html_to_pdf(
                    pdf.version_agenda_html(version=version, edition=pdf.Edition.PUBLIC)
                )
            )
        )
    footer = danish("Members' edition – confidential")
    assert all(footer in page for page in members)
    assert SECRET in "\n".join(members)
    assert footer not in public and SECRET not in public and "4,2 mio." not in public
    assert danish("Public edition") in public


def test_an_open_item_with_a_closed_attachment_makes_the_members_edition_confidential(meeting):
    item = meeting.agenda_items.get()
    factories.attachment(item, title="Fortrolig vurdering", is_closed=True)
    with translation.override("da"):
        members = "\n".join(
            text_of(pdf.meeting_agenda_pdf(meeting=meeting, edition=pdf.Edition.MEMBERS))
        )
        public = "\n".join(
            text_of(pdf.meeting_agenda_pdf(meeting=meeting, edition=pdf.Edition.PUBLIC))
        )
    assert danish("Members' edition – confidential") in members
    assert "Fortrolig vurdering" in members
    assert "Fortrolig vurdering" not in public
    assert danish("Members' edition – confidential") not in public


def test_rendering_a_version_again_after_a_change_leaves_the_versions_rows_alone(meeting):
    version = published_on(meeting, CPH_DAY)
    row = rendering.current_version(version, pdf.Edition.PUBLIC)
    assert row.is_ready
    rendering.render_meeting_again.enqueue(meeting.pk)
    assert RenderedFile.objects.filter(version=version).count() == 1
    assert not RenderedFile.objects.filter(meeting=meeting, version__isnull=True).exists()
