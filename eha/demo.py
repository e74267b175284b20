"""Synthetic demo families: realistic enough to click through, reproducible for a seed.

UK names of many origins (diacritics included, and one name in Arabic script), several
children, an unborn baby now and then, other adults, professionals. Nothing here is a real
person; phone numbers are in Ofcom's drama range and e-mail addresses use example domains.
The result is a list of FamilyRecord documents, loaded through the same import service as
`eha import`, so demo data obeys every rule the screens do.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any

from eha.attachments import PNG, encode
from eha.background import Carer, Child, FamilyBackground, Professional, SignificantAdult
from eha.config import load_consent_wording
from eha.consent import (
    Consent,
    ConsentConfirmation,
    ConsentDecision,
    ConsentKind,
    ConsentMethod,
    ConsentWording,
    old_enough_to_be_asked,
)
from eha.contacts import Contact, ContactKind, RecordedContact, Removal, newest_first
from eha.demo_drawings import my_house_drawing, three_houses_drawing
from eha.family import AssessmentStatus, new_reference
from eha.plan import DesiredOutcome, Plan, PlanAction
from eha.recipients import Directory, EntryKind, Recipient, load_directory, professional_recipient
from eha.record import (
    AssessmentRecord,
    AttachmentRecord,
    FamilyRecord,
    SectionRecord,
    SharingEntryRecord,
    StarReadingRecord,
    TafMeetingRecord,
)
from eha.sharing import Direction, Questions, SharingDecision
from eha.taf import (
    CLOSURE_KEY,
    LEAD_KEY,
    ActionProgress,
    Attendance,
    ClosureReason,
    LeadHistory,
    LeadProfessional,
    LeadTerm,
    Participant,
    TafClosure,
    TafMeeting,
    finalise,
    progress_from,
    with_new_action,
    with_next_review,
    with_participant,
    with_progress,
    with_views,
)
from eha.text import fold
from eha.threshold import ThresholdLevel, ThresholdOfNeed
from eha.views import CarersViews, CarerView, ChildView, ChildViews, HowGathered, ProfessionalView, ProfessionalViews
from star import AREA_KEYS, CompletedBy, Occasion, StarReading

DEMO_PRACTITIONER = "demo.practitioner"
# Demo accounts share one known password: for trying the workbook out, never for real data.
DEMO_PASSWORD = "eha-demo-password"  # noqa: S105 (published on purpose)
# Two practitioners and an LCSS reviewer in each locality, and an administrator:
# (username, name, role, locality). A practitioner's locality is where the demo gives them
# families to author and lead; only an LCSS reviewer's account keeps it (what they review).
DEMO_STAFF: tuple[tuple[str, str, str, str | None], ...] = (
    (DEMO_PRACTITIONER, "Demo Practitioner", "practitioner", "central"),
    ("demo.colleague", "Demo Colleague", "practitioner", "central"),
    ("demo.lcss", "Demo LCSS Reviewer (Central)", "lcss", "central"),
    ("demo.north.practitioner", "Demo Practitioner (North)", "practitioner", "north"),
    ("demo.north.colleague", "Demo Colleague (North)", "practitioner", "north"),
    ("demo.north.lcss", "Demo LCSS Reviewer (North)", "lcss", "north"),
    ("demo.south.practitioner", "Demo Practitioner (South)", "practitioner", "south"),
    ("demo.south.colleague", "Demo Colleague (South)", "practitioner", "south"),
    ("demo.south.lcss", "Demo LCSS Reviewer (South)", "lcss", "south"),
    ("demo.admin", "Demo Administrator", "admin", None),
)
# The accounts as `eha demo` adds them: (username, name, role, locality of an LCSS reviewer).
DEMO_ACCOUNTS: tuple[tuple[str, str, str, str | None], ...] = tuple(
    (username, name, role, locality if role == "lcss" else None) for username, name, role, locality in DEMO_STAFF
)
_NAMES = {username: name for username, name, *_ in DEMO_STAFF}
# Each locality's two practitioners, the one a newcomer signs in as first in Central.
_PRACTITIONERS = {
    key: tuple(u for u, _, role, loc in DEMO_STAFF if role == "practitioner" and loc == key)
    for key in ("north", "central", "south")
}
_REVIEWERS = {loc: u for u, _, role, loc in DEMO_STAFF if role == "lcss" and loc}

# (surnames, girls' names, boys' names, ethnicity, religion, first language)
ORIGINS: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str, str, str], ...] = (
    (
        ("Smith", "Taylor", "Hughes", "Walker", "Clarke"),
        ("Amelia", "Isla", "Poppy", "Chloë"),
        ("Oliver", "Harry", "Jack", "Alfie"),
        "White British",
        "No religion",
        "English",
    ),
    (
        ("Davies", "Evans", "ap Rhys"),
        ("Cerys", "Siân", "Ffion"),
        ("Dafydd", "Rhys", "Iestyn"),
        "White British (Welsh)",
        "Christian",
        "English",
    ),
    (
        ("Ó Briain", "Murphy", "Ní Bhriain", "O'Connor"),
        ("Siobhán", "Aoife", "Niamh"),
        ("Seán", "Oisín", "Ciarán"),
        "White Irish",
        "Roman Catholic",
        "English",
    ),
    (
        ("Nowak", "Wiśniewska", "Wójcik", "Kowalczyk"),
        ("Zofia", "Małgorzata", "Zuzanna", "Agnieszka"),
        ("Łukasz", "Paweł", "Jakub", "Michał"),
        "White Polish",
        "Roman Catholic",
        "Polish",
    ),
    (
        ("Popescu", "Ionescu", "Dumitrescu"),
        ("Ioana", "Andreea", "Ștefania"),
        ("Mihai", "Răzvan", "Ștefan"),
        "White Romanian",
        "Orthodox Christian",
        "Romanian",
    ),
    (
        ("Khan", "Hussain", "Akhtar"),
        ("Aisha", "Zainab", "Maryam"),
        ("Mohammed", "Ayaan", "Ibrahim"),
        "Asian British Pakistani",
        "Muslim",
        "Urdu",
    ),
    (
        ("Patel", "Kaur", "Sandhu"),
        ("Priya", "Harpreet", "Anjali"),
        ("Arjun", "Jaskaran", "Rohan"),
        "Asian British Indian",
        "Sikh",
        "Punjabi",
    ),
    (
        ("Okafor", "Adeyemi", "Mensah"),
        ("Adaeze", "Oluwaseun", "Ama"),
        ("Chidi", "Kwame", "Tobi"),
        "Black British African",
        "Christian",
        "English",
    ),
    (
        ("Warsame", "Hassan", "Abdi"),
        ("Hodan", "Ayan", "Ifrah"),
        ("Abdirahman", "Mahad", "Yusuf"),
        "Black British Somali",
        "Muslim",
        "Somali",
    ),
    (
        ("Campbell", "Brown", "Grant"),
        ("Shanice", "Keisha", "Maya"),
        ("Jerome", "Tyrone", "Malachi"),
        "Black British Caribbean",
        "Christian",
        "English",
    ),
    (
        ("Yılmaz", "Öztürk", "Çelik"),
        ("Elif", "Çağla", "Zeynep"),
        ("Mehmet", "Emre", "Barış"),
        "White Turkish",
        "Muslim",
        "Turkish",
    ),
    (
        ("Nguyễn", "Trần", "Phạm"),
        ("Thảo", "Linh", "Mai"),
        ("Minh", "Đức", "Huy"),
        "Asian British Vietnamese",
        "Buddhist",
        "Vietnamese",
    ),
    (
        ("Gonçalves", "Sérgio", "Araújo"),
        ("Inês", "Beatriz", "Leonor"),
        ("João", "Tomás", "Rúben"),
        "White Portuguese",
        "Roman Catholic",
        "Portuguese",
    ),
)
ARABIC_SCRIPT_NAMES = ("مريم حداد", "يوسف الخطيب")

TOWNS = {
    "north": (("Banbury", "OX16"), ("Bicester", "OX26"), ("Chipping Norton", "OX7")),
    "central": (("Oxford", "OX4"), ("Kidlington", "OX5"), ("Witney", "OX28")),
    "south": (("Abingdon", "OX14"), ("Didcot", "OX11"), ("Wantage", "OX12"), ("Henley-on-Thames", "RG9")),
}
STREETS = (
    "High Street",
    "Church Lane",
    "Station Road",
    "Victoria Road",
    "Mill Lane",
    "Orchard Close",
    "The Green",
    "Kings Road",
    "Bath Street",
    "Cowley Road",
    "Marlborough Road",
    "Park End",
    "Ock Street",
    "Broad Street",
)
SCHOOLS = (
    "St Mary's CE Primary",
    "Hillview Nursery",
    "Riverside Academy",
    "Oakfield Primary",
    "The Warriner School",
    "Larkmead School",
    "Cherwell Children's Centre",
)
AGENCIES = (
    ("Health visiting", "Health visitor"),
    ("School", "Designated safeguarding lead"),
    ("School", "SENCo"),
    ("GP surgery", "GP"),
    ("CAMHS", "Mental health practitioner"),
    ("Housing association", "Tenancy support officer"),
    ("Family Solutions Plus", "Family support worker"),
    ("Midwifery", "Community midwife"),
)
REASONS = (
    "{child}'s school attendance has fallen to {pct}% this term and {child} is often late. "
    "{carer} says mornings have been very hard since the family moved.",
    "{carer} asked the health visitor for help with {child}'s sleep and behaviour at home, "
    "and is feeling low and isolated.",
    '{child} has been withdrawn at school and told a teacher that home is "noisy and scary" '
    "when there are arguments about money. {carer} agreed to an assessment.",
    "The family are in rent arrears and facing eviction; {carer} is worried about keeping {child} at the same school.",
    "{child} is waiting for an autism assessment; {carer} is struggling with meltdowns and "
    "would like support with routines and with {child}'s siblings.",
)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _birthday(rng: random.Random, today: date, min_years: int, max_years: int) -> date:
    days = rng.randint(min_years * 365 + 1, max_years * 365 + 300)
    return today - timedelta(days=days)


def generate_families(
    *,
    count: int,
    seed: int,
    today: date,
    wording: ConsentWording | None = None,
    directory: Directory | None = None,
) -> list[FamilyRecord]:
    """`count` demo families as a list (`iter_families`, which a large load reads instead)."""
    return list(iter_families(count=count, seed=seed, today=today, wording=wording, directory=directory))


def iter_families(
    *,
    count: int,
    seed: int,
    today: date,
    wording: ConsentWording | None = None,
    directory: Directory | None = None,
) -> Iterator[FamilyRecord]:
    """`count` demo families, one at a time; the same seed and day always give the same
    families, and no two of their children share a name and a date of birth (the workbook's
    test for the same child), however many are asked for.

    They are spread over the three localities and, their episodes, over the last three years
    (`_plan`): drafts, completed assessments, TAFs with one to six meetings (each re-scoring
    the star) and closed episodes with their reasons, some stepped up to Child in Need or
    Child Protection. The first twelve show each of these (`_SMALL_DEMO`), so the dozen
    `run-app.sh` loads has every status to click through; after that each is drawn. Each
    family is authored by one of its locality's demo practitioners and often led by another.

    Each family's episode, consent history and contact log are drawn from a generator of
    their own (seed and family number). `wording` and `directory` are the workbook's (the
    configured defaults when not given)."""
    rng = random.Random(seed)  # noqa: S311 -- reproducible fake data, not secrets
    wording = wording or load_consent_wording()
    directory = directory or load_directory()
    localities = tuple(TOWNS)
    # No two children with the same name and date of birth, no two families with one reference.
    children_seen: set[tuple[str, date]] = set()
    references: set[str] = set()
    for n in range(count):
        story = random.Random(f"eha-demo/{seed}/{n}")  # noqa: S311 -- reproducible fake data
        locality = localities[n % len(localities)]
        plan = _plan(story, n, today=today)
        started = plan.started
        staff = _PRACTITIONERS[locality]
        # The dozen of the small demo are the newcomer's (demo.practitioner's) to author.
        author = DEMO_PRACTITIONER if n < len(_SMALL_DEMO) else story.choice(staff)
        surnames, girls, boys, ethnicity, religion, language = ORIGINS[rng.randrange(len(ORIGINS))]
        surname = rng.choice(surnames)
        town, postcode = rng.choice(TOWNS[locality])
        address = (
            f"{rng.randint(1, 140)} {rng.choice(STREETS)}\n{town}\n"
            f"{postcode} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        )
        needs_interpreter = language not in ("English",) and rng.random() < 0.4

        # First names drawn without replacement: siblings do not share a name.
        first_names: dict[str, list[str]] = {
            "girls": rng.sample(girls, len(girls)),
            "boys": rng.sample(boys, len(boys)),
            "used": [],
        }

        def person_name(
            pool: tuple[str, ...],
            _surname: str = surname,
            _girls: tuple[str, ...] = girls,
            _first: dict[str, list[str]] = first_names,
        ) -> str:
            names = _first["girls" if pool is _girls else "boys"]
            if not names:
                # A large family outgrows its pool: borrow an unused name from another origin,
                # so no two people in a family share a first name.
                taken = {n for n in _first["used"]}
                spare = [
                    n for origin in ORIGINS for n in (origin[1] if pool is _girls else origin[2]) if n not in taken
                ]
                names.append(rng.choice(spare))
            first = names.pop()
            _first["used"].append(first)
            return f"{first} {_surname}"

        mother = Carer(
            id=_uuid(rng),
            name=person_name(girls),
            relationship="Mother",
            main_carer=True,
            date_of_birth=_birthday(rng, started, 22, 44),
            gender="Female",
            ethnicity=ethnicity,
            religion=religion,
            first_language=language,
            interpreter_needed=needs_interpreter,
            contact=f"07700 900{rng.randint(0, 999):03d}",
        )
        carers = [mother]
        if rng.random() < 0.6:
            carers.append(
                Carer(
                    id=_uuid(rng),
                    name=person_name(boys),
                    relationship=rng.choice(("Father", "Stepfather")),
                    date_of_birth=_birthday(rng, started, 24, 50),
                    gender="Male",
                    ethnicity=ethnicity,
                    religion=religion,
                    first_language=language,
                    contact=f"07700 900{rng.randint(0, 999):03d}",
                    lives_in_home=rng.random() < 0.7,
                )
            )
        children = []
        for _ in range(rng.randint(1, 4)):
            girl = rng.random() < 0.5
            child_id = _uuid(rng)
            name = person_name(girls if girl else boys)
            born = _birthday(rng, started, 0, 16)
            # A child with the same name and date of birth is the same child to the workbook:
            # draw another birthday rather than make a second family for them.
            while (fold(name), born) in children_seen:
                born = _birthday(rng, started, 0, 16)
            children_seen.add((fold(name), born))
            children.append(
                Child(
                    id=child_id,
                    name=name,
                    date_of_birth=born,
                    gender="Female" if girl else "Male",
                    ethnicity=ethnicity,
                    religion=religion,
                    first_language="English" if rng.random() < 0.6 else language,
                    school_or_setting=rng.choice(SCHOOLS),
                )
            )
        # An unborn baby only in an episode still open and begun lately, so the due date is to come.
        if rng.random() < 0.15 and plan.stage is not _Stage.CLOSED and (today - started).days < 120:
            children.append(
                Child(
                    id=_uuid(rng),
                    name=f"Baby {surname}",
                    born=False,
                    due_date=today + timedelta(days=rng.randint(20, 200)),
                )
            )
        adults = []
        if rng.random() < 0.5:
            adults.append(
                SignificantAdult(
                    id=_uuid(rng),
                    name=rng.choice(ARABIC_SCRIPT_NAMES) if rng.random() < 0.2 else person_name(girls),
                    relationship=rng.choice(("Grandmother", "Aunt", "Family friend", "Neighbour")),
                    lives_in_home=rng.random() < 0.3,
                    contact=f"07700 900{rng.randint(0, 999):03d}",
                )
            )
        professionals = []
        for agency, role in rng.sample(AGENCIES, rng.randint(1, 3)):
            _, pgirls, pboys, *_ = ORIGINS[rng.randrange(len(ORIGINS))]
            first = rng.choice(pgirls + pboys)
            last = rng.choice(ORIGINS[rng.randrange(len(ORIGINS))][0])
            professionals.append(
                Professional(
                    id=_uuid(rng),
                    name=f"{first} {last}",
                    agency=agency,
                    role=role,
                    contact=f"{first.lower()}.{rng.randint(10, 99)}@{agency.split()[0].lower()}.example.org",
                )
            )
        reason = rng.choice(REASONS).format(
            child=children[0].name.split()[0], carer=mother.name.split()[0], pct=rng.randint(71, 88)
        )
        background = FamilyBackground(
            address=address,
            reason=reason,
            carers=tuple(carers),
            children=tuple(children),
            adults=tuple(adults),
            professionals=tuple(professionals),
        )
        stamp = datetime.combine(started, time(9 + rng.randint(0, 7), rng.randint(0, 59)), tzinfo=UTC)
        sections = {
            "background": SectionRecord(data=background.model_dump(mode="json"), updated_at=stamp, updated_by=author)
        }
        assessment = AssessmentRecord(
            id=_uuid(rng),
            status=AssessmentStatus.DRAFT,
            started_on=started,
            created_at=stamp,
            created_by=author,
            updated_at=stamp,
            updated_by=author,
            sections=sections,
            star_readings=(_first_star_reading(rng, started, stamp, author),),
        )
        family_id = _uuid(rng)
        reference = new_reference(rng.getrandbits(64))
        while reference in references:
            reference = new_reference(rng.getrandbits(64))
        references.add(reference)
        who = _Staff(author, locality)
        assessment, contacts = _story(
            story, n, plan, assessment, background, who, today=today, wording=wording, directory=directory
        )
        yield FamilyRecord(
            id=family_id,
            reference=reference,
            locality=locality,
            created_at=stamp,
            created_by=author,
            updated_at=stamp,
            updated_by=author,
            assessments=(assessment,),
            contacts=contacts,
            sharing=_received(family_id, professionals, started, stamp, who),
        )


@dataclass(frozen=True)
class _Staff:
    """Who works with a demo family: its author, one of its locality's practitioners."""

    author: str
    locality: str

    @property
    def name(self) -> str:
        return _NAMES[self.author]

    @property
    def colleague(self) -> str:
        """The locality's other practitioner (the second of Central's for demo.practitioner)."""
        staff = _PRACTITIONERS[self.locality]
        return next((u for u in staff if u != self.author), staff[-1])

    @property
    def reviewer(self) -> str:
        return _REVIEWERS[self.locality]


