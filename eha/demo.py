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
from datetime import UTC, date, datetime, time, timedelta

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
from eha.family import AssessmentStatus, new_reference
from eha.plan import DesiredOutcome, Plan, PlanAction
from eha.recipients import Directory, EntryKind, Recipient, load_directory, professional_recipient
from eha.record import AssessmentRecord, FamilyRecord, SectionRecord, SharingEntryRecord, StarReadingRecord
from eha.sharing import Direction, Questions, SharingDecision
from eha.text import fold
from eha.threshold import ThresholdLevel, ThresholdOfNeed
from eha.views import CarersViews, CarerView, ChildView, ChildViews, HowGathered, ProfessionalView, ProfessionalViews
from star import AREA_KEYS, CompletedBy, Occasion, StarReading

DEMO_PRACTITIONER = "demo.practitioner"
# Demo accounts share one known password: for trying the workbook out, never for real data.
DEMO_PASSWORD = "eha-demo-password"  # noqa: S105 (published on purpose)
# (username, name, role, locality)
DEMO_ACCOUNTS: tuple[tuple[str, str, str, str | None], ...] = (
    (DEMO_PRACTITIONER, "Demo Practitioner", "practitioner", None),
    ("demo.lcss", "Demo LCSS Reviewer (Central)", "lcss", "central"),
    ("demo.admin", "Demo Administrator", "admin", None),
)

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
    """`count` demo families; the same seed and day always give the same families, and no two
    of their children share a name and a date of birth (the workbook's test for the same child).

    Each family also has a consent history, a few contacts in its contact log and, for some, a
    completed assessment (`_story`), drawn from a generator of their own (seed and family
    number), so the people of a seed stay as they were before these were added. `wording` and
    `directory` are the workbook's (the configured defaults when not given)."""
    rng = random.Random(seed)  # noqa: S311 -- reproducible fake data, not secrets
    wording = wording or load_consent_wording()
    directory = directory or load_directory()
    localities = tuple(TOWNS)
    families = []
    # No two children with the same name and date of birth, no two families with one reference.
    children_seen: set[tuple[str, date]] = set()
    references: set[str] = set()
    for n in range(count):
        surnames, girls, boys, ethnicity, religion, language = ORIGINS[rng.randrange(len(ORIGINS))]
        surname = rng.choice(surnames)
        locality = localities[n % len(localities)]
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
            date_of_birth=_birthday(rng, today, 22, 44),
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
                    date_of_birth=_birthday(rng, today, 24, 50),
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
            born = _birthday(rng, today, 0, 16)
            # A child with the same name and date of birth is the same child to the workbook:
            # draw another birthday rather than make a second family for them.
            while (fold(name), born) in children_seen:
                born = _birthday(rng, today, 0, 16)
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
        if rng.random() < 0.15:
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
        started = today - timedelta(days=rng.randint(3, 40))
        stamp = datetime.combine(started, time(9 + rng.randint(0, 7), rng.randint(0, 59)), tzinfo=UTC)
        sections = {
            "background": SectionRecord(
                data=background.model_dump(mode="json"), updated_at=stamp, updated_by=DEMO_PRACTITIONER
            )
        }
        assessment = AssessmentRecord(
            id=_uuid(rng),
            status=AssessmentStatus.DRAFT,
            started_on=started,
            created_at=stamp,
            created_by=DEMO_PRACTITIONER,
            updated_at=stamp,
            updated_by=DEMO_PRACTITIONER,
            sections=sections,
            star_readings=(_first_star_reading(rng, started, stamp),),
        )
        family_id = _uuid(rng)
        reference = new_reference(rng.getrandbits(64))
        while reference in references:
            reference = new_reference(rng.getrandbits(64))
        references.add(reference)
        story = random.Random(f"eha-demo/{seed}/{n}")  # noqa: S311 -- reproducible fake data
        assessment, contacts = _story(
            story, n, assessment, background, today=today, wording=wording, directory=directory
        )
        families.append(
            FamilyRecord(
                id=family_id,
                reference=reference,
                locality=locality,
                created_at=stamp,
                created_by=DEMO_PRACTITIONER,
                updated_at=stamp,
                updated_by=DEMO_PRACTITIONER,
                assessments=(assessment,),
                contacts=contacts,
                sharing=_received(family_id, professionals, started, stamp),
            )
        )
    return families


def _received(
    family_id: str, professionals: list[Professional], started: date, stamp: datetime
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
            recorded_by=DEMO_PRACTITIONER,
            recorded_by_name="Demo Practitioner",
            recorded_at=stamp,
        ),
    )


