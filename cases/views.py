"""Thin views: check the permission, parse with a form, call one service or selector."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees import services as committee_services
from committees.models import Administration, Meeting
from committees.rules import meetings_served, serves_any_committee
from committees.selectors import (
    administration_id_for_user,
    committee_find,
    committee_members_current,
    meeting_absent_person_ids,
    meeting_find,
    meeting_seats_by_party,
    meetings_list,
    meetings_open_for_agenda,
)
from core import pagecache
from core.authority import authorise
from core.fragments import cached_fragments
from core.pagecache import case_scope, item_scope, meeting_scope, shared_page
from core.roles import is_administrator
from core.versioning import AttemptedValue, VersionConflict, attempted_values

from . import forms, selectors, services
from .cachescopes import case_facts_scope, item_body_scope
from .models import AgendaItem, Attachment, Decision
from .recommendations import next_committee, route_of
from .uploads import ALLOWED

# -- helpers --------------------------------------------------------------------------------


def _require(user, *perms) -> None:
    """403 for a signed-in user without the permission (the middleware handles anonymous)."""
    if not user.has_perms(perms):
        raise PermissionDenied


def _refused(request, error: ValidationError, to: str):
    for message in error.messages:
        messages.error(request, message)
    return redirect(to)


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (on a field where it names one)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _is_secretary(user) -> bool:
    """Administrators and the secretaries of at least one committee (committees.rules)."""
    return is_administrator(user) or serves_any_committee(user)


def _item_url(item) -> str:
    return reverse("cases:item_detail", args=[item.pk])


def _meeting_url(meeting) -> str:
    return reverse("meetings:meeting_detail", args=[meeting.pk])


def _item_blocks(request, template_name: str, rows, *, loaded=None, meeting=None):
    """The parts and the renderer of the agenda rows' (``selectors.AgendaRow``) item
    blocks, for ``core.fragments.cached_fragments``: each block a fragment kept under the
    item's own scope, so that after a write to one item only that item's block is
    rendered again. Parts are named ``item-<pk>``.

    What a block shows changes only with the item's scope: the item and its points,
    attachments, decision, votes, corrections and case, its meeting (date, committee),
    the plans linked to it (by name) all raise ``item:N``; committees and
    administrations are reference data (``ref``); the reader's rights (closed items
    masked, closed attachments left out) are in the reader key, and the language and
    the day in the fragment's key. The template is rendered without the request, so it
    can depend on nothing else.

    A block is its heading, printed from the row, around its body (``item-body:N``:
    everything under the heading), itself a fragment: a write that changes nothing but
    the item's title or number (``cases.cachescopes.HEADING_FIELDS``) renders the block
    from the row and the kept body, and reads nothing more. Only the bodies not kept
    are read in full. The third value names the bodies' scopes, whose versions the
    caller reads with the blocks' (``cached_fragments(ahead=)``). ``loaded`` holds items
    read in full already; ``meeting`` is the one all the rows are on (the agenda's).
    """
    template = get_template(template_name)
    body_template = get_template("cases/partials/agenda_item_body.html")
    loaded = loaded or {}
    by_pk = {row.pk: row for row in rows}
    parts = {f"item-{row.pk}": [item_scope(row.pk)] for row in rows}

    def render_bodies(ids) -> dict[int, str]:
        items = {pk: loaded[pk] for pk in ids if pk in loaded}
        missing = [pk for pk in ids if pk not in items]
        if missing:
            items.update(selectors.agenda_items_for_page(request.user, missing, meeting=meeting))
        return {pk: body_template.render({"item": items[pk]}) for pk in ids}

    def render_blocks(names) -> dict[str, str]:
        ids = [int(name.removeprefix("item-")) for name in names if name.startswith("item-")]
        # A masked item (closed, the reader outside its committee) shows its heading only.
        shown = [pk for pk in ids if by_pk[pk].content_visible]
        bodies = cached_fragments(
            request, "item-body", {pk: [item_body_scope(pk)] for pk in shown}, render_bodies
        )
        return {
            f"item-{pk}": template.render({"item": by_pk[pk], "item_body_html": bodies.get(pk)})
            for pk in ids
        }

    # The bodies' versions are read with the blocks' (cached_fragments' ``ahead``).
    ahead = [item_body_scope(row.pk) for row in rows if row.content_visible]
    return parts, render_blocks, ahead


def _set_blocks(rows, html: dict) -> None:
    for row in rows:
        row.html = html[f"item-{row.pk}"]


def _editable_item(request, pk: int) -> AgendaItem:
    """The item, if the user may change it (403 for a role that changes no items,
    404 if the item is unknown to them, 403 if it is not theirs)."""
    _require(request.user, "cases.change_agendaitem")
    item = selectors.agenda_item_get_for_page(pk=pk, user=request.user)
    if not selectors.agenda_item_editable_by(request.user, item):
        raise PermissionDenied
    return item


# -- cases ----------------------------------------------------------------------------------


def case_list(request):
    page = Paginator(selectors.cases_list(user=request.user), 50).get_page(request.GET.get("side"))
    return render(request, "cases/case_list.html", {"page": page})


@shared_page(scopes=lambda _request, number: [case_scope(number)])
def case_detail(request, number: str):
    """The case's heading (kept under ``case-facts:<number>``, which its items do not
    raise) and its items' blocks; a case that does not exist is a 404 when its heading
    is read (a deleted case raises its scope)."""
    items = selectors.case_rows(number=number, user=request.user)
    parts, render_blocks, ahead = _item_blocks(request, "cases/partials/case_item.html", items)
    head, route = "head", "route"
    parts[head] = [case_facts_scope(number)]
    # The route with where the case stands changes with any of its items (case:<number>).
    parts[route] = [case_scope(number)]

    def render_parts(names):
        rendered = {}
        if head in names:  # first: the 404
            case = selectors.case_get(number=number)
            rendered[head] = render_to_string("cases/partials/case_head.html", {"case": case})
        if route in names:
            steps = selectors.case_route_steps(number=number)
            rendered[route] = render_to_string(
                "cases/partials/case_route.html", {"route": steps}, request=request
            )
        return rendered | render_blocks([name for name in names if name not in (head, route)])

    fragments = cached_fragments(request, "case", parts, render_parts, ahead=ahead)
    _set_blocks(items, fragments)
    return render(
        request,
        "cases/case_detail.html",
        {
            "number": number,
            "case_head": fragments[head],
            "case_route": fragments[route],
            "items": items,
        },
    )


def case_history(request, number: str):
    case, entries = selectors.case_history(number=number, user=request.user)
    return render(request, "cases/case_history.html", {"case": case, "entries": entries})


def attachment_download(request, pk: int):
    """Serve an attachment only to those who may see it; 404 otherwise (no existence leak)."""
    attachment = get_object_or_404(Attachment.objects.select_related("item__meeting"), pk=pk)
    if not selectors.attachment_visible_to(request.user, attachment) or not attachment.file:
        raise Http404
    # Only the document types uploads are checked against are ever named as such; anything
    # else (a row edited by hand, say) goes out as an opaque download, never as HTML.
    known = {content_type for _family, content_type in ALLOWED.values()}
    content_type = attachment.content_type if attachment.content_type in known else None
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=content_type != "application/pdf",
        filename=attachment.original_filename or attachment.file.name,
        content_type=content_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- agenda items ---------------------------------------------------------------------------


def _item_form_page(request, *, form, formset, item=None, meeting=None, status=200, **extra):
    return render(
        request,
        "cases/item_form.html",
        {
            "form": form,
            "formset": formset,
            "item": item,
            "meeting": meeting,
            "errors": error_summary_if_bound(form, formset),
            "blocks": form.blocks,
            **extra,
        },
        status=status,
    )


def _numbered(texts) -> str:
    return "\n".join(f"{position}. {text}" for position, text in enumerate(texts, start=1)) or "–"


def _conflict_context(conflict: VersionConflict, attempted, what: str) -> dict:
    return {"conflict": conflict, "attempted": attempted, "what": what}


def error_summary_if_bound(form, formset) -> list[dict]:
    if not form.is_bound:
        return []
    blocks = getattr(form, "blocks", None)
    return forms.error_summary(form, formset, *([blocks] if blocks is not None else []))


def _item_forms(request, *, creating: bool, item=None, initial=None):
    """The item form and the points formset; "add another point" re-renders without saving."""
    secretary = _is_secretary(request.user)
    kwargs = {"creating": creating, "secretary": secretary, "user": request.user}
    if item is not None:
        kwargs["instance"] = item
    if request.method != "POST":
        return (*_item_forms_unbound(kwargs, item=item, initial=initial), False)
    bound = forms.point_formset_class()(request.POST, prefix="points")
    blocks = forms.block_formset_class()(
        request.POST if "blocks-TOTAL_FORMS" in request.POST else None, prefix="blocks"
    )
    if "add_point" in request.POST:
        rows, blanks = forms.points_initial(bound)
        multiple = ("co_administrations", "recommending_committees", "addressees")
        form = forms.AgendaItemForm(
            initial={k: v for k, v in request.POST.items() if k in forms.AgendaItemForm.base_fields}
            | {name: request.POST.getlist(name) for name in multiple}
            | {"is_closed": "is_closed" in request.POST},
            **kwargs,
        )
        formset = forms.point_formset_class(extra=blanks + 1)(initial=rows, prefix="points")
        form.blocks = forms.block_formset_class()(
            initial=forms.blocks_typed(blocks), prefix="blocks"
        )
        return form, formset, False
    form = forms.AgendaItemForm(request.POST, **kwargs)
    form.blocks = blocks
    return form, bound, True


def _blocks_posted(form, points):
    """The blocks the form posted; None from a client that did not send the block fields
    (only the points then change, who recommends stays as it is)."""
    if not form.blocks.is_bound:
        return None
    return forms.blocks_from(form, form.blocks, points)


def _blocks_valid(form) -> bool:
    return not form.blocks.is_bound or form.blocks.is_valid()


def _item_forms_unbound(kwargs: dict, *, item=None, initial=None):
    """The item form and points formset showing what is saved (or ``initial`` when new)."""
    points = [{"text": p.text} for p in item.recommendation_points.all()] if item else []
    form = forms.AgendaItemForm(initial=initial, **kwargs)
    formset = forms.point_formset_class(extra=1)(initial=points, prefix="points")
    form.blocks = forms.block_formset_class()(
        initial=forms.blocks_initial(item) if item else [], prefix="blocks"
    )
    return form, formset


def _item_conflict_page(request, pk: int, *, form, formset, conflict: VersionConflict):
    """409: the form rebuilt from the saved item, the other changes and the user's attempt."""
    item = selectors.agenda_item_get_for_page(pk=pk, user=request.user)
    kwargs = {
        "creating": False,
        "secretary": _is_secretary(request.user),
        "user": request.user,
        "instance": item,
    }
    fresh_form, fresh_formset = _item_forms_unbound(kwargs, item=item)
    attempted = attempted_values(stale=form, fresh=fresh_form)
    current_points = [point.text for point in item.recommendation_points.all()]
    my_points = forms.points_from(formset)
    if my_points != current_points:
        attempted.append(
            AttemptedValue(
                _("Recommendation points"), _numbered(current_points), _numbered(my_points)
            )
        )
    return _item_form_page(
        request,
        form=fresh_form,
        formset=fresh_formset,
        item=item,
        status=409,
        **_conflict_context(conflict, attempted, _("the item")),
    )