def _received(
    family_id: str, professionals: list[Professional], started: date, stamp: datetime, who: _Staff
) -> tuple[SharingEntryRecord, ...]:
    """What the family's first professional sent when the assessment started, as the record of
    sharing holds it (no random draws, so the rest of the demo stays as it was for a seed)."""
    if not professionals:
        return ()
    sender = professionals[0]
    decision = SharingDecision(
        decided_on=started,
        direction=Direction.IN,
        information="A summary of what they know of the family, for the assessment",
        received_from=professional_recipient(sender),
        purpose="Asked for at the start of the assessment",
        questions=Questions(),
    )
    return (
        SharingEntryRecord(
            id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"eha-demo/{family_id}/sharing/1")),
            decision=decision.model_dump(mode="json"),
            recorded_by=who.author,
            recorded_by_name=who.name,
            recorded_at=stamp,
        ),
    )


def _first_star_reading(rng: random.Random, started: date, stamp: datetime, author: str) -> StarReadingRecord:
    """The first Family Star Plus reading, scored with the family a few days into the
    assessment, so the star chart has something to show from the start."""
    reading = StarReading(
        id=_uuid(rng),
        taken_on=started + timedelta(days=2),
        occasion=Occasion.first(),
        completed_by=CompletedBy.TOGETHER,
    )
    for area in AREA_KEYS:
        reading = reading.with_score(area, agreed=rng.randint(2, 7))
    taken = stamp + timedelta(days=2)
    return StarReadingRecord(
        reading=reading.to_dict(), created_at=taken, created_by=author, updated_at=taken, updated_by=author
    )


# -- the episode: when it began, how far it has gone ---------------------------------------------


class _Stage(Enum):
    DRAFT = "draft"
    COMPLETED = "completed"
    TAF = "taf"
    CLOSED = "closed"


@dataclass(frozen=True)
class _Plan:
    """A family's episode in dates: begun, completed, its TAF meetings, closed and why."""

    stage: _Stage
    started: date
    completed_on: date | None = None
    held: tuple[date, ...] = ()
    closed_on: date | None = None
    reason: ClosureReason | None = None
    # The meeting that agreed a new lead professional, if one did.
    lead_change_at: int | None = None


# The first twelve families, one of each thing a newcomer should see (stage, meetings, why
# closed): drafts, completed assessments, active TAFs with several reviews and closed episodes.
# Families 3 and 11 have no confirmed consent (`_story`), so they stay drafts.
_SMALL_DEMO: tuple[tuple[_Stage, int, ClosureReason | None], ...] = (
    (_Stage.TAF, 4, None),
    (_Stage.CLOSED, 3, ClosureReason.OUTCOMES_ACHIEVED),
    (_Stage.TAF, 2, None),
    (_Stage.DRAFT, 0, None),
    (_Stage.COMPLETED, 0, None),
    (_Stage.COMPLETED, 0, None),
    (_Stage.TAF, 5, None),
    (_Stage.CLOSED, 2, ClosureReason.CHILD_IN_NEED),
    (_Stage.DRAFT, 0, None),
    (_Stage.TAF, 1, None),
    (_Stage.CLOSED, 1, ClosureReason.MOVED_AREA),
    (_Stage.DRAFT, 0, None),
)
_STAGES = ((_Stage.DRAFT, 4), (_Stage.COMPLETED, 10), (_Stage.TAF, 32), (_Stage.CLOSED, 54))
_REASONS = (
    (ClosureReason.OUTCOMES_ACHIEVED, 50),
    (ClosureReason.MOVED_AREA, 7),
    (ClosureReason.ADULT_SERVICES, 3),
    (ClosureReason.CONSENT_WITHDRAWN, 6),
    (ClosureReason.CHILD_IN_NEED, 12),
    (ClosureReason.CHILD_PROTECTION, 6),
    (ClosureReason.DISENGAGED, 12),
    (ClosureReason.OTHER, 4),
)
# Closed after a meeting that agreed to close; the others close between meetings.
_CLOSED_AT_A_MEETING = {
    ClosureReason.OUTCOMES_ACHIEVED,
    ClosureReason.ADULT_SERVICES,
    ClosureReason.CHILD_IN_NEED,
    ClosureReason.CHILD_PROTECTION,
}
# How many TAF meetings an episode has had (none only for one closed before its first).
_MEETING_COUNTS = ((0, 8), (1, 24), (2, 22), (3, 18), (4, 12), (5, 9), (6, 7))
_THREE_YEARS = 3 * 365


def _weighted(story: random.Random, choices: tuple[tuple[Any, int], ...]) -> Any:
    return story.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _plan(story: random.Random, n: int, *, today: date) -> _Plan:
    """When the family's episode began and how far it has gone: a closed one ended any time in
    the last three years, an open one is recent (its last meeting within two months), a draft
    was begun in the last four months."""
    if n < len(_SMALL_DEMO):
        stage, meetings, reason = _SMALL_DEMO[n]
    else:
        stage = _Stage.DRAFT if n % 12 in (_VERBAL_NOT_CONFIRMED, _NOTHING_YET) else _weighted(story, _STAGES)
        reason = _weighted(story, _REASONS) if stage is _Stage.CLOSED else None
        low = 0 if stage is _Stage.CLOSED else 1
        meetings = _weighted(story, tuple((k, w) for k, w in _MEETING_COUNTS if k >= low))
    if stage is _Stage.DRAFT:
        return _Plan(stage, started=today - timedelta(days=story.randint(3, 120)))
    completing = story.randint(21, 28)
    gaps = [story.randint(14, 35), *(story.randint(35, 56) for _ in range(meetings - 1))][:meetings]
    ending = (story.randint(1, 14) if meetings else story.randint(14, 60)) if stage is _Stage.CLOSED else 0
    length = completing + sum(gaps) + ending
    if stage is _Stage.CLOSED:
        ago = story.randint(0, max(0, _THREE_YEARS - length))
    elif stage is _Stage.TAF:
        ago = story.randint(1, 60)
    else:
        ago = story.randint(1, 40)
    started = today - timedelta(days=ago + length)
    completed_on = started + timedelta(days=completing)
    held: list[date] = []
    for gap in gaps:
        held.append((held[-1] if held else completed_on) + timedelta(days=gap))
    closed_on = (held[-1] if held else completed_on) + timedelta(days=ending) if stage is _Stage.CLOSED else None
    if n < len(_SMALL_DEMO):
        change = 3 if n == 6 else None
    else:
        change = story.randint(2, meetings) if meetings >= 2 and story.random() < 0.15 else None
    return _Plan(stage, started, completed_on, tuple(held), closed_on, reason, change)


# -- consent, contacts and completion ---------------------------------------------------------------

