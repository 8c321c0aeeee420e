"""Plans and estates from a caseworker's spreadsheet: the columns, the rows read as plans,
what an import would change (the preview) and the import itself. No HTTP here.

A sheet has one row per estate: a plan with three estates has three rows whose plan
columns repeat; a plan without estates has one row with empty estate columns. A plan is
found by its LBF case number when the row has one, else by its name (case-insensitive);
housing organisations, areas, lead administrations and LBF periods by name or code among
those that exist (the import creates none). An empty cell leaves what is saved as it is;
estates not in the file are kept.

Nothing is saved by :func:`plan_import_preview`; :func:`plan_import_commit` saves every
plan through the plan services (their rules and history) in one transaction, or nothing.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.models import Administration
from committees.rules import administrations_writable
from core.validation import date_in_range
from core.versioning import version_bump

from ..imports.reading import parse_number
from ..models import Area, HousingOrganisation, ImportMapping, LbfPeriod, Plan
from . import services

KIND = "plans"


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    required: bool
    names: tuple[str, ...]  # header cells that mean this column (lower case)


# The app's fields a column can fill, in the order the mapping form shows them.
COLUMNS = (
    Column("name", gettext_lazy("Name of the plan"), True, ("navn", "helhedsplan", "plan")),
    Column(
        "housing_organisation",
        gettext_lazy("Housing organisation"),
        True,
        ("boligorganisation", "boligselskab"),
    ),
    Column("estate_name", gettext_lazy("Estate"), False, ("afdeling", "afdelingsnavn")),
    Column(
        "estate_number",
        gettext_lazy("Estate number"),
        False,
        ("afdelingsnummer", "afd.nr.", "afd.nr", "afd. nr."),
    ),
    Column("tenancies", gettext_lazy("Tenancies"), False, ("lejemål", "boliger")),
    Column("area", gettext_lazy("Area"), True, ("område", "omraade")),
    Column("lbf_period", gettext_lazy("LBF period"), False, ("lbf-periode", "periode")),
    Column("period_start", gettext_lazy("Period start"), False, ("periode start", "start")),
    Column("period_end", gettext_lazy("Period end"), False, ("periode slut", "slut")),
    Column("budget", gettext_lazy("Total budget"), False, ("budget", "samlet budget")),
    Column(
        "lbf_grant",
        gettext_lazy("LBF grant"),
        False,
        ("lbf-tilskud", "landsbyggefondens tilskud", "lbf tilskud"),
    ),
    Column(
        "lead_administration",
        gettext_lazy("Lead administration"),
        True,
        ("ledende forvaltning", "forvaltning"),
    ),
    Column(
        "lbf_number",
        gettext_lazy("LBF case number"),
        False,
        ("lbf-sagsnummer", "lbf sagsnummer", "sagsnummer"),
    ),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
ESTATE_COLUMNS = ("estate_name", "estate_number", "tenancies")
# The plan's own columns: on every row of the same plan they must agree.
PLAN_COLUMNS = tuple(key for key in COLUMN_KEYS if key not in ESTATE_COLUMNS)
# The plan fields an import writes (services.PLAN_FIELDS, and the LBF case number).
IMPORTED_PLAN_FIELDS = (
    "name",
    "lbf_number",
    "housing_organisation",
    "area",
    "lbf_period",
    "lead_administration",
    "budget",
    "lbf_grant",
    "period_start",
    "period_end",
)
FIELD_LABELS = {column.key: column.label for column in COLUMNS}


def source_of(header) -> str:
    """The file's signature: its header cells joined by ";", lower case (ImportMapping.source)."""
    return ";".join(cell.strip() for cell in header).lower()[:200]


def remembered_mapping(header) -> dict | None:
    """The columns chosen for the last file with this header, as {key: header cell}."""
    saved = ImportMapping.objects.filter(kind=KIND, source=source_of(header)).first()
    if saved is None:
        return None
    return dict(saved.mapping.get("columns", {}))