def _first_star_reading(rng: random.Random, started: date, stamp: datetime) -> StarReadingRecord:
    """The first Family Star Plus reading, scored with the family a few days into the
    assessment, so the star chart has something to show from the start."""
    reading = StarReading(
        id=_uuid(rng),
        taken_on=started + timedelta(days=2),
        occasion=Occasion.first(),
        completed_by=CompletedBy.TOGETHER,
    )
    for area in AREA_KEYS:
        reading = reading.with_score(area, agreed=rng.randint(2, 8))
    taken = stamp + timedelta(days=2)
    return StarReadingRecord(
        reading=reading.to_dict(),
        created_at=taken,
        created_by=DEMO_PRACTITIONER,
        updated_at=taken,
        updated_by=DEMO_PRACTITIONER,
    )


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
    assessment: AssessmentRecord,
    background: FamilyBackground,
    *,
    today: date,
    wording: ConsentWording,
    directory: Directory,
) -> tuple[AssessmentRecord, tuple[RecordedContact, ...]]:
    """The family's consent history, its contact log and, for some, the rest of a completed
    assessment: what a newcomer clicks through. Every piece obeys the rules of its screen."""
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
            recorded_by=DEMO_PRACTITIONER,
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
                    recorded_by=DEMO_PRACTITIONER,
                )
            )
        last = max((d.decided_on for d in decisions), default=started)
        sections["consent"] = SectionRecord(
            data=Consent(decisions=tuple(decisions), confirmations=tuple(confirmations)).model_dump(mode="json"),
            updated_at=_at(max([last, *(c.confirmed_on for c in confirmations)]), 16),
            updated_by=DEMO_PRACTITIONER,
        )
    if scene == _COMPLETED and confirmations:
        assessment = _completed(story, assessment, sections, background, today=today, wording_day=last)
    else:
        assessment = assessment.model_copy(update={"sections": sections})
    return assessment, _contacts(story, n, background, started=started, today=today)


def _completed(
    story: random.Random,
    assessment: AssessmentRecord,
    sections: dict[str, SectionRecord],
    background: FamilyBackground,
    *,
    today: date,
    wording_day: date,
) -> AssessmentRecord:
    """The rest of the assessment, completed, with a review later than 6 weeks and its reason."""
    started = assessment.started_on or today
    completed_on = min(today, max(wording_day, started) + timedelta(days=story.randint(4, 10)))
    done = _at(completed_on, 14)
    main = background.main_carer()
    assert main is not None
    carer_first = main.name.split()[0]

    def section(model: object) -> SectionRecord:
        assert hasattr(model, "model_dump")
        return SectionRecord(data=model.model_dump(mode="json"), updated_at=done, updated_by=DEMO_PRACTITIONER)

    sections["threshold"] = section(ThresholdOfNeed(level=ThresholdLevel.VULNERABLE))
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
        too_young = (child.age_on(today) or 0) < 3
        views.append(
            ChildView(
                child_id=child.id,
                too_young=too_young,
                own_words="" if too_young else "I like school when I get there on time. Mornings are shouty.",
                observation="Smiley and settled in the room; played with the blocks throughout." if too_young else "",
                how_gathered=HowGathered.OBSERVATION if too_young else HowGathered.THREE_HOUSES,
                gathered_by="Demo Practitioner",
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
    outcome = DesiredOutcome(
        id=str(uuid.UUID(int=story.getrandbits(128), version=4)), text="The children are at school on time every day."
    )
    sections["plan"] = section(
        Plan(
            analysis="Mornings are the main difficulty; the family want a routine and are keen to work on it.",
            outcomes=(outcome,),
            actions=(
                PlanAction(
                    id=str(uuid.UUID(int=story.getrandbits(128), version=4)),
                    action="Make a morning routine chart together",
                    who=f"{carer_first} and the children, with the family worker",
                    by_when=completed_on + timedelta(days=21),
                    outcome_id=outcome.id,
                ),
            ),
        )
    )
    return assessment.model_copy(
        update={
            "status": AssessmentStatus.COMPLETED,
            "sections": sections,
            "completed_at": done,
            "completed_by": DEMO_PRACTITIONER,
            "updated_at": done,
            "review_date": completed_on + timedelta(days=story.randint(56, 70)),
            "review_date_reason": _LATER_REVIEW.format(carer_first=carer_first),
        }
    )


def _contacts(
    story: random.Random, n: int, background: FamilyBackground, *, started: date, today: date
) -> tuple[RecordedContact, ...]:
    """Two to four contacts since the assessment started; one family has one removed, with why."""
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
    days = max(0, (today - started).days)
    for kind, who, note in story.sample(_CONTACT_NOTES, story.randint(2, 4)):
        on = started + timedelta(days=story.randint(0, days))
        recorded_at = _at(on, 17, story.randint(0, 59))
        contacts.append(
            RecordedContact(
                id=str(uuid.UUID(int=story.getrandbits(128), version=4)),
                contact=Contact(contact_on=on, kind=kind, who=who.format(**names), note=note.format(**names)),
                recorded_at=recorded_at,
                recorded_by=DEMO_PRACTITIONER,
                recorded_by_name="Demo Practitioner",
            )
        )
    if n % 12 == _CONTACT_REMOVED:
        first = contacts[0]
        contacts[0] = first.model_copy(
            update={
                "removal": Removal(
                    removed_at=first.recorded_at + timedelta(hours=1),
                    removed_by=DEMO_PRACTITIONER,
                    removed_by_name="Demo Practitioner",
                    reason="Recorded against the wrong family.",
                )
            }
        )
    return newest_first(contacts)
