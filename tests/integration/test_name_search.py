"""Finding a family by a person's name through the word index (storage.name_index), on SQLite and
on a real PostgreSQL: case and accents folded as before, every word typed the start of a word of
one person's name, hostile names found as typed, and the database reading the index to do it.
And My families filtered by lead professional, the lead named in the address only by a token."""

from datetime import date

from sqlalchemy import Select, select, text

from eha.actor import Actor, Role
from eha.background import Carer, Child
from eha.demo import DEMO_PRACTITIONER, large_family
from eha.family import AssessmentStatus
from eha.taf import LeadProfessional
from storage.models import FamilyRow
from storage.name_index import families_named, following
from storage.services import Workbook
from tests.integration.test_taf import agree_lead
from tests.support.eha import add_people, completed_family
from tests.support.hostile import HOSTILE

OPERATOR = Actor.system("test")
LEE = Actor(username="lee.central", display_name="Lee", role=Role.LCSS, locality="central")


def new_family(workbook: Workbook, actor: Actor, child: str, carer: str, born: date) -> str:
    family_id, _ = workbook.families.create(
        locality="central",
        address="1 High Street\nOxford",
        main_carer=Carer(name=carer, relationship="Parent"),
        child=Child(name=child, date_of_birth=born),
        actor=actor,
    )
    return family_id


def test_every_word_typed_begins_a_word_of_one_persons_name(workbook: Workbook, sam: Actor):
    chloe = new_family(workbook, sam, "Chloë Nowak", "Agnieszka Smith", date(2018, 2, 3))
    mary = new_family(workbook, sam, "Mary-Jane O'Brien", "Bartłomiej Ștefănescu", date(2019, 4, 5))
    hostile = new_family(workbook, sam, "Sam Jones", HOSTILE.strip(), date(2020, 6, 7))
    edge = new_family(workbook, sam, "Q\U0010ffff\U0010ffff Ab\ud7ffc", "Kit Jones", date(2021, 8, 9))

    def found(query: str) -> set[str]:
        return {f.family_id for f in workbook.families.search(query=query, actor=sam)}

    # Case and accents fold as before, on both sides; words in any order; the start of a word.
    for query in ("chloe", "CHLOË", "Chl", "nowak chloe", "  now   CHL ", "agn smi"):
        assert found(query) == {chloe}, query
    assert found("bartlomiej stef") == found("BARTŁOMIEJ ȘTEFĂN") == {mary}
    # A part of a word after punctuation begins a word too; the middle of a word does not.
    assert found("jane") == found("o'b") == found("brien mary") == {mary}
    assert found("owak") == set()
    assert found("chloe smith") == found("chloe nowak x") == set()  # the words of two people
    assert found("jones") == {hostile, edge}
    # Hostile names are found by what was typed, taken literally.
    for query in ("<script>alert(1)</script>", "%_", "'", '"', "\\", "مريم حداد", "😀", "evil", "*jo*"):
        assert found(query) == {hostile}, query
    assert found("%") == {hostile} and found("_") == set()
    # The last code point, and the one before the surrogates, still bound a prefix.
    assert found("q\U0010ffff") == found("ab\ud7ff") == {edge}
    assert found("ab\ue000") == set()
    # A date of birth and a family reference are found as before.
    assert found("03/02/2018") == {chloe}
    assert found(workbook.families.get(family_id=mary, actor=sam).reference.lower()) == {mary}


def test_the_range_after_a_prefix():
    assert following("ab") == "ac"
    assert following("a\U0010ffff") == "b"
    assert following("\U0010ffff") is None
    assert following("a\ud7ff") == "a\ue000"