def initial_mapping(header) -> dict:
    """{key: column index} pre-filled from the remembered mapping, else by the header names."""
    cells = [cell.strip().lower() for cell in header]
    remembered = remembered_mapping(header)
    chosen = {}
    if remembered is not None:
        for key, cell in remembered.items():
            if key in COLUMN_KEYS and cell and cell.lower() in cells:
                chosen[key] = cells.index(cell.lower())
        return chosen
    for column in COLUMNS:
        names = {column.key, str(column.label).lower(), *column.names}
        for index, cell in enumerate(cells):
            if cell in names and index not in chosen.values():
                chosen[column.key] = index
                break
    return chosen


def mapping_remember(*, header, mapping: dict, user) -> None:
    """Remember the columns chosen ({key: index}) for the next file with the same header."""
    columns = {key: header[index] for key, index in mapping.items() if index is not None}
    ImportMapping.objects.update_or_create(
        kind=KIND,
        source=source_of(header),
        defaults={"mapping": {"columns": columns}, "updated_by": user},
    )


# -- reading a cell --------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


def parse_date(text: str) -> datetime.date | None:
    """'2024-01-01', '1-1-2024', '01.01.2024', '1/1/2024' or an XLSX date (ISO, with a time)."""
    text = text.strip()
    matched = _ISO_DATETIME.match(text)
    if matched:
        text = matched.group(1)
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return None


class RowRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


_DOT_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$")


def _number(text: str, decimal_comma: bool) -> Decimal | None:
    """The sheet's own decimal mark first; a number only the other mark reads ("1.250.000"
    typed into an XLSX cell, "16,5" in a file of points) is read with that. Dots between
    groups of three digits ("800.000") are thousands: amounts have at most 2 decimals and
    tenancies none, so they cannot be a decimal point here."""
    if _DOT_THOUSANDS.match(text.strip()):
        decimal_comma = True
    value = parse_number(text, decimal_comma=decimal_comma)
    if value is None:
        value = parse_number(text, decimal_comma=not decimal_comma)
    return value


def _amount(text: str, label, decimal_comma: bool) -> Decimal:
    value = _number(text, decimal_comma)
    if value is None:
        raise RowRefused(
            _("%(field)s: “%(value)s” is not an amount; write e.g. 1.250.000 or 1250000,50.")
            % {"field": label, "value": text}
        )
    if value < 0:
        raise RowRefused(_("%(field)s: the amount must be 0 kr. or more.") % {"field": label})
    if value != value.quantize(Decimal("0.01")):
        raise RowRefused(_("%(field)s: write at most 2 decimals (øre).") % {"field": label})
    if abs(value) >= Decimal("1e12"):
        raise RowRefused(_("%(field)s: the amount is too large.") % {"field": label})
    return value.quantize(Decimal("0.01"))


def _date(text: str, label) -> datetime.date:
    value = parse_date(text)
    if value is None:
        raise RowRefused(
            _("%(field)s: “%(value)s” is not a date; write e.g. 2024-01-01 or 01.01.2024.")
            % {"field": label, "value": text}
        )
    if not date_in_range(value):
        raise RowRefused(
            _("%(field)s: the date must be from 01.01.1990 to 31.12.2100.") % {"field": label}
        )
    return value


def _tenancies(text: str, decimal_comma: bool) -> int:
    value = _number(text, decimal_comma)
    if value is None or value < 0 or value != int(value) or value > 1_000_000:
        raise RowRefused(
            _("Tenancies: “%(value)s” is not a whole number of 0 or more.") % {"value": text}
        )
    return int(value)


