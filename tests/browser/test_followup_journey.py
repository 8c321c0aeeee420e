"""Journey: the secretary sets up a formal § 17, stk. 4 follow-up group in the product's own
screens: the group linked to its special committee, its members with a chair, the plans
it follows and a recorded meeting; the group page then shows it all. axe-core checks each
page on the way.

Fields and buttons are found by their ids and form roles, not their texts, so the journey
holds while the new texts get their Danish translations.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from committees.models import Committee, FollowUpGroup, Membership, Person
from helhedsplaner.models import Plan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAME = "Den politiske følgegruppe for Husum"
SPECIAL = "Særudvalget for Husum"


def _special_committee_served_by_the_secretary() -> Committee:
    fields = {field.name for field in Committee._meta.get_fields()}
    extra = {}
    if "established_by" in fields:
        extra = {
            "established_by": "BR-beslutning 3. juni 2026, punkt 9",
            "established_on": date(2026, 6, 3),
        }
    committee = Committee.objects.create(
        short_name="SHU",
        slug="saerudvalg-husum",
        name=SPECIAL,
        kind=Committee.Kind.SPECIAL_COMMITTEE,
        period_start=date(2026, 7, 1),
        period_end=date(2029, 12, 31),
        **extra,
    )
    Membership.objects.create(
        person=Person.objects.get(user__username="sekretaer"),
        committee=committee,
        start_date=date(2026, 7, 1),
        role=Membership.Role.SECRETARY,
    )
    return committee


def _submit(page):
    page.locator("main form[method=post] button[type=submit].primary").click()


def test_secretary_sets_up_a_formal_follow_up_group(page_as, axe):
    committee = _special_committee_served_by_the_secretary()
    chair, member = Person.objects.filter(memberships__committee__short_name="BR")[3:5]
    plans = list(Plan.objects.filter(name__icontains="Tingbjerg").order_by("name"))
    page = page_as("sekretaer")

    page.goto(f"{page.base}/foelgegrupper/")
    axe(page, "follow-up group list")
    page.locator("main a[href$='/foelgegrupper/ny/']").click()
    axe(page, "new follow-up group")

    # Formal, but no special committee yet: refused with a message, the input kept.
    page.locator("#id_name").fill(NAME)
    page.locator("#id_kind_0").check()  # formal
    page.locator("#id_formed_by").select_option(label="Borgerrepræsentationen")
    page.locator("#id_mandate").fill("Følger helhedsplanerne i Husum tæt.")
    page.locator("#id_period_start").fill("2026-07-01")
    _submit(page)
    expect(page.locator(".error-summary")).to_contain_text("§ 17, stk. 4")
    expect(page.locator("#id_name")).to_have_value(NAME)
    axe(page, "new follow-up group with an error")

    page.locator("#id_committee").select_option(str(committee.pk))
    _submit(page)
    group = FollowUpGroup.objects.get(name=NAME)
    expect(page).to_have_url(re.compile(rf"/foelgegrupper/{group.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.locator(".kind-box")).to_contain_text(SPECIAL)
    axe(page, "the new group")

    # Members: a chair and a member.
    page.locator(f"main a[href$='/foelgegrupper/{group.pk}/medlemmer/']").click()
    page.locator("#id_person").select_option(str(chair.pk))
    page.locator("#id_is_chair").check()
    _submit(page)
    page.locator("#id_person").select_option(str(member.pk))
    _submit(page)
    expect(page.locator("main table")).to_contain_text(chair.name)
    expect(page.locator("main table")).to_contain_text(member.name)
    axe(page, "the group's members")

    # Plans followed: filtered by name (a GET form), chosen with checkboxes.
    page.goto(f"{page.base}/foelgegrupper/{group.pk}/")
    page.locator(f"main a[href$='/foelgegrupper/{group.pk}/planer/']").click()
    page.locator("#id_q").fill("Tingbjerg")
    page.locator("form[method=get] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"q=Tingbjerg"))
    axe(page, "the plans the group follows")
    for plan in plans:
        page.locator(f"#plan-{plan.pk}").check()
    _submit(page)
    expect(page).to_have_url(re.compile(rf"/foelgegrupper/{group.pk}/$"))

    # A meeting with notes.
    page.locator(f"main a[href$='/foelgegrupper/{group.pk}/moeder/ny/']").click()
    page.locator("#id_date").fill("2026-09-10")
    page.locator("#id_notes").fill("Konstituerende møde: formanden valgt, kommissoriet gennemgået.")
    axe(page, "record a group meeting")
    _submit(page)

    # The group page shows it all.
    expect(page).to_have_url(re.compile(rf"/foelgegrupper/{group.pk}/$"))
    main = page.locator("main")
    expect(main).to_contain_text(SPECIAL)
    expect(main).to_contain_text(chair.name)
    expect(main).to_contain_text(member.name)
    for plan in plans:
        expect(page.locator(".glance-table")).to_contain_text(plan.name)
    expect(page.locator(".meeting-note")).to_contain_text("Konstituerende møde")
    expect(page.locator(".history")).to_contain_text(chair.name)
    axe(page, "the group with members, plans and a meeting")
    assert set(group.plans.all()) == set(plans)
    assert group.memberships.get(is_chair=True).person == chair

    # And each plan's status page names the group.
    page.goto(f"{page.base}/planer/{plans[0].pk}/status/")
    expect(page.locator("main")).to_contain_text(NAME)