# What happens in a family, by its number in the load (every twelfth family alike, so the dozen
# families `run-app.sh` loads show each of them once).
_REFUSED_THEN_GIVEN = (1, 7)
_LIMITED = 2
_VERBAL_NOT_CONFIRMED = 3
_CONTACT_REMOVED = 4
_COMPLETED = 5
_SIGNED_FORM_HELD = 10
_NOTHING_YET = 11

_CONTACT_NOTES = (
    (
        ContactKind.PHONE_CALL,
        "{carer}",
        "Called to arrange the next visit. {carer_first} said mornings were a bit easier.",
    ),
    (
        ContactKind.VISIT,
        "{carer}, {child}",
        "Home visit. Went through the routine chart together; {child_first} showed me their reward stickers.",
    ),
    (ContactKind.MESSAGE, "{carer}", "Texted the date and time of the next meeting; {carer_first} replied to confirm."),
    (
        ContactKind.MEETING,
        "{carer}, the school's family worker",
        "Met at school to talk about attendance; agreed a later start on Mondays for two weeks.",
    ),
    (
        ContactKind.PHONE_CALL,
        "{carer}",
        "{carer_first} phoned, worried about a letter from the landlord. Gave the number of the housing advice line.",
    ),
    (ContactKind.VISIT, "{carer}", "Visit cancelled by the family (unwell); rearranged for next week."),
)
_UNDERSTANDING = (
    "{child} understood that the people helping the family will talk to each other about how things are at home "
    "and at school, and that they can say no or change their mind later.",
    "{child} explained back, in their own words, who would see the assessment and why; asked that their friends "
    "at school are not told.",
)
_LATER_REVIEW = (
    "The family are away for most of the school holidays; the review is set for the week they are back, as "
    "agreed with {carer_first}."
)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _consent_recipients(story: random.Random, background: FamilyBackground, directory: Directory) -> list[Recipient]:
    """Whom the family agree it may be shared with: their professionals in section 1 and one
    service and one agency of the local directory."""
    chosen = [professional_recipient(p) for p in background.professionals]
    services = [e for e in directory.entries if e.kind is EntryKind.SERVICE]
    agencies = [e for e in directory.entries if e.kind is EntryKind.AGENCY]
    for pool in (services, agencies):
        if pool:
            chosen.append(story.choice(pool).recipient())
    return chosen


def _story(
    story: random.Random,
    n: int,
    plan: _Plan,
    assessment: AssessmentRecord,
    background: FamilyBackground,
    who: _Staff,
    *,
    today: date,
    wording: ConsentWording,
    directory: Directory,
) -> tuple[AssessmentRecord, tuple[RecordedContact, ...]]:
    """The family's consent history, its contact log and, as far as its episode has gone
    (`plan`), the rest of a completed assessment, its TAF meetings and its closure: what a
    newcomer clicks through. Every piece obeys the rules of its screen."""
    scene = n % 12
    started = assessment.started_on or today
    main = background.main_carer()
    assert main is not None  # every demo family has its mother as main carer
    sections = dict(assessment.sections)
    decisions: list[ConsentDecision] = []
    confirmations: list[ConsentConfirmation] = []
    recipients = _consent_recipients(story, background, directory)

    def decide(person_id: str, kind: ConsentKind, on: date, **fields: object) -> ConsentDecision:
        agrees = kind.agrees
        decision = ConsentDecision(
            id=str(uuid.UUID(int=story.getrandbits(128), version=4)),
            person_id=person_id,
            kind=kind,
            decided_on=on,
            share_with_professionals=agrees,
            recipients=tuple(recipients) if agrees else (),
            council_storage=agrees,
            wording=wording,
            recorded_at=_at(on, 9 + len(decisions) % 8, story.randint(0, 59)),
            recorded_by=who.author,
            **fields,
        )
        decisions.append(decision)
        return decision

    carer_first = main.name.split()[0]
    if scene != _NOTHING_YET:
        asked = min(started, today)
        if scene in _REFUSED_THEN_GIVEN:
            refused_on = min(started, today - timedelta(days=7))
            decide(
                main.id,
                ConsentKind.REFUSED,
                refused_on,
                method=ConsentMethod.VERBAL,
                explained=f"Explained what the assessment is and who would see it. {carer_first} did not want the "
                "school told about the family's worries yet and asked for a week to think it over.",
            )
            asked = refused_on + timedelta(days=7)
        if scene == _LIMITED and background.professionals:
            against = professional_recipient(background.professionals[-1])
            recipients[:] = [r for r in recipients if not r.same_as(against)]
            given = decide(
                main.id,
                ConsentKind.LIMITED,
                asked,
                method=ConsentMethod.WRITTEN,
                excluded=(against,),
                explained=f"{carer_first} agreed to share with everyone named except {against.name}, "
                "after a falling-out; explained that this can be changed at any time.",
            )
        else:
            given = decide(
                main.id,
                ConsentKind.GIVEN,
                asked,
                method=ConsentMethod.VERBAL if scene == _VERBAL_NOT_CONFIRMED else ConsentMethod.WRITTEN,
                ons_opt_out=story.random() < 0.2,
                signed_consent_held_by=(background.children[0].school_or_setting if scene == _SIGNED_FORM_HELD else ""),
                explained="Went through the consent wording together; questions answered." if asked != started else "",
            )
        for carer in background.carers:
            if carer.main_carer or story.random() < 0.4:
                continue
            if not carer.lives_in_home and story.random() < 0.5:
                decide(
                    carer.id,
                    ConsentKind.COULD_NOT_BE_CONTACTED,
                    asked,
                    explained="Left two voicemails and sent a letter to the address the family gave; no reply yet.",
                )
            else:
                decide(carer.id, ConsentKind.GIVEN, asked, method=ConsentMethod.VERBAL)
        for child in background.children:
            if child.born and old_enough_to_be_asked(child, today=asked) and story.random() < 0.7:
                decide(
                    child.id,
                    ConsentKind.GIVEN,
                    asked,
                    method=ConsentMethod.VERBAL,
                    understanding=story.choice(_UNDERSTANDING).format(child=child.name.split()[0]),
                )
        if scene != _VERBAL_NOT_CONFIRMED:
            confirmed_on = min(today, asked + timedelta(days=story.randint(3, 10)))
            confirmations.append(
                ConsentConfirmation(
                    decision_id=given.id,
                    confirmed_on=confirmed_on,
                    recorded_at=_at(confirmed_on, 15),
                    recorded_by=who.author,
                )
            )
        last = max((d.decided_on for d in decisions), default=started)
        sections["consent"] = SectionRecord(
            data=Consent(decisions=tuple(decisions), confirmations=tuple(confirmations)).model_dump(mode="json"),
            updated_at=_at(max([last, *(c.confirmed_on for c in confirmations)]), 16),
            updated_by=who.author,
        )
    assessment = assessment.model_copy(update={"sections": sections})
    if plan.stage is not _Stage.DRAFT and confirmations and plan.completed_on is not None:
        later_review = scene == _COMPLETED and plan.stage is _Stage.COMPLETED
        assessment = _completed(
            story, assessment, background, who, completed_on=plan.completed_on, later_review=later_review
        )
        assessment = _taf(story, n, plan, assessment, background, who)
    ended = plan.closed_on or today
    return assessment, _contacts(story, n, background, who, started=started, ended=ended)


def _completed(
    story: random.Random,
    assessment: AssessmentRecord,
    background: FamilyBackground,
    who: _Staff,
    *,
    completed_on: date,
    later_review: bool,
) -> AssessmentRecord:
    """The rest of the assessment, completed on `completed_on` (after the consent was
    confirmed), its review within 6 weeks, or later with the reason (`later_review`)."""
    started = assessment.started_on or completed_on
    sections = dict(assessment.sections)
    done = _at(completed_on, 14)
    main = background.main_carer()
    assert main is not None
    carer_first = main.name.split()[0]

    def section(model: object) -> SectionRecord:
        assert hasattr(model, "model_dump")
        return SectionRecord(data=model.model_dump(mode="json"), updated_at=done, updated_by=who.author)

    level = ThresholdLevel.COMPLEX if story.random() < 0.3 else ThresholdLevel.VULNERABLE
    sections["threshold"] = section(ThresholdOfNeed(level=level))
    sections["carers_views"] = section(
        CarersViews(
            views=tuple(
                CarerView(
                    carer_id=c.id,
                    own_words="Mornings are the hardest part; we want the children at school on time and calmer.",
                    going_well="The children love their grandparents' visits.",
                )
                for c in background.carers
            )
        )
    )
    views = []
    for i, child in enumerate(c for c in background.children if c.born):
        if i == 1:
            views.append(
                ChildView(
                    child_id=child.id,
                    not_gathered=True,
                    not_gathered_reason="The family and the school agree this child is doing well and needs no "
                    "support of their own.",
                )
            )
            continue
        too_young = (child.age_on(completed_on) or 0) < 3
        views.append(
            ChildView(
                child_id=child.id,
                too_young=too_young,
                own_words="" if too_young else "I like school when I get there on time. Mornings are shouty.",
                observation="Smiley and settled in the room; played with the blocks throughout." if too_young else "",
                how_gathered=HowGathered.OBSERVATION if too_young else HowGathered.THREE_HOUSES,
                gathered_by=who.name,
                gathered_on=max(started, completed_on - timedelta(days=3)),
            )
        )
    sections["child_views"] = section(ChildViews(views=tuple(views)))
    sections["professional_views"] = section(
        ProfessionalViews(
            views=tuple(
                ProfessionalView(
                    professional_id=p.id,
                    agency=p.agency,
                    role=p.role,
                    view="The family engage well; routines at home are the main difficulty.",
                )
                for p in background.professionals
            )
        )
    )
    outcomes = tuple(
        DesiredOutcome(id=str(uuid.UUID(int=story.getrandbits(128), version=4)), text=text)
        for text in story.sample(_OUTCOMES, 2)
    )
    sections["plan"] = section(
        Plan(
            analysis="Mornings are the main difficulty; the family want a routine and are keen to work on it.",
            outcomes=outcomes,
            actions=tuple(
                PlanAction(
                    id=str(uuid.UUID(int=story.getrandbits(128), version=4)),
                    action=action,
                    who=who_does.format(carer=carer_first),
                    by_when=completed_on + timedelta(days=story.randint(14, 42)),
                    outcome_id=outcomes[i % 2].id,
                )
                for i, (action, who_does) in enumerate(story.sample(_ACTIONS, 3))
            ),
        )
    )
    return assessment.model_copy(
        update={
            "status": AssessmentStatus.COMPLETED,
            "sections": sections,
            "completed_at": done,
            "completed_by": who.author,
            "updated_at": done,
            "review_date": completed_on
            + timedelta(days=story.randint(56, 70) if later_review else story.randint(21, 42)),
            "review_date_reason": _LATER_REVIEW.format(carer_first=carer_first) if later_review else "",
        }
    )


def _contacts(
    story: random.Random, n: int, background: FamilyBackground, who: _Staff, *, started: date, ended: date
) -> tuple[RecordedContact, ...]:
    """Two to four contacts while the episode was open (from the start to its closure, or
    today); one family in twelve has one removed, with why."""
    main = background.main_carer()
    assert main is not None
    child = background.children[0]
    names = {
        "carer": main.name,
        "carer_first": main.name.split()[0],
        "child": child.name,
        "child_first": child.name.split()[0],
    }
    contacts = []
    days = max(0, (ended - started).days)
    for kind, whom, note in story.sample(_CONTACT_NOTES, story.randint(2, 4)):
        on = started + timedelta(days=story.randint(0, days))
        recorded_at = _at(on, 17, story.randint(0, 59))
        contacts.append(
            RecordedContact(
                id=str(uuid.UUID(int=story.getrandbits(128), version=4)),
                contact=Contact(contact_on=on, kind=kind, who=whom.format(**names), note=note.format(**names)),
                recorded_at=recorded_at,
                recorded_by=who.author,
                recorded_by_name=who.name,
            )
        )
    if n % 12 == _CONTACT_REMOVED:
        first = contacts[0]
        contacts[0] = first.model_copy(
            update={
                "removal": Removal(
                    removed_at=first.recorded_at + timedelta(hours=1),
                    removed_by=who.author,
                    removed_by_name=who.name,
                    reason="Recorded against the wrong family.",
                )
            }
        )
    return newest_first(contacts)


