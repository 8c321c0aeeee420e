"""Load data at the scale of a shared installation, for the benchmark (``make bench``).

``generate_load_data --scale 1`` writes, with a history row for every object:

- 100 committees (members and secretaries) with 20 years of meetings (20,000 meetings),
- 200,000 agenda items on them (about ten per meeting, one in twenty closed), 140,000
  cases, recommendation points, attachment rows (no files) and decisions,
- 5,000 plans with estates, lifecycle steps, linked agenda items and 200,000
  co-financing commitments,

well over a million history rows in all. Other scales are proportional (with a few
rows minimum). Rows go in with ``bulk_create`` in batches and their history with
simple-history's ``bulk_history_create``; nothing here needs the demo data, but
the administrations and LBF periods are shared with it (looked up by natural key).

The shapes are deterministic (a seeded random generator), so two runs at the same
scale give the same numbers, and the benchmark picks comparable pages at every scale.
"""

import random
import re
import time as clock
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from cases.models import (
    AgendaItem,
    Attachment,
    Case,
    CaseNumberSequence,
    Decision,
    RecommendationBlock,
    RecommendationParty,
    RecommendationPoint,
)
from committees.models import Administration, Committee, Meeting, Membership, Person
from helhedsplaner.dashboard import figures as plan_figures
from helhedsplaner.models import (
    Area,
    CoFinancing,
    CoFinancingPool,
    Estate,
    FocusArea,
    HousingContribution,
    HousingOrganisation,
    LbfPeriod,
    Plan,
    PlanStatusChange,
)

from .data import ADMINISTRATIONS, FIRST, LAST, LBF_PERIODS, PARTIES

CPH = ZoneInfo("Europe/Copenhagen")
BATCH = 2000
CHANGE_REASON = "generate_load_data"

# The numbers at scale 1.
SCALE_1 = {
    "committees": 100,
    "meetings": 20_000,  # 100 committees x 20 years x 10 meetings
    "items": 200_000,
    "plans": 5_000,
    "commitments": 200_000,  # 40 per plan
    "areas": 200,
    "housing_organisations": 400,
    "pools": 20,
}
MINIMUM = {
    "committees": 2,
    "meetings": 10,
    "items": 60,
    "plans": 3,
    "commitments": 40,
    "areas": 2,
    "housing_organisations": 2,
    "pools": 1,
}
YEARS = 20
MEMBERS_PER_COMMITTEE = 9
# Repeating patterns (deterministic shapes with the right averages).
ITEMS_PER_MEETING = (6, 14, 8, 12, 10)  # average 10
POINTS_PER_ITEM = (1, 2, 3, 1, 2)  # average 1.8
ATTACHMENTS_PER_ITEM = (0, 1, 2, 1, 3, 1, 0, 2)  # average 1.25
ESTATES_PER_PLAN = (1, 2, 3, 4, 2)  # average 2.4
ITEMS_PER_PLAN = 4
COMMITMENT_ADMINISTRATIONS = 5
NEW_CASE_SHARE = 0.7  # the rest are later items of an earlier case (another committee)

