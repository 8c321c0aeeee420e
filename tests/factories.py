"""Test data builders in one place: small functions with sensible defaults."""

import itertools
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User

from cases.models import AgendaItem, Attachment, Case, Decision, RecommendationPoint
from committees.models import Administration, Committee, Meeting, Membership, Person
from core import roles
from helhedsplaner.models import (
    Area,
    CoFinancing,
    Estate,
    FocusArea,
    HousingOrganisation,
    LbfPeriod,
    Plan,
)

CPH = ZoneInfo("Europe/Copenhagen")
_seq = itertools.count(1)


def n() -> int:
    return next(_seq)


def administration(code: str | None = None, name: str | None = None) -> Administration:
    i = n()
    code = code or f"A{i}"
    obj, _ = Administration.objects.get_or_create(
        code=code, defaults={"name": name or f"Forvaltning {code}"}
    )
    return obj


def committee(short_name: str | None = None, **kwargs) -> Committee:
    i = n()
    short_name = short_name or f"U{i}"
    defaults = {
        "name": kwargs.pop("name", f"Udvalg {short_name}"),
        "slug": kwargs.pop("slug", f"u-{i}"),
        "kind": kwargs.pop("kind", Committee.Kind.STANDING_COMMITTEE),
        **kwargs,
    }
    if defaults["kind"] == Committee.Kind.SPECIAL_COMMITTEE:  # set up by the council, for a time
        defaults.setdefault("established_by", "BR-beslutning 12. maj 2022, punkt 14")
        defaults.setdefault("established_on", date(2022, 5, 12))
        defaults.setdefault("period_end", date(2026, 12, 31))
    return Committee.objects.create(short_name=short_name, **defaults)


def user(
    role: str | None = None, username: str | None = None, *, scoped: bool = False, **kwargs
) -> User:
    """A user with ``role``. Unless ``scoped``, a caseworker acts for every administration
    (plans and commitments) and a secretary serves every committee that exists now, so tests
    about a page need not build an administration or a membership first. Tests about scoped
    authority pass ``scoped=True`` and give the user their own administration or seats."""
    username = username or f"user{n()}"
    obj = User.objects.create_user(username=username, password="pw", **kwargs)
    if role:
        roles.ensure_roles()
        obj.groups.add(Group.objects.get(name=role))
    if role == roles.CASEWORKER and not scoped:
        act_for_all_administrations(obj)
    if role == roles.SECRETARY and not scoped:
        secretary_of(obj, *Committee.objects.all(), auto=True)
    return obj


def person(name: str | None = None, **kwargs) -> Person:
    return Person.objects.create(name=name or f"Person {n()}", **kwargs)


AUTO_SEAT_START = date(1990, 1, 1)


def member(
    user_obj: User,
    committee_obj: Committee,
    role=Membership.Role.MEMBER,
    start=date(2000, 1, 1),
    end=None,
) -> Membership:
    p = getattr(user_obj, "person", None) or person(user=user_obj, name=user_obj.username)
    # A membership the test asks for replaces the one the ``secretary`` fixture gave
    # automatically (conftest.py), so the test's own role and period are what count.
    Membership.objects.filter(
        person=p, committee=committee_obj, start_date=AUTO_SEAT_START
    ).delete()
    return Membership.objects.create(
        person=p, committee=committee_obj, role=role, start_date=start, end_date=end
    )


def meeting(
    committee_obj: Committee | None = None,
    day=date(2009, 5, 28),
    hour=15,
    status=Meeting.Status.PUBLISHED,
    **kwargs,
) -> Meeting:
    return Meeting.objects.create(
        committee=committee_obj or committee(),
        starts_at=datetime.combine(day, time(hour), tzinfo=CPH),
        location="Rådhuset",
        status=status,
        **kwargs,
    )


def case(number: str | None = None, admin: Administration | None = None, **kwargs) -> Case:
    return Case.objects.create(
        number=number or f"2009-{70000 + n():05d}",
        title=kwargs.pop("title", "En sag"),
        administration=admin or administration(),
        **kwargs,
    )


def item(
    meeting_obj: Meeting | None = None,
    number: int | None = None,
    case_obj=None,
    points=("at udvalget drøfter sagen.",),
    **kwargs,
) -> AgendaItem:
    if meeting_obj is not None and number is None:
        number = meeting_obj.agenda_items.count() + 1
    case_obj = case_obj or case()
    obj = AgendaItem.objects.create(
        meeting=meeting_obj,
        number=number,
        case=case_obj,
        status=kwargs.pop(
            "status",
            AgendaItem.Status.SCHEDULED if meeting_obj else AgendaItem.Status.DRAFT,
        ),
        title=kwargs.pop("title", f"Punkt {n()}"),
        recommending_administration=kwargs.pop(
            "recommending_administration", case_obj.administration
        ),
        **kwargs,
    )
    for position, text in enumerate(points, start=1):
        RecommendationPoint.objects.create(item=obj, position=position, text=text)
    return obj