def plan(workbook: Workbook, stmt: Select) -> str:
    """The database's plan for `stmt`, as text; PostgreSQL told to avoid reading whole tables
    (a handful of rows would otherwise be read that way, index or not)."""
    engine = workbook._core._engine_for_turns
    sql = str(stmt.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return "\n".join(str(row[-1]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
        conn.execute(text("SET enable_seqscan = off"))
        return "\n".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + sql))


def test_the_search_and_the_recent_first_order_are_read_from_indexes(workbook: Workbook, sam: Actor):
    new_family(workbook, sam, "Zoë Nowak", "Agnieszka Nowak", date(2018, 2, 3))
    searched = plan(workbook, families_named("zoe nowak"))
    assert "ix_family_person_words_word" in searched
    if workbook._core._engine_for_turns.dialect.name == "sqlite":
        assert "PRIMARY KEY" in searched  # the other word: checked on (person, word)
    else:  # a handful of rows: PostgreSQL may read the word index for both words
        assert "Seq Scan" not in searched
    recent = select(FamilyRow.id).order_by(FamilyRow.updated_at.desc(), FamilyRow.id).limit(50)
    assert "ix_families_recent" in plan(workbook, recent)
    locality = recent.where(FamilyRow.locality == "central")
    assert "ix_families_locality_recent" in plan(workbook, locality)


def test_my_families_is_filtered_by_lead_professional_in_the_database(workbook: Workbook, sam: Actor):
    jo = LeadProfessional(name="Jo Bloggs", agency="Cherwell Primary School", role="SENCo")
    priya = LeadProfessional(name="Priya Shah", agency="Health Visiting", role="Health visitor")
    first = completed_family(workbook, sam, child="Amir One")[1]
    second = completed_family(workbook, sam, child="Beth Two")[1]
    completed_family(workbook, sam, child="Cal Three")
    agree_lead(workbook, first, sam, lead=priya)
    agree_lead(workbook, second, sam, lead=jo)

    mine = workbook.taf.my_families(actor=sam)
    assert [(c.name, c.agency) for c in mine.leads] == [
        ("Jo Bloggs", "Cherwell Primary School"),
        ("Priya Shah", "Health Visiting"),
    ]
    by_name = {c.name: c.token for c in mine.leads}
    assert all("jo" not in t.lower() and "priya" not in t.lower() for t in by_name.values())
    led_by_jo = workbook.taf.my_families(actor=sam, lead=by_name["Jo Bloggs"])
    assert [e.assessment_id for e in led_by_jo] == [second] and led_by_jo.total == 1
    # The filters combine, and a token of nobody in the caseload finds nothing.
    assert workbook.taf.my_families(actor=sam, lead=by_name["Jo Bloggs"], status=AssessmentStatus.DRAFT).total == 0
    assert workbook.taf.my_families(actor=sam, lead="0" * 24).total == 0
    # The LCSS reviewer of the locality sees the same caseload and the same leads.
    assert workbook.taf.my_families(actor=LEE).leads == mine.leads

    # A new lead takes over: the filter follows the current lead.
    agree_lead(workbook, second, sam, lead=priya)
    now = workbook.taf.my_families(actor=sam)
    assert [c.name for c in now.leads] == ["Priya Shah"]
    assert {e.assessment_id for e in workbook.taf.my_families(actor=sam, lead=now.leads[0].token)} == {first, second}


def test_an_imported_family_is_found_by_name_and_by_its_lead(workbook: Workbook):
    add_people(workbook, {"demo": (DEMO_PRACTITIONER, "practitioner", None)})
    record = large_family(today=workbook.today(), wording=workbook.assessments.consent_wording)
    workbook.families.import_record(record=record, actor=OPERATOR, author=DEMO_PRACTITIONER)
    for query in ("hale", "dabrowska agn", "LUCJA"):
        assert [f.family_id for f in workbook.families.search(query=query, actor=OPERATOR)] == [record.id], query
    leads = workbook.taf.my_families(actor=OPERATOR).leads
    assert [c.name for c in leads] == ["Róisín Gallagher"]
    assert [e.family_id for e in workbook.taf.my_families(actor=OPERATOR, lead=leads[0].token)] == [record.id]