class References:
    """The existing housing organisations, areas, administrations and LBF periods, read once
    and looked up by name or code (case-insensitive)."""

    def __init__(self):
        self.organisations = {o.name.lower(): o for o in HousingOrganisation.objects.all()}
        self.areas = {}
        for area in Area.objects.filter(is_city_total=False):
            self.areas[area.code.lower()] = area
            self.areas[area.name.lower()] = area
        self.administrations = {}
        for administration in Administration.objects.all():
            self.administrations[administration.code.lower()] = administration
            self.administrations[administration.name.lower()] = administration
        self.periods = list(LbfPeriod.objects.order_by("start_year"))
        self.periods_by_name = {p.name.lower(): p for p in self.periods}

    def organisation(self, text):
        found = self.organisations.get(text.lower())
        if found is None:
            raise RowRefused(
                _("The housing organisation “%(name)s” is not in the register.") % {"name": text}
            )
        return found

    def area(self, text):
        found = self.areas.get(text.lower())
        if found is None:
            raise RowRefused(
                _("The area “%(name)s” is not in the register (by name or code).") % {"name": text}
            )
        return found

    def administration(self, text):
        found = self.administrations.get(text.lower())
        if found is None:
            raise RowRefused(
                _("The administration “%(name)s” is not in the register (by name or code).")
                % {"name": text}
            )
        return found

    def period(self, text):
        key = text.lower().replace("-", "–").replace(" ", "")
        for name, period in self.periods_by_name.items():
            if name == text.lower() or name.replace(" ", "") == key:
                return period
        raise RowRefused(_("The LBF period “%(name)s” is not in the register.") % {"name": text})

    def period_for(self, start: datetime.date | None):
        """The LBF period whose years contain the plan's start."""
        if start is None:
            raise RowRefused(
                _("The LBF period is missing: choose its column or give the period start.")
            )
        periods = [p for p in self.periods if p.start_year <= start.year <= p.end_year]
        if len(periods) != 1:
            raise RowRefused(
                _(
                    "No single LBF period contains the period start %(date)s: "
                    "give the LBF period in the file."
                )
                % {"date": start.strftime("%d.%m.%Y")}
            )
        return periods[0]


# -- the preview -----------------------------------------------------------------------------


@dataclass
class Refusal:
    line: int
    reason: str


@dataclass
class EstateChange:
    name: str
    status: str  # "new", "changed", "unchanged"
    fields: list = field(default_factory=list)  # labels of the changed fields
    row: services.EstateRow | None = None


@dataclass
class PlanChange:
    """What the import does to one plan."""

    name: str
    lines: list
    status: str = "unchanged"  # "new", "changed", "unchanged"
    fields: list = field(default_factory=list)  # labels of the changed fields
    estates: list = field(default_factory=list)  # EstateChange
    plan: Plan | None = None  # the existing plan
    values: dict = field(default_factory=dict)  # the plan's fields from the file
    version: int = 0

    @property
    def estate_rows(self) -> list:
        return [e.row for e in self.estates if e.status != "unchanged"]


@dataclass
class Preview:
    plans: list = field(default_factory=list)
    refusals: list = field(default_factory=list)
    rows: int = 0

    @property
    def counts(self) -> dict:
        counts = {"new": 0, "changed": 0, "unchanged": 0}
        for plan in self.plans:
            counts[plan.status] += 1
        return counts

    @property
    def has_changes(self) -> bool:
        return any(plan.status != "unchanged" for plan in self.plans)


@dataclass
class _Group:
    """The rows of one plan in the file."""

    values: dict
    cells: dict  # the plan columns' text, to compare with the next rows of the plan
    first_line: int
    lines: list = field(default_factory=list)
    estates: list = field(default_factory=list)  # (line, name, number, tenancies | None)


def _cells(cells, mapping) -> dict:
    return {
        key: (cells[index].strip() if index is not None and index < len(cells) else "")
        for key, index in ((key, mapping.get(key)) for key in COLUMN_KEYS)
    }