MUNICIPALITIES = [
    "Aarhus",
    "Odense",
    "Aalborg",
    "Esbjerg",
    "Randers",
    "Kolding",
    "Horsens",
    "Vejle",
    "Roskilde",
    "Herning",
    "Silkeborg",
    "Næstved",
    "Fredericia",
    "Viborg",
    "Køge",
    "Holbæk",
    "Slagelse",
    "Hvidovre",
    "Albertslund",
    "Ishøj",
]
COMMITTEE_NAMES = [
    ("Byrådet", Committee.Kind.CITY_COUNCIL),
    ("Økonomiudvalget", Committee.Kind.FINANCE_COMMITTEE),
    ("Børne- og Ungeudvalget", Committee.Kind.STANDING_COMMITTEE),
    ("Social- og Sundhedsudvalget", Committee.Kind.STANDING_COMMITTEE),
    ("Teknik- og Miljøudvalget", Committee.Kind.STANDING_COMMITTEE),
    ("Beskæftigelsesudvalget", Committee.Kind.STANDING_COMMITTEE),
    ("Kultur- og Fritidsudvalget", Committee.Kind.STANDING_COMMITTEE),
    ("Udvalget for Boligsociale Indsatser", Committee.Kind.SPECIAL_COMMITTEE),
]
# A § 17, stk. 4 committee is set up by the council for a limited time (a constraint).
SPECIAL_FIELDS = {
    "established_by": "Byrådets beslutning 12. maj 2022, punkt 14",
    "established_on": date(2022, 5, 12),
    "period_end": date(2026, 12, 31),
}
PLACES = [
    "Gellerup",
    "Bispehaven",
    "Vollsmose",
    "Korsløkke",
    "Skovparken",
    "Sydbyen",
    "Stengårdsvej",
    "Finlandsparken",
    "Æblehaven",
    "Nøjsomhed",
    "Agervang",
    "Ringparken",
    "Bøgeparken",
    "Charlottekvarteret",
    "Askerød",
    "Gadekæret",
    "Vapnagård",
    "Tåstrupgård",
    "Solbakken",
    "Munkebjerg",
]
TITLES = [
    "Godkendelse af boligsocial helhedsplan for {place}",
    "Status på helhedsplanen i {place}",
    "Medfinansiering af den boligsociale indsats i {place}",
    "Evaluering af beskæftigelsesindsatsen i {place}",
    "Tryghedsskabende indsatser i {place}",
    "Renovering og fysisk omdannelse af {place}",
    "Orientering om lektiecafé og fritidsjob i {place}",
    "Udmøntning af puljen til områdebaserede indsatser, {place}",
    "Budgetopfølgning for byfornyelsen i {place}",
    "Høringssvar om udviklingsplanen for {place}",
]
SENTENCES = [
    "Forvaltningen foreslår, at udvalget godkender helhedsplanen for perioden.",
    "Landsbyggefonden har prækvalificeret ansøgningen om støtte til indsatsen.",
    "Kommunens medfinansiering udgør mindst 25 procent af budgettet.",
    "Indsatsen retter sig mod børn og unge, beskæftigelse og uddannelse.",
    "Boligorganisationen bidrager med midler fra dispositionsfonden.",
    "Evalueringen viser flere beboere i job og færre unge uden uddannelse.",
    "Tryghedsmålingen peger på en fremgang i området siden sidste år.",
    "Sagen har været i høring hos afdelingsbestyrelserne og lokaludvalget.",
    "Den fysiske omdannelse koordineres med byfornyelsen og infrastrukturen.",
    "Der afsættes midler til en koordinator i den boligsociale helhedsplan.",
    "Udgiften afholdes inden for forvaltningens eksisterende budgetramme.",
    "Forvaltningen vender tilbage med en status efter første år.",
    "Beskæftigelsesindsatsen samarbejder med jobcentret og lokale virksomheder.",
    "Fritidsjob og lektiecafé har nået flere unge end forventet.",
    "Sundhedsindsatsen gennemføres i samarbejde med sundhedsplejen.",
    "Følgegruppen har drøftet fremdriften og anbefaler, at indsatsen fortsætter.",
]
OUTCOMES = [
    Decision.Outcome.APPROVED,
    Decision.Outcome.APPROVED,
    Decision.Outcome.APPROVED,
    Decision.Outcome.NOTED,
    Decision.Outcome.APPROVED_WITH_CHANGES,
    Decision.Outcome.POSTPONED,
    Decision.Outcome.REJECTED,
]
ITEM_TYPES = [
    AgendaItem.ItemType.DECISION,
    AgendaItem.ItemType.DECISION,
    AgendaItem.ItemType.DECISION,
    AgendaItem.ItemType.ORIENTATION,
    AgendaItem.ItemType.DISCUSSION,
]
PLAN_PATH = [
    Plan.Status.IDEA,
    Plan.Status.PREQUALIFICATION,
    Plan.Status.DIALOGUE,
    Plan.Status.APPROVED,
    Plan.Status.IMPLEMENTATION,
    Plan.Status.EVALUATED,
    Plan.Status.CLOSED,
]
# How the generated plans are spread over the lifecycle (most are running or done).
PLAN_STATUSES = [
    Plan.Status.IMPLEMENTATION,
    Plan.Status.IMPLEMENTATION,
    Plan.Status.EVALUATED,
    Plan.Status.CLOSED,
    Plan.Status.CLOSED,
    Plan.Status.APPROVED,
    Plan.Status.DIALOGUE,
    Plan.Status.IDEA,
    Plan.Status.PREQUALIFICATION,
    Plan.Status.WITHDRAWN,
]


def counts_for(scale: float) -> dict[str, int]:
    """The number of rows of each kind at ``scale`` (1 = the large municipality set)."""
    if scale <= 0:
        raise ValueError("The scale must be greater than 0.")
    return {key: max(MINIMUM[key], round(value * scale)) for key, value in SCALE_1.items()}