_OUTCOMES = (
    "The children are at school on time every day.",
    "Mornings and bedtimes follow a routine the family agreed.",
    "The family's money worries are manageable and the rent is paid.",
    "The children feel safe and calm at home.",
    "Mum feels less alone and knows where to turn for help.",
    "The children's health appointments are kept.",
)
_ACTIONS = (
    ("Make a morning routine chart together", "{carer} and the children, with the family worker"),
    ("Book a benefits check and a budgeting session", "{carer}, with the family worker"),
    ("Ask the school about a breakfast club place", "The family worker"),
    ("Go to the Incredible Years parenting group", "{carer}"),
    ("Register with the GP and book the overdue check-ups", "{carer}, with the health visitor"),
    ("Refer to the young carers' service", "The school's family worker"),
    ("Try the bedtime plan for a month and keep a diary", "{carer}"),
    ("Visit the children's centre stay-and-play on Thursdays", "{carer} and the youngest"),
)
_WHERE = ("At the family home", "At {school}", "At the children's centre", "By video call; the family at home")
_FAMILY_VIEWS = {
    1: (
        "{carer} said things are a little easier; the chart is on the fridge and mornings are calmer most days.",
        "{carer} said the help with money has taken a weight off, and the children are sleeping better.",
    ),
    0: (
        "{carer} said some weeks are better than others; the routine slips when {child} has a bad night.",
        "{carer} said it is early days but she is glad everyone is in the same room.",
    ),
    -1: (
        "{carer} said things have been harder since the last meeting: arguments at home and {child} refusing school.",
        "{carer} said she is struggling and worried about how {child} is at home.",
    ),
}
_CHILD_VIEWS = (
    "{child} said (through Three Houses, with the family worker) that home is calmer and school is OK.",
    "{child} drew the house of good things: the dog, the park and Grandma's Sunday dinners.",
    "{child} said they like the breakfast club and want to keep going.",
    "{child} said they worry when the grown-ups shout, and want more time with Mum.",
)
_WORKING_WELL = (
    "Mornings with the chart; the school's warm welcome at the gate.",
    "Grandma's help on Mondays; the children's bedtimes.",
    "{carer}'s honesty about what is hard; everyone turning up.",
)
_WORRIES = (
    "Money is still tight; the landlord's letter.",
    "{child}'s attendance dips after weekends at Dad's.",
    "{carer}'s low mood; the waiting list for counselling.",
)
_MINUTES = (
    "Reviewed the plan together. {progress} Agreed the next steps and the next review date.",
    "Everyone said how things have gone since the last meeting. {progress} The family chose what to work on next.",
)
_COMMENTS = {
    ActionProgress.DONE: "Done, and working well.",
    ActionProgress.IN_PROGRESS: "Started; carrying on to the next review.",
    ActionProgress.NOT_STARTED: "Not started yet: the family had a difficult few weeks.",
    ActionProgress.NO_LONGER_NEEDED: "No longer needed: things have moved on.",
}
_CLOSURES: dict[ClosureReason, tuple[str, str]] = {
    ClosureReason.OUTCOMES_ACHIEVED: (
        '{carer}: "It was good to have one person to call. We know who to ask if things get hard again."',
        "The desired outcomes were met: routines are in place and the children are at school on time. Support "
        "continues through universal services.",
    ),
    ClosureReason.MOVED_AREA: (
        '{carer}: "Thank you for everything; we hope the new area\'s team is as kind."',
        "The family moved out of the county mid-plan. With their consent the record was shared with the new "
        "area's early help team.",
    ),
    ClosureReason.ADULT_SERVICES: (
        '{carer}: "Thank you for helping us through the change."',
        "The young person turned 18 and moved to adult services, with a handover meeting.",
    ),
    ClosureReason.CONSENT_WITHDRAWN: (
        '{carer}: "We want to manage on our own now."',
        "{carer} withdrew consent for early help. Explained how to ask for help again; the school keeps in touch.",
    ),
    ClosureReason.CHILD_IN_NEED: (
        '{carer}: "I understand why more help is needed, and I want to keep working with everyone."',
        "Needs grew beyond early help: stepped up to children's social care for a Child in Need assessment, "
        "with the family's agreement. The TAF ceases; the lead professional attends the first CIN meeting.",
    ),
    ClosureReason.CHILD_PROTECTION: (
        '{carer}: "I\'m frightened, but I know everyone wants the children safe."',
        "New concerns about the children's safety were referred to the MASH the same day; a strategy discussion "
        "led to a Child Protection enquiry. The TAF ceases.",
    ),
    ClosureReason.DISENGAGED: (
        "",
        "The family stopped taking part: three meetings missed and calls not returned. The school and health "
        "visitor will keep offering support.",
    ),
    ClosureReason.OTHER: (
        '{carer}: "Thanks for your help."',
        "Closed after the family's circumstances changed; the children's needs are met by universal services.",
    ),
}
_SLOW_PROGRESS = (ActionProgress.IN_PROGRESS, ActionProgress.NOT_STARTED, ActionProgress.NO_LONGER_NEEDED)
_NEW_AREAS = ("Swindon", "Milton Keynes", "Reading", "Northamptonshire", "Gloucestershire")
_STEPPED_UP = {ClosureReason.CHILD_IN_NEED, ClosureReason.CHILD_PROTECTION, ClosureReason.DISENGAGED}
# Areas that slip when a family is stepped up.
_SAFETY_AREAS = ("keeping_safe", "emotional_needs", "boundaries")


def _lead_of(username: str) -> LeadProfessional:
    return LeadProfessional(
        name=_NAMES[username], agency="Early Help, Oxfordshire", role="Family support worker", username=username
    )


def _taf(
    story: random.Random, n: int, plan: _Plan, assessment: AssessmentRecord, background: FamilyBackground, who: _Staff
) -> AssessmentRecord:
    """The TAF of a completed assessment, as far as the episode has gone: the lead professional
    agreed on completion (often another practitioner of the locality, who joins the team), each
    meeting built as the TAF screens build one and finalised on the day, re-scoring the star,
    and the closure with its reason. Nothing for an assessment only just completed."""
    if plan.stage is _Stage.COMPLETED or plan.completed_on is None:
        return assessment

    def uid() -> str:
        return str(uuid.UUID(int=story.getrandbits(128), version=4))

    sections = dict(assessment.sections)
    plan_doc = Plan.model_validate(sections["plan"].data)
    main = background.main_carer()
    assert main is not None
    names = {
        "carer": main.name.split()[0],
        "child": background.children[0].name.split()[0],
        "school": background.children[0].school_or_setting or "school",
    }
    if n < len(_SMALL_DEMO):
        first_lead = _lead_of(who.colleague)
    else:
        pick = story.random()
        if pick < 0.5:
            first_lead = _lead_of(who.author)
        elif pick < 0.75 or not background.professionals:
            first_lead = _lead_of(who.colleague)
        else:
            p = story.choice(background.professionals)
            first_lead = LeadProfessional(name=p.name, agency=p.agency, role=p.role)
    terms = [
        LeadTerm(
            id=uid(),
            lead=first_lead,
            from_on=plan.completed_on,
            recorded_at=_at(plan.completed_on, 16),
            recorded_by=who.author,
        )
    ]
    readings = list(assessment.star_readings)
    scores = {s["area"]: s["agreed"] for s in readings[0].reading["scores"]}
    trend = -1 if plan.reason in _STEPPED_UP else 1
    current = plan_doc.actions
    meetings: list[TafMeetingRecord] = []
    for number, held_on in enumerate(plan.held, start=1):
        if plan.lead_change_at == number:
            then = terms[-1].lead
            lead = _lead_of(who.author if then.username != who.author else who.colleague)
            terms.append(
                LeadTerm(
                    id=uid(),
                    lead=lead,
                    from_on=held_on,
                    agreed_at_meeting=number,
                    recorded_at=_at(held_on, 17),
                    recorded_by=who.author,
                )
            )
        history = LeadHistory(terms=tuple(terms))
        lead_now = terms[-1].lead
        last = number == len(plan.held)
        closing = last and plan.stage is _Stage.CLOSED and plan.reason in _CLOSED_AT_A_MEETING
        meeting = TafMeeting(
            held_on=held_on, where=story.choice(_WHERE).format(**names), progress=progress_from(current)
        )
        people = [
            Participant(id=uid(), name=main.name, role="Main carer", attendance=Attendance.ATTENDED),
            Participant(id=uid(), name=lead_now.name, agency=lead_now.agency, role=lead_now.role),
        ]
        for p in story.sample(background.professionals, min(2, len(background.professionals))):
            if p.name != lead_now.name:
                late = story.random() < 0.25
                people.append(
                    Participant(
                        id=uid(),
                        name=p.name,
                        agency=p.agency,
                        role=p.role,
                        attendance=Attendance.APOLOGIES if late else Attendance.ATTENDED,
                    )
                )
        if number == 1:
            # The locality's LCSS reviewer is invited to the first meeting.
            people.append(
                Participant(
                    id=uid(),
                    name=_NAMES[who.reviewer],
                    agency=f"LCSS {who.locality.capitalize()}",
                    role="LCSS reviewer",
                    attendance=Attendance.APOLOGIES if story.random() < 0.7 else Attendance.ATTENDED,
                )
            )
        for person in people:
            meeting = with_participant(meeting, person)
        mood = trend if story.random() < 0.7 else 0
        progress: dict[str, tuple[ActionProgress, str]] = {}
        for review in meeting.progress:
            state = (
                story.choice((ActionProgress.DONE, ActionProgress.DONE, ActionProgress.IN_PROGRESS))
                if mood > 0
                else story.choice(
                    (ActionProgress.IN_PROGRESS, ActionProgress.NOT_STARTED, ActionProgress.NO_LONGER_NEEDED)
                )
            )
            progress[review.action.id] = (state, _COMMENTS[state])
        meeting = with_progress(meeting, progress)
        done = sum(state is ActionProgress.DONE for state, _ in progress.values())
        meeting = with_views(
            meeting,
            family_view=story.choice(_FAMILY_VIEWS[mood]).format(**names),
            child_view=story.choice(_CHILD_VIEWS).format(**names),
            working_well=story.choice(_WORKING_WELL).format(**names),
            worries=story.choice(_WORRIES).format(**names),
            minutes=story.choice(_MINUTES).format(
                progress=f"{done} of {len(progress)} actions done." if progress else "No actions were due."
            ),
        )
        if not closing and (not meeting.updated_plan or story.random() < 0.5):
            action, who_does = story.choice(_ACTIONS)
            meeting = with_new_action(
                meeting,
                PlanAction(
                    id=uid(),
                    action=action,
                    who=who_does.format(carer=names["carer"]),
                    by_when=held_on + timedelta(days=story.randint(14, 42)),
                    outcome_id=story.choice(plan_doc.outcomes).id,
                ),
                plan=plan_doc,
                started_on=None,
            )
        meeting = with_next_review(
            meeting,
            next_review_on=None if closing else held_on + timedelta(days=story.randint(28, 49)),
            reason="",
            closing=closing,
            today=held_on,
        )
        finalised_at = _at(held_on, 17, 30)
        meeting = finalise(meeting, lead=history, today=held_on, at=finalised_at, by=who.author)
        current = meeting.updated_plan
        meetings.append(
            TafMeetingRecord(
                id=uid(),
                number=number,
                data=meeting.model_dump(mode="json"),
                created_at=_at(held_on, 10),
                created_by=who.author,
                updated_at=finalised_at,
                updated_by=who.author,
            )
        )
        scores = _rescored(story, scores, trend if mood else 0)
        readings.append(_reading(uid(), Occasion.review(number), held_on, scores, who.author))
    sections[LEAD_KEY] = SectionRecord(
        data=LeadHistory(terms=tuple(terms)).model_dump(mode="json"),
        updated_at=terms[-1].recorded_at,
        updated_by=who.author,
    )
    status, updated_at = AssessmentStatus.TAF_ACTIVE if plan.held else AssessmentStatus.COMPLETED, None
    if plan.stage is _Stage.CLOSED and plan.closed_on is not None and plan.reason is not None:
        reason = plan.reason
        comments, evaluation = _CLOSURES[reason]
        closed_at = _at(plan.closed_on, 15)
        closure = TafClosure(
            reason=reason,
            reason_other="The family's circumstances changed" if reason is ClosureReason.OTHER else "",
            new_area=story.choice(_NEW_AREAS) if reason is ClosureReason.MOVED_AREA else "",
            new_area_consent=True if reason is ClosureReason.MOVED_AREA else None,
            family_comments=comments.format(**names),
            evaluation=evaluation.format(**names),
            closed_on=plan.closed_on,
            closed_at=closed_at,
            closed_by=who.author,
        )
        sections[CLOSURE_KEY] = SectionRecord(
            data=closure.model_dump(mode="json"), updated_at=closed_at, updated_by=who.author
        )
        if plan.held and reason not in (ClosureReason.DISENGAGED, ClosureReason.CONSENT_WITHDRAWN):
            scores = _rescored(story, scores, trend)
            readings.append(_reading(uid(), Occasion.closure(), plan.closed_on, scores, who.author))
        status, updated_at = AssessmentStatus.CLOSED, closed_at
    if updated_at is None:
        updated_at = max([assessment.updated_at, *(m.updated_at for m in meetings)])
    return assessment.model_copy(
        update={
            "status": status,
            "sections": sections,
            "taf_meetings": tuple(meetings),
            "star_readings": tuple(readings),
            "updated_at": updated_at,
        }
    )