def _plan_values(text: dict, refs: References, decimal_comma: bool) -> dict:
    """The plan's fields from one row's cells (only those given)."""
    for key in ("name", "housing_organisation", "area", "lead_administration"):
        if not text[key]:
            raise RowRefused(_("%(field)s is missing.") % {"field": FIELD_LABELS[key]})
    if len(text["name"]) > 200:
        raise RowRefused(_("The name of the plan is longer than 200 characters."))
    if len(text["lbf_number"]) > 30:
        raise RowRefused(_("The LBF case number is longer than 30 characters."))
    values = {
        "name": text["name"],
        "housing_organisation": refs.organisation(text["housing_organisation"]),
        "area": refs.area(text["area"]),
        "lead_administration": refs.administration(text["lead_administration"]),
    }
    if text["lbf_number"]:
        values["lbf_number"] = text["lbf_number"]
    for key in ("budget", "lbf_grant"):
        if text[key]:
            values[key] = _amount(text[key], FIELD_LABELS[key], decimal_comma)
    for key in ("period_start", "period_end"):
        if text[key]:
            values[key] = _date(text[key], FIELD_LABELS[key])
    if text["lbf_period"]:
        values["lbf_period"] = refs.period(text["lbf_period"])
    return values


def _estate(text: dict, decimal_comma: bool):
    if not any(text[key] for key in ESTATE_COLUMNS):
        return None
    if not text["estate_name"]:
        raise RowRefused(_("The estate has no name: give it in the estate's column."))
    if len(text["estate_name"]) > 200:
        raise RowRefused(_("The estate's name is longer than 200 characters."))
    if len(text["estate_number"]) > 20:
        raise RowRefused(_("The estate number is longer than 20 characters."))
    tenancies = _tenancies(text["tenancies"], decimal_comma) if text["tenancies"] else None
    return text["estate_name"], text["estate_number"], tenancies


def _group_key(text: dict) -> str:
    return ("lbf:" + text["lbf_number"].lower()) if text["lbf_number"] else text["name"].lower()


def _read_groups(rows, mapping, refs, decimal_comma, preview) -> list:
    groups: dict[str, _Group] = {}
    for line, cells in rows:
        preview.rows += 1
        text = _cells(cells, mapping)
        try:
            key = _group_key(text)
            group = groups.get(key)
            if group is not None:
                plan_cells = {k: text[k] for k in PLAN_COLUMNS}
                differing = [
                    str(FIELD_LABELS[k])
                    for k in PLAN_COLUMNS
                    if plan_cells[k] and plan_cells[k] != group.cells[k]
                ]
                if differing:
                    raise RowRefused(
                        _(
                            "The plan's columns differ from line %(line)s of the same plan: "
                            "%(fields)s."
                        )
                        % {"line": group.first_line, "fields": ", ".join(differing)}
                    )
            else:
                values = _plan_values(text, refs, decimal_comma)
            estate = _estate(text, decimal_comma)
            if (
                estate is not None
                and group is not None
                and any(estate[0].lower() == e[1].lower() for e in group.estates)
            ):
                raise RowRefused(
                    _("The estate “%(name)s” is on an earlier line of the same plan.")
                    % {"name": estate[0]}
                )
        except RowRefused as refused:
            preview.refusals.append(Refusal(line, refused.reason))
            continue
        if group is None:
            group = groups[key] = _Group(
                values=values, cells={k: text[k] for k in PLAN_COLUMNS}, first_line=line
            )
        group.lines.append(line)
        if estate is not None:
            group.estates.append((line, *estate))
    return list(groups.values())


def _existing_plan(values: dict, by_number: dict, by_name: dict) -> Plan | None:
    number = values.get("lbf_number", "")
    if number:
        found = by_number.get(number.lower())
        if found is not None:
            return found
    found = by_name.get(values["name"].lower())
    if (
        found is not None
        and number
        and found.lbf_number
        and found.lbf_number.lower() != number.lower()
    ):
        raise RowRefused(
            _("A plan named “%(name)s” already exists with another LBF case number (%(number)s).")
            % {"name": found.name, "number": found.lbf_number}
        )
    return found


