"""Forms: they parse and check input; the services decide and write."""

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models import Administration, Committee, Meeting, Person
from committees.rules import committees_served, meetings_served
from committees.selectors import meetings_open_for_agenda
from committees.services import meeting_plan_days
from core.validation import SaneDateField

from .models import AgendaItem, Correction, Decision
from .numbering import MAX_LENGTH as CASE_NUMBER_MAX_LENGTH
from .numbering import case_number_validator
from .recommendations import BlockData, blocks_of
from .services import CORRECTABLE_DECISION_FIELDS, CORRECTABLE_ITEM_FIELDS
from .uploads import attachment_upload_check


def meeting_label(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.starts_at)
    return f"{meeting.committee.name}, {local:%d.%m.%Y %H:%M} ({meeting.get_status_display()})"


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return meeting_label(obj)


def version_field():
    """The version the form was loaded with (core.versioning); missing counts as 0."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class MeetingForm(forms.Form):
    version = version_field()
    committee = forms.ModelChoiceField(
        label=_("Committee"), queryset=Committee.objects.order_by("name")
    )
    day = SaneDateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For example 28-05-2009."),
    )
    start = forms.TimeField(
        label=_("Start time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("For example 15:00."),
    )
    location = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, user, meeting: Meeting | None = None, **kwargs):
        if meeting is not None:
            local = timezone.localtime(meeting.starts_at)
            kwargs.setdefault(
                "initial",
                {
                    "day": local.date(),
                    "start": local.time(),
                    "location": meeting.location,
                    "version": meeting.version,
                },
            )
        super().__init__(*args, **kwargs)
        if meeting is not None:
            del self.fields["committee"]
        else:
            del self.fields["version"]
            # Only committees the user serves (committees.rules): another's is not a choice.
            self.fields["committee"].queryset = committees_served(user)


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class MeetingPlanForm(forms.Form):
    """The year's meeting plan (mødeplan): a meeting every given weekday of a year, but the
    dates to skip, one per line (dd.mm.yyyy)."""

    committee = forms.ModelChoiceField(
        label=_("Committee"), queryset=Committee.objects.order_by("name")
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int, initial=3)
    every = forms.ChoiceField(
        label=_("How often"),
        choices=[
            ("w1", _("Every week")),
            ("w2", _("Every second week")),
            ("w4", _("Every fourth week")),
            ("m1", _("Monthly, the first of the month")),
            ("m2", _("Monthly, the second of the month")),
            ("m3", _("Monthly, the third of the month")),
            ("m4", _("Monthly, the fourth of the month")),
        ],
        initial="m2",
        help_text=_("Every second or fourth week counts from the year's first such weekday."),
    )
    start = forms.TimeField(
        label=_("Start time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("For example 16:00."),
    )
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    skip = forms.CharField(
        label=_("Dates to skip"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One date per line, for example 09.07.2027 for the summer holiday. "
            "Dates on which the committee already has a meeting are skipped by themselves."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only committees the user serves (committees.rules): another's is not a choice.
        self.fields["committee"].queryset = committees_served(user)

    def clean_skip(self) -> frozenset:
        from datetime import datetime

        days, wrong = set(), []
        for line in self.cleaned_data["skip"].splitlines():
            text = line.strip()
            if not text:
                continue
            try:
                days.add(datetime.strptime(text, "%d.%m.%Y").date())
            except ValueError:
                wrong.append(text)
        if wrong:
            raise forms.ValidationError(
                _("Not a date in the form dd.mm.yyyy: %(dates)s"),
                params={"dates": ", ".join(wrong)},
            )
        return frozenset(days)

    def clean(self):
        data = super().clean()
        year, weekday, skip = data.get("year"), data.get("weekday"), data.get("skip")
        every = data.get("every")
        if year is not None and weekday is not None and every and skip:
            days = set(meeting_plan_days(year=year, weekday=weekday, every=every))
            outside = sorted(skip - days)
            if outside:
                self.add_error(
                    "skip",
                    _("Not one of the plan's dates (%(weekday)s in %(year)s): %(dates)s")
                    % {
                        "weekday": dict(WEEKDAYS)[weekday].lower(),
                        "year": year,
                        "dates": ", ".join(d.strftime("%d.%m.%Y") for d in outside),
                    },
                )
        return data


def _ticks(model, label, help_text="") -> forms.ModelMultipleChoiceField:
    """Administrations or committees to tick (a joint recommendation, a route), optional."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=model.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class AgendaItemForm(forms.ModelForm):
    """The item's sections; on creation also its case and (for secretaries) its meeting."""

    case_number = forms.CharField(
        label=_("Case number"),
        required=False,
        max_length=CASE_NUMBER_MAX_LENGTH,
        validators=[case_number_validator],
        help_text=_(
            "Leave empty to open a new case with the next free number. Enter an existing "
            "case number to add the item to that case, or an older number to register a "
            "historical case."
        ),
    )
    case_title = forms.CharField(
        label=_("Title of a new case"),
        required=False,
        max_length=300,
        help_text=_(
            "Only for a new case. Empty: the item's title. The list of cases is open to all "
            "users, so a closed item on a new case needs a title that anyone may read."
        ),
    )
    version = version_field()
    meeting = MeetingChoiceField(
        label=_("Place on meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("Optional: the item goes straight onto this meeting's agenda."),
    )
    co_administrations = _ticks(
        Administration,
        _("Also recommended by"),
        help_text=_(
            "A joint recommendation: the other administrations that recommend with the "
            "recommending administration."
        ),
    )
    recommending_committees = _ticks(
        Committee,
        _("Recommending committees"),
        help_text=_(
            "Only when the case goes on: the committees that recommend it. None ticked: the "
            "committee whose meeting the item is on."
        ),
    )
    addressees = _ticks(
        Committee,
        _("Recommends to (over for)"),
        help_text=_(
            "The committees the case goes on to, e.g. Økonomiudvalget and "
            "Borgerrepræsentationen. None ticked: the committee decides the case itself."
        ),
    )

    class Meta:
        model = AgendaItem
        fields = [
            "item_type",
            "title",
            "summary",
            "recommending_administration",
            "route",
            "decided_by",
            "problem",
            "solution",
            "economy",
            "further_process",
            "is_closed",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 6}),
            "solution": forms.Textarea(attrs={"rows": 8}),
            "economy": forms.Textarea(attrs={"rows": 3}),
            "further_process": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"decided_by": _("Decided in (committee)")}

    def __init__(self, *args, creating: bool, secretary: bool, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["case_number"]
            del self.fields["case_title"]
            if not self.is_bound and self.instance.pk and "version" not in self.initial:
                self.initial["version"] = self.instance.version
        else:
            del self.fields["version"]
        if not (creating and secretary):
            del self.fields["meeting"]
        else:
            self.fields["meeting"].queryset = meetings_served(user, meetings_open_for_agenda())
        if not secretary:
            # Caseworkers draft for their own administration; the service sets it.
            del self.fields["recommending_administration"]
        if not self.instance.route:
            # The free-text route of items from before the route was kept as committees
            # stays editable where it could not be read as committees; new items use the
            # committee fields.
            del self.fields["route"]
        if not self.is_bound and self.instance.pk:
            first = next(iter(blocks_of(self.instance)), None)
            if first is not None:
                lead = self.instance.recommending_administration_id
                self.initial.setdefault(
                    "co_administrations", [a.pk for a in first.administrations if a.pk != lead]
                )
                self.initial.setdefault("recommending_committees", [c.pk for c in first.committees])
                self.initial.setdefault("addressees", [c.pk for c in first.addressees])
        self.order_fields(["case_number", "case_title", "meeting"])

    def first_block(self, points: list[str]) -> BlockData:
        """The first recommendation block (its lead administration is added by the service)."""
        return BlockData(
            administrations=list(self.cleaned_data.get("co_administrations") or []),
            committees=list(self.cleaned_data.get("recommending_committees") or []),
            addressees=list(self.cleaned_data.get("addressees") or []),
            points=points,
        )

    def item_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


class BlockForm(forms.Form):
    """A further recommendation block: "Økonomiforvaltningen indstiller, at Økonomiudvalget
    over for Borgerrepræsentationen anbefaler, 2. at …"."""

    administrations = _ticks(
        Administration,
        _("Recommending administrations"),
    )
    committees = _ticks(
        Committee,
        _("Recommending committees"),
        help_text=_("None ticked: the committee whose meeting the item is on."),
    )
    addressees = _ticks(
        Committee,
        _("Recommends to (over for)"),
    )
    points = forms.CharField(
        label=_("Points"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            'One point per line, each beginning with "at". They are numbered on from the '
            "points above."
        ),
    )

    def clean(self):
        data = super().clean()
        if self.cleaned_data.get("DELETE"):
            return data
        if data.get("points", "").strip() and not data.get("administrations"):
            self.add_error(
                "administrations",
                _("Tick the administrations that recommend these points."),
            )
        return data

    def block(self) -> BlockData | None:
        data = self.cleaned_data
        if not data or data.get("DELETE"):
            return None
        points = [line.strip() for line in data.get("points", "").splitlines() if line.strip()]
        if not points and not data.get("administrations"):
            return None
        return BlockData(
            administrations=list(data["administrations"]),
            committees=list(data.get("committees") or []),
            addressees=list(data.get("addressees") or []),
            points=points,
        )


def block_formset_class():
    return formset_factory(BlockForm, extra=1, can_delete=True)


def blocks_initial(item) -> list[dict]:
    """The item's further blocks (after the first) as the block formset's initial rows."""
    return [
        {
            "administrations": [a.pk for a in block.administrations],
            "committees": [c.pk for c in block.committees],
            "addressees": [c.pk for c in block.addressees],
            "points": "\n".join(block.points),
        }
        for block in blocks_of(item)[1:]
    ]


def blocks_typed(formset) -> list[dict]:
    """For "add another point": the further blocks as typed so far (not yet checked)."""
    rows = []
    for form in formset.forms:
        if form["DELETE"].value():
            continue
        row = {name: form[name].value() for name in ("administrations", "committees", "addressees")}
        row["points"] = form["points"].value() or ""
        if row["points"].strip() or row["administrations"]:
            rows.append(row)
    return rows


def blocks_from(form, formset, points: list[str]) -> list[BlockData]:
    """All the blocks: the first from the item form and its points, then the formset's."""
    further = [block for block in (f.block() for f in formset.forms) if block is not None]
    return [form.first_block(points), *further]


class PointForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('Begins with "at", e.g. "at udvalget drøfter sagen."'),
    )