def attachment(
    item_obj: AgendaItem,
    title="Bilag",
    is_closed=False,
    content=b"%PDF-1.4\n",
    filename="bilag.pdf",
    **kwargs,
) -> Attachment:
    from django.core.files.base import ContentFile

    obj = Attachment(
        item=item_obj,
        position=item_obj.attachments.count() + 1,
        title=title,
        is_closed=is_closed,
        original_filename=filename,
        content_type="application/pdf",
        size=len(content),
        **kwargs,
    )
    obj.file.save(filename, ContentFile(content), save=False)
    obj.save()
    return obj


def decision(item_obj: AgendaItem, outcome=Decision.Outcome.APPROVED, text="Godkendt.") -> Decision:
    return Decision.objects.create(item=item_obj, outcome=outcome, text=text)


def lbf_period(
    name: str = "2019–2026", start=2019, end=2026, focus=("Beskæftigelse",)
) -> LbfPeriod:
    period, _ = LbfPeriod.objects.get_or_create(
        name=name, defaults={"start_year": start, "end_year": end}
    )
    for f in focus:
        FocusArea.objects.get_or_create(period=period, name=f)
    return period


def area(name: str | None = None, **kwargs) -> Area:
    i = n()
    return Area.objects.create(name=name or f"Område {i}", code=f"T-{i}", **kwargs)


def plan(name: str | None = None, **kwargs) -> Plan:
    defaults = {
        "housing_organisation": HousingOrganisation.objects.get_or_create(name="fsb")[0],
        "area": kwargs.pop("area", None) or area(),
        "lbf_period": kwargs.pop("lbf_period", None) or lbf_period(),
        "lead_administration": kwargs.pop("lead_administration", None) or administration("TMF"),
        "budget": Decimal("10000000"),
        "lbf_grant": Decimal("6000000"),
        "period_start": date(2020, 1, 1),
        "period_end": date(2023, 12, 31),
    }
    defaults.update(kwargs)
    return Plan.objects.create(name=name or f"Helhedsplan {n()}", **defaults)


def estate(plan_obj: Plan, name: str | None = None, tenancies=200) -> Estate:
    return Estate.objects.create(plan=plan_obj, name=name or f"Afdeling {n()}", tenancies=tenancies)


def commitment(
    plan_obj: Plan,
    admin: Administration | None = None,
    year=2021,
    amount=Decimal("100000"),
    **kwargs,
) -> CoFinancing:
    return CoFinancing.objects.create(
        plan=plan_obj, administration=admin or administration(), year=year, amount=amount, **kwargs
    )


ROLE_USERNAMES = {
    roles.CASEWORKER: "sagsbehandler",
    roles.SECRETARY: "sekretaer",
    roles.POLITICIAN: "politiker",
    roles.ADMINISTRATOR: "admin",
}


# -- helhedsplaner: plan register (issue 3) ----------------------------------------------------


def housing_organisation(name: str | None = None):
    from helhedsplaner.models import HousingOrganisation

    return HousingOrganisation.objects.get_or_create(name=name or f"Boligselskab {n()}")[0]


def indicator(code: str | None = None, name: str | None = None, unit: str = "%"):
    from helhedsplaner.models import Indicator

    i = n()
    return Indicator.objects.create(
        code=code or f"indikator-{i}", name=name or f"Indikator {i}", unit=unit
    )


def indicator_value(area_obj, indicator_obj, year=2020, value=Decimal("10")):
    from helhedsplaner.models import IndicatorValue

    return IndicatorValue.objects.create(
        area=area_obj, indicator=indicator_obj, year=year, value=value
    )


def status_change(plan_obj, to_status, day=date(2020, 1, 1), from_status="", by=None, note=""):
    from helhedsplaner.models import PlanStatusChange

    return PlanStatusChange.objects.create(
        plan=plan_obj,
        from_status=from_status,
        to_status=to_status,
        date=day,
        changed_by=by,
        note=note,
    )


# -- co-financing, follow-up groups and the policy (issue 6) ----------------------------------
def pool(name: str | None = None, start=2020, end=2026, budget=Decimal("1000000")):
    from helhedsplaner.models import CoFinancingPool

    return CoFinancingPool.objects.create(
        name=name or f"Pulje {n()}", start_year=start, end_year=end, budget=budget
    )