def _estate_changes(plan: Plan | None, group: _Group) -> list:
    existing = list(plan.estates.all()) if plan is not None else []
    by_number = {e.number.lower(): e for e in existing if e.number}
    by_name = {e.name.lower(): e for e in existing}
    changes = []
    for _line, name, number, tenancies in group.estates:
        estate = (by_number.get(number.lower()) if number else None) or by_name.get(name.lower())
        if estate is None:
            changes.append(
                EstateChange(
                    name,
                    "new",
                    row=services.EstateRow(
                        pk=None, name=name, number=number, tenancies=tenancies or 0
                    ),
                )
            )
            continue
        wanted = {
            "name": name,
            "number": number or estate.number,
            "tenancies": estate.tenancies if tenancies is None else tenancies,
        }
        labels = {"name": _("name"), "number": _("estate number"), "tenancies": _("tenancies")}
        changed = [k for k, v in wanted.items() if getattr(estate, k) != v]
        changes.append(
            EstateChange(
                name,
                "changed" if changed else "unchanged",
                fields=[str(labels[k]) for k in changed],
                row=services.EstateRow(pk=estate.pk, **wanted),
            )
        )
    return changes


def _check_rules(change: PlanChange) -> None:
    """The plan's rules (LBF share, period order, unique name, focus areas) on what it would be."""
    plan = change.plan
    if plan is None:
        candidate = Plan(status=Plan.Status.IDEA, **change.values)
    else:
        candidate = Plan.objects.get(pk=plan.pk)
        for key, value in change.values.items():
            setattr(candidate, key, value)
    try:
        if plan is not None and "lbf_period" in change.values:
            services.plan_focus_areas_check(
                lbf_period=candidate.lbf_period, focus_areas=list(plan.focus_areas.all())
            )
        candidate.full_clean(exclude=["status"])
    except ValidationError as error:
        raise RowRefused(" ".join(error.messages)) from error


def _in_scope(user, values: dict, plan: Plan | None, writable: set) -> None:
    lead = values["lead_administration"]
    if lead.pk not in writable:
        raise RowRefused(
            _("You do not write plans for %(administration)s: the plan is not imported.")
            % {"administration": lead.name}
        )
    if plan is not None and not user.has_perm("helhedsplaner.edit_plan", plan):
        raise RowRefused(
            _("You may not change the plan “%(name)s”: its lead administration is another.")
            % {"name": plan.name}
        )


def plan_import_preview(*, rows, mapping: dict, decimal_comma: bool, user) -> Preview:
    """What importing ``rows`` ((line, cells) from the sheet) with ``mapping`` ({key: column
    index}) would do, for ``user``. Nothing is saved."""
    preview = Preview()
    refs = References()
    groups = _read_groups(rows, mapping, refs, decimal_comma, preview)
    plans = list(
        Plan.objects.select_related("lbf_period").prefetch_related("estates", "focus_areas")
    )
    by_number = {p.lbf_number.lower(): p for p in plans if p.lbf_number}
    by_name = {p.name.lower(): p for p in plans}
    writable = set(administrations_writable(user).values_list("pk", flat=True))
    seen: dict[int, int] = {}
    new_names: dict[str, int] = {}
    for group in groups:
        values = group.values
        try:
            plan = _existing_plan(values, by_number, by_name)
            if plan is None and values["name"].lower() in new_names:
                raise RowRefused(
                    _("Lines %(first)s and %(line)s are the same plan “%(name)s”.")
                    % {
                        "first": new_names[values["name"].lower()],
                        "line": group.first_line,
                        "name": values["name"],
                    }
                )
            if plan is not None and plan.pk in seen:
                raise RowRefused(
                    _("Lines %(first)s and %(line)s are the same plan “%(name)s”.")
                    % {"first": seen[plan.pk], "line": group.first_line, "name": plan.name}
                )
            if "lbf_period" not in values:
                if plan is not None and "period_start" not in values:
                    values["lbf_period"] = plan.lbf_period
                else:
                    start = values.get("period_start") or (plan.period_start if plan else None)
                    values["lbf_period"] = refs.period_for(start)
            _in_scope(user, values, plan, writable)
            change = PlanChange(name=values["name"], lines=group.lines, plan=plan)
            if plan is None:
                new_names[values["name"].lower()] = group.first_line
                change.status = "new"
                change.values = values
            else:
                seen[plan.pk] = group.first_line
                change.version = plan.version
                change.values = {k: v for k, v in values.items() if getattr(plan, k) != v}
                change.fields = [str(_field_label(k)) for k in change.values]
            change.estates = _estate_changes(plan, group)
            if plan is not None and (change.values or change.estate_rows):
                change.status = "changed"
            if change.status != "unchanged":
                _check_rules(change)
        except RowRefused as refused:
            preview.refusals.extend(Refusal(line, refused.reason) for line in group.lines)
            continue
        preview.plans.append(change)
    preview.refusals.sort(key=lambda refusal: refusal.line)
    return preview


