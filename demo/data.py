"""Demo data: Copenhagen's administrations and committees, 33 plans and the seed case.

Idempotent: every object is looked up by its natural key and only created when
missing, so a second run changes nothing (and writes no history rows). The
seed case (``demo_seed``) is real; every other text and figure is invented and
marked as demo data in the UI (``is_demo`` or a "Demodata" note).
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.models import AgendaItem, Attachment, Case, Decision, MemberInquiry, RecommendationPoint
from cases.recommendations import BlockData, recommendations_set
from cases.services import agenda_item_send_on, meeting_publish
from committees.models import (
    Administration,
    Committee,
    FollowUpGroup,
    FollowUpGroupMeeting,
    FollowUpGroupMembership,
    Meeting,
    Membership,
    Person,
)
from core import roles
from helhedsplaner.cofinancing import services as cofinancing_services
from helhedsplaner.dashboard import figures as plan_figures
from helhedsplaner.followup import services as follow_up_services
from helhedsplaner.models import (
    Area,
    CoFinancing,
    CoFinancingPool,
    Estate,
    FocusArea,
    HousingContribution,
    HousingOrganisation,
    Indicator,
    IndicatorValue,
    LbfPeriod,
    Plan,
    PlanStatusChange,
    Policy,
    PolicyGoal,
)
from helhedsplaner.plans import services

from . import seed

DEMO_PASSWORD = "helhedsplan-demo"
CPH = ZoneInfo("Europe/Copenhagen")
DEMO_NOTE = "Demodata: opdigtet til demonstration."

ADMINISTRATIONS = [
    ("ØKF", "Økonomiforvaltningen"),
    ("KFF", "Kultur- og Fritidsforvaltningen"),
    ("BUF", "Børne- og Ungdomsforvaltningen"),
    ("SUF", "Sundheds- og Omsorgsforvaltningen"),
    ("SOF", "Socialforvaltningen"),
    ("TMF", "Teknik- og Miljøforvaltningen"),
    ("BIF", "Beskæftigelses- og Integrationsforvaltningen"),
]

# (short name, slug, name, kind, administration code)
COMMITTEES = [
    ("BR", "br", "Borgerrepræsentationen", Committee.Kind.CITY_COUNCIL, "ØKF"),
    ("ØU", "oeu", "Økonomiudvalget", Committee.Kind.FINANCE_COMMITTEE, "ØKF"),
    ("KFU", "kfu", "Kultur- og Fritidsudvalget", Committee.Kind.STANDING_COMMITTEE, "KFF"),
    ("BUU", "buu", "Børne- og Ungdomsudvalget", Committee.Kind.STANDING_COMMITTEE, "BUF"),
    ("SOU", "sou", "Sundheds- og Omsorgsudvalget", Committee.Kind.STANDING_COMMITTEE, "SUF"),
    ("SUD", "sud", "Socialudvalget", Committee.Kind.STANDING_COMMITTEE, "SOF"),
    ("TMU", "tmu", "Teknik- og Miljøudvalget", Committee.Kind.STANDING_COMMITTEE, "TMF"),
    (
        "BIU",
        "biu",
        "Beskæftigelses- og Integrationsudvalget",
        Committee.Kind.STANDING_COMMITTEE,
        "BIF",
    ),
]

PARTIES = [
    "Socialdemokratiet (A)",
    "Radikale Venstre (B)",
    "Det Konservative Folkeparti (C)",
    "SF – Socialistisk Folkeparti (F)",
    "Dansk Folkeparti (O)",
    "Venstre (V)",
    "Enhedslisten (Ø)",
]
# Seats that ended (the committee pages' "former members") and substitutes, invented:
# (committee, name, party, role, from, to).
FORMER_SEATS = [
    (
        "BR",
        "Birgit Winther",
        "Socialdemokratiet (A)",
        "chair",
        date(2002, 1, 1),
        date(2005, 12, 31),
    ),
    ("BR", "Kurt Vestergaard", "Venstre (V)", "member", date(2002, 1, 1), date(2005, 12, 31)),
    (
        "ØU",
        "Birgit Winther",
        "Socialdemokratiet (A)",
        "chair",
        date(2002, 1, 1),
        date(2005, 12, 31),
    ),
    ("TMU", "Ole Skovgaard", "Enhedslisten (Ø)", "chair", date(2002, 1, 1), date(2005, 12, 31)),
    ("TMU", "Hanne Brix", "Radikale Venstre (B)", "member", date(2006, 1, 1), date(2008, 6, 30)),
    ("TMU", "Morten Krogh", "Dansk Folkeparti (O)", "substitute", date(2006, 1, 1), None),
    (
        "BIU",
        "Lone Ravn",
        "SF – Socialistisk Folkeparti (F)",
        "member",
        date(2002, 1, 1),
        date(2005, 12, 31),
    ),
    (
        "BIU",
        "Per Thygesen",
        "Det Konservative Folkeparti (C)",
        "vice_chair",
        date(2002, 1, 1),
        date(2005, 12, 31),
    ),
    ("BIU", "Sanne Gram", "Socialdemokratiet (A)", "substitute", date(2006, 1, 1), None),
]
FIRST = [
    "Anne",
    "Bo",
    "Camilla",
    "Dennis",
    "Eva",
    "Frederik",
    "Gitte",
    "Hans",
    "Ida",
    "Jens",
    "Karen",
    "Lars",
    "Mette",
    "Niels",
    "Pia",
    "Rasmus",
    "Sofie",
    "Thomas",
    "Ulla",
    "Yasmin",
]
LAST = [
    "Andersen",
    "Bech",
    "Dahl",
    "Friis",
    "Holm",
    "Juhl",
    "Kjær",
    "Lund",
    "Mortensen",
    "Nørgaard",
    "Olsen",
    "Poulsen",
    "Qvist",
    "Rahbek",
    "Skov",
    "Thygesen",
    "Vestergaard",
    "Østergaard",
    "Ahmadi",
    "Said",
]

LBF_PERIODS = {
    "2006-puljen": (2006, 2009, ["Boligsociale aktiviteter", "Beskæftigelse og uddannelse"]),
    "2007–2010": (
        2007,
        2010,
        [
            "Beskæftigelse og uddannelse",
            "Børn og unge",
            "Integration og beboernetværk",
            "Kriminalpræventive indsatser",
            "Sundhed",
        ],
    ),
    "2011–2014": (
        2011,
        2014,
        [
            "Børn, unge og familie",
            "Uddannelse, beskæftigelse og erhverv",
            "Beboernetværk",
            "Sundhed",
            "Udsatte grupper",
            "Kultur og fritid",
            "Image og kommunikation",
        ],
    ),
    "2015–2018": (
        2015,
        2018,
        [
            "Tryghed og trivsel",
            "Kriminalpræventiv indsats",
            "Uddannelse og beskæftigelse",
            "Forebyggelse og forældreansvar",
        ],
    ),
    "2019–2026": (
        2019,
        2026,
        [
            "Uddannelse og livschancer",
            "Beskæftigelse",
            "Kriminalitetsforebyggelse",
            "Sammenhængskraft og medborgerskab",
        ],
    ),
}

# (area name, district)
AREAS = [
    ("Mjølnerparken", "Nørrebro"),
    ("Blågårds Plads", "Nørrebro"),
    ("Aldersrogade", "Nørrebro"),
    ("Lundtoftegade", "Nørrebro"),
    ("Tingbjerg", "Brønshøj-Husum"),
    ("Husum Nord", "Brønshøj-Husum"),
    ("Sydhavnen", "Kongens Enghave"),
    ("Urbanplanen", "Amager Vest"),
    ("Amager Øst", "Amager Øst"),
    ("Bispebjerg Nord", "Bispebjerg"),
    ("Nordvest", "Bispebjerg"),
    ("Valby Syd", "Valby"),
    ("Folehaven", "Valby"),
    ("Den Grønne Trekant", "Østerbro"),
    ("Vanløse Vest", "Vanløse"),
    ("Vesterbro Syd", "Vesterbro"),
]
HOUSING_ORGANISATIONS = [
    "fsb",
    "AKB, København",
    "SAB",
    "3B",
    "KAB",
    "Lejerbo",
    "FA09",
    "Boligselskabet Sjælland",
    "DAB",
]

# 33 plans: (plan name, area, housing organisation, LBF period, status, BIF participates)
PLANS = [
    ("Helhedsplan Mjølnerparken", "Mjølnerparken", "Lejerbo", "2007–2010", "evaluated", True),
    ("Helhedsplan Blågården", "Blågårds Plads", "fsb", "2007–2010", "evaluated", True),
    ("Helhedsplan Aldersrogade", "Aldersrogade", "SAB", "2007–2010", "closed", True),
    ("Helhedsplan Lundtoftegade", "Lundtoftegade", "AKB, København", "2007–2010", "closed", True),
    ("Helhedsplan Tingbjerg-Utterslevhuse", "Tingbjerg", "fsb", "2007–2010", "evaluated", True),
    ("Helhedsplan Husumgård", "Husum Nord", "3B", "2007–2010", "closed", True),
    ("Helhedsplan Hørgården", "Urbanplanen", "AKB, København", "2007–2010", "evaluated", True),
    ("Helhedsplan Urbanplanen", "Urbanplanen", "KAB", "2007–2010", "evaluated", True),
    ("Helhedsplan Remiseparken", "Amager Øst", "3B", "2007–2010", "closed", True),
    ("Helhedsplan Sjælør Boulevard", "Sydhavnen", "SAB", "2007–2010", "closed", True),
    ("Helhedsplan Bispeparken", "Bispebjerg Nord", "fsb", "2007–2010", "evaluated", True),
    ("Helhedsplan Akacieparken", "Valby Syd", "KAB", "2007–2010", "closed", True),
    ("Helhedsplan Folehaven", "Folehaven", "Lejerbo", "2007–2010", "evaluated", True),
    ("Helhedsplan Den Grønne Trekant", "Den Grønne Trekant", "FA09", "2007–2010", "closed", True),
    ("Helhedsplan Vestervangen", "Vanløse Vest", "DAB", "2007–2010", "closed", True),
    (
        "Helhedsplan Bispebjerg Bakke",
        "Bispebjerg Nord",
        "AKB, København",
        "2006-puljen",
        "closed",
        False,
    ),
    ("Helhedsplan Kildevæld", "Den Grønne Trekant", "3B", "2006-puljen", "closed", False),
    ("Helhedsplan Titangade", "Nordvest", "SAB", "2011–2014", "closed", False),
    ("Helhedsplan Rådmandsgade", "Nordvest", "KAB", "2011–2014", "evaluated", False),
    (
        "Helhedsplan Degnegården",
        "Husum Nord",
        "Boligselskabet Sjælland",
        "2011–2014",
        "closed",
        False,
    ),
    ("Helhedsplan Gadelandet", "Husum Nord", "fsb", "2011–2014", "evaluated", False),
    ("Helhedsplan Femkanten", "Nordvest", "3B", "2011–2014", "closed", False),
    ("Helhedsplan Valby Nord", "Valby Syd", "DAB", "2015–2018", "evaluated", False),
    ("Helhedsplan Dortheavej", "Nordvest", "fsb", "2015–2018", "evaluated", False),
    ("Helhedsplan Voldparken", "Husum Nord", "KAB", "2015–2018", "closed", False),
    (
        "Helhedsplan Ved Kløvermarken",
        "Amager Øst",
        "AKB, København",
        "2015–2018",
        "withdrawn",
        False,
    ),
    ("Helhedsplan Vesterbro Syd", "Vesterbro Syd", "Lejerbo", "2015–2018", "evaluated", False),
    (
        "Helhedsplan Nørrebro Nord 2019",
        "Mjølnerparken",
        "Lejerbo",
        "2019–2026",
        "implementation",
        False,
    ),
    ("Helhedsplan Tingbjerg 2019", "Tingbjerg", "fsb", "2019–2026", "implementation", False),
    ("Helhedsplan Sydhavnen 2019", "Sydhavnen", "SAB", "2019–2026", "implementation", False),
    ("Helhedsplan Urbanplanen 2019", "Urbanplanen", "KAB", "2019–2026", "approved", False),
    ("Helhedsplan Lersøparken", "Bispebjerg Nord", "3B", "2019–2026", "dialogue", False),
    ("Helhedsplan Husum Vest", "Husum Nord", "FA09", "2019–2026", "prequalification", False),
]

LIFECYCLE = [
    "idea",
    "prequalification",
    "dialogue",
    "approved",
    "implementation",
    "evaluated",
    "closed",
]

# BIF's commitments 2007–2013 to its 15 plans: 14.500.000 kr. in all (the seed's figure).
BIF_TOTALS = [
    Decimal(x)
    for x in (
        1_200_000,
        1_100_000,
        900_000,
        800_000,
        1_300_000,
        750_000,
        1_000_000,
        1_250_000,
        850_000,
        700_000,
        1_150_000,
        800_000,
        1_050_000,
        900_000,
        750_000,
    )
]
assert sum(BIF_TOTALS) == Decimal(14_500_000)

INDICATORS = [
    ("ikke-vestlig-herkomst", "Andel med ikke-vestlig herkomst", "%", False),
    ("uden-uddannelse", "Andel uden erhvervskompetencegivende uddannelse", "%", False),
    ("lav-indkomst", "Andel med lav indkomst", "%", False),
    ("uden-for-arbejdsmarkedet", "Andel uden for arbejdsmarkedet", "%", False),
    ("boligareal-pr-person", "Boligareal pr. person", "m²", True),
]

OTHER_BIU_ITEMS = [
    "Meddelelser fra formanden",
    "Budget 2010 – indledende drøftelse",
    "Status på jobcentrenes resultater 1. kvartal 2009",
    "Integrationspolitik – høringssvar",
    "Revisionsberetning 2008",
    "Aktiveringsindsats for unge under 25 år",
    "Virksomhedsrettet aktivering – evaluering",
    "Sprogcentre – kvalitetsrapport 2008",
    "Mentorordninger for nyankomne flygtninge",
    "Tilskud til frivillige foreninger 2009",
    "Danskuddannelse for udenlandske studerende",
    "Ledighedsydelse – opfølgning",
    "Medlemsforslag om lokale beskæftigelsesindsatser",
    "Kvartalsrapport for økonomien",
    "Fælles uddannelsesvejledning for unge",
    "Jobcenter København – organisering",
    "Eventuelt",
]


class DemoLoader:
    def __init__(self, progress: Callable[[str], None] = lambda message: None):
        self.progress = progress
        self.rng = random.Random(2009)

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def at(day: date, hour: int = 15, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=CPH)

    # -- steps -----------------------------------------------------------------------------
    @transaction.atomic
    def load(self) -> None:
        steps = [
            ("administrations and committees", self.load_committees),
            ("people and logins", self.load_people),
            ("former members and the special committee", self.load_committee_history),
            ("LBF periods, areas and indicators", self.load_reference),
            ("policy and follow-up group", self.load_policy),
            ("33 plans with estates and lifecycle", self.load_plans),
            ("co-financing commitments", self.load_commitments),
            ("the seed case 2009-68440 and its meetings", self.load_seed_case),
            ("the seed case's route TMU → ØU → BR", self.load_seed_route),
            ("upcoming meetings", self.load_upcoming),
            ("the coming year's meeting plan", self.load_meeting_plan),
            ("the formal follow-up group for Tingbjerg-Husum", self.load_formal_follow_up_group),
            ("recommendations for every item", self.load_recommendation_blocks),
        ]
        for number, (label, step) in enumerate(steps, start=1):
            self.progress(f"[{number}/{len(steps)}] {label}")
            step()

    def load_committees(self) -> None:
        self.admins = {}
        for code, name in ADMINISTRATIONS:
            self.admins[code], _ = Administration.objects.get_or_create(
                code=code, defaults={"name": name}
            )
        self.committees = {}
        for short, slug, name, kind, admin_code in COMMITTEES:
            self.committees[short], _ = Committee.objects.get_or_create(
                short_name=short,
                defaults={
                    "slug": slug,
                    "name": name,
                    "kind": kind,
                    "administration": self.admins[admin_code],
                },
            )

    def load_people(self) -> None:
        roles.ensure_roles()
        groups = {name: Group.objects.get(name=name) for name in roles.ROLES}

        def user(username, first, last, role, superuser=False):
            obj, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.invalid",
                    "is_staff": superuser,
                    "is_superuser": superuser,
                },
            )
            if created:
                obj.set_password(DEMO_PASSWORD)
                obj.save(update_fields=["password"])
                obj.groups.add(groups[role])
            return obj

        caseworker = user("sagsbehandler", "Sara", "Sagsbehandler", roles.CASEWORKER)
        secretary = user("sekretaer", "Søren", "Sekretær", roles.SECRETARY)
        politician = user("politiker", "Pernille", "Politiker", roles.POLITICIAN)
        admin = user("admin", "Ada", "Administrator", roles.ADMINISTRATOR, superuser=True)
        # Authority is scoped: a caseworker of the plans' lead administration (TMF) edits
        # them, and a secretary of Kultur- og Fritidsudvalget acts on KFU's meetings only.
        caseworker_tmf = user("sagsbehandler-tmf", "Tobias", "Teknik", roles.CASEWORKER)
        secretary_kfu = user("sekretaer-kfu", "Karen", "Kultur", roles.SECRETARY)
        self.users = {
            "caseworker": caseworker,
            "secretary": secretary,
            "politician": politician,
            "admin": admin,
        }

        Person.objects.get_or_create(
            user=caseworker,
            defaults={"name": "Sara Sagsbehandler", "administration": self.admins["BIF"]},
        )
        secretary_person, _ = Person.objects.get_or_create(
            user=secretary,
            defaults={"name": "Søren Sekretær", "administration": self.admins["ØKF"]},
        )
        Person.objects.get_or_create(
            user=caseworker_tmf,
            defaults={"name": "Tobias Teknik", "administration": self.admins["TMF"]},
        )
        secretary_kfu_person, _ = Person.objects.get_or_create(
            user=secretary_kfu,
            defaults={"name": "Karen Kultur", "administration": self.admins["KFF"]},
        )
        self.politician, _ = Person.objects.get_or_create(
            user=politician, defaults={"name": "Pernille Politiker", "party": PARTIES[0]}
        )

        term_2006 = date(2006, 1, 1)
        Membership.objects.get_or_create(
            person=secretary_kfu_person,
            committee=self.committees["KFU"],
            start_date=term_2006,
            defaults={"role": Membership.Role.SECRETARY},
        )
        # The demo secretary serves BIU, TMU, ØU and Borgerrepræsentationen (whose
        # secretariat sits in Økonomiforvaltningen), so a case's route TMU → ØU → BR can be
        # followed by one login; the demo politician sits on BIU only.
        for short in ("BIU", "TMU", "ØU", "BR"):
            Membership.objects.get_or_create(
                person=secretary_person,
                committee=self.committees[short],
                start_date=term_2006,
                defaults={"role": Membership.Role.SECRETARY},
            )
        Membership.objects.get_or_create(
            person=self.politician,
            committee=self.committees["BIU"],
            start_date=term_2006,
            defaults={"role": Membership.Role.MEMBER},
        )

        # Nine invented members per standing committee, spread over the parties.
        self.members = {}
        index = 0
        for short, *_ in COMMITTEES:
            size = 9 if short not in ("BR",) else 12
            members = []
            for seat in range(size):
                name = f"{FIRST[index % len(FIRST)]} {LAST[(index * 7) % len(LAST)]}"
                party = PARTIES[(index * 3) % len(PARTIES)]
                index += 1
                person, _ = Person.objects.get_or_create(name=name, defaults={"party": party})
                role = (
                    Membership.Role.CHAIR
                    if seat == 0
                    else (Membership.Role.VICE_CHAIR if seat == 1 else Membership.Role.MEMBER)
                )
                Membership.objects.get_or_create(
                    person=person,
                    committee=self.committees[short],
                    start_date=term_2006,
                    defaults={"role": role},
                )
                members.append(person)
            self.members[short] = members

    def load_committee_history(self) -> None:
        """Former members (seats that ended) on the seed's committees, a substitute, and the
        § 17, stk. 4 special committee for Tingbjerg-Husum set up by the city council, with
        its members. Created once; a second run finds it all and writes nothing."""
        for short, name, party, role, start, end in FORMER_SEATS:
            person, _ = Person.objects.get_or_create(name=name, defaults={"party": party})
            Membership.objects.get_or_create(
                person=person,
                committee=self.committees[short],
                start_date=start,
                defaults={"role": role, "end_date": end},
            )
        committee = self._special_committee()
        seats = [Membership.Role.CHAIR, Membership.Role.VICE_CHAIR, Membership.Role.MEMBER]
        for person, role in zip(self.members["BR"][3:6], seats, strict=True):
            Membership.objects.get_or_create(
                person=person,
                committee=committee,
                start_date=date(2022, 6, 1),
                defaults={"role": role},
            )

    def _special_committee(self) -> Committee:
        """The § 17, stk. 4 special committee for Tingbjerg-Husum, set up by the city
        council (the committee history and the formal follow-up group both use it)."""
        committee, _ = Committee.objects.get_or_create(
            slug="saerudvalg-tingbjerg-husum",
            defaults={
                "short_name": "STH",
                "name": "Særudvalget for Tingbjerg-Husum",
                "kind": Committee.Kind.SPECIAL_COMMITTEE,
                "administration": self.admins["TMF"],
                "mandate": "Særudvalg nedsat af Borgerrepræsentationen efter styrelseslovens "
                "§ 17, stk. 4, der følger helhedsplanerne i Tingbjerg og Husum. " + DEMO_NOTE,
                "period_start": date(2022, 6, 1),
                "period_end": date(2027, 12, 31),
                "established_by": "BR-beslutning 12. maj 2022, punkt 14",
                "established_on": date(2022, 5, 12),
            },
        )
        return committee

    def load_reference(self) -> None:
        self.periods = {}
        self.focus_areas = {}
        for name, (start, end, areas) in LBF_PERIODS.items():
            period, _ = LbfPeriod.objects.get_or_create(
                name=name, defaults={"start_year": start, "end_year": end}
            )
            self.periods[name] = period
            self.focus_areas[name] = [
                FocusArea.objects.get_or_create(period=period, name=area)[0] for area in areas
            ]
        self.housing = {
            name: HousingOrganisation.objects.get_or_create(name=name)[0]
            for name in HOUSING_ORGANISATIONS
        }
        self.areas = {}
        for number, (name, district) in enumerate(AREAS, start=1):
            self.areas[name], _ = Area.objects.get_or_create(
                name=name, defaults={"code": f"KK-{number:03d}", "district": district}
            )
        city, _ = Area.objects.get_or_create(
            name="Københavns Kommune",
            defaults={"code": "KK-000", "district": "", "is_city_total": True},
        )
        indicators = [
            Indicator.objects.get_or_create(
                code=code, defaults={"name": name, "unit": unit, "higher_is_better": better}
            )[0]
            for code, name, unit, better in INDICATORS
        ]
        if IndicatorValue.objects.exists():
            return
        baselines = {
            "ikke-vestlig-herkomst": 11,
            "uden-uddannelse": 24,
            "lav-indkomst": 14,
            "uden-for-arbejdsmarkedet": 18,
            "boligareal-pr-person": 40,
        }
        values = []
        for area in [*self.areas.values(), city]:
            factor = 1.0 if area.is_city_total else self.rng.uniform(1.6, 3.2)
            for indicator in indicators:
                base = baselines[indicator.code]
                for year in range(2005, 2025):
                    trend = 1 - 0.012 * (year - 2005)
                    if indicator.code == "boligareal-pr-person":
                        value = base / (factor**0.35) + 0.2 * (year - 2005)
                    else:
                        value = min(95.0, base * factor * trend * self.rng.uniform(0.96, 1.04))
                    values.append(
                        IndicatorValue(
                            area=area,
                            indicator=indicator,
                            year=year,
                            value=Decimal(f"{value:.1f}"),
                            is_demo=True,
                        )
                    )
        # A figure Statistikbanken does not publish ("..", confidential): stored as no
        # value with the source's symbol, never as 0 (helhedsplaner.imports.symbols).
        values.append(
            IndicatorValue(
                area=self.areas["Tingbjerg"],
                indicator=next(i for i in indicators if i.code == "lav-indkomst"),
                year=2025,
                value=None,
                symbol="..",
                is_demo=True,
            )
        )
        IndicatorValue.objects.bulk_create(values)
        # bulk_create bypasses signals: write the matching history rows too.
        IndicatorValue.history.bulk_history_create(values, default_change_reason="load_demo")

    def load_policy(self) -> None:
        self.policy, _ = Policy.objects.get_or_create(
            name="Fælles politik for de områdebaserede indsatser",
            defaults={
                "adopted_on": date(2010, 3, 4),
                "description": "Fælles kommunale visioner og målsætninger for "
                "helhedsplaner og områdefornyelse (seedens anbefaling 1). " + DEMO_NOTE,
            },
        )
        goals = [
            "Flere i uddannelse og job",
            "Tryghed og trivsel i boligområderne",
            "Børn og unge trives og lærer",
            "Sammenhængskraft og medborgerskab",
        ]
        self.goals = [
            PolicyGoal.objects.get_or_create(
                policy=self.policy, number=number, defaults={"title": title}
            )[0]
            for number, title in enumerate(goals, start=1)
        ]
        self.follow_up_group, created = FollowUpGroup.objects.get_or_create(
            name="Politisk følgegruppe for de områdebaserede indsatser",
            defaults={
                "kind": FollowUpGroup.Kind.INFORMAL,
                "formed_by": self.committees["TMU"],
                "mandate": "Følger helhedsplanerne og områdeløftene tættere, end det er "
                "muligt på udvalgsniveau (seedens anbefaling 3). Uformel gruppe "
                "uden beslutningskompetence. " + DEMO_NOTE,
                "period_start": date(2010, 1, 1),
                "period_end": date(2013, 12, 31),
            },
        )
        for person, chair in [
            (self.politician, True),
            (self.members["TMU"][2], False),
            (self.members["SUD"][3], False),
        ]:
            FollowUpGroupMembership.objects.get_or_create(
                group=self.follow_up_group, person=person, defaults={"is_chair": chair}
            )
        FollowUpGroupMeeting.objects.get_or_create(
            group=self.follow_up_group,
            date=date(2011, 3, 9),
            defaults={
                "notes": "Status på den fælles medfinansieringspraksis: BIF's tilsagn for "
                "2011 er bevilget. Gruppen ønsker ved næste møde en oversigt over, hvor langt "
                "hver plan er fra kravet om 25 % lokal medfinansiering. " + DEMO_NOTE
            },
        )
        FollowUpGroupMeeting.objects.get_or_create(
            group=self.follow_up_group,
            date=date(2010, 9, 15),
            defaults={
                "notes": "Gennemgang af status for helhedsplanerne på Nørrebro og i "
                "Tingbjerg. " + DEMO_NOTE
            },
        )

    def load_plans(self) -> None:
        self.plans = []
        for index, (name, area, org, period_name, status, bif) in enumerate(PLANS):
            period = self.periods[period_name]
            budget = Decimal(self.rng.randrange(8, 40) * 500_000)
            start = date(
                max(period.start_year, 2007) if bif else period.start_year, 1 + index % 12, 1
            )
            if bif:
                start = date(2007 + index % 3, 1 + index % 12, 1)
            end = date(min(start.year + 4, 2013) if bif else start.year + 4, start.month, 1)
            lead = self.admins["TMF"]
            plan, created = Plan.objects.get_or_create(
                name=name,
                defaults={
                    "housing_organisation": self.housing[org],
                    "area": self.areas[area],
                    "lbf_period": period,
                    "status": status,
                    "lead_administration": lead,
                    "budget": budget,
                    "lbf_grant": (budget * Decimal("0.6")).quantize(1),
                    "period_start": start,
                    "period_end": end,
                    "is_demo": True,
                    "description": f"Boligsocial helhedsplan for {area}. {DEMO_NOTE}",
                },
            )
            self.plans.append(plan)
            if not created:
                continue
            participants = [lead]
            if bif:
                participants.append(self.admins["BIF"])
            participants += [self.admins[code] for code in ("BUF", "SOF", "KFF")[: index % 3 + 1]]
            plan.participating_administrations.set(participants)
            plan.focus_areas.set(self.focus_areas[period_name][: 2 + index % 3])
            plan.policy_goals.set(self.goals[index % 2 :: 2])
            if index < 8 or index >= 27:
                plan.follow_up_groups.add(self.follow_up_group)
            for number in range(1 + index % 3):
                Estate.objects.create(
                    plan=plan,
                    name=f"{area} afd. {number + 1}",
                    number=f"{100 + index}-{number + 1}",
                    tenancies=self.rng.randrange(120, 900),
                )
            # Lifecycle steps from idea to the current status, a few months apart.
            path = (
                LIFECYCLE[: LIFECYCLE.index(status) + 1]
                if status in LIFECYCLE
                else ["idea", "prequalification", "dialogue", status]
            )
            day = date(start.year - 1, 3, 1)
            previous = ""
            for step in path:
                PlanStatusChange.objects.create(
                    plan=plan, from_status=previous, to_status=step, date=day, note=DEMO_NOTE
                )
                previous = step
                day = date(day.year + (1 if day.month > 6 else 0), (day.month + 5) % 12 + 1, 1)
        self.load_plan_edits()

    def load_plan_edits(self) -> None:
        """A caseworker's edits to the richest plan, so its history tab has something to show.

        Made through the services, as the web form would, and only once: the marker is a
        history row of the plan attributed to the demo caseworker.
        """
        plan = self.plans[28]  # Tingbjerg 2019: estates, commitments, agenda items
        caseworker = self.users["caseworker"]
        if Plan.history.filter(id=plan.pk, history_user=caseworker).exists():
            return
        estates = [
            services.EstateRow(
                pk=estate.pk,
                name=estate.name,
                number=estate.number,
                tenancies=estate.tenancies + (12 if index == 0 else 0),
            )
            for index, estate in enumerate(plan.estates.order_by("name"))
        ]
        estates.append(
            services.EstateRow(pk=None, name="Tingbjerg afd. 3", number="128-3", tenancies=310)
        )
        services.plan_update(
            plan=plan,
            user=caseworker,
            expected_version=plan.version,
            fields={
                "budget": plan.budget + Decimal(1_000_000),
                "description": plan.description + " Budgettet er udvidet med beboerhuset i afd. 3.",
            },
            m2m={"focus_areas": list(self.focus_areas["2019–2026"])},
            estates=estates,
        )
        # A fresh copy: later m2m additions to a stale one would write its old field values
        # (and the caseworker as author) into the history.
        self.plans[28] = Plan.objects.get(pk=plan.pk)

    def _next_pool(self) -> None:
        """The next period's pool, set up and then raised by the administrator in the
        product's own screens (services), so its history tab shows both steps."""
        name = "Fælles medfinansieringspulje 2027–2030"
        if CoFinancingPool.objects.filter(name=name).exists():
            return
        admin = self.users["admin"]
        pool = cofinancing_services.pool_create(
            name=name, start_year=2027, end_year=2030, budget=Decimal(12_000_000), user=admin
        )
        cofinancing_services.pool_update(pool=pool, budget=Decimal(15_000_000), user=admin)

    def load_commitments(self) -> None:
        self.pool, _ = CoFinancingPool.objects.get_or_create(
            name="Fælles medfinansieringspulje 2019–2026",
            defaults={"start_year": 2019, "end_year": 2026, "budget": Decimal(20_000_000)},
        )
        self._next_pool()
        pool_item = self._pool_decision()
        self._housing_contributions()
        if CoFinancing.objects.filter(is_demo=True).exists():
            return
        bif = self.admins["BIF"]
        rows = []
        for plan, total in zip(
            [p for p, row in zip(self.plans, PLANS, strict=True) if row[5]], BIF_TOTALS, strict=True
        ):
            years = list(range(plan.period_start.year, min(plan.period_end.year, 2013) + 1))
            share = (total / len(years)).quantize(Decimal(1000))
            for offset, year in enumerate(years):
                amount = share if offset < len(years) - 1 else total - share * (len(years) - 1)
                rows.append(
                    CoFinancing(
                        plan=plan,
                        administration=bif,
                        year=year,
                        amount=amount,
                        status=CoFinancing.Status.PAID,
                        is_demo=True,
                    )
                )
        for plan in self.plans[27:]:
            for year in (2020, 2021, 2022):
                # Granted from the pool by TMU's decision in 2019; the first years are paid.
                rows.append(
                    CoFinancing(
                        plan=plan,
                        administration=self.admins["TMF"],
                        year=year,
                        amount=Decimal(500_000),
                        source=CoFinancing.Source.POOL,
                        pool=self.pool,
                        status=CoFinancing.Status.PAID
                        if year < 2022
                        else CoFinancing.Status.GRANTED,
                        granted_by_item=pool_item,
                        is_demo=True,
                    )
                )
                rows.append(
                    CoFinancing(
                        plan=plan,
                        administration=self.admins["SOF"],
                        year=year,
                        amount=Decimal(250_000),
                        status=CoFinancing.Status.PROPOSED,
                        is_demo=True,
                    )
                )
        tingbjerg = self.plans[28]  # Helhedsplan Tingbjerg 2019
        rows += [
            # Awaiting a decision: more pool money, and BIF's share on BIU's January agenda.
            CoFinancing(
                plan=tingbjerg,
                administration=self.admins["TMF"],
                year=2023,
                amount=Decimal(750_000),
                source=CoFinancing.Source.POOL,
                pool=self.pool,
                status=CoFinancing.Status.PROPOSED,
                note="Ansøgt fra puljen til tryghedsindsatsen. " + DEMO_NOTE,
                is_demo=True,
            ),
            CoFinancing(
                plan=tingbjerg,
                administration=self.admins["BIF"],
                year=max(timezone.localdate().year + 1, 2027),
                amount=Decimal(400_000),
                status=CoFinancing.Status.PROPOSED,
                note="Forelægges Beskæftigelses- og Integrationsudvalget: "
                "Medfinansiering af beskæftigelsesindsatsen i Helhedsplan Tingbjerg 2019. "
                + DEMO_NOTE,
                is_demo=True,
            ),
        ]
        for row in rows:
            row.full_clean()
        CoFinancing.objects.bulk_create(rows)
        CoFinancing.history.bulk_history_create(rows, default_change_reason="load_demo")

    def _pool_decision(self) -> AgendaItem:
        """TMU's 2019 decision that granted pool money to the 2019–2026 plans (invented)."""
        title = "Medfinansiering fra den fælles pulje til helhedsplanerne 2019–2026"
        case = self._case("2019-50123", title, "TMF", date(2019, 9, 2))
        meeting = self._meeting("TMU", date(2019, 11, 4), Meeting.Status.MINUTES_APPROVED)
        item, created = AgendaItem.objects.get_or_create(
            meeting=meeting,
            number=4,
            defaults={
                "case": case,
                "status": AgendaItem.Status.SCHEDULED,
                "item_type": AgendaItem.ItemType.DECISION,
                "title": title,
                "summary": "Teknik- og Miljøudvalget bevilger 500.000 kr. om året i 2020–2022 "
                "fra den fælles medfinansieringspulje til hver af de seks nye helhedsplaner. "
                + DEMO_NOTE,
                "recommending_administration": self.admins["TMF"],
                "economy": "9,0 mio. kr. af puljens 20,0 mio. kr. " + DEMO_NOTE,
            },
        )
        if created:
            RecommendationPoint.objects.create(
                item=item,
                position=1,
                text="at Teknik- og Miljøudvalget bevilger 500.000 kr. årligt i 2020–2022 fra "
                "den fælles medfinansieringspulje til hver af helhedsplanerne.",
            )
            Decision.objects.create(
                item=item,
                outcome=Decision.Outcome.APPROVED,
                text="Indstillingen blev godkendt. " + DEMO_NOTE,
            )
            for plan in self.plans[27:]:
                plan.agenda_items.add(item)
        return item

    def _housing_contributions(self) -> None:
        """The housing organisations' own share for three of the 2019–2026 plans (invented)."""
        for plan in self.plans[27:30]:
            HousingContribution.objects.get_or_create(
                plan=plan,
                description="Boligorganisationens egenfinansiering (dispositionsfond)",
                defaults={
                    "amount": (plan.budget * Decimal("0.15")).quantize(Decimal(1000)),
                    "is_demo": True,
                },
            )

    def _case(self, number: str, title: str, admin: str, opened: date) -> Case:
        case, _ = Case.objects.get_or_create(
            number=number,
            defaults={"title": title, "administration": self.admins[admin], "opened_on": opened},
        )
        return case

    def _meeting(self, committee: str, day: date, status: str, hour: int = 15) -> Meeting:
        approved = status == Meeting.Status.MINUTES_APPROVED
        meeting, _ = Meeting.objects.get_or_create(
            committee=self.committees[committee],
            starts_at=self.at(day, hour),
            defaults={
                "location": "Københavns Rådhus, udvalgsværelset",
                "status": status,
                "minutes_approved_at": self.at(day, 18) if approved else None,
            },
        )
        return meeting

    def load_seed_case(self) -> None:
        case = self._case(seed.SEED_CASE_NUMBER, seed.SEED_TITLE, "BIF", date(2009, 5, 14))

        # 13 May 2009: Teknik- og Miljøudvalget discussed the question (TMF's note).
        tmu = self._meeting("TMU", date(2009, 5, 13), Meeting.Status.MINUTES_APPROVED)
        tmu_item, created = AgendaItem.objects.get_or_create(
            meeting=tmu,
            case=case,
            defaults={
                "number": 7,
                "status": AgendaItem.Status.SCHEDULED,
                "item_type": AgendaItem.ItemType.DISCUSSION,
                "title": seed.SEED_TITLE,
                "summary": "Teknik- og Miljøudvalget drøfter forvaltningens notat om nye "
                "procesmuligheder for de områdebaserede indsatser. " + DEMO_NOTE,
                "recommending_administration": self.admins["TMF"],
                "problem": "Ansøgnings- og planlægningsforløbet for Landsbyggefondens "
                "boligsociale helhedsplaner er stramt, og udvalgene inddrages sent. " + DEMO_NOTE,
                # The text sections' markup (core.markup): a list and a small table.
                "solution": "Forvaltningen peger på fire greb:\n\n"
                "- en **fælles politik** med mål for helhedsplanerne\n"
                "- en fælles medfinansieringspraksis og -pulje\n"
                "- en politisk følgegruppe\n"
                "- brug af *Det socioøkonomiske københavnerkort*",
                "economy": "Forvaltningernes medfinansiering i perioden 2007–2013:\n\n"
                "| Forvaltning | Helhedsplaner | Medfinansiering |\n"
                "|---|---|---|\n"
                "| BIF | 15 | 14,5 mio. kr. |\n\n" + DEMO_NOTE,
            },
        )
        if created:
            RecommendationPoint.objects.create(
                item=tmu_item, position=1, text="at Teknik- og Miljøudvalget drøfter sagen."
            )
            Attachment.objects.create(
                item=tmu_item,
                position=1,
                title=seed.SEED_ATTACHMENT_TITLE,
                case_number=seed.SEED_ATTACHMENT_CASE_NUMBER,
            )
            Decision.objects.create(
                item=tmu_item,
                outcome=Decision.Outcome.NOTED,
                text="Udvalget drøftede sagen. " + DEMO_NOTE,
            )

        # 14 May 2009: the member's inquiry at BIU, which became the case.
        biu_inquiry_meeting = self._meeting(
            "BIU", date(2009, 5, 14), Meeting.Status.MINUTES_APPROVED
        )
        MemberInquiry.objects.get_or_create(
            meeting=biu_inquiry_meeting,
            member=self.politician,
            defaults={"text": seed.SEED_INQUIRY, "case": case},
        )

        # 28 May 2009: BIU's agenda with the seed as item 18 (published, awaiting decision).
        biu = self._meeting("BIU", date(2009, 5, 28), Meeting.Status.PUBLISHED)
        for number, title in enumerate(OTHER_BIU_ITEMS, start=1):
            other_case = self._case(
                f"2009-{61000 + number * 37:05d}", title, "BIF", date(2009, 4, 1)
            )
            item, created = AgendaItem.objects.get_or_create(
                meeting=biu,
                number=number,
                defaults={
                    "case": other_case,
                    "status": AgendaItem.Status.SCHEDULED,
                    "item_type": AgendaItem.ItemType.ORIENTATION,
                    "title": title,
                    "summary": DEMO_NOTE,
                    "recommending_administration": self.admins["BIF"],
                },
            )
            if created:
                RecommendationPoint.objects.create(
                    item=item,
                    position=1,
                    text="at Beskæftigelses- og Integrationsudvalget tager orienteringen til "
                    "efterretning.",
                )
        item, created = AgendaItem.objects.get_or_create(
            meeting=biu,
            number=seed.SEED_ITEM_NUMBER,
            defaults={
                "case": case,
                "status": AgendaItem.Status.SCHEDULED,
                "item_type": AgendaItem.ItemType.DISCUSSION,
                "title": seed.SEED_TITLE,
                "summary": seed.SEED_SUMMARY,
                "recommending_administration": self.admins["BIF"],
                "problem": seed.SEED_PROBLEM,
                "solution": seed.SEED_SOLUTION,
                "economy": seed.SEED_ECONOMY,
                "further_process": seed.SEED_FURTHER_PROCESS,
            },
        )
        if created:
            for position, text in enumerate(seed.SEED_RECOMMENDATION_POINTS, start=1):
                RecommendationPoint.objects.create(item=item, position=position, text=text)
            attachment = Attachment(
                item=item,
                position=1,
                title=seed.SEED_ATTACHMENT_TITLE,
                case_number=seed.SEED_ATTACHMENT_CASE_NUMBER,
            )
            content = placeholder_attachment_pdf(
                seed.SEED_ATTACHMENT_TITLE, seed.SEED_ATTACHMENT_CASE_NUMBER
            )
            filename = "Bilag 1 – Nye procesmuligheder (2009-300035).pdf"
            attachment.file.save(filename, ContentFile(content), save=False)
            attachment.original_filename = filename
            attachment.content_type = "application/pdf"
            attachment.size = len(content)
            attachment.save()
            # The seed case concerns BIF's 15 plans.
            for plan, row in zip(self.plans, PLANS, strict=True):
                if row[5]:
                    plan.agenda_items.add(item)
        # The agenda was published a week before the meeting: version 1 on the meeting page.
        self._record_published_version(biu, self.at(date(2009, 5, 22), 12))

    def load_seed_route(self) -> None:
        """The seed case's follow-up travels TMU → ØU → BR (invented, in the seed's form).

        TMF and ØKF recommend jointly that TMU over for ØU and BR recommends a common
        policy and co-financing pool; ØKF recommends in a block of its own that ØU over for
        BR recommends the pool's budget. TMU decided on 19 August 2009 and sent the case on
        to ØU (decided 25 August), which sent it on to BR's meeting of 3 September: BR's
        agenda prints both earlier decisions under their own headings.
        """
        case = Case.objects.get(number=seed.SEED_CASE_NUMBER)
        if case.agenda_items.filter(sent_from__isnull=False).exists():
            return
        tmu = self._meeting("TMU", date(2009, 8, 19), Meeting.Status.PUBLISHED)
        oeu = self._meeting("ØU", date(2009, 8, 25), Meeting.Status.DRAFT)
        br = self._meeting("BR", date(2009, 9, 3), Meeting.Status.DRAFT, hour=17)
        number = (tmu.agenda_items.aggregate(last=Max("number"))["last"] or 0) + 1
        item = AgendaItem.objects.create(
            meeting=tmu,
            number=number,
            case=case,
            status=AgendaItem.Status.SCHEDULED,
            item_type=AgendaItem.ItemType.DECISION,
            title="Fælles politik og medfinansieringspulje for de boligsociale helhedsplaner",
            summary="Opfølgning på drøftelsen 13. maj 2009: forvaltningerne foreslår en fælles "
            "politik for helhedsplanerne og en fælles pulje til kommunens medfinansiering. "
            + DEMO_NOTE,
            recommending_administration=self.admins["TMF"],
            decided_by=self.committees["BR"],
            problem="Kommunens medfinansiering af helhedsplanerne aftales i dag plan for plan "
            "og forvaltning for forvaltning. " + DEMO_NOTE,
            solution="Forvaltningerne foreslår:\n\n"
            "- en **fælles politik** med mål for helhedsplanerne\n"
            "- en fælles medfinansieringspulje, som Økonomiudvalget administrerer\n"
            "- en årlig status til udvalgene",
            economy="Puljen foreslås til 2,0 mio. kr. årligt i 2010–2013. " + DEMO_NOTE,
            further_process="Sagen sendes videre til Økonomiudvalget og Borgerrepræsentationen.",
        )
        recommendations_set(
            item,
            [
                BlockData(
                    administrations=[self.admins["TMF"], self.admins["ØKF"]],
                    committees=[self.committees["TMU"]],
                    addressees=[self.committees["ØU"], self.committees["BR"]],
                    points=[
                        "at der vedtages en fælles politik for de boligsociale "
                        "helhedsplaner som beskrevet i sagen,",
                    ],
                ),
                BlockData(
                    administrations=[self.admins["ØKF"]],
                    committees=[self.committees["ØU"]],
                    addressees=[self.committees["BR"]],
                    points=[
                        "at der afsættes 2,0 mio. kr. årligt i 2010–2013 til en fælles "
                        "medfinansieringspulje.",
                    ],
                ),
            ],
        )
        Attachment.objects.create(
            item=item,
            position=1,
            title=seed.SEED_ATTACHMENT_TITLE,
            case_number=seed.SEED_ATTACHMENT_CASE_NUMBER,
        )
        Decision.objects.create(
            item=item,
            outcome=Decision.Outcome.RECOMMENDED,
            text="Indstillingen blev anbefalet. " + DEMO_NOTE,
        )
        Meeting.objects.filter(pk=tmu.pk).update(
            status=Meeting.Status.MINUTES_APPROVED,
            minutes_approved_at=self.at(date(2009, 8, 19), 18),
        )
        tmu.refresh_from_db()
        oeu_item = agenda_item_send_on(item=item, meeting=oeu)
        Decision.objects.create(
            item=oeu_item,
            outcome=Decision.Outcome.RECOMMENDED,
            text="Anbefalet. " + DEMO_NOTE,
        )
        Meeting.objects.filter(pk=oeu.pk).update(
            status=Meeting.Status.MINUTES_APPROVED,
            minutes_approved_at=self.at(date(2009, 8, 25), 18),
        )
        agenda_item_send_on(item=oeu_item, meeting=br)
        Meeting.objects.filter(pk=br.pk).update(status=Meeting.Status.PUBLISHED)
        br.refresh_from_db()
        self._record_published_version(br, self.at(date(2009, 8, 28), 12))

    def load_recommendation_blocks(self) -> None:
        """Every item made above with its points only gets its first recommendation block
        (its administration), as the item form and the migration give it."""
        items = AgendaItem.objects.filter(recommendation_blocks__isnull=True).prefetch_related(
            "recommendation_points"
        )
        for item in items.select_related("recommending_administration"):
            points = [p.text for p in item.recommendation_points.all()]
            recommendations_set(
                item, [BlockData(administrations=[item.recommending_administration], points=points)]
            )

    def load_upcoming(self) -> None:
        year = max(timezone.localdate().year + 1, 2027)
        tmu = self._meeting("TMU", date(year, 1, 12), Meeting.Status.PUBLISHED)
        biu = self._meeting("BIU", date(year, 1, 14), Meeting.Status.DRAFT)
        plan_now = self.plans[28]  # Tingbjerg 2019
        specs = [
            (
                tmu,
                1,
                f"{year - 1}-71234",
                "Status for Helhedsplan Tingbjerg 2019",
                AgendaItem.ItemType.ORIENTATION,
                False,
                "TMF",
            ),
            (
                tmu,
                2,
                f"{year - 1}-71502",
                "Køb af erhvervslejemål til beboerhus i Tingbjerg",
                AgendaItem.ItemType.DECISION,
                True,
                "TMF",
            ),
            (
                biu,
                1,
                f"{year - 1}-70111",
                "Medfinansiering af beskæftigelsesindsatsen i Helhedsplan Tingbjerg 2019",
                AgendaItem.ItemType.DECISION,
                False,
                "BIF",
            ),
        ]
        for meeting, number, case_number, title, item_type, closed, admin in specs:
            # A closed item's case gets a title anyone may read (the case list is open).
            case_title = "Beboerhus i Tingbjerg" if closed else title
            case = self._case(case_number, case_title, admin, date(year - 1, 10, 1))
            item, created = AgendaItem.objects.get_or_create(
                meeting=meeting,
                number=number,
                defaults={
                    "case": case,
                    "status": AgendaItem.Status.SCHEDULED,
                    "item_type": item_type,
                    "title": title,
                    "is_closed": closed,
                    "summary": DEMO_NOTE,
                    "recommending_administration": self.admins[admin],
                    "problem": ("Fortroligt: forhandling om købesum. " if closed else "")
                    + DEMO_NOTE,
                },
            )
            if created:
                RecommendationPoint.objects.create(
                    item=item,
                    position=1,
                    text=f"at {meeting.committee.name} godkender indstillingen."
                    if item_type == AgendaItem.ItemType.DECISION
                    else f"at {meeting.committee.name} tager orienteringen til efterretning.",
                )
                plan_now.agenda_items.add(item)
        self._record_published_version(tmu, self.at(date(year - 1, 12, 15), 12))
        self.load_tingbjerg_story()

    def load_meeting_plan(self) -> None:
        """BIU's meeting plan for the coming year, made as a secretary makes it: the second
        Thursday of every month at 16.00 but the summer holiday (drafts, their dates seen
        by the members at once). The January meeting exists already (``load_upcoming``)
        and is left alone; a second run creates nothing."""
        from committees.services import meeting_plan_create

        year = max(timezone.localdate().year + 1, 2027)
        july = [day for day in range(8, 15) if date(year, 7, day).weekday() == 3]
        meeting_plan_create(
            committee=Committee.objects.get(short_name="BIU"),
            year=year,
            weekday=3,
            every="m2",
            start=time(16, 0),
            location="Københavns Rådhus, udvalgsværelset",
            skip=frozenset({date(year, 7, july[0])}),
            user=self.users["secretary"],
        )

    def load_tingbjerg_story(self) -> None:
        """The richest history for the status page: Helhedsplan Tingbjerg 2019.

        Besides its lifecycle, TMU's pool decision and the coming TMU and BIU items, it gets
        a BIU item with a decision (so it has been in two committees) and a follow-up group
        for the 2019–2026 plans that has met about it. Created once; a second run finds them.
        """
        plan = self.plans[28]
        title = "Beskæftigelsesindsatsen i Helhedsplan Tingbjerg 2019 – status efter første år"
        case = self._case("2021-10456", title, "BIF", date(2021, 1, 18))
        meeting = self._meeting("BIU", date(2021, 3, 11), Meeting.Status.MINUTES_APPROVED)
        item, created = AgendaItem.objects.get_or_create(
            meeting=meeting,
            number=6,
            defaults={
                "case": case,
                "status": AgendaItem.Status.SCHEDULED,
                "item_type": AgendaItem.ItemType.ORIENTATION,
                "title": title,
                "summary": "Beskæftigelses- og Integrationsforvaltningen orienterer om det "
                "første år af beskæftigelsesindsatsen i Tingbjerg. " + DEMO_NOTE,
                "recommending_administration": self.admins["BIF"],
            },
        )
        if created:
            RecommendationPoint.objects.create(
                item=item,
                position=1,
                text="at Beskæftigelses- og Integrationsudvalget tager orienteringen til "
                "efterretning.",
            )
            Decision.objects.create(
                item=item,
                outcome=Decision.Outcome.NOTED,
                text="Udvalget tog orienteringen til efterretning og ønsker en ny status, "
                "når indsatsen er evalueret. " + DEMO_NOTE,
            )
            plan.agenda_items.add(item)

        group, created = FollowUpGroup.objects.get_or_create(
            name="Politisk følgegruppe for helhedsplanerne 2019–2026",
            defaults={
                "kind": FollowUpGroup.Kind.INFORMAL,
                "formed_by": self.committees["TMU"],
                "mandate": "Følger de seks helhedsplaner fra 2019 fra ansøgning til evaluering. "
                + DEMO_NOTE,
                "period_start": date(2019, 6, 1),
                "period_end": date(2026, 12, 31),
            },
        )
        if created:
            for person, chair in [(self.politician, True), (self.members["BIU"][2], False)]:
                FollowUpGroupMembership.objects.create(group=group, person=person, is_chair=chair)
            for other in self.plans[27:]:
                Plan.objects.get(pk=other.pk).follow_up_groups.add(group)
        FollowUpGroupMeeting.objects.get_or_create(
            group=group,
            date=date(2021, 9, 8),
            defaults={
                "notes": "Status for Tingbjerg 2019: beskæftigelsesindsatsen er i gang, og "
                "puljemidlerne for 2020 er udbetalt. Gruppen beder om en status til Teknik- og "
                "Miljøudvalget. " + DEMO_NOTE
            },
        )

    def load_formal_follow_up_group(self) -> None:
        """A formal follow-up group: the § 17, stk. 4 special committee for Tingbjerg-Husum
        (seed recommendation 3), set up by the city council, with its members, the Tingbjerg
        plans it follows and a recorded meeting. The demo secretary serves the special
        committee, so she manages the group. Created once; a second run finds it all."""
        committee = self._special_committee()
        secretary = Person.objects.get(user=self.users["secretary"])
        if not Membership.objects.filter(
            person=secretary, committee=committee, role=Membership.Role.SECRETARY
        ).exists():
            Membership.objects.create(
                person=secretary,
                committee=committee,
                start_date=date(2022, 6, 1),
                role=Membership.Role.SECRETARY,
            )
        group, created = FollowUpGroup.objects.get_or_create(
            name="Den politiske følgegruppe for Tingbjerg-Husum",
            defaults={
                "kind": FollowUpGroup.Kind.FORMAL,
                "committee": committee,
                "formed_by": self.committees["BR"],
                "mandate": "Følger helhedsplanerne i Tingbjerg og Husum tæt og afgiver en "
                "årlig status til Borgerrepræsentationen (seedens anbefaling 3: den formelle "
                "model, et særudvalg efter styrelseslovens § 17, stk. 4). " + DEMO_NOTE,
                "period_start": date(2022, 6, 1),
                "period_end": date(2027, 12, 31),
            },
        )
        if created:
            members = [(self.members["BR"][3], True), (self.members["BR"][4], False)]
            for person, chair in [*members, (self.politician, False)]:
                FollowUpGroupMembership.objects.create(group=group, person=person, is_chair=chair)
            # Through the service, so each plan's history and the group's say who chose them.
            follow_up_services.follow_up_group_plans_set(
                group=group,
                plans=Plan.objects.filter(name__icontains="Tingbjerg"),
                user=self.users["secretary"],
            )
        FollowUpGroupMeeting.objects.get_or_create(
            group=group,
            date=date(2022, 9, 14),
            defaults={
                "notes": "Konstituerende møde: formand valgt, kommissoriet gennemgået. "
                "Særudvalget beder om en status for beskæftigelsesindsatsen i Tingbjerg til "
                "næste møde. " + DEMO_NOTE
            },
        )

    def _record_published_version(self, meeting: Meeting, published_at: datetime) -> None:
        """Version 1 of a published demo agenda, once (a second run finds it and writes nothing)."""
        if meeting.status == Meeting.Status.PUBLISHED and not meeting.agenda_versions.exists():
            meeting_publish(
                meeting=meeting, user=self.users["secretary"], published_at=published_at
            )


def placeholder_attachment_pdf(title: str, case_number: str) -> bytes:
    """A one-page PDF standing in for an attachment whose original is not in the seed."""
    from weasyprint import HTML

    html = (
        f'<html lang="da"><head><meta charset="utf-8"><title>{title}</title></head>'
        '<body style="font-family: DejaVu Sans, sans-serif">'
        f"<h1 style='font-size:16pt'>{title}</h1><p>Sagsnummer {case_number}</p>"
        "<p>Demodata: Teknik- og Miljøforvaltningens notat til Teknik- og Miljøudvalget er "
        "ikke en del af seed-materialet. Denne side står i stedet for bilaget.</p>"
        "</body></html>"
    )
    # Tagged like the product's own PDFs, so the demo package shows an attachment's
    # structure kept inside the merged file.
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def load_demo(progress: Callable[[str], None] = lambda message: None) -> None:
    DemoLoader(progress).load()
    # The loader writes in one transaction, partly in bulk: the front page's figures of
    # every plan are computed once it has committed (a second run changes none of them).
    progress("the front page's figures of every plan")
    plan_figures.refresh_all(progress=progress)
