from django.shortcuts import render

from . import selectors


def committee_list(request):
    return render(
        request, "committees/committee_list.html", {"committees": selectors.committees_list()}
    )


def committee_detail(request, slug: str):
    context = selectors.committee_get_for_page(slug=slug)
    context["can_add_meeting"] = request.user.has_perm(
        "committees.add_meeting_in", context["committee"]
    )
    return render(request, "committees/committee_detail.html", context)