def _rescored(story: random.Random, scores: dict[str, int], trend: int) -> dict[str, int]:
    """The star a few weeks on: mostly up for a family that is doing well, the safety areas
    down for one heading to statutory services, a point either way here and there."""
    moved = {}
    for area, score in scores.items():
        if trend > 0:
            step = story.choice((0, 1, 1, 1, 2, -1))
        elif trend < 0:
            step = story.choice((-1, -1, -2, 0)) if area in _SAFETY_AREAS else story.choice((-1, 0, 0, 1))
        else:
            step = story.choice((-1, 0, 0, 1))
        moved[area] = min(10, max(1, score + step))
    return moved


def _reading(reading_id: str, occasion: Occasion, taken_on: date, scores: dict[str, int], by: str) -> StarReadingRecord:
    reading = StarReading(id=reading_id, taken_on=taken_on, occasion=occasion, completed_by=CompletedBy.TOGETHER)
    for area in AREA_KEYS:
        reading = reading.with_score(area, agreed=scores[area])
    at = _at(taken_on, 17, 45)
    return StarReadingRecord(reading=reading.to_dict(), created_at=at, created_by=by, updated_at=at, updated_by=by)


# -- the large family ---------------------------------------------------------------------------------
#
# One family every demo load begins with, whatever the seed and the count: a whole story from the
# first visit to the closure, so a newcomer can click through every screen and every PDF has
# something rich to show. Four children (the youngest a baby), two carers, six professionals, a
# completed assessment, five star readings, three finalised TAF meetings, two drawings and a closed
# TAF. Its ids are fixed (the same family in every database); its dates are counted back from today.
# Nobody in it is a real person, nor is its school, street or housing association.

LARGE_FAMILY_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "eha-demo/large-family"))
LARGE_FAMILY_REFERENCE = "EH-HQ7DBK"


def _large_id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"eha-demo/large-family/{name}"))


_LARGE_REASON = """\
Siân Pritchard (health visitor) asked for this assessment after Antoni's 9-month review, with Agnieszka's agreement. \
Agnieszka told her she has been "running on empty" since Antoni was born: she is sleeping three or four hours a \
night, feels low most days and has stopped going to the Polish Saturday school where she used to meet friends.

At the same time Iffley Brook Academy are worried about Zoë (Year 8): her attendance has fallen to 81% this \
term, she has missed most Monday mornings, and she told her tutor she stays home "to help Mum with the little \
ones". Brookside Primary report that Mikołaj (Year 1) has daily meltdowns at the end of the school day and is \
waiting for an autism assessment; Łucja is doing well.

Owen lost his job at the distribution centre in the spring. The family are two months behind with the rent and \
have had a letter from the housing association. Both parents want help to get things back on track, and agreed \
to an Early Help Assessment so that everyone working with the family can work together."""

_AGNIESZKA_OWN_WORDS = """\
I want to be honest in this, because I think if I am not honest nothing will change. I love my children more \
than anything. But since Antoni was born I have felt like I am drowning slowly, and smiling so nobody notices. \
In Poland my mother would have been in the house every day. Here it was just me and Owen, and then Owen's job \
went, and it felt like the floor went too.

A normal day: Antoni wakes at five, sometimes before. If I am lucky he has slept two hours in one go in the \
night. I feed him, then I try to get Mikołaj dressed, and this is the hardest part of the day. He cannot bear \
the school jumper — he says it "bites" him — and if the socks have a seam in the wrong place he screams and \
hits. It can take forty minutes. Meanwhile Łucja gets herself ready, she is so good, sometimes too good, I \
worry she is hiding her own feelings so she doesn't make more trouble. And Zoë... Zoë has been my right hand. \
She gives Antoni his bottle, she walks Mikołaj to the gate when I can't face the other mothers. I know now \
that this is not fair on her. When the school phoned about her Mondays I cried, because I knew it was my fault. \
On Mondays Owen used to take the little ones and I would rest, and then he started going to the job centre on \
Mondays, and Zoë just... stayed. I never asked her to. But I never told her to go, either.

Owen is a good dad. He is better with Mikołaj than I am, more patient. But he is ashamed about the job, and \
when he is ashamed he goes quiet, and then I go loud, and the children hear us. We do not hit, we do not \
throw things, but we shout about money, about the rent, about who forgot to pay the gas. Zoë puts her \
headphones on. Łucja goes into her room and draws. Mikołaj covers his ears and rocks. I see this and I feel \
terrible, and then I am too tired to fix it.

The money: we were fine when Owen was working. Now we have his Universal Credit and the child benefit, and \
we got behind with the rent when the payment changed and there was a gap of five weeks. The letter from the \
housing association said "notice", and I could not sleep for three nights. I did not open the next two \
letters. Owen opened them in the end and it was not as bad as I thought, they want to talk, but I still feel \
sick when the post comes.

What I need: I need to sleep. I need someone to tell me if what Mikołaj has is autism, and if it is, what we \
do, because the waiting is the worst — nobody tells you anything, you just wait. I need Zoë to be a \
thirteen-year-old girl again and go to school and go to her friends' houses and not worry about us. I need \
Owen to find work, not only for the money but because he is not himself. And I need to talk to somebody about \
how I feel, properly, not only "are you OK" at the clinic when I say "yes, fine" because Antoni is on my lap.

What is good: we are still a family. On Sunday we all go to the park by the river, even in the rain, and \
Mikołaj is happy there, he lines up the stones and tells us about every one. Łucja has started gymnastics at \
the leisure centre and she is brave and strong. Antoni is a smiley baby — when he is not awake at 3 a.m. he is \
the sunshine of the house. My mother has moved to Blackbird Leys to be near us and she comes twice a week now, \
which has already helped. Owen makes pierogi with the children on Saturdays, badly, and we laugh.

I am afraid that writing all this down means that someone will take my children. Siân explained to me that \
this is not what this is, that this is to help us, and that I can read everything that is written. I am \
trusting that. I would like the plan to be small steps, things we can really do, and not a list that makes \
me feel like I failed before we started."""

_AGNIESZKA_GOING_WELL = """\
My mother (Halina) comes on Tuesdays and Thursdays and takes Antoni for the afternoon. Łucja loves her \
gymnastics club. The Sunday walks by the river. Owen is very good with Mikołaj at bedtime."""

_AGNIESZKA_WORRIES = """\
Zoë missing school and carrying too much for her age. Mikołaj's meltdowns and how long the assessment is \
taking. The rent arrears and the letters. That I am not getting better, and that the children see us argue."""

_AGNIESZKA_CHANGE = """\
Calmer mornings. Zoë at school every day. Knowing what is happening with Mikołaj's assessment. A plan for the \
rent that we can keep to. Some help for me, and some sleep."""

_OWEN_OWN_WORDS = """\
I'll be straight: I didn't want "services" involved at first. Where I grew up, when someone came round with a \
lanyard it meant trouble. But Aggie is worn out and I can see it, and I can see Zoë taking on stuff she \
shouldn't, so here we are.

Losing the job knocked me sideways. Eleven years at the distribution centre and then a letter. I've applied \
for everything — warehouses, delivery driving, the hospital porters — and either nobody replies or it's \
nights, which we can't do with the baby. I go quiet when I'm stressed, I know that. Aggie says I shut her \
out. I think I'm just trying not to make it worse.

Mikołaj and me get on. I can read him, mostly. If you give him a warning — "five more minutes, then bath" — \
he's fine; if you spring things on him, that's when it goes. I'd like his school to do more of that. And I'd \
like somebody to just tell us where he is on the waiting list.

I want the rent sorted so the letters stop, and I want a job, even part-time, that fits around the kids."""

_OWEN_GOING_WELL = "Bedtimes with Mikołaj. Saturday cooking with the kids. Halina's help."
_OWEN_WORRIES = "The rent. Aggie's health. Zoë. Not finding work before the money runs out."
_OWEN_CHANGE = "A job that fits around the family, and less shouting in the house."

_ZOE_WORDS = """\
I don't mind helping Mum, she's my mum. But sometimes I'm really tired at school because Antoni cries at night \
and my room is next to his. On Mondays I stay home because Dad goes out and Mum can't do Mikołaj AND Antoni \
at the same time, Mikołaj kicks off and then Antoni cries and Mum cries too.

School is OK. I like art and Miss Fairbrother-Nwosu is nice. I don't like PE, the changing rooms are loud. I \
sometimes feel sick in the mornings and my heart goes fast — the doctor said it's anxiety. I'm seeing Dr Ní \
Mhurchú at CAMHS, she's OK, I can talk to her.

What would make it better: if Mum got some help so I don't have to worry about her all the time. If I could \
go to art club after school. If Mum and Dad stopped arguing about money. I don't want my friends to know about \
any of this."""

_LUCJA_WORDS = """\
In my house of worries: when Mum and Dad shout, and when Mikołaj screams and I can't do my homework. Zoë being \
sad. In my house of good things: gymnastics, Babcia Halina's pancakes, my friend Amira, drawing, when we all \
go to the river. In my house of dreams: I want to be in a gymnastics competition. I want Mum to be happy and \
not tired. I want my own room with a lock so Mikołaj doesn't take my pens."""

_MIKOLAJ_WORDS = """\
(Mikołaj drew his three houses with Róisín, and talked while he drew.)

Worries house: "Jumper is itchy. Loud at home time. Mummy crying." He drew a big grey cloud over it.

Good things house: "Daddy. Trains. The river stones. Babcia. Biscuits. My cat." (The family do not have a cat; \
he said it is "the cat next door, called Pumpkin".)

Dreams house: "A rocket to go to space with Daddy. Soft clothes. No school on Monday." He added stars and said \
that was where the rocket goes.

He also drew a picture of his house with everyone in it, and said: "This is all of us. Baby is sitting down \
because he can't stand yet.\""""

_ANTONI_OBSERVATION = """\
Antoni (7 months at the visit) was observed at home during two visits. He was alert and smiley, made good eye \
contact with his mother and with me, and babbled in reply when Agnieszka talked to him in Polish. He reached \
for toys with both hands and was sitting with support. He settled quickly when picked up by his mother or by \
Zoë, and looked for Zoë when she left the room.

He was noticeably tired on both visits, with dark circles under his eyes, and his mother reports that he \
wakes four to six times a night. His weight has dropped from the 50th to just below the 25th centile since his \
8-week check (health visitor's records); he is feeding well during the day."""

_PROFESSIONAL_VIEWS = {
    "sian": """\
I have known the family since Antoni's birth. Agnieszka is a warm, attentive mother and Antoni is a \
well-attached baby who responds to her voice and face. My concerns are about Agnieszka's mood and exhaustion: \
she scored 17 on the Edinburgh Postnatal Depression Scale at the 9-month review, and she describes low mood, \
tearfulness and poor sleep for several months. She has not yet spoken to her GP.

Antoni's weight has dropped across one centile line; he is otherwise developing well. I will weigh him monthly \
and support a sleep plan. I would welcome help for the whole family, as the pressures on Agnieszka come as much \
from the household's situation (money, Mikołaj's needs, Zoë's absence) as from the baby.""",
    "chloe": """\
Zoë is a bright, kind, artistic student who is well liked by staff and has a small, loyal group of friends. \
Her attendance this term is 81%, almost all of the absences on Mondays, and she has been late on 9 mornings. \
When she is in school she works hard, but she can appear tired and anxious, and has twice asked to leave \
lessons because she felt unwell.

Zoë has told me that she helps a lot at home. We would like to offer her a young carers' assessment (with the \
family's agreement), pastoral check-ins twice a week, and a place in the lunchtime art club. We will also look \
at a quiet space for PE changing. We are keen to work with the family, and to hear from CAMHS about how we can \
support her anxiety in school.""",
    "tomasz": """\
Mikołaj is a curious, funny boy with a real passion for trains and for anything with wheels. He has a good \
vocabulary and loves number work. He finds transitions very hard, especially the end of the day, noisy \
spaces such as the hall, and changes to the routine he expects; he is sensitive to clothing and to noise.

He has been referred to the neurodevelopmental pathway and is waiting for an assessment (the current wait is \
long). We do not need a diagnosis to support him: we have put in a visual timetable, a "now and next" board, a \
calm corner and an early finish from the last activity so that he can leave before the rush. I suggest we \
apply for an SEN support plan and ask the Educational Psychologist for advice. Łucja (Year 4) is doing well; \
her teacher notes that she is quiet and sometimes seems worried about home.""",
    "aoife": """\
I have seen Zoë four times for anxiety, with Zoë's and her parents' consent. She is engaging well, is thoughtful \
and insightful, and has begun using some breathing and grounding techniques. Her anxiety is closely linked to \
worry about her mother and about money at home, and to the feeling that she must hold things together.

With Zoë's agreement I would support the plan focusing on reducing her caring role and making school \
predictable. Zoë has asked that the details of our sessions stay between us; I am happy to say how she is \
doing in general terms at TAF meetings.""",
    "kwabena": """\
The household's rent account went into arrears during the move from legacy benefits to Universal Credit, and \
the balance is currently just over two months' rent. A notice letter was sent automatically at that point. I \
want to reassure the family that we do not want to take any further action: our priority is a payment plan \
they can keep to.

I have offered Owen an appointment to set up an affordable repayment arrangement and a benefits check, which \
may show that the family can claim help with council tax and a discretionary housing payment. I can also \
refer them to the energy advice service, as the house is hard to heat.""",
    "roisin": """\
I have met the family six times, at home and in school, since the assessment began. This is a loving family \
under real strain from several directions at once: Agnieszka's low mood and exhaustion, the loss of Owen's \
job, money and the rent arrears, Mikołaj's needs while he waits for an assessment, and the role Zoë has taken \
on at home. Both parents are honest about what is hard, and want change.

There are real strengths: the children are warm with each other and with their parents, Halina's help is \
growing, the parents work together on bedtimes, and every professional involved describes the family as open \
and easy to work with. I would be glad to be the lead professional, and suggest we keep the plan small and \
practical, as Agnieszka asked.""",
}

