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
from eha.family import AssessmentStatus, new_reference
from eha.recipients import professional_recipient
from eha.record import AssessmentRecord, FamilyRecord, SectionRecord, SharingEntryRecord, StarReadingRecord
from eha.sharing import Direction, Questions, SharingDecision
from eha.text import fold
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


def generate_families(*, count: int, seed: int, today: date) -> list[FamilyRecord]:
    """`count` demo families; the same seed and day always give the same families, and no two
    of their children share a name and a date of birth (the workbook's test for the same child)."""
    rng = random.Random(seed)  # noqa: S311 -- reproducible fake data, not secrets
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