def housing_contribution(plan_obj: Plan, amount=Decimal("500000"), description="Dispositionsfond"):
    from helhedsplaner.models import HousingContribution

    return HousingContribution.objects.create(plan=plan_obj, amount=amount, description=description)


def deciding_item(committee_obj: Committee | None = None, **kwargs) -> AgendaItem:
    """An item on a held meeting with an approving decision: what grants a commitment."""
    day = kwargs.pop("day", date(2020, 3, 2))
    meeting_obj = meeting(committee_obj, day=day, status=Meeting.Status.HELD)
    item_obj = item(meeting_obj, **kwargs)
    decision(item_obj)
    return item_obj


def follow_up_group(name: str | None = None, **kwargs):
    from committees.models import FollowUpGroup

    return FollowUpGroup.objects.create(
        name=name or f"Følgegruppe {n()}",
        kind=kwargs.pop("kind", FollowUpGroup.Kind.INFORMAL),
        **kwargs,
    )


def policy_goal(title: str | None = None, policy_name: str = "Fælles politik", number=None):
    from helhedsplaner.models import Policy, PolicyGoal

    policy_obj, _ = Policy.objects.get_or_create(name=policy_name)
    number = number or policy_obj.goals.count() + 1
    return PolicyGoal.objects.create(
        policy=policy_obj, number=number, title=title or f"Mål {number}"
    )


# -- meetings, agendas and decisions (issue 4) ----------------------------------------------


def staff(user_obj: User, admin: Administration) -> Person:
    """Make ``user_obj`` a member of staff in ``admin`` (caseworkers draft for their own)."""
    person = getattr(user_obj, "person", None)
    if person is None:
        return Person.objects.create(name=user_obj.username, user=user_obj, administration=admin)
    person.administration = admin
    person.save(update_fields=["administration"])
    return person


def pdf_upload(name: str = "bilag.pdf", content: bytes = b"%PDF-1.4\n%demo\n"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def office_zip(kind: str = "docx") -> bytes:
    """A minimal OOXML (docx/xlsx/pptx) or ODF (odt/ods) container, enough for the type check."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind in ("odt", "ods"):
            archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("content.xml", "<x/>")
    return buffer.getvalue()


def item_form_data(points=("at udvalget drøfter sagen.",), **fields) -> dict:
    """POST data for the agenda item form (the item fields plus the points formset)."""
    data = {
        "item_type": "decision",
        "title": "Et punkt",
        "summary": "",
        "route": "",
        "decided_by": "",
        "problem": "",
        "solution": "",
        "economy": "",
        "further_process": "",
        "case_number": "",
        "points-TOTAL_FORMS": str(len(points)),
        "points-INITIAL_FORMS": "0",
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "1000",
    }
    for index, text in enumerate(points):
        data[f"points-{index}-text"] = text
        data[f"points-{index}-ORDER"] = str(index + 1)
    for key, value in fields.items():
        if value is True:
            data[key] = "on"
        elif value is False or value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


# -- status pages and dashboard (issue 7) ---------------------------------------------------


def follow_up_meeting(group, day=date(2021, 9, 8), notes="Status for planerne."):
    from committees.models import FollowUpGroupMeeting

    return FollowUpGroupMeeting.objects.create(group=group, date=day, notes=notes)


def backdate(obj, when: datetime) -> None:
    """Pretend ``obj`` was created and last changed at ``when`` (for staleness tests)."""
    type(obj).objects.filter(pk=obj.pk).update(created_at=when, updated_at=when)


# -- scoped authority (issue 14) --------------------------------------------------------------


def secretary_of(user_obj: User, *committees: Committee, auto: bool = False) -> User:
    """Make ``user_obj`` a secretary of ``committees`` (a current secretary membership).
    ``auto`` marks the seats the ``secretary`` fixture gives, which a test's own may replace."""
    p = getattr(user_obj, "person", None) or person(user=user_obj, name=user_obj.username)
    for committee_obj in committees:
        if auto:
            Membership.objects.get_or_create(
                person=p,
                committee=committee_obj,
                start_date=AUTO_SEAT_START,
                defaults={"role": Membership.Role.SECRETARY},
            )
        else:
            member(user_obj, committee_obj, role=Membership.Role.SECRETARY)
    return user_obj


def act_for_all_administrations(user_obj: User) -> User:
    """Grant ``user_obj`` every administration for plans and commitments (committees/rules.py)."""
    from django.contrib.auth.models import Permission

    user_obj.user_permissions.add(
        Permission.objects.get(
            codename="act_for_all_administrations", content_type__app_label="committees"
        )
    )
    return user_obj