_LARGE_ANALYSIS = """\
The family are a loving, close household facing several pressures at once, each making the others harder. \
Agnieszka is exhausted and has had low mood for several months since Antoni's birth (EPDS 17 at the 9-month \
review). Owen lost his job in the spring; the change to Universal Credit left a five-week gap and the rent fell \
two months behind, which both parents find frightening. Mikołaj (6) finds transitions and noise very hard and \
is waiting for an autism assessment; mornings and the end of the school day are flashpoints. Zoë (13) has \
taken on a caring role at home, especially on Mondays, and her attendance and anxiety have suffered. Antoni (now \
7 months) is a well-attached baby but wakes many times a night and his weight has dropped one centile. Łucja \
(9) is doing well, but her view tells us she notices the arguments and worries about her mother and sister.

What is going well is just as clear. The parents are honest and insightful about their difficulties, they \
work together at bedtime, the children are warm with one another, and the maternal grandmother now lives \
nearby and helps twice a week. Every professional describes the family as open and easy to work with, and \
both schools are already adapting what they do.

Fact and opinion: the attendance figures, the centile drop, the EPDS score and the rent arrears are recorded \
facts. That the arguments are about money, and that Zoë's Mondays follow from Owen's job-centre \
appointments, is the family's own account, which the school and I find consistent with what we have seen.

The threshold is Level 3 (complex): several needs across the family, needing a coordinated multi-agency \
response, with no concerns of significant harm. The plan is deliberately small and practical, as Agnieszka \
asked: first help for Agnieszka's mood and sleep; lift the caring role from Zoë and make Mondays work; give \
Mikołaj predictable routines at home and at school while he waits; and a repayment plan and benefits check so \
the letters stop. The lead professional will be Róisín Gallagher (Family Solutions Plus)."""

# (key, text)
_LARGE_OUTCOMES = (
    (
        "zoe",
        (
            "Zoë is in school every day, has someone to talk to when she feels anxious and no longer looks after "
            "her brothers in school time."
        ),
    ),
    (
        "routines",
        (
            "Mornings and bedtimes follow a routine the family can manage, and Mikołaj has the support he needs at "
            "home and at school while he waits for his assessment."
        ),
    ),
    (
        "money",
        (
            "The rent arrears are being paid off through a plan the family can keep to, and the household receives "
            "every benefit it is entitled to."
        ),
    ),
    (
        "wellbeing",
        (
            "Agnieszka is getting help with her low mood, sleeps better and feels less alone; Antoni's weight is "
            "back on track."
        ),
    ),
)

# (key, action, who, days after completion to be done by, outcome)
_LARGE_ACTIONS = (
    (
        "checkins",
        "Pastoral check-ins for Zoë twice a week, and a young carers' assessment",
        "Chloë Fairbrother-Nwosu (Iffley Brook Academy), with Zoë",
        21,
        "zoe",
    ),
    (
        "mondays",
        (
            "Agree a Monday plan so that Zoë goes to school: Owen to book job-centre appointments on other days, "
            "Halina to come on Monday mornings"
        ),
        "Owen and Agnieszka, with Halina",
        14,
        "zoe",
    ),
    (
        "routine",
        (
            "Make a visual morning and bedtime routine for Mikołaj together, and try the soft seamless school "
            "clothes the SENCo suggested"
        ),
        "Agnieszka and Owen, with Róisín Gallagher",
        21,
        "routines",
    ),
    (
        "senplan",
        "Apply for an SEN support plan for Mikołaj and ask the Educational Psychologist for advice",
        "Tomasz Wróbel (Brookside Primary)",
        42,
        "routines",
    ),
    (
        "rent",
        "Set up an affordable repayment plan for the rent arrears and do a full benefits check",
        "Kwabena Asante-Boateng (housing association), with Owen",
        28,
        "money",
    ),
    (
        "gp",
        "Agnieszka to see her GP about her low mood and self-refer to Talking Therapies",
        "Agnieszka, supported by Siân Pritchard",
        14,
        "wellbeing",
    ),
    (
        "sleep",
        "A sleep plan for Antoni and monthly weighing at the baby clinic",
        "Siân Pritchard (health visitor) and Agnieszka",
        56,
        "wellbeing",
    ),
)

_ATTENDED, _APOLOGIES, _INVITED = Attendance.ATTENDED, Attendance.APOLOGIES, Attendance.INVITED
_PEOPLE = {
    "agnieszka": ("Agnieszka Dąbrowska-Hale", "", "Mother"),
    "owen": ("Owen Hale", "", "Father"),
    "zoe": ("Zoë Hale", "", "Young person"),
    "sian": ("Siân Pritchard", "Health visiting", "Health visitor"),
    "chloe": ("Chloë Fairbrother-Nwosu", "Iffley Brook Academy", "Designated safeguarding lead"),
    "tomasz": ("Tomasz Wróbel", "Brookside Primary School", "SENCo"),
    "aoife": ("Dr Aoife Ní Mhurchú", "CAMHS", "Mental health practitioner"),
    "kwabena": ("Kwabena Asante-Boateng", "Isis Vale Homes", "Tenancy support officer"),
    "roisin": ("Róisín Gallagher", "Family Solutions Plus", "Family support worker"),
    "halina": ("Halina Dąbrowska", "", "Grandmother"),
}


@dataclass(frozen=True)
class _MeetingStory:
    """One TAF meeting of the large family, as the screens would have it typed."""

    after: int  # days after the assessment was completed
    where: str
    people: dict[str, Attendance]  # who was invited (keys of _PEOPLE), and whether they came
    family_view: str
    child_view: str
    working_well: str
    worries: str
    progress: dict[str, tuple[ActionProgress, str]]  # every action of the plan the meeting began from
    new: tuple[tuple[str, str, str, int, str], ...]  # (key, action, who, days to do it in, outcome key)
    minutes: str
    next_review_after: int | None  # days to the next review; None: the meeting agreed to close


_MEETINGS = (
    _MeetingStory(
        after=40,
        where="Brookside Primary School, the family room; Owen joined by phone for the first half.",
        people={
            "agnieszka": _ATTENDED,
            "owen": _ATTENDED,
            "sian": _ATTENDED,
            "chloe": _ATTENDED,
            "tomasz": _ATTENDED,
            "roisin": _ATTENDED,
            "aoife": _APOLOGIES,
            "kwabena": _APOLOGIES,
        },
        family_view="Agnieszka said it has helped just to have everything written down in one place. Mondays are "
        "better since Halina started coming. She has seen her GP and started medication and is on the waiting list "
        'for Talking Therapies. Owen said the housing association were "decent about it" and the repayment plan is '
        "£12 a week, which they can manage.",
        child_view="Zoë (through Chloë) said she likes the check-ins and has been in school every Monday for three "
        'weeks. Łucja told Róisín the house is "a little bit quieter". Mikołaj showed Róisín his new picture '
        'timetable and said the soft jumper "doesn\'t bite".',
        working_well="Zoë's attendance is 96% since the plan began. The Monday plan is working. The repayment plan "
        "is in place. Mikołaj's visual timetable at school and at home. The parents are talking more calmly about "
        "money now there is a plan.",
        worries="Mikołaj's meltdowns after school are still daily. Antoni is still waking several times a night "
        'and his weight is unchanged. Agnieszka says the tablets are "starting to take the edge off" but she is '
        "still very tired.",
        progress={
            "checkins": (ActionProgress.IN_PROGRESS, "Twice weekly since week 2. Young carers' assessment booked."),
            "mondays": (
                ActionProgress.DONE,
                "Halina comes every Monday 7:30–9:30. Owen's appointments are on Wednesdays.",
            ),
            "routine": (ActionProgress.IN_PROGRESS, "Morning chart in use; bedtime chart to do."),
            "senplan": (ActionProgress.IN_PROGRESS, "Application drafted; EP consultation requested."),
            "rent": (
                ActionProgress.DONE,
                "£12 a week from the next payment; benefits check found council tax reduction.",
            ),
            "gp": (ActionProgress.DONE, "Seen by the GP; on the Talking Therapies waiting list (about 8 weeks)."),
            "sleep": (ActionProgress.IN_PROGRESS, "Sleep plan started last week."),
        },
        new=(
            (
                "course",
                "Book places for Agnieszka and Owen on a parenting course for parents of autistic children",
                "Róisín Gallagher",
                30,
                "routines",
            ),
            (
                "jobclub",
                (
                    "Owen to go to the job club at the library on Wednesdays and ask about the hospital's "
                    "part-time portering jobs"
                ),
                "Owen",
                35,
                "money",
            ),
        ),
        minutes="Everyone agreed the plan has made a good start. Zoë's attendance has gone up and the rent is on a "
        "repayment plan. The next steps are the bedtime routine for Mikołaj, a parenting course, and help for Owen "
        "to find work. Siân will keep weighing Antoni every month. Dr Ní Mhurchú sent a short update: Zoë is "
        "engaging well and using her coping strategies. Róisín stays the lead professional.",
        next_review_after=42,
    ),
    _MeetingStory(
        after=82,
        where="At the family's home, with Antoni and Mikołaj there for the first half hour.",
        people={
            "agnieszka": _ATTENDED,
            "owen": _APOLOGIES,
            "halina": _ATTENDED,
            "sian": _ATTENDED,
            "chloe": _ATTENDED,
            "tomasz": _ATTENDED,
            "kwabena": _ATTENDED,
            "roisin": _ATTENDED,
            "aoife": _APOLOGIES,
        },
        family_view="Agnieszka said it has been a hard month: the boiler broke in the cold snap and the repair "
        'bill put them behind again, and she "felt all the old panic come back". She has had her first two Talking '
        "Therapies sessions and is sleeping a bit better. Owen sent apologies: he was at a job interview at the "
        "hospital.",
        child_view='Zoë told Chloë she is "mostly fine" and is enjoying art club. Łucja was in her first '
        'gymnastics competition and came fourth. Mikołaj said the course people "talk about me" and he wants to '
        "come too.",
        working_well="Zoë's attendance has stayed at 97%, and she goes to art club on Thursdays. Mikołaj's bedtime "
        "routine is in place and bedtimes are calmer. Antoni has gained weight and sleeps in four-hour stretches. "
        "The parents have started the parenting course.",
        worries="The boiler repair (£480) and the winter bills have put the family behind again; Agnieszka is "
        "frightened of more letters. Mikołaj's SEN support plan has not been agreed yet.",
        progress={
            "checkins": (
                ActionProgress.DONE,
                "Young carers' assessment done; Zoë now goes to the young carers' group.",
            ),
            "routine": (ActionProgress.DONE, "Bedtime chart made with Mikołaj; bedtime now takes 30 minutes, not 90."),
            "senplan": (ActionProgress.IN_PROGRESS, "EP visit was cancelled; re-booked for next month."),
            "sleep": (ActionProgress.DONE, "Antoni back on the 50th centile; sleeping in longer stretches."),
            "course": (ActionProgress.IN_PROGRESS, "Both parents have been to 3 of the 8 sessions."),
            "jobclub": (ActionProgress.IN_PROGRESS, "Going every Wednesday; interview at the hospital today."),
        },
        new=(
            (
                "fund",
                "Apply to the Household Support Fund for help with the boiler repair and the winter bills",
                "Kwabena Asante-Boateng, with Agnieszka",
                14,
                "money",
            ),
            (
                "energy",
                "Refer the family to the energy advice service about heating the house for less",
                "Kwabena Asante-Boateng",
                21,
                "money",
            ),
        ),
        minutes="A hard month because of the boiler, but a lot of progress: Zoë is settled at school, bedtimes are "
        "calmer, and Antoni is gaining weight and sleeping longer. Kwabena will help with a Household Support Fund "
        "application and an energy advice referral. Tomasz will chase the Educational Psychologist. Róisín remains "
        "the lead professional.",
        next_review_after=42,
    ),
    _MeetingStory(
        after=124,
        where="Brookside Primary School, the family room.",
        people={
            "agnieszka": _ATTENDED,
            "owen": _ATTENDED,
            "zoe": _ATTENDED,
            "sian": _APOLOGIES,
            "chloe": _ATTENDED,
            "tomasz": _ATTENDED,
            "kwabena": _INVITED,
            "roisin": _ATTENDED,
            "aoife": _APOLOGIES,
        },
        family_view='Owen has started as a part-time hospital porter (days, 25 hours a week). Agnieszka said "I '
        'feel like myself again, most days". Both parents said they would like to close the TAF now, knowing they '
        "can ask for help again, and thanked everyone.",
        child_view="Zoë came to the first part of the meeting and said: \"Home is calmer. I don't have to worry "
        "about Mum all the time.\" She would like to keep going to the young carers' group. Łucja and Mikołaj sent "
        "drawings of the family at the river.",
        working_well="Zoë's attendance is 98% over the last half term. Owen is working. The Household Support Fund "
        "paid for the boiler; the rent repayments are up to date. Mikołaj's SEN support plan is agreed and his "
        "meltdowns after school are now once or twice a week. Agnieszka has finished Talking Therapies.",
        worries="Mikołaj is still waiting for his autism assessment; Tomasz will keep the family updated. The "
        "family's money will be tight until Owen's first full month's pay.",
        progress={
            "senplan": (ActionProgress.DONE, "SEN support plan agreed; EP advice in place."),
            "course": (ActionProgress.DONE, "Both parents completed all 8 sessions."),
            "jobclub": (ActionProgress.NO_LONGER_NEEDED, "Owen started as a part-time porter at the hospital."),
            "fund": (ActionProgress.DONE, "£480 awarded towards the boiler repair."),
            "energy": (ActionProgress.DONE, "Energy advice visit done; radiator panels and a tariff change."),
        },
        new=(),
        minutes="Everyone agreed the outcomes of the plan have been achieved, and the family asked to close the "
        "TAF. Support carries on through universal services: the schools, the health visitor and the young carers' "
        "group. Tomasz will keep the family updated on the autism assessment. The family know they can ask any of "
        "us for help again at any time.",
        next_review_after=None,
    ),
)