def _field_label(key: str):
    if key == "name":
        return _("name")
    return Plan._meta.get_field(key).verbose_name


# -- the import ------------------------------------------------------------------------------


class ImportRefused(Exception):
    """A plan's rules refused the import; nothing was saved."""

    def __init__(self, refusals: list):
        super().__init__(refusals)
        self.refusals = refusals


def plan_import_commit(*, preview: Preview, user) -> list:
    """Save every new and changed plan of ``preview`` through the plan services, in one
    transaction: if any plan is refused (its rules, or a plan changed meanwhile), nothing is
    saved and :class:`ImportRefused` says why, line by line. Returns the saved plans."""
    if preview.refusals:
        raise ImportRefused(preview.refusals)
    saved, refusals = [], []
    with transaction.atomic():
        for change in preview.plans:
            if change.status == "unchanged":
                continue
            try:
                saved.append(_save(change, user))
            except services.PlanConflict:
                refusals.extend(
                    Refusal(
                        line,
                        _("Somebody else changed the plan “%(name)s” meanwhile.")
                        % {"name": change.name},
                    )
                    for line in change.lines
                )
            except ValidationError as error:
                reason = " ".join(_messages(error))
                refusals.extend(Refusal(line, reason) for line in change.lines)
        if refusals:
            raise ImportRefused(refusals)  # rolls back every plan saved before
    return saved


def _messages(error: ValidationError) -> list:
    if hasattr(error, "error_dict"):
        return [
            message
            for key, errors in error.message_dict.items()
            for message in (
                errors
                if key == NON_FIELD_ERRORS
                else [f"{_field_label_safe(key)}: {m}" for m in errors]
            )
        ]
    return list(error.messages)


def _field_label_safe(key: str):
    try:
        return _field_label(key)
    except Exception:  # noqa: BLE001 - a key that is no field of the plan
        return key


def _save(change: PlanChange, user) -> Plan:
    values = dict(change.values)
    lbf_number = values.pop("lbf_number", None)
    if change.plan is None:
        plan = services.plan_create(user=user, fields=values, m2m={}, estates=change.estate_rows)
    elif values or change.estate_rows:
        plan = services.plan_update(
            plan=change.plan,
            user=user,
            expected_version=change.version,
            fields=values,
            m2m={},
            estates=change.estate_rows,
        )
    else:
        plan = Plan.objects.get(pk=change.plan.pk)
        if plan.version != change.version:
            raise services.PlanConflict(plan=plan, current_version=plan.version)
    if lbf_number:
        _lbf_number_set(plan, lbf_number, user)
    return plan


def _lbf_number_set(plan: Plan, number: str, user) -> None:
    """The LBF case number is no field of the plan form (services.PLAN_FIELDS): saved here,
    its version raised as every write to a plan does, its history row attributed to the
    importing user."""
    version_bump(plan)
    plan.lbf_number = number
    plan._history_user = user
    plan.full_clean(exclude=["status"])
    plan.save(update_fields=["lbf_number", "updated_at"])