def database_has_data() -> bool:
    return Case.objects.exists() or Meeting.objects.exists() or Plan.objects.exists()


@dataclass
class Report:
    """What a run wrote: rows per model and history rows, and how long it took."""

    rows: dict[str, int] = field(default_factory=dict)
    history_rows: int = 0
    seconds: float = 0.0

    def add(self, name: str, count: int) -> None:
        self.rows[name] = self.rows.get(name, 0) + count


class LoadGenerator:
    def __init__(self, *, scale: float, progress: Callable[[str], None] = lambda line: None):
        self.scale = scale
        self.counts = counts_for(scale)
        self.progress = progress
        self.rng = random.Random(9)
        self.report = Report()
        self.started = clock.perf_counter()
        self.now = timezone.now()

    # -- helpers ---------------------------------------------------------------------------

    def elapsed(self) -> str:
        return f"{clock.perf_counter() - self.started:7.1f} s"

    def say(self, line: str) -> None:
        self.progress(f"{self.elapsed()}  {line}")

    def write(self, model, objects: list, *, when: datetime | None = None) -> list:
        """Insert ``objects`` and their "+" history rows; returns them with primary keys."""
        if not objects:
            return objects
        model.objects.bulk_create(objects, batch_size=BATCH)
        model.history.bulk_history_create(
            objects,
            batch_size=BATCH,
            default_change_reason=CHANGE_REASON,
            default_date=when or self.now,
        )
        name = model._meta.verbose_name_plural
        self.report.add(str(name), len(objects))
        self.report.history_rows += len(objects)
        return objects

    def through(self, relation, rows: Iterable[tuple[int, int]], names: tuple[str, str]) -> int:
        """Rows of a many-to-many table (plan, other); ids only, in batches."""
        model = relation.through
        objects = [model(**{names[0]: a, names[1]: b}) for a, b in rows]
        model.objects.bulk_create(objects, batch_size=BATCH)
        return len(objects)

    @staticmethod
    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour, 0), tzinfo=CPH)

    @staticmethod
    def text(index: int, sentences: int) -> str:
        return " ".join(SENTENCES[(index * 7 + k * 3) % len(SENTENCES)] for k in range(sentences))

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> Report:
        steps = [
            ("reference data (administrations, LBF periods, areas, housing)", self.reference),
            ("committees with members and secretaries", self.committees),
            ("20 years of meetings", self.meetings),
            ("cases, agenda items, points, attachments and decisions", self.items),
            ("plans with estates, lifecycle and linked items", self.plans),
            ("co-financing commitments and pools", self.commitments),
            ("the front page's figures of every plan", self.figures),
            ("case number counters and planner statistics", self.finish),
        ]
        counts = ", ".join(f"{key} {value:,}" for key, value in self.counts.items())
        self.say(f"scale {self.scale:g}: {counts}")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Bulk load: do not wait for each commit to reach the disk (this session only).
                cursor.execute("SET synchronous_commit TO off")
        for number, (label, step) in enumerate(steps, start=1):
            self.say(f"[{number}/{len(steps)}] {label} …")
            step()
        self.report.seconds = clock.perf_counter() - self.started
        self.say(
            f"done: {sum(self.report.rows.values()):,} rows and "
            f"{self.report.history_rows:,} history rows in {self.report.seconds:.1f} s"
        )
        return self.report

    @transaction.atomic
    def reference(self) -> None:
        self.admins = [
            Administration.objects.get_or_create(code=code, defaults={"name": name})[0]
            for code, name in ADMINISTRATIONS
        ]
        self.periods = []
        self.focus_areas: dict[int, list[int]] = {}
        for name, (start, end, areas) in LBF_PERIODS.items():
            period, _ = LbfPeriod.objects.get_or_create(
                name=name, defaults={"start_year": start, "end_year": end}
            )
            self.periods.append(period)
            self.focus_areas[period.pk] = [
                FocusArea.objects.get_or_create(period=period, name=area)[0].pk for area in areas
            ]
        # A run number keeps names unique when --append adds a second set.
        previous = [
            int(match.group(1))
            for slug in Committee.objects.filter(slug__startswith="lg").values_list(
                "slug", flat=True
            )
            if (match := re.match(r"lg(\d+)-", slug))
        ]
        self.run_number = max(previous, default=0) + 1
        self.tag = "" if self.run_number == 1 else f" ({self.run_number})"
        areas = [
            Area(
                code=f"LG{self.run_number}-{n:04d}",
                name=f"{PLACES[n % len(PLACES)]} {n // len(PLACES) + 1}{self.tag}",
                district=MUNICIPALITIES[n % len(MUNICIPALITIES)],
            )
            for n in range(self.counts["areas"])
        ]
        self.areas = self.write(Area, areas)
        housing = [
            HousingOrganisation(name=f"Boligforeningen {LAST[n % len(LAST)]} {n + 1}{self.tag}")
            for n in range(self.counts["housing_organisations"])
        ]
        self.housing = self.write(HousingOrganisation, housing)
        self.say(
            f"  {len(self.areas):,} areas, {len(self.housing):,} housing organisations, "
            f"{len(self.periods)} LBF periods"
        )

    @transaction.atomic
    def committees(self) -> None:
        committees = []
        for n in range(self.counts["committees"]):
            base, kind = COMMITTEE_NAMES[n % len(COMMITTEE_NAMES)]
            town = MUNICIPALITIES[(n // len(COMMITTEE_NAMES)) % len(MUNICIPALITIES)]
            cycle = n // (len(COMMITTEE_NAMES) * len(MUNICIPALITIES))
            suffix = f" {cycle + 1}" if cycle else ""
            committees.append(
                Committee(
                    name=f"{base}, {town} Kommune{suffix}{self.tag}",
                    short_name=f"LG{self.run_number}-{n + 1}",
                    slug=f"lg{self.run_number}-{n + 1}",
                    kind=kind,
                    administration=self.admins[n % len(self.admins)],
                    **(SPECIAL_FIELDS if kind == Committee.Kind.SPECIAL_COMMITTEE else {}),
                )
            )
        self.committee_list = self.write(Committee, committees)
        people, seats = [], []
        for c, committee in enumerate(self.committee_list):
            for seat in range(MEMBERS_PER_COMMITTEE + 1):
                index = c * (MEMBERS_PER_COMMITTEE + 1) + seat
                secretary = seat == MEMBERS_PER_COMMITTEE
                people.append(
                    Person(
                        name=f"{FIRST[index % len(FIRST)]} {LAST[(index * 7) % len(LAST)]}",
                        party="" if secretary else PARTIES[index % len(PARTIES)],
                        administration=committee.administration if secretary else None,
                    )
                )
                seats.append((committee, seat))
        self.write(Person, people)
        term = date(timezone.localdate().year - YEARS + 1, 1, 1)
        roles = {0: Membership.Role.CHAIR, 1: Membership.Role.VICE_CHAIR}
        memberships = [
            Membership(
                person=person,
                committee=committee,
                start_date=term,
                role=Membership.Role.SECRETARY
                if seat == MEMBERS_PER_COMMITTEE
                else roles.get(seat, Membership.Role.MEMBER),
            )
            for person, (committee, seat) in zip(people, seats, strict=True)
        ]
        self.write(Membership, memberships)
        self.say(
            f"  {len(self.committee_list):,} committees, {len(people):,} people and memberships"
        )

    @transaction.atomic
    def meetings(self) -> None:
        total = self.counts["meetings"]
        committees = self.committee_list
        per_committee = [total // len(committees)] * len(committees)
        for c in range(total - sum(per_committee)):
            per_committee[c] += 1
        today = timezone.localdate()
        # 20 years up to a couple of months ahead: the last meetings are still to come.
        last_day = today + timedelta(days=60)
        first_day = last_day - timedelta(days=365 * YEARS)
        span = (last_day - first_day).days
        meetings = []
        for c, committee in enumerate(committees):
            count = per_committee[c]
            for j in range(count):
                day = first_day + timedelta(days=(j * span) // max(count, 1) + c % 7)
                starts_at = self.at(day, 14 + c % 4)
                if starts_at < self.now - timedelta(days=14):
                    status = Meeting.Status.MINUTES_APPROVED
                    approved = starts_at + timedelta(days=10)
                elif starts_at < self.now:
                    status, approved = Meeting.Status.HELD, None
                elif starts_at < self.now + timedelta(days=30):
                    status, approved = Meeting.Status.PUBLISHED, None
                else:
                    status, approved = Meeting.Status.DRAFT, None
                meeting = Meeting(
                    committee=committee,
                    starts_at=starts_at,
                    location=f"Rådhuset, mødelokale {1 + c % 9}",
                    status=status,
                    minutes_approved_at=approved,
                )
                meeting._history_date = starts_at - timedelta(days=21)
                meetings.append(meeting)
        meetings.sort(key=lambda meeting: meeting.starts_at)
        self.meeting_list = self.write(Meeting, meetings)
        self.say(f"  {len(meetings):,} meetings from {first_day} to {last_day}")

    def items(self) -> None:
        """Meetings in date order, in chunks; each chunk is one transaction."""
        self.item_ids: list[int] = []
        self.case_years: dict[int, int] = {}
        self.next_case_number = self._case_number_starts()
        recent_cases: list[Case] = []
        target = self.counts["items"]
        written = 0
        item_index = 0
        meetings = self.meeting_list
        chunk_size = 500
        last_percent = -10
        for start in range(0, len(meetings), chunk_size):
            chunk = meetings[start : start + chunk_size]
            with transaction.atomic():
                plan_items = []
                for m, meeting in enumerate(chunk, start=start):
                    remaining = target - written
                    if remaining <= 0:
                        break
                    meetings_left = len(meetings) - m
                    count = ITEMS_PER_MEETING[m % len(ITEMS_PER_MEETING)]
                    if meetings_left <= len(ITEMS_PER_MEETING):
                        count = max(1, remaining // meetings_left)
                    count = min(count, remaining)
                    plan_items.append((meeting, count))
                    written += count
                new_cases, item_specs = [], []
                for meeting, count in plan_items:
                    year = timezone.localtime(meeting.starts_at).year
                    # A later item of an earlier case comes from an earlier meeting.
                    earlier = len(recent_cases)
                    for number in range(1, count + 1):
                        item_index += 1
                        if earlier and self.rng.random() > NEW_CASE_SHARE:
                            case = recent_cases[self.rng.randrange(earlier)]
                        else:
                            case = self._new_case(year, item_index, meeting)
                            new_cases.append(case)
                            recent_cases.append(case)
                        item_specs.append((meeting, number, case, item_index))
                    recent_cases = recent_cases[-2000:]
                self.write(Case, new_cases, when=None)
                self._write_items(item_specs)
            percent = 100 * written // max(target, 1)
            if percent >= last_percent + 10 or written >= target:
                last_percent = percent
                self.say(f"  {percent:3d} %  {written:,} of {target:,} agenda items")
            if written >= target:
                break

    def _case_number_starts(self) -> dict[int, int]:
        """Per year, the first free number above both the counter and any existing case."""
        starts = dict(CaseNumberSequence.objects.values_list("year", "last_value"))
        for number in Case.objects.values_list("number", flat=True).iterator():
            year, _, serial = number.partition("-")
            if year.isdigit() and serial.isdigit():
                starts[int(year)] = max(starts.get(int(year), 0), int(serial))
        return {year: value + 1 for year, value in starts.items()}

    def _new_case(self, year: int, index: int, meeting: Meeting) -> Case:
        serial = self.next_case_number.get(year, 1)
        self.next_case_number[year] = serial + 1
        place = PLACES[index % len(PLACES)]
        case = Case(
            number=f"{year}-{serial:05d}",
            title=TITLES[index % len(TITLES)].format(place=place),
            administration=self.admins[index % len(self.admins)],
            description=self.text(index, 2),
            opened_on=timezone.localtime(meeting.starts_at).date() - timedelta(days=40),
        )
        case._history_date = meeting.starts_at - timedelta(days=40)
        return case

    def _write_items(self, specs) -> None:
        items = []
        for meeting, number, case, index in specs:
            place = PLACES[index % len(PLACES)]
            item = AgendaItem(
                case=case,
                meeting=meeting,
                number=number,
                status=AgendaItem.Status.SCHEDULED,
                item_type=ITEM_TYPES[index % len(ITEM_TYPES)],
                title=TITLES[(index + number) % len(TITLES)].format(place=place),
                summary=self.text(index, 1),
                recommending_administration_id=case.administration_id,
                route="",
                problem=self.text(index + 1, 3),
                solution=self.text(index + 2, 3),
                economy=self.text(index + 3, 1),
                further_process=self.text(index + 4, 1),
                is_closed=index % 20 == 0,
            )
            item._history_date = meeting.starts_at - timedelta(days=14)
            items.append(item)
        self.write(AgendaItem, items)
        self.item_ids.extend(item.pk for item in items)
        # Each item's recommendation block: its administration recommends its points.
        blocks = []
        for item, (meeting, _number, _case, _index) in zip(items, specs, strict=True):
            block = RecommendationBlock(item=item, position=1)
            block._history_date = meeting.starts_at - timedelta(days=14)
            blocks.append(block)
        self.write(RecommendationBlock, blocks)
        parties = []
        for block, item in zip(blocks, items, strict=True):
            party = RecommendationParty(
                block=block,
                role=RecommendationParty.Role.ADMINISTRATION,
                position=1,
                administration_id=item.recommending_administration_id,
            )
            party._history_date = block._history_date
            parties.append(party)
        self.write(RecommendationParty, parties)
        points, attachments, decisions = [], [], []
        for item, block, (meeting, _number, case, index) in zip(items, blocks, specs, strict=True):
            when = meeting.starts_at - timedelta(days=14)
            for position in range(1, POINTS_PER_ITEM[index % len(POINTS_PER_ITEM)] + 1):
                point = RecommendationPoint(
                    item=item,
                    block=block,
                    position=position,
                    text=f"at udvalget godkender punkt {position} i indstillingen",
                )
                point._history_date = when
                points.append(point)
            for position in range(1, ATTACHMENTS_PER_ITEM[index % len(ATTACHMENTS_PER_ITEM)] + 1):
                attachment = Attachment(
                    item=item,
                    position=position,
                    title=f"Bilag {position}: {('Notat', 'Budget', 'Evaluering')[position % 3]}",
                    case_number=case.number,
                    is_closed=(index + position) % 15 == 0,
                    original_filename=f"bilag-{position}.pdf",
                    content_type="application/pdf",
                    size=40_000 + 1_000 * position,
                )
                attachment._history_date = when
                attachments.append(attachment)
            if meeting.status in (Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED):
                outcome = OUTCOMES[index % len(OUTCOMES)]
                decision = Decision(
                    item=item,
                    outcome=outcome,
                    text="Indstillingen blev godkendt."
                    if outcome == Decision.Outcome.APPROVED
                    else "Udvalget drøftede sagen.",
                )
                decision._history_date = meeting.starts_at + timedelta(hours=2)
                decisions.append(decision)
        self.write(RecommendationPoint, points)
        self.write(Attachment, attachments)
        self.write(Decision, decisions)

    @transaction.atomic
    def plans(self) -> None:
        total = self.counts["plans"]
        plans = []
        for n in range(total):
            period = self.periods[n % len(self.periods)]
            status = PLAN_STATUSES[n % len(PLAN_STATUSES)]
            budget = Decimal(10_000_000 + (n * 7919) % 50_000_000)
            area = self.areas[n % len(self.areas)]
            plan = Plan(
                name=f"Helhedsplan {area.name} {n // len(self.areas) + 1}{self.tag}",
                housing_organisation=self.housing[n % len(self.housing)],
                area=area,
                lbf_period=period,
                status=status,
                lead_administration=self.admins[n % len(self.admins)],
                budget=budget,
                lbf_grant=(budget * Decimal("0.6")).quantize(Decimal("1")),
                period_start=date(period.start_year, 1, 1),
                period_end=date(period.end_year, 12, 31),
                description=self.text(n, 3),
            )
            plan._history_date = self.at(date(period.start_year - 1, 3, 1), 10)
            plans.append(plan)
        self.plan_list = self.write(Plan, plans)

        estates, steps = [], []
        for n, plan in enumerate(self.plan_list):
            for k in range(ESTATES_PER_PLAN[n % len(ESTATES_PER_PLAN)]):
                estate = Estate(
                    plan=plan,
                    name=f"Afdeling {k + 1}",
                    number=f"{100 + k}",
                    tenancies=150 + (n * 31 + k * 17) % 600,
                )
                estate._history_date = plan._history_date
                estates.append(estate)
            path = (
                PLAN_PATH[: PLAN_PATH.index(plan.status) + 1]
                if plan.status in PLAN_PATH
                else [Plan.Status.IDEA, plan.status]
            )
            previous = ""
            for k, status in enumerate(path):
                step = PlanStatusChange(
                    plan=plan,
                    from_status=previous,
                    to_status=status,
                    date=plan.period_start + timedelta(days=180 * k - 360),
                    note="",
                )
                step._history_date = self.at(step.date, 10)
                steps.append(step)
                previous = status
        self.write(Estate, estates)
        self.write(PlanStatusChange, steps)

        admin_ids = [admin.pk for admin in self.admins]
        participating = [
            (plan.pk, admin_ids[(n + k) % len(admin_ids)])
            for n, plan in enumerate(self.plan_list)
            for k in (1, 2)
        ]
        self.through(
            Plan.participating_administrations, participating, ("plan_id", "administration_id")
        )
        focus = [
            (plan.pk, ids[(n + k) % len(ids)])
            for n, plan in enumerate(self.plan_list)
            for ids in [self.focus_areas[plan.lbf_period_id]]
            for k in range(min(2, len(ids)))
        ]
        self.through(Plan.focus_areas, focus, ("plan_id", "focusarea_id"))
        # Each plan concerns a few agenda items (spread over the whole item range).
        self.plan_items: dict[int, list[int]] = {}
        links = []
        ids = self.item_ids
        for n, plan in enumerate(self.plan_list):
            chosen = sorted({ids[(n * 37 + k * 9973) % len(ids)] for k in range(ITEMS_PER_PLAN)})
            self.plan_items[plan.pk] = chosen
            links += [(plan.pk, item_id) for item_id in chosen]
        self.through(Plan.agenda_items, links, ("plan_id", "agendaitem_id"))
        contributions = []
        for plan in self.plan_list:
            contribution = HousingContribution(
                plan=plan,
                amount=(plan.budget * Decimal("0.05")).quantize(Decimal("1")),
                description="Dispositionsfonden",
            )
            contribution._history_date = plan._history_date
            contributions.append(contribution)
        self.write(HousingContribution, contributions)
        self.say(
            f"  {len(plans):,} plans, {len(estates):,} estates, {len(steps):,} lifecycle steps, "
            f"{len(links):,} linked items"
        )

    def commitments(self) -> None:
        total = self.counts["commitments"]
        per_plan = max(1, total // len(self.plan_list))
        this_year = timezone.localdate().year
        pools = []
        with transaction.atomic():
            for n in range(self.counts["pools"]):
                start = this_year - YEARS + 1 + (n * 4) % YEARS
                pool = CoFinancingPool(
                    name=f"Pulje til områdebaserede indsatser {start}–{start + 3}, nr. {n + 1}"
                    f"{self.tag}",
                    start_year=start,
                    end_year=start + 3,
                    budget=Decimal(0),
                )
                pools.append(pool)
            self.write(CoFinancingPool, pools)
        pool_totals = {pool.pk: Decimal(0) for pool in pools}
        written = 0
        last_percent = -10
        plans = self.plan_list
        chunk = 500
        for start in range(0, len(plans), chunk):
            commitments = []
            for n, plan in enumerate(plans[start : start + chunk], start=start):
                count = per_plan if n < len(plans) - 1 else total - written - len(commitments)
                linked = self.plan_items.get(plan.pk) or [None]
                first_year = plan.period_start.year
                years = plan.period_end.year - first_year + 1
                for k in range(max(count, 0)):
                    year = first_year + k % years
                    administration = self.admins[(n + k // years) % len(self.admins)]
                    from_pool = k % 10 == 9
                    pool = pools[(n + k) % len(pools)] if from_pool else None
                    amount = Decimal(50_000 + (n * 131 + k * 977) % 950_000)
                    if year < this_year:
                        status = CoFinancing.Status.PAID
                    elif year == this_year:
                        status = CoFinancing.Status.GRANTED
                    else:
                        status = CoFinancing.Status.PROPOSED
                    if k % 25 == 24:
                        status = CoFinancing.Status.WITHDRAWN
                    granted = status in (CoFinancing.Status.GRANTED, CoFinancing.Status.PAID)
                    commitment = CoFinancing(
                        plan=plan,
                        administration=administration,
                        year=year,
                        amount=amount,
                        source=CoFinancing.Source.POOL if pool else CoFinancing.Source.OWN_BUDGET,
                        pool=pool,
                        status=status,
                        granted_by_item_id=linked[k % len(linked)] if granted else None,
                    )
                    commitment._history_date = self.at(date(year - 1, 11, 1), 10)
                    if pool is not None and granted:
                        pool_totals[pool.pk] += amount
                    commitments.append(commitment)
            with transaction.atomic():
                self.write(CoFinancing, commitments)
            written += len(commitments)
            percent = 100 * written // max(total, 1)
            if percent >= last_percent + 10 or start + chunk >= len(plans):
                last_percent = percent
                self.say(f"  {percent:3d} %  {written:,} of {total:,} commitments")
        # Pools are never over-committed: each budget covers what was granted from it.
        with transaction.atomic():
            for pool in pools:
                pool.budget = (pool_totals[pool.pk] * Decimal("1.2")).quantize(Decimal("1"))
            CoFinancingPool.objects.bulk_update(pools, ["budget"], batch_size=BATCH)
            CoFinancingPool.history.bulk_history_create(
                pools, update=True, default_change_reason=CHANGE_REASON, default_date=self.now
            )
            self.report.history_rows += len(pools)

    def figures(self) -> None:
        """Bulk inserts refresh no plan's figures: all of them, once, now (in batches)."""
        plan_figures.refresh_all(progress=self.say)

    @transaction.atomic
    def finish(self) -> None:
        """Case numbers drawn later must not collide with generated ones; fresh statistics."""
        for year, next_value in self.next_case_number.items():
            sequence, _ = CaseNumberSequence.objects.get_or_create(year=year)
            if sequence.last_value < next_value - 1:
                sequence.last_value = next_value - 1
                sequence.save(update_fields=["last_value"])
        if connection.vendor == "postgresql":
            transaction.on_commit(self._analyze)

    def _analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def sample_objects(run: int = 1) -> dict:
    """Comparable pages at every scale: the same kind of plan, meeting and case of one run.

    A plan in implementation (40 commitments, 4 linked items), the latest approved
    meeting with 14 items, the latest case with 2 decided items, the run's second
    committee.
    """
    from django.db.models import Count

    prefix = f"lg{run}-"
    plan = (
        Plan.objects.filter(area__code__startswith=f"LG{run}-", status=Plan.Status.IMPLEMENTATION)
        .order_by("pk")
        .first()
    )
    meeting = (
        Meeting.objects.filter(
            committee__slug__startswith=prefix, status=Meeting.Status.MINUTES_APPROVED
        )
        .annotate(items=Count("agenda_items"))
        .filter(items=max(ITEMS_PER_MEETING))
        .order_by("-starts_at")
        .first()
    )
    case = (
        Case.objects.filter(agenda_items__meeting__committee__slug__startswith=prefix)
        .annotate(
            items=Count("agenda_items", distinct=True),
            decided=Count("agenda_items__decision", distinct=True),
        )
        .filter(items=2, decided=2)
        .order_by("-number")
        .first()
    )
    item = meeting.agenda_items.filter(is_closed=False).order_by("number").first()
    pool = CoFinancingPool.objects.filter(name__startswith="Pulje til områdebaserede").first()
    return {
        "plan": plan.pk,
        "meeting": meeting.pk,
        "case": case.number,
        "committee": f"{prefix}2",
        "pool": pool.pk,
        "item": item.pk,
    }


def main_pages(objects: dict, search: str = "Vollsmose beskæftigelse") -> dict[str, str]:
    """Every main page of the product for the objects of :func:`sample_objects`."""
    return {
        "home": "/",
        "plans_by_area": "/omraader/",
        "plan_list": "/planer/",
        "plan_detail": f"/planer/{objects['plan']}/",
        "plan_status": f"/planer/{objects['plan']}/status/",
        "plan_history": f"/planer/{objects['plan']}/historik/",
        "meeting_list": "/moeder/",
        "meeting_detail": f"/moeder/{objects['meeting']}/",
        "case_list": "/sager/",
        "case_detail": f"/sager/{objects['case']}/",
        "case_history": f"/sager/{objects['case']}/historik/",
        "item_detail": f"/sager/punkter/{objects['item']}/",
        "search": f"/soeg/?q={search}",
        "committee_list": "/udvalg/",
        "committee_detail": f"/udvalg/{objects['committee']}/",
        "commitment_list": "/medfinansiering/",
        "overview_administrations": "/medfinansiering/oversigt/forvaltninger/",
        "overview_plans": "/medfinansiering/oversigt/planer/",
        "overview_years": "/medfinansiering/oversigt/aar/",
        "overview_pools": "/medfinansiering/oversigt/puljer/",
        "plan_cofinancing": f"/medfinansiering/planer/{objects['plan']}/",
        "pool_detail": f"/medfinansiering/puljer/{objects['pool']}/",
        "followup_groups": "/foelgegrupper/",
        "policy": "/politik/",
    }


def generate(*, scale: float, progress: Callable[[str], None] = lambda line: None) -> Report:
    return LoadGenerator(scale=scale, progress=progress).run()


def history_row_count() -> int:
    """All history rows of every tracked model (for the report and the tests)."""
    from django.apps import apps

    total = 0
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "history_date"):
            total += model.objects.count()
    return total


__all__ = [
    "Report",
    "counts_for",
    "database_has_data",
    "generate",
    "history_row_count",
    "main_pages",
    "sample_objects",
]