# The ten areas in star order; a row per reading: first, reviews 1-3, closure. Mostly up; Physical health
# falls back at closure (Agnieszka hurt her back lifting the buggy), below where it began.
_LARGE_SCORES = (
    (6, 3, 4, 6, 3, 4, 3, 3, 2, 3),
    (6, 4, 5, 7, 4, 5, 4, 4, 4, 3),
    (6, 5, 5, 7, 5, 6, 5, 6, 3, 4),
    (6, 6, 6, 8, 6, 7, 6, 7, 5, 6),
    (5, 7, 7, 8, 6, 8, 6, 7, 6, 7),
)
_LARGE_STAR_NOTES = {
    (0, "well_being"): "Agnieszka: \"some days I don't want to get up\". Low mood since Antoni's birth.",
    (1, "boundaries"): "The family scored 3 (Mikołaj's meltdowns); the worker 5, seeing calm, "
    "consistent responses from both parents. Agreed 4.",
    (2, "home_money"): "Down after the boiler broke and the repair bill put the family behind again.",
    (4, "physical_health"): "Agnieszka hurt her back lifting the buggy last month; physiotherapy booked.",
}


def large_family(
    *, today: date, wording: ConsentWording | None = None, directory: Directory | None = None
) -> FamilyRecord:
    """The family every demo load begins with (see the comment above): the same people and ids
    whatever the seed, its dates counted back from `today`, everything as the screens would
    have saved it. `directory` is accepted for symmetry with `generate_families`; consent here
    names only the family's own professionals."""
    del directory
    wording = wording or load_consent_wording()
    started = today - timedelta(days=214)
    completed_on = started + timedelta(days=14)
    ids = _large_id

    def born(years: int, days: int) -> date:
        return today - timedelta(days=round(years * 365.25) + days)

    polish = {"ethnicity": "White Polish", "religion": "Roman Catholic", "first_language": "Polish"}
    children_heritage = {"ethnicity": "White Other (Polish and Welsh heritage)", "religion": "Roman Catholic"}
    agnieszka = Carer(
        id=ids("agnieszka"),
        name="Agnieszka Dąbrowska-Hale",
        relationship="Mother",
        main_carer=True,
        date_of_birth=born(34, 120),
        gender="Female",
        contact="07700 900412",
        **polish,
    )
    owen = Carer(
        id=ids("owen"),
        name="Owen Hale",
        relationship="Father",
        date_of_birth=born(37, 41),
        gender="Male",
        ethnicity="White British (Welsh)",
        religion="No religion",
        first_language="English",
        contact="07700 900587",
    )
    zoe = Child(
        id=ids("zoe"),
        name="Zoë Hale",
        date_of_birth=born(13, 150),
        gender="Female",
        first_language="English (and Polish)",
        school_or_setting="Iffley Brook Academy (Year 8)",
        **children_heritage,
    )
    lucja = Child(
        id=ids("lucja"),
        name="Łucja Hale",
        date_of_birth=born(9, 210),
        gender="Female",
        first_language="English (and Polish)",
        school_or_setting="Brookside Primary School (Year 4)",
        **children_heritage,
    )
    mikolaj = Child(
        id=ids("mikolaj"),
        name="Mikołaj Hale",
        date_of_birth=born(6, 75),
        gender="Male",
        first_language="English",
        school_or_setting="Brookside Primary School (Year 1)",
        **children_heritage,
    )
    antoni = Child(
        id=ids("antoni"),
        name="Antoni Hale",
        date_of_birth=today - timedelta(days=440),
        gender="Male",
        first_language="Polish and English",
        school_or_setting="At home; stay-and-play at Littlemore Children's Centre",
        **children_heritage,
    )
    children = (zoe, lucja, mikolaj, antoni)
    halina = SignificantAdult(
        id=ids("halina"),
        name="Halina Dąbrowska",
        relationship="Grandmother (Agnieszka's mother)",
        contact="07700 900733",
    )
    contacts = {
        "sian": "sian.pritchard@healthvisiting.example.org · 07700 900118",
        "chloe": "c.fairbrother-nwosu@iffleybrook.example.org",
        "tomasz": "senco@brookside-primary.example.org",
        "aoife": "camhs.referrals@health.example.org",
        "kwabena": "tenancy.support@isisvale.example.org · 07700 900260",
        "roisin": "roisin.gallagher@familysolutions.example.org · 07700 900905",
    }
    professionals = {
        key: Professional(id=ids(key), name=_PEOPLE[key][0], agency=_PEOPLE[key][1], role=_PEOPLE[key][2], contact=c)
        for key, c in contacts.items()
    }
    background = FamilyBackground(
        address="27 Magnolia Crescent\nOxford\nOX4 6QJ",
        reason=_LARGE_REASON,
        carers=(agnieszka, owen),
        children=children,
        adults=(halina,),
        professionals=tuple(professionals.values()),
    )
    first_day = _at(started, 10, 5)
    done = _at(completed_on, 15, 30)

    def section(model: object, at: datetime) -> SectionRecord:
        assert hasattr(model, "model_dump")
        return SectionRecord(data=model.model_dump(mode="json"), updated_at=at, updated_by=DEMO_PRACTITIONER)

    consent, consent_at = _large_consent(background, professionals, started, completed_on, wording)
    sections = {
        "background": section(background, _at(started + timedelta(days=2), 16, 40)),
        "threshold": section(ThresholdOfNeed(level=ThresholdLevel.COMPLEX), _at(started + timedelta(days=2), 16, 45)),
        "consent": section(consent, consent_at),
        "carers_views": section(
            CarersViews(
                views=(
                    CarerView(
                        carer_id=agnieszka.id,
                        own_words=_AGNIESZKA_OWN_WORDS,
                        going_well=_AGNIESZKA_GOING_WELL,
                        worries=_AGNIESZKA_WORRIES,
                        would_like_to_change=_AGNIESZKA_CHANGE,
                    ),
                    CarerView(
                        carer_id=owen.id,
                        own_words=_OWEN_OWN_WORDS,
                        going_well=_OWEN_GOING_WELL,
                        worries=_OWEN_WORRIES,
                        would_like_to_change=_OWEN_CHANGE,
                    ),
                )
            ),
            _at(started + timedelta(days=6), 12, 10),
        ),
        "child_views": section(
            ChildViews(
                views=(
                    ChildView(
                        child_id=zoe.id,
                        own_words=_ZOE_WORDS,
                        how_gathered=HowGathered.WISHES_AND_FEELINGS,
                        gathered_by="Chloë Fairbrother-Nwosu (Iffley Brook Academy)",
                        gathered_on=started + timedelta(days=5),
                    ),
                    ChildView(
                        child_id=lucja.id,
                        own_words=_LUCJA_WORDS,
                        how_gathered=HowGathered.THREE_HOUSES,
                        gathered_by="Róisín Gallagher",
                        gathered_on=started + timedelta(days=7),
                    ),
                    ChildView(
                        child_id=mikolaj.id,
                        own_words=_MIKOLAJ_WORDS,
                        how_gathered=HowGathered.THREE_HOUSES,
                        gathered_by="Róisín Gallagher",
                        gathered_on=started + timedelta(days=7),
                    ),
                    ChildView(
                        child_id=antoni.id,
                        too_young=True,
                        observation=_ANTONI_OBSERVATION,
                        how_gathered=HowGathered.OBSERVATION,
                        gathered_by="Siân Pritchard and Róisín Gallagher",
                        gathered_on=started + timedelta(days=8),
                    ),
                )
            ),
            _at(started + timedelta(days=8), 17, 0),
        ),
        "professional_views": section(
            ProfessionalViews(
                views=tuple(
                    ProfessionalView(
                        professional_id=p.id,
                        agency=p.agency,
                        role=p.role,
                        view=_PROFESSIONAL_VIEWS[key],
                        # The family agree who receives each view: those their consent covers.
                        may_receive=tuple(professionals[k].id for k in _SHARED_WITH if k != key)
                        if key in _SHARED_WITH
                        else (),
                    )
                    for key, p in professionals.items()
                )
            ),
            _at(started + timedelta(days=11), 11, 20),
        ),
    }
    plan = _large_plan(completed_on)
    sections["plan"] = section(plan, done)
    lead = LeadHistory(
        terms=(
            LeadTerm(
                id=ids("lead/1"),
                lead=LeadProfessional(
                    name="Róisín Gallagher", agency="Family Solutions Plus", role="Family support worker"
                ),
                from_on=completed_on,
                recorded_at=_at(completed_on, 16),
                recorded_by=DEMO_PRACTITIONER,
            ),
        )
    )
    sections[LEAD_KEY] = section(lead, _at(completed_on, 16))
    meetings, held = _large_meetings(plan, lead, completed_on)
    closed_on = held[-1] + timedelta(days=10)
    closed_at = _at(closed_on, 14)
    closure = TafClosure(
        reason=ClosureReason.OUTCOMES_ACHIEVED,
        family_comments=(
            "Agnieszka: \"At the start I was scared that asking for help meant we had failed. It didn't. Everyone "
            "listened, nobody judged us, and the plan was small enough to actually do. Róisín was always at the "
            'end of the phone. The best thing was seeing Zoë go back to being thirteen."\n\n'
            "Owen: \"Fair play to all of you. Sorting the rent took a weight off. I'd tell anyone in our situation "
            'to say yes."\n\n'
            'Zoë: "It\'s calmer at home and I get to do art club."'
        ),
        evaluation=(
            "All four desired outcomes were achieved within about four months. Zoë's attendance rose from 81% to "
            "98% and she no longer looks after her brothers in school time; she attends the young carers' group. "
            "Mikołaj has an agreed SEN support plan and calmer routines at home; he remains on the waiting list for "
            "an autism assessment, which the school is following up. The rent arrears are being repaid on an "
            "affordable plan, a benefits check added a council tax reduction, and the Household Support Fund paid "
            "for the boiler. Owen is working part-time. Agnieszka completed Talking Therapies and reports that her "
            "mood and sleep are much better; Antoni's weight is back on the 50th centile.\n\n"
            "The Family Star Plus shows progress in nine of the ten areas, four points in five of them "
            "(well-being, education and learning, family routine, home and money, progress to work). Physical "
            "health is one point lower than at the first reading, because of Agnieszka's recent back injury, for "
            "which physiotherapy is booked.\n\n"
            "What helped: a small, practical plan; one lead professional; the grandmother's help on Mondays; and "
            "both schools adapting quickly. Learning for next time: ask about the Household Support Fund as soon "
            "as there is a money worry, rather than waiting for a crisis. Support continues through universal "
            "services; the family know how to ask for help again."
        ),
        closed_on=closed_on,
        closed_at=closed_at,
        closed_by=DEMO_PRACTITIONER,
    )
    sections[CLOSURE_KEY] = section(closure, closed_at)
    readings = _large_readings(started, held, closed_on)
    drawings = (
        ("Mikołaj – my house.png", my_house_drawing(), 7),
        ("Mikołaj – three houses.png", three_houses_drawing(), 7),
    )
    attachments = tuple(
        AttachmentRecord(
            id=ids(f"drawing/{n}"),
            child_id=mikolaj.id,
            filename=name,
            media_type=PNG,
            size=len(content),
            data_base64=encode(content),
            uploaded_at=_at(started + timedelta(days=days), 18, n),
            uploaded_by=DEMO_PRACTITIONER,
        )
        for n, (name, content, days) in enumerate(drawings, start=1)
    )
    assessment = AssessmentRecord(
        id=ids("assessment"),
        status=AssessmentStatus.CLOSED,
        started_on=started,
        created_at=first_day,
        created_by=DEMO_PRACTITIONER,
        updated_at=closed_at,
        updated_by=DEMO_PRACTITIONER,
        sections=sections,
        star_readings=readings,
        completed_at=done,
        completed_by=DEMO_PRACTITIONER,
        review_date=completed_on + timedelta(days=40),
        attachments=attachments,
        taf_meetings=meetings,
    )
    return FamilyRecord(
        id=LARGE_FAMILY_ID,
        reference=LARGE_FAMILY_REFERENCE,
        locality="central",
        created_at=first_day,
        created_by=DEMO_PRACTITIONER,
        updated_at=_at(started + timedelta(days=2), 16, 40),
        updated_by=DEMO_PRACTITIONER,
        assessments=(assessment,),
        contacts=_large_contacts(started, completed_on, held, closed_on),
        sharing=_received(
            LARGE_FAMILY_ID, [professionals["sian"]], started, first_day, _Staff(DEMO_PRACTITIONER, "central")
        ),
    )