def point_formset_class(extra: int = 1):
    return formset_factory(PointForm, extra=extra, can_order=True, can_delete=True)


def points_from(formset) -> list[str]:
    """The points' texts in the chosen order, without the deleted and empty rows."""
    return [form.cleaned_data["text"] for form in formset.ordered_forms if form.cleaned_data]


def points_initial(formset) -> tuple[list[dict], int]:
    """For "add another point": the rows typed so far (in order) and the number of blank rows."""
    rows, blanks = [], 0
    for index, form in enumerate(formset.forms):
        text = (form["text"].value() or "").strip()
        if form["DELETE"].value():
            continue
        if not text:
            blanks += 1
            continue
        order = form["ORDER"].value()
        try:
            order = int(order)
        except (TypeError, ValueError):
            order = 10_000 + index
        rows.append((order, index, text))
    rows.sort()
    return [{"text": text} for _, _, text in rows], blanks


class ScheduleForm(forms.Form):
    meeting = MeetingChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only meetings of committees the user serves (committees.rules).
        self.fields["meeting"].queryset = meetings_served(user, meetings_open_for_agenda())


class SendOnForm(forms.Form):
    """Send the case on: a meeting of the next committee on its route."""

    meeting = MeetingChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        help_text=_("The next committee's meetings after this one whose agenda is still open."),
    )

    def __init__(self, *args, user, item, following, **kwargs):
        super().__init__(*args, **kwargs)
        meetings = Meeting.objects.none()
        if following is not None:
            meetings = meetings_served(
                user,
                meetings_open_for_agenda().filter(
                    committee=following, starts_at__gt=item.meeting.starts_at
                ),
            )
        self.fields["meeting"].queryset = meetings


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the caseworker"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What must be changed before the item can go on an agenda."),
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    case_number = forms.CharField(
        label=_("Case number"),
        required=False,
        max_length=CASE_NUMBER_MAX_LENGTH,
        validators=[case_number_validator],
        help_text=_("The attachment's own case number, e.g. 2009-300035."),
    )
    is_closed = forms.BooleanField(
        label=_("Closed attachment (confidential)"),
        required=False,
        help_text=_("Only the committee's members and staff can open a closed attachment."),
    )
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,  # checked below, with our own message
        help_text=_("PDF, DOCX, XLSX, PPTX, DOC, XLS, ODT or ODS."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        attachment_upload_check(upload)
        return upload


class DecisionForm(forms.Form):
    version = version_field()  # of the decision; 0 while there is none
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Decision.Outcome.choices)
    text = forms.CharField(
        label=_("Decision text"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_('As in the minutes, e.g. "Udvalget drøftede sagen."'),
    )


class VoteForm(forms.Form):
    party = forms.CharField(label=_("Party"), max_length=100)
    votes_for = forms.IntegerField(label=_("For"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, required=False)
    votes_abstained = forms.IntegerField(label=_("Abstained"), min_value=0, required=False)


VoteFormSet = formset_factory(VoteForm, extra=0)


def votes_from(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or not data.get("party"):
            continue
        counts = [data.get(key) or 0 for key in ("votes_for", "votes_against", "votes_abstained")]
        if not any(counts):
            continue
        rows.append(
            {
                "party": data["party"],
                "votes_for": counts[0],
                "votes_against": counts[1],
                "votes_abstained": counts[2],
            }
        )
    return rows


class AbsenceForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("Absent members"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Person.objects.filter(pk__in=[p.pk for p in members])


class InquiryForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Person.objects.none())
    text = forms.CharField(
        label=_("The inquiry"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the member asked the committee."),
    )
    title = forms.CharField(
        label=_("Title of the new case"),
        max_length=300,
        help_text=_("The case gets the next free case number."),
    )
    administration = forms.ModelChoiceField(
        label=_("Responsible administration"), queryset=Administration.objects.order_by("name")
    )

    def __init__(self, *args, members: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Person.objects.filter(
            pk__in=[p.pk for p in members]
        ).order_by("name")


def _field_choices(model, names):
    return [(name, str(model._meta.get_field(name).verbose_name).capitalize()) for name in names]


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label=_("What is corrected"))
    new_outcome = forms.ChoiceField(
        label=_("Corrected outcome"),
        choices=[("", "---------"), *Decision.Outcome.choices],
        required=False,
        help_text=_("Only when the outcome is corrected."),
    )
    new_value = forms.CharField(
        label=_("Corrected text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("The whole text as it should read."),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the correction on the item and in the case's history."),
    )

    def __init__(self, *args, target: str, **kwargs):
        super().__init__(*args, **kwargs)
        if target == "decision":
            self.fields["field"].choices = [
                (name, str(Correction.DECISION_FIELD_LABELS[name]).capitalize())
                for name in CORRECTABLE_DECISION_FIELDS
            ]
        else:
            self.fields["field"].choices = _field_choices(AgendaItem, CORRECTABLE_ITEM_FIELDS)
            del self.fields["new_outcome"]

    def clean(self):
        data = super().clean()
        if data.get("field") == "outcome":
            if not data.get("new_outcome"):
                self.add_error("new_outcome", _("Choose the corrected outcome."))
            data["new_value"] = data.get("new_outcome", "")
        elif data.get("field") and not (data.get("new_value") or "").strip():
            self.add_error("new_value", _("Write the corrected text."))
        return data


def error_summary(*forms_and_formsets) -> list[dict]:
    """Every error of the given forms/formsets, with the id of the field it belongs to."""
    entries = []
    for obj in forms_and_formsets:
        if obj is None:
            continue
        if hasattr(obj, "forms"):
            entries += [{"anchor": "", "label": "", "message": e} for e in obj.non_form_errors()]
            entries += error_summary(*obj.forms)
            continue
        entries += [{"anchor": "", "label": "", "message": e} for e in obj.non_field_errors()]
        for field in obj:
            for message in field.errors:
                anchor = field.id_for_label or field.auto_id
                entries.append({"anchor": anchor, "label": field.label, "message": message})
    return entries