def item_create(request):
    """A secretary (ready, or straight onto a meeting) or a caseworker (a draft) adds an item."""
    _require(request.user, "cases.add_agendaitem")
    authorise(request.user, "cases.add_item", None)
    secretary = _is_secretary(request.user)
    only_administration = None
    if not secretary:
        administration_id = administration_id_for_user(request.user)
        if administration_id is None:
            raise PermissionDenied
        only_administration = get_object_or_404(Administration, pk=administration_id)
    meeting = None
    if secretary and request.GET.get("moede", "").isdigit():
        meeting = meeting_find(pk=int(request.GET["moede"]))
        if meeting is not None and not request.user.has_perm("cases.add_item_to_meeting", meeting):
            meeting = None
    initial = {"meeting": meeting.pk} if meeting else None
    form, formset, submitted = _item_forms(request, creating=True, initial=initial)
    if submitted and form.is_valid() and formset.is_valid() and _blocks_valid(form):
        points = forms.points_from(formset)
        try:
            item = services.agenda_item_create(
                case_number=form.cleaned_data["case_number"],
                case_title=form.cleaned_data["case_title"],
                points=points,
                blocks=_blocks_posted(form, points),
                status=AgendaItem.Status.READY if secretary else AgendaItem.Status.DRAFT,
                meeting=form.cleaned_data.get("meeting"),
                only_administration=only_administration,
                **form.item_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The item has been created."))
            return redirect(_item_url(item))
    return _item_form_page(request, form=form, formset=formset, meeting=meeting)


@shared_page(scopes=lambda _request, pk: [item_scope(pk)])
def item_detail(request, pk: int):
    item = selectors.agenda_item_get_for_page(pk=pk, user=request.user)
    user = request.user
    meeting = item.meeting
    frozen = meeting is not None and meeting.status in (
        Meeting.Status.HELD,
        Meeting.Status.MINUTES_APPROVED,
    )
    editable = selectors.agenda_item_editable_by(user, item)
    context = {
        "item": item,
        "can_edit": editable and not frozen,
        "can_mark_ready": editable
        and item.status in (AgendaItem.Status.DRAFT, AgendaItem.Status.RETURNED),
        "can_place": user.has_perm("cases.place_item", item),
        "can_decide": meeting is not None
        and meeting.status == Meeting.Status.HELD
        and meeting.has_started
        and item.content_visible
        and user.has_perm("cases.record_decision", item),
        "can_correct_item": frozen
        and item.content_visible
        and user.has_perm("cases.correct", item),
        "can_correct_decision": meeting is not None
        and meeting.is_locked
        and item.content_visible
        and user.has_perm("cases.correct", item),
        "can_link_plans": editable and not (meeting and meeting.is_locked),
        # Send videre: the next committee on the route, once this one has decided.
        "send_on_to": _send_on_target(user, item),
        "sent_on": list(
            item.sent_on_items.filter(meeting__isnull=False).select_related("meeting__committee")
        )
        if item.was_sent_on
        else [],
        "can_see_decision_history": meeting is not None
        and user.has_perm("committees.change_meeting")
        and user.has_perm("committees.manage_meeting", meeting),
    }
    return render(request, "cases/item_detail.html", context)


def item_edit(request, pk: int):
    item = _editable_item(request, pk)
    try:
        services.agenda_item_assert_editable(item)
    except ValidationError as error:
        return _refused(request, error, _item_url(item))
    form, formset, submitted = _item_forms(request, creating=False, item=item)
    if submitted and form.is_valid() and formset.is_valid() and _blocks_valid(form):
        points = forms.points_from(formset)
        try:
            services.agenda_item_update(
                item=item,
                expected_version=form.cleaned_data["version"] or 0,
                points=points,
                blocks=_blocks_posted(form, points),
                **form.item_fields(),
            )
        except VersionConflict as conflict:
            return _item_conflict_page(request, pk, form=form, formset=formset, conflict=conflict)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The item has been saved."))
            return redirect(_item_url(item))
    return _item_form_page(request, form=form, formset=formset, item=item)


@require_POST
def item_mark_ready(request, pk: int):
    item = _editable_item(request, pk)
    try:
        services.agenda_item_mark_ready(item=item)
    except ValidationError as error:
        return _refused(request, error, _item_url(item))
    messages.success(request, _("The item is ready: the committee secretary can place it now."))
    return redirect(_item_url(item))


def _ready_item(request, pk: int) -> AgendaItem:
    """A ready item in the secretariat's queue (403 for anything else: a placed item is its
    committee's, and its page here would show a closed item's title to other secretaries)."""
    _require(request.user, "committees.change_meeting", "cases.change_agendaitem")
    item = selectors.agenda_item_get_for_page(pk=pk, user=request.user)
    authorise(request.user, "cases.place_item", item)
    return item


def item_schedule(request, pk: int):
    """Place a ready item on a meeting (it gets the meeting's next number)."""
    item = _ready_item(request, pk)
    form = forms.ScheduleForm(request.POST or None, prefix=f"punkt{item.pk}", user=request.user)
    if request.method == "POST" and form.is_valid():
        authorise(request.user, "cases.add_item_to_meeting", form.cleaned_data["meeting"])
        try:
            services.agenda_item_schedule(item=item, meeting=form.cleaned_data["meeting"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Item placed on the agenda as item %(number)s.") % {"number": item.number},
            )
            return redirect(_meeting_url(item.meeting))
    return render(
        request,
        "cases/item_schedule.html",
        {"item": item, "form": form, "errors": forms.error_summary(form) if form.is_bound else []},
    )


def item_return(request, pk: int):
    """Send a ready item back to the caseworker with a comment."""
    item = _ready_item(request, pk)
    form = forms.ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_return(item=item, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The item has been sent back to the caseworker."))
            return redirect("cases:ready_items")
    return render(
        request,
        "cases/item_return.html",
        {"item": item, "form": form, "errors": forms.error_summary(form) if form.is_bound else []},
    )


@require_POST
def item_unschedule(request, pk: int):
    _require(request.user, "committees.change_meeting")
    item = _editable_item(request, pk)
    meeting = item.meeting
    if meeting is None:
        return redirect(_item_url(item))
    authorise(request.user, "cases.arrange_item", item)
    try:
        services.agenda_item_unschedule(item=item)
    except ValidationError as error:
        return _refused(request, error, _meeting_url(meeting))
    messages.success(request, _("The item has been taken off the agenda and is ready again."))
    return redirect(_meeting_url(meeting))


@require_POST
def item_move(request, pk: int):
    _require(request.user, "committees.change_meeting")
    item = _editable_item(request, pk)
    if item.meeting is None:
        return redirect(_item_url(item))
    authorise(request.user, "cases.arrange_item", item)
    target = _meeting_url(item.meeting) + "#raekkefoelge"
    try:
        services.agenda_item_move(item=item, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        return _refused(request, error, target)
    return redirect(target)


def attachment_create(request, pk: int):
    _require(request.user, "cases.add_attachment")
    item = _editable_item(request, pk)
    authorise(request.user, "cases.attach_to_item", item)
    try:
        services.agenda_item_assert_editable(item)
    except ValidationError as error:
        return _refused(request, error, _item_url(item))
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.attachment_add(
                item=item,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                case_number=form.cleaned_data["case_number"],
                is_closed=form.cleaned_data["is_closed"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Attachment %(number)s has been added.") % {"number": attachment.position},
            )
            return redirect(_item_url(item))
    return render(
        request,
        "cases/attachment_form.html",
        {"item": item, "form": form, "errors": forms.error_summary(form) if form.is_bound else []},
    )


def _send_on_target(user, item):
    """The committee the user may send the item's case on to now, or None."""
    if not (item.meeting_id and item.content_visible and getattr(item, "decision", None)):
        return None
    if item.decision.outcome in (Decision.Outcome.REJECTED, Decision.Outcome.POSTPONED):
        return None
    if not user.has_perm("cases.send_on", item):
        return None
    following = next_committee(item)
    if following is None or (
        getattr(item, "was_sent_on", True)
        and item.sent_on_items.filter(meeting__committee=following).exists()
    ):
        return None
    return following


def item_send_on(request, pk: int):
    """Send a decided item's case on to a meeting of the next committee on its route."""
    _require(request.user, "cases.add_agendaitem", "committees.change_meeting")
    item = selectors.agenda_item_get_for_page(pk=pk, user=request.user)
    if not item.content_visible:
        raise PermissionDenied
    authorise(request.user, "cases.send_on", item)
    if item.meeting_id is None:  # administrators pass every rule; the state still holds
        return _refused(
            request,
            ValidationError(_("Only an item on a meeting can be sent on.")),
            _item_url(item),
        )
    following = next_committee(item)
    refusal = services.send_on_refusal(item)
    form = forms.SendOnForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        item=item,
        following=following,
    )
    if request.method == "POST" and refusal is None and form.is_valid():
        meeting = form.cleaned_data["meeting"]
        authorise(request.user, "cases.add_item_to_meeting", meeting)
        try:
            new = services.agenda_item_send_on(item=item, meeting=meeting)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The case has been sent on to %(committee)s as item %(number)s.")
                % {"committee": meeting.committee.name, "number": new.number},
            )
            return redirect(_item_url(new))
    return render(
        request,
        "cases/item_send_on.html",
        {
            "item": item,
            "following": following,
            "route": route_of(item),
            "refusal": refusal,
            "form": form,
            "errors": forms.error_summary(form) if form.is_bound else [],
        },
    )


def decision_record(request, pk: int):
    _require(request.user, "cases.add_decision", "cases.change_decision")
    item = selectors.agenda_item_get_for_page(pk=pk, user=request.user)
    if not item.content_visible:
        raise PermissionDenied
    meeting = item.meeting
    if meeting is not None:
        authorise(request.user, "cases.record_decision", item)
    if meeting is None or meeting.status != Meeting.Status.HELD:
        error = ValidationError(
            committee_services.LOCKED_MESSAGE
            if meeting is not None and meeting.is_locked
            else _("Decisions are recorded after the meeting has been held.")
        )
        return _refused(request, error, _item_url(item))
    try:
        committee_services.meeting_assert_started(meeting)
    except ValidationError as error:
        return _refused(request, error, _item_url(item))
    decision = getattr(item, "decision", None)
    conflict = None
    if request.method == "POST":
        form = forms.DecisionForm(request.POST)
        votes = forms.VoteFormSet(request.POST, prefix="votes")
    else:
        form, votes = _decision_forms_unbound(meeting, decision)
    if request.method == "POST" and form.is_valid() and votes.is_valid():
        try:
            services.decision_record(
                item=item,
                expected_version=form.cleaned_data["version"] or 0,
                outcome=form.cleaned_data["outcome"],
                text=form.cleaned_data["text"],
                votes=forms.votes_from(votes),
            )
        except VersionConflict as error:
            conflict = error
            decision = Decision.objects.filter(item=item).first()
            stale_form, stale_votes = form, votes
            form, votes = _decision_forms_unbound(meeting, decision)
            attempted = attempted_values(stale=stale_form, fresh=form)
            current_votes = _votes_text(_vote_rows(decision))
            my_votes = _votes_text(forms.votes_from(stale_votes))
            if current_votes != my_votes:
                attempted.append(AttemptedValue(_("Votes"), current_votes, my_votes))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The decision on item %(number)s is recorded.") % {"number": item.number}
            )
            return redirect(_meeting_url(meeting) + f"#punkt-{item.pk}")
    return render(
        request,
        "cases/decision_form.html",
        {
            "item": item,
            "form": form,
            "votes": votes,
            "seats": [
                {"party": party, "seats": total, "absent": absent, "allowed": total - absent}
                for party, (total, absent) in sorted(meeting_seats_by_party(meeting).items())
                if party
            ],
            "errors": forms.error_summary(form, votes) if form.is_bound else [],
            **(_conflict_context(conflict, attempted, _("the decision")) if conflict else {}),
        },
        status=409 if conflict else 200,
    )


def _vote_rows(decision) -> list[dict]:
    return [
        {
            "party": v.party,
            "votes_for": v.votes_for,
            "votes_against": v.votes_against,
            "votes_abstained": v.votes_abstained,
        }
        for v in (decision.votes.order_by("party") if decision else [])
    ]


def _votes_text(rows: list[dict]) -> str:
    lines = sorted(
        f"{row['party']}: {row['votes_for']}/{row['votes_against']}/{row['votes_abstained']}"
        for row in rows
    )
    return "\n".join(lines) or "–"


def _decision_forms_unbound(meeting, decision):
    """The decision form and the votes showing what is saved (a row per party seated)."""
    initial = (
        {"outcome": decision.outcome, "text": decision.text, "version": decision.version}
        if decision
        else {"version": 0}
    )
    rows = _vote_rows(decision)
    known = {row["party"] for row in rows}
    # The parties seated on the meeting's day (those that may cast votes, with how many).
    parties = sorted(set(meeting_seats_by_party(meeting)) - known)
    rows += [{"party": party} for party in parties if party]
    form = forms.DecisionForm(initial=initial)
    votes = forms.formset_factory(forms.VoteForm, extra=1)(initial=rows, prefix="votes")
    return form, votes


def _correction(request, pk: int, *, target: str):
    _require(request.user, "cases.add_correction")
    item = selectors.agenda_item_get_for_page(pk=pk, user=request.user)
    if not item.content_visible:
        raise PermissionDenied
    if item.meeting_id is None:
        raise Http404  # only an item that has been on a meeting can be corrected
    authorise(request.user, "cases.correct", item)
    decision = getattr(item, "decision", None) if target == "decision" else None
    if target == "decision" and decision is None:
        raise Http404
    form = forms.CorrectionForm(request.POST or None, target=target)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if target == "decision":
                services.decision_correct(
                    decision=decision,
                    field=data["field"],
                    new_value=data["new_value"],
                    reason=data["reason"],
                    user=request.user,
                )
            else:
                services.agenda_item_correct(
                    item=item,
                    field=data["field"],
                    new_value=data["new_value"],
                    reason=data["reason"],
                    user=request.user,
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The correction is recorded."))
            return redirect(_item_url(item))
    return render(
        request,
        "cases/correction_form.html",
        {
            "item": item,
            "target": target,
            "form": form,
            "errors": forms.error_summary(form) if form.is_bound else [],
        },
    )


def item_correct(request, pk: int):
    return _correction(request, pk, target="item")


def decision_correct(request, pk: int):
    return _correction(request, pk, target="decision")


def ready_items(request):
    """The secretary's queue of items marked ready."""
    _require(request.user, "committees.change_meeting", "cases.change_agendaitem")
    if not _is_secretary(request.user):
        raise PermissionDenied
    items = selectors.agenda_items_ready(user=request.user)
    # One list of meetings for every row's menu (posted to item_schedule's form prefix):
    # only meetings of committees the user serves.
    meetings = [
        (meeting.pk, forms.meeting_label(meeting))
        for meeting in meetings_served(request.user, meetings_open_for_agenda())
    ]
    return render(request, "cases/ready_items.html", {"items": items, "meetings": meetings})


def my_items(request):
    """A caseworker's drafts, returned and ready items of their own administration."""
    _require(request.user, "cases.add_agendaitem")
    if administration_id_for_user(request.user) is None:
        raise PermissionDenied
    items = selectors.agenda_items_of_my_administration(user=request.user)
    return render(request, "cases/my_items.html", {"items": items})


# -- meetings -------------------------------------------------------------------------------


def meeting_list(request):
    page = Paginator(meetings_list(), 50).get_page(request.GET.get("side"))
    may_create = request.user.has_perm("committees.add_meeting") and _is_secretary(request.user)
    return render(
        request, "cases/meeting_list.html", {"page": page, "may_create_meeting": may_create}
    )


def _meeting_actions(user, meeting, pending_changes) -> dict[str, bool]:
    """What the reader may do on the agenda: their rights (in the reader key) applied to
    the meeting's committee and status and whether there are changes to publish."""
    manage = user.has_perm("committees.manage_meeting", meeting)
    return {
        "can_manage": manage,
        "agenda_open": manage
        and meeting.status in (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED),
        "can_publish": user.has_perm("cases.publish_agenda", meeting)
        and (
            meeting.status == Meeting.Status.DRAFT
            or (meeting.status == Meeting.Status.PUBLISHED and bool(pending_changes))
        ),
        # Held, decided and approved only once the meeting has started (the services ask
        # ``committees.services.meeting_assert_started``, the buttons ``has_started``).
        "can_mark_held": manage
        and meeting.status == Meeting.Status.PUBLISHED
        and meeting.has_started,
        "can_approve_minutes": manage
        and meeting.status == Meeting.Status.HELD
        and meeting.has_started,
        "can_decide": meeting.status == Meeting.Status.HELD
        and meeting.has_started
        and user.has_perms(["cases.add_decision", "cases.change_decision"])
        and manage,
        "can_record_absence": meeting.status == Meeting.Status.HELD
        and user.has_perm("committees.record_absences", meeting),
        "can_register_inquiry": services.member_inquiry_possible(meeting)
        and user.has_perm("cases.register_inquiry", meeting),
        "can_add_item": user.has_perm("cases.add_item_to_meeting", meeting)
        and meeting.status in (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED),
        # The members' edition only where it holds something the public one leaves out.
        "members_edition": meeting.has_closed_content
        and selectors.user_can_see_closed(user, meeting.committee_id),
    }


_meeting_starts = pagecache.local_memo()


def _meeting_started(request) -> str:
    """Whether the meeting has started: its page offers "mark as held", decisions and the
    approval only then, so a page kept from before the start is not served after it.
    The start is kept in the process per meeting for the meeting's version read with
    the page (a change of the meeting raises it): asked of the database once per change."""
    pk = request.resolver_match.kwargs["pk"]
    version = request.shared_page_versions[meeting_scope(pk)]
    kept = _meeting_starts.get(pk)
    if kept is None or kept[0] != version:
        start = Meeting.objects.filter(pk=pk).values_list("starts_at", flat=True).first()
        kept = _meeting_starts[pk] = (version, start)
    start = kept[1]
    return "started" if start is not None and start <= timezone.now() else "coming"


@shared_page(scopes=lambda _request, pk: [meeting_scope(pk)], vary_page=_meeting_started)
def meeting_detail(request, pk: int):
    user = request.user
    context = selectors.meeting_get_for_page(pk=pk, user=user)
    meeting = context["meeting"]
    rows = context["items"]
    parts, render_blocks, ahead = _item_blocks(
        request,
        "cases/partials/meeting_item.html",
        rows,
        loaded=context.pop("loaded"),
        meeting=meeting,
    )
    # The reader's actions depend on nothing but their rights and the part's name, so they
    # are kept with the blocks (no scope: ``ref``, ``access`` and the reader key suffice),
    # and a page rendered afresh checks no permission.
    actions = (
        f"actions-{meeting.committee_id}-{meeting.status}-{int(bool(context['pending_changes']))}"
        f"-{int(meeting.has_started)}-{int(meeting.has_closed_content)}"
    )
    parts[actions] = []
    # Each item's cells in the order table show its row alone (number, title, case,
    # decision, closedness, what the reader may see of it): a fragment under its scope too,
    # rendered from the row without reading the item.
    row_template = get_template("cases/partials/meeting_order_row.html")
    by_row = {f"row-{row.pk}": row for row in rows}
    parts.update({name: [item_scope(row.pk)] for name, row in by_row.items()})

    def render_parts(names):
        rendered = render_blocks(names)
        if actions in names:
            rendered[actions] = json.dumps(
                _meeting_actions(user, meeting, context["pending_changes"])
            )
        rendered.update(
            {name: row_template.render({"item": by_row[name]}) for name in names if name in by_row}
        )
        return rendered

    fragments = cached_fragments(request, "meeting", parts, render_parts, ahead=ahead)
    _set_blocks(rows, fragments)
    for name, row in by_row.items():
        row.row_html = fragments[name]
    context.update(json.loads(fragments[actions]))
    return render(request, "cases/meeting_detail.html", context)


def meeting_history(request, pk: int):
    """The meeting's history tab: for its secretariat and administrators (it names every
    item placed on it, also those not yet on a published agenda)."""
    _require(request.user, "committees.change_meeting")
    meeting = selectors.meeting_get(pk=pk)
    authorise(request.user, "committees.manage_meeting", meeting)
    return render(
        request,
        "cases/meeting_history.html",
        {"meeting": meeting, "history": selectors.meeting_history(meeting=meeting)},
    )


def decision_history(request, pk: int):
    """The history of the decision on an item (with its votes): for the meeting's
    secretariat and administrators, like the meeting's history."""
    _require(request.user, "committees.change_meeting")
    item = selectors.agenda_item_get_for_page(pk=pk, user=request.user)
    if item.meeting_id is None:
        raise Http404
    authorise(request.user, "committees.manage_meeting", item.meeting)
    decision = getattr(item, "decision", None)
    if decision is None:
        raise Http404
    return render(
        request,
        "cases/decision_history.html",
        {"item": item, "history": selectors.decision_history(decision=decision)},
    )


def meeting_create(request):
    _require(request.user, "committees.add_meeting")
    if not _is_secretary(request.user):
        raise PermissionDenied  # a secretary role without a committee to serve
    initial = {}
    slug = request.GET.get("udvalg")
    if slug:
        committee = committee_find(slug=slug)
        initial = {"committee": committee.pk} if committee else {}
    form = forms.MeetingForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        # The choice list holds only the user's committees; ask the rule all the same.
        authorise(request.user, "committees.add_meeting_in", form.cleaned_data["committee"])
        try:
            meeting = committee_services.meeting_create(
                committee=form.cleaned_data["committee"],
                day=form.cleaned_data["day"],
                start=form.cleaned_data["start"],
                location=form.cleaned_data["location"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The meeting has been created."))
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "cases/meeting_form.html",
        {
            "form": form,
            "meeting": None,
            "errors": forms.error_summary(form) if form.is_bound else [],
        },
    )


def meeting_edit(request, pk: int):
    _require(request.user, "committees.change_meeting")
    meeting = selectors.meeting_get(pk=pk)
    authorise(request.user, "committees.manage_meeting", meeting)
    try:
        committee_services.meeting_assert_agenda_open(meeting)
    except ValidationError as error:
        return _refused(request, error, _meeting_url(meeting))
    form = forms.MeetingForm(request.POST or None, meeting=meeting, user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            committee_services.meeting_update(
                meeting=meeting,
                expected_version=form.cleaned_data["version"] or 0,
                day=form.cleaned_data["day"],
                start=form.cleaned_data["start"],
                location=form.cleaned_data["location"],
            )
        except VersionConflict as error:
            conflict = error
            meeting = selectors.meeting_get(pk=pk)
            stale, form = form, forms.MeetingForm(meeting=meeting, user=request.user)
            attempted = attempted_values(stale=stale, fresh=form)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "cases/meeting_form.html",
        {
            "form": form,
            "meeting": meeting,
            "errors": forms.error_summary(form) if form.is_bound else [],
            **(_conflict_context(conflict, attempted, _("the meeting")) if conflict else {}),
        },
        status=409 if conflict else 200,
    )


def _meeting_action(
    request, pk: int, perms, action, success: str, rule="committees.manage_meeting"
):
    _require(request.user, *perms)
    meeting = selectors.meeting_get(pk=pk)
    authorise(request.user, rule, meeting)
    try:
        result = action(meeting)
    except ValidationError as error:
        return _refused(request, error, _meeting_url(meeting))
    messages.success(request, success if isinstance(success, str) else success(result))
    return redirect(_meeting_url(meeting))


@require_POST
def meeting_publish(request, pk: int):
    def success(version):
        if version.number == 1:
            return _("The agenda has been published.")
        return _("Version %(number)s of the agenda has been published (%(kind)s).") % {
            "number": version.number,
            "kind": version.get_kind_display().lower(),
        }

    return _meeting_action(
        request,
        pk,
        ["committees.change_meeting", "cases.add_agendaversion"],
        lambda meeting: services.meeting_publish(meeting=meeting, user=request.user),
        success,
        rule="cases.publish_agenda",
    )


@require_POST
def meeting_mark_held(request, pk: int):
    return _meeting_action(
        request,
        pk,
        ["committees.change_meeting"],
        lambda meeting: services.meeting_mark_held(meeting=meeting),
        _("The meeting is marked as held. Record the decisions now."),
    )


@require_POST
def meeting_minutes_approve(request, pk: int):
    return _meeting_action(
        request,
        pk,
        ["committees.change_meeting"],
        lambda meeting: services.meeting_minutes_approve(meeting=meeting),
        _("The minutes are approved. The meeting is now locked."),
    )


@require_POST
def meeting_group_closed_last(request, pk: int):
    return _meeting_action(
        request,
        pk,
        ["committees.change_meeting"],
        lambda meeting: services.meeting_items_group_closed_last(meeting=meeting),
        _("The closed items are now last on the agenda."),
    )


def meeting_absences(request, pk: int):
    _require(request.user, "committees.add_meetingabsence", "committees.delete_meetingabsence")
    meeting = selectors.meeting_get(pk=pk)
    authorise(request.user, "committees.record_absences", meeting)
    try:
        committee_services.meeting_assert_unlocked(meeting)
    except ValidationError as error:
        return _refused(request, error, _meeting_url(meeting))
    members = committee_members_current(meeting.committee)
    initial = {"people": meeting_absent_person_ids(meeting)}
    form = forms.AbsenceForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            committee_services.meeting_absences_set(
                meeting=meeting, people=list(form.cleaned_data["people"])
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The absences are recorded."))
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "cases/absence_form.html",
        {
            "meeting": meeting,
            "form": form,
            "errors": forms.error_summary(form) if form.is_bound else [],
        },
    )


def inquiry_create(request, pk: int):
    _require(request.user, "cases.add_memberinquiry", "cases.add_case")
    meeting = selectors.meeting_get(pk=pk)
    authorise(request.user, "cases.register_inquiry", meeting)
    try:
        services.member_inquiry_assert_possible(meeting)
    except ValidationError as error:
        return _refused(request, error, _meeting_url(meeting))
    form = forms.InquiryForm(
        request.POST or None,
        members=committee_members_current(meeting.committee),
        initial={"administration": meeting.committee.administration_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.member_inquiry_register(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The inquiry is registered as case %(number)s.")
                % {"number": inquiry.case.number},
            )
            return redirect(_meeting_url(meeting) + "#forespoergsler")
    return render(
        request,
        "cases/inquiry_form.html",
        {
            "meeting": meeting,
            "form": form,
            "errors": forms.error_summary(form) if form.is_bound else [],
        },
    )