# Whom the family's consent covers: four of the six (not the housing association, their landlord, and
# not CAMHS: Zoë tells her CAMHS practitioner herself what she wants her to know).
_SHARED_WITH = ("sian", "chloe", "tomasz", "roisin")


def _large_consent(
    background: FamilyBackground,
    professionals: dict[str, Professional],
    started: date,
    completed_on: date,
    wording: ConsentWording,
) -> tuple[Consent, datetime]:
    """Agnieszka's written consent at the first visit (council storage, sharing with four of the
    six professionals), confirmed at the end; Owen's given verbally the next day; Zoë's own."""
    agnieszka, owen = background.carers
    zoe = background.children[0]
    recipients = tuple(professional_recipient(professionals[k]) for k in _SHARED_WITH)

    def given(person_id: str, on: date, hour: int, **fields: object) -> ConsentDecision:
        return ConsentDecision(
            id=_large_id(f"consent/{person_id}"),
            person_id=person_id,
            kind=ConsentKind.GIVEN,
            decided_on=on,
            share_with_professionals=True,
            recipients=recipients,
            council_storage=True,
            wording=wording,
            recorded_at=_at(on, hour, 15),
            recorded_by=DEMO_PRACTITIONER,
            **fields,
        )

    main = given(
        agnieszka.id,
        started,
        11,
        method=ConsentMethod.WRITTEN,
        explained="Went through the consent form together at the first visit, in English, with the Polish "
        "leaflet to keep. Agnieszka chose who may receive the assessment: not the housing association (their "
        "landlord) and not CAMHS, as Zoë wants to tell her CAMHS practitioner herself. Signed form scanned to "
        "the family's file.",
    )
    father = given(
        owen.id,
        started + timedelta(days=1),
        10,
        method=ConsentMethod.VERBAL,
        explained="Explained by phone what the assessment is and who would see it; Owen agreed to the same as "
        "Agnieszka.",
    )
    young_person = given(
        zoe.id,
        started + timedelta(days=3),
        15,
        method=ConsentMethod.VERBAL,
        explained="Talked it through with Zoë on her own at school, with Chloë Fairbrother-Nwosu: what the "
        "assessment is, who would see it, and that she can say no or change her mind later.",
        understanding="Zoë explained back who would see the assessment and why, and that she can change her mind; "
        "she asked that her friends are not told and that her CAMHS sessions stay private.",
    )
    confirmation = ConsentConfirmation(
        decision_id=main.id,
        confirmed_on=completed_on,
        recorded_at=_at(completed_on, 15),
        recorded_by=DEMO_PRACTITIONER,
    )
    return (
        Consent(decisions=(main, father, young_person), confirmations=(confirmation,)),
        _at(completed_on, 15),
    )


def _large_plan(completed_on: date) -> Plan:
    outcomes = {key: DesiredOutcome(id=_large_id(f"outcome/{key}"), text=text) for key, text in _LARGE_OUTCOMES}
    return Plan(
        analysis=_LARGE_ANALYSIS,
        outcomes=tuple(outcomes.values()),
        actions=tuple(
            PlanAction(
                id=_large_id(f"action/{key}"),
                action=action,
                who=who,
                by_when=completed_on + timedelta(days=days),
                outcome_id=outcomes[outcome].id,
            )
            for key, action, who, days, outcome in _LARGE_ACTIONS
        ),
    )


def _large_meetings(
    plan: Plan, lead: LeadHistory, completed_on: date
) -> tuple[tuple[TafMeetingRecord, ...], list[date]]:
    """The three TAF meetings, each begun from the plan the one before left, as the TAF screens
    build them, and finalised on the day; the last agrees to close."""
    records: list[TafMeetingRecord] = []
    held: list[date] = []
    current = plan.actions
    keys = {_large_id(f"action/{key}"): key for key, *_ in _LARGE_ACTIONS}
    for number, spec in enumerate(_MEETINGS, start=1):
        held_on = completed_on + timedelta(days=spec.after)
        meeting = TafMeeting(held_on=held_on, where=spec.where, progress=progress_from(current))
        for key, attendance in spec.people.items():
            name, agency, role = _PEOPLE[key]
            meeting = with_participant(
                meeting,
                Participant(
                    id=_large_id(f"meeting/{number}/{key}"), name=name, agency=agency, role=role, attendance=attendance
                ),
            )
        meeting = with_views(
            meeting,
            family_view=spec.family_view,
            child_view=spec.child_view,
            working_well=spec.working_well,
            worries=spec.worries,
            minutes=spec.minutes,
        )
        meeting = with_progress(meeting, {_large_id(f"action/{key}"): value for key, value in spec.progress.items()})
        if {keys[r.action.id] for r in meeting.progress} != set(spec.progress):
            raise AssertionError(f"TAF meeting {number} must say how every action of the plan is going")
        for key, action, who, days, outcome in spec.new:
            keys[_large_id(f"action/{key}")] = key
            meeting = with_new_action(
                meeting,
                PlanAction(
                    id=_large_id(f"action/{key}"),
                    action=action,
                    who=who,
                    by_when=held_on + timedelta(days=days),
                    outcome_id=_large_id(f"outcome/{outcome}"),
                ),
                plan=plan,
                started_on=None,
            )
        after = spec.next_review_after
        meeting = with_next_review(
            meeting,
            next_review_on=held_on + timedelta(days=after) if after is not None else None,
            reason="",
            closing=after is None,
            today=held_on,
        )
        finalised_at = _at(held_on, 17, 30)
        meeting = finalise(meeting, lead=lead, today=held_on, at=finalised_at, by=DEMO_PRACTITIONER)
        current = meeting.updated_plan
        records.append(
            TafMeetingRecord(
                id=_large_id(f"meeting/{number}"),
                number=number,
                data=meeting.model_dump(mode="json"),
                created_at=_at(held_on, 10),
                created_by=DEMO_PRACTITIONER,
                updated_at=finalised_at,
                updated_by=DEMO_PRACTITIONER,
            )
        )
        held.append(held_on)
    return tuple(records), held


def _large_readings(started: date, held: list[date], closed_on: date) -> tuple[StarReadingRecord, ...]:
    occasions = (
        (Occasion.first(), started + timedelta(days=3)),
        *((Occasion.review(n), day) for n, day in enumerate(held, start=1)),
        (Occasion.closure(), closed_on),
    )
    records = []
    for row, ((occasion, taken_on), scores) in enumerate(zip(occasions, _LARGE_SCORES, strict=True)):
        reading = StarReading(
            id=_large_id(f"star/{row}"), taken_on=taken_on, occasion=occasion, completed_by=CompletedBy.TOGETHER
        )
        for area, score in zip(AREA_KEYS, scores, strict=True):
            note = _LARGE_STAR_NOTES.get((row, area))
            if (row, area) == (1, "boundaries"):
                reading = reading.with_score(area, agreed=score, family=3, worker=5, note=note)
            else:
                reading = reading.with_score(area, agreed=score, note=note)
        at = _at(taken_on, 12, 30)
        records.append(
            StarReadingRecord(
                reading=reading.to_dict(),
                created_at=at,
                created_by=DEMO_PRACTITIONER,
                updated_at=at,
                updated_by=DEMO_PRACTITIONER,
            )
        )
    return tuple(records)


def _large_contacts(
    started: date, completed_on: date, held: list[date], closed_on: date
) -> tuple[RecordedContact, ...]:
    notes = (
        (
            started,
            ContactKind.VISIT,
            "Agnieszka, Antoni; Siân Pritchard",
            "First visit with Siân. Explained early help and the assessment; Agnieszka signed the consent form.",
        ),
        (
            started + timedelta(days=1),
            ContactKind.PHONE_CALL,
            "Owen",
            "Explained the assessment; Owen agreed verbally.",
        ),
        (
            started + timedelta(days=7),
            ContactKind.VISIT,
            "Agnieszka, Łucja, Mikołaj",
            "After-school visit: Three Houses with Łucja and Mikołaj. Mikołaj drew two pictures, kept with his view.",
        ),
        (
            completed_on,
            ContactKind.MEETING,
            "Agnieszka, Owen",
            "Went through the completed assessment and the plan together; both happy with it. Consent confirmed.",
        ),
        (
            held[0] + timedelta(days=20),
            ContactKind.MESSAGE,
            "Agnieszka",
            "Texted the date of the parenting course; Agnieszka replied that Halina will have Antoni.",
        ),
        (
            held[1] + timedelta(days=3),
            ContactKind.PHONE_CALL,
            "Kwabena Asante-Boateng",
            "The Household Support Fund application has gone in; decision expected within two weeks.",
        ),
        (
            closed_on,
            ContactKind.VISIT,
            "Agnieszka, Owen, Zoë",
            "Closing visit: the family's final comments and the closure star reading.",
        ),
    )
    contacts = [
        RecordedContact(
            id=_large_id(f"contact/{n}"),
            contact=Contact(contact_on=on, kind=kind, who=who, note=note),
            recorded_at=_at(on, 18, n),
            recorded_by=DEMO_PRACTITIONER,
            recorded_by_name="Demo Practitioner",
        )
        for n, (on, kind, who, note) in enumerate(notes, start=1)
    ]
    return newest_first(contacts)


def demo_families(
    *,
    count: int,
    seed: int,
    today: date,
    wording: ConsentWording | None = None,
    directory: Directory | None = None,
) -> list[FamilyRecord]:
    """What `eha demo` loads, as a list (`iter_demo_families`)."""
    return list(iter_demo_families(count=count, seed=seed, today=today, wording=wording, directory=directory))


def iter_demo_families(
    *,
    count: int,
    seed: int,
    today: date,
    wording: ConsentWording | None = None,
    directory: Directory | None = None,
) -> Iterator[FamilyRecord]:
    """What `eha demo` loads, one at a time: the large family first, then `count` generated
    families (`iter_families`); no families at all for a count of 0 (the demo accounts only)."""
    if count <= 0:
        return
    wording = wording or load_consent_wording()
    directory = directory or load_directory()
    yield large_family(today=today, wording=wording, directory=directory)
    yield from iter_families(count=count, seed=seed, today=today, wording=wording, directory=directory)
