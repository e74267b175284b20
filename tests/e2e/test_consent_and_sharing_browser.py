"""A practitioner in a real browser records consent as it happens over time, for a family with
two parents and a secondary-school-age child: the main carer refuses at first (nothing may be
shared), then both parents and the child agree, the child with a note of their understanding;
each person's position updates and the history lists every decision, newest first. A contact
goes in the family's contact log. The record of sharing's steps follow the consent steps."""

import re
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from eha.actor import Actor, Role
from eha.background import Carer, Child
from eha.localities import load_localities
from storage.db import make_engine
from storage.services import Workbook
from tests.e2e.test_whole_assessment_browser import TODAY, choose, saved, submit, textbox, type_date
from tests.support import AUDIT_KEY
from tests.support.browser import open_app, wait_for_app
from tests.support.eha import add_professional
from tests.support.sign_in import database_with_account, sign_in

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ME = Actor(username="demo.practitioner", display_name="demo.practitioner", role=Role.PRACTITIONER)
MUM, DAD, CHILD = "Maryam Khan", "Imran Khan", "Zainab Khan"
WHEN = f"{TODAY:%-d %B %Y}"
GP = "Dr Adaeze Okafor (GP, GP surgery)"  # the family's professional, as tests.support.eha adds them


def family_with_two_parents_and_a_teenager(url: str) -> tuple[str, str]:
    """The family as section 1 has it: the main carer, a second parent, a 13-year-old, a GP."""
    engine = make_engine(url)
    try:
        wb = Workbook(engine, localities=load_localities(), audit_key=AUDIT_KEY.encode())
        family_id, assessment_id = wb.families.create(
            locality="central",
            address="4 Cowley Road\nOxford",
            main_carer=Carer(name=MUM, relationship="Mother"),
            child=Child(name=CHILD, date_of_birth=date(TODAY.year - 13, 3, 1)),
            actor=ME,
        )
        a = wb.assessments.open(assessment_id=assessment_id, actor=ME)
        wb.assessments.save_member(
            assessment_id=assessment_id,
            expected_version=a.background.version,
            member=Carer(name=DAD, relationship="Father"),
            actor=ME,
        )
        add_professional(wb, assessment_id, ME)
    finally:
        engine.dispose()
    return family_id, assessment_id


def record(
    page: Page,
    *,
    person: str,
    kind: str,
    how: str,
    explained: str = "",
    understanding: str = "",
    covers: tuple[str, ...] = ("Early Help Hub",),
    excluded: tuple[str, ...] = (),
) -> None:
    """One decision on the consent page's form; consent given covers storing and sharing with
    `covers` (the Early Help Hub unless said), limited consent names whom it may not go to."""
    choose(page, "Whose decision", person)
    form = page.locator("[data-testid=stForm]").filter(has=page.get_by_role("button", name="Record the decision"))
    form.get_by_text(kind, exact=True).click()
    form.get_by_text(how, exact=True).click()
    if kind == "Given" and covers:
        form.get_by_text("Sharing with the professionals and agencies chosen below", exact=True).click()
        for name in covers:
            choose(page, "The professionals and agencies it may be shared with", name)
            page.keyboard.press("Escape")
        form.get_by_text("The council storing the assessment on its electronic system", exact=True).click()
    for name in excluded:
        choose(page, "Not to be shared with (limited consent)", name)
        page.keyboard.press("Escape")
    if explained:
        textbox(form, "What was explained (for a withdrawal: what it now stops)").fill(explained)
    if understanding:
        textbox(form, "The child's understanding (required for a child)").fill(understanding)
    submit(page, "Record the decision")
    saved(page)


def position(page: Page, line: str):
    return page.get_by_role("listitem").filter(has_text=re.compile("^" + re.escape(line)))


def test_consent_over_time_from_a_refusal_to_both_parents_and_the_child(streamlit_server, make_page, tmp_path):
    url = database_with_account(tmp_path)
    family_id, assessment_id = family_with_two_parents_and_a_teenager(url)
    page = make_page(1366, 900)
    base = streamlit_server(env={"EHA_DATABASE_URL": url})
    open_app(page, base)
    sign_in(page)

    # The consent page before anything is recorded: one line per person, the child suggested.
    page.goto(f"{base}/consent?assessment={assessment_id}")
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")
    expect(page.get_by_role("heading", name="Consent as it stands")).to_be_visible()
    expect(position(page, f"{MUM} (main carer): no decision recorded")).to_be_visible()
    expect(position(page, f"{CHILD} (child): no decision recorded")).to_contain_text("old enough to be asked")

    # The main carer refuses: a complete record of that choice, and nothing may be shared.
    record(page, person=f"{MUM} (main carer)", kind="Refused", how="Verbally", explained="Wants time to think.")
    expect(position(page, f"{MUM} (main carer): refused verbally on {WHEN}")).to_be_visible()
    expect(page.get_by_text(re.compile(r"can only be completed with the family's consent")).first).to_be_visible()
    nothing_shared = re.compile(rf"^Nothing may be shared on the basis of consent\. {MUM} refused consent on {WHEN}")
    expect(page.get_by_text(nothing_shared)).to_be_visible()

    # Later (the same day here), both parents and the child agree; the child's understanding noted.
    record(page, person=f"{MUM} (main carer)", kind="Given", how="In writing", covers=("Early Help Hub", GP))
    record(page, person=f"{DAD} (parent or carer)", kind="Given", how="Verbally")
    record(
        page,
        person=f"{CHILD} (child, 13)",
        kind="Given",
        how="Verbally",
        understanding="Zainab said back who would see it and that she can change her mind.",
    )
    expect(position(page, f"{MUM} (main carer): given in writing on {WHEN}")).to_be_visible()
    expect(position(page, f"{DAD} (parent or carer): given verbally on {WHEN}")).to_be_visible()
    expect(position(page, f"{CHILD} (child): given verbally on {WHEN}")).to_be_visible()
    expect(page.get_by_text(re.compile(r"can only be completed with the family's consent"))).to_have_count(0)
    expect(page.get_by_text(nothing_shared)).to_have_count(0)

    # The history: every decision, newest first, the refusal kept.
    headings = page.get_by_role("strong").filter(has_text=re.compile(r"^(ENTERED IN ERROR · )?.+: (given|refused) "))
    expect(headings).to_have_text(
        [
            f"{CHILD}: given verbally on {WHEN}",
            f"{DAD}: given verbally on {WHEN}",
            f"{MUM}: given in writing on {WHEN}",
            f"{MUM}: refused verbally on {WHEN}",
        ]
    )
    expect(page.get_by_text(re.compile(r"Their understanding: Zainab said back who would see it"))).to_have_count(1)
    expect(page.get_by_text(re.compile(r"Explained: Wants time to think\."))).to_have_count(1)
    ARTEFACTS.mkdir(exist_ok=True)
    # Streamlit scrolls its own main area, so a full-page shot is one screen: take the two that matter.
    page.get_by_role("heading", name="Consent as it stands").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTEFACTS / "consent-after-decisions.png"))
    page.get_by_role("heading", name="The history of decisions").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTEFACTS / "consent-history.png"))

    # A contact on the family's page.
    page.goto(f"{base}/family?family={family_id}")
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")
    expect(page.get_by_role("heading", name="Contact log")).to_be_visible()
    type_date(page, "Date of the contact", TODAY - timedelta(days=1))
    choose(page, "Type of contact", "Phone call")
    textbox(page, "Who was involved").fill(MUM)
    textbox(page, "A short note").fill("Called to say the consent form is signed.")
    submit(page, "Record the contact")
    expect(page.get_by_text(f"{TODAY - timedelta(days=1):%d %b %Y} · Phone call")).to_be_visible()

    sharing_steps(page, base=base, family_id=family_id, assessment_id=assessment_id)


def answer(page: Page, question: str, choice: str) -> None:
    """One of Appendix 1's questions, asked one at a time above the form."""
    page.get_by_role("radiogroup", name=question).get_by_text(choice, exact=True).click()
    wait_for_app(page)


def pick(page: Page, option: str) -> None:
    choose(page, "Shared with", option)
    wait_for_app(page)


def fill_and_record(page: Page, *, what: str, why: str, basis: str | None = None) -> None:
    form = page.locator("[data-testid=stForm]").filter(has=page.get_by_role("button", name="Record the decision"))
    textbox(form, "What information").fill(what)
    textbox(form, "Why").fill(why)
    if basis is not None:
        choose(page, "Lawful basis (if sharing)", basis)


def told(page: Page, question: str, choice: str) -> None:
    page.get_by_role("radiogroup", name=question).get_by_text(choice, exact=True).click()


def sharing_steps(page: Page, *, base: str, family_id: str, assessment_id: str) -> None:
    """The record of sharing on this family's consent: the father later limits his consent
    against the GP; then a share with School Health Nursing, an agency of the Early Help Hub the
    main carer consented to; a decision not to share with the excluded GP; and a share without
    consent, on safeguarding, decided by the school's safeguarding lead and recorded here."""
    page.goto(f"{base}/consent?assessment={assessment_id}")
    wait_for_app(page)
    record(page, person=f"{DAD} (parent or carer)", kind="Given, limited", how="Verbally", covers=(), excluded=(GP,))
    expect(position(page, f"{DAD} (parent or carer): given verbally, limited, on {WHEN} (not {GP})")).to_be_visible()

    page.goto(f"{base}/sharing?family={family_id}")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Record of sharing")).to_be_visible()

    # 1. An agency within the consented service: covered, worked out rather than asked.
    pick(page, "School Health Nursing · local directory")
    expect(
        page.get_by_text(re.compile(r"^Covered: .*School Health Nursing \(as part of Early Help Hub\)"))
    ).to_be_visible()
    answer(page, "Is there a clear and legitimate purpose for sharing the information?", "Yes")
    answer(page, "Do you have consent to share?", "Yes")
    expect(page.get_by_text("You can share.", exact=False)).to_be_visible()
    fill_and_record(page, what="Zainab's sleep worries", why="Support from the school nurse", basis="Consent")
    told(page, "Was the parent told it was shared?", "Told")
    told(page, "Was the child told it was shared?", "Told")
    submit(page, "Record the decision")
    saved(page)
    expect(page.get_by_role("heading", name="Decisions (1)")).to_be_visible()

    # 2. The GP, whom the father's consent now excludes: not covered; answering that we have
    #    consent is stopped at once; the decision not to share is recorded with the reason.
    pick(page, f"{GP} · the family's professional")
    expect(
        page.get_by_text(re.compile(rf"^Not covered: {DAD}'s consent of {WHEN} says it must not go to"))
    ).to_be_visible()
    answer(page, "Is there a clear and legitimate purpose for sharing the information?", "Yes")
    answer(page, "Do you have consent to share?", "Yes")
    expect(page.get_by_text(re.compile(r"consent does not cover this recipient"))).to_be_visible()
    answer(page, "Do you have consent to share?", "No")
    answer(page, "Does the information enable a person to be identified?", "Yes")
    answer(page, "Have you identified a lawful reason to share the information without consent?", "No")
    expect(page.get_by_text("Do not share.", exact=False)).to_be_visible()
    fill_and_record(page, what="The whole assessment", why="Mr Khan asked that the GP does not see it")
    submit(page, "Record the decision")
    saved(page)
    expect(page.get_by_role("heading", name="Decisions (2)")).to_be_visible()

    # 3. Without consent, on safeguarding, decided by another professional.
    pick(page, "Child and Adolescent Mental Health Services (CAMHS) · local directory")
    expect(page.get_by_text(re.compile(r"^Not covered: "))).to_be_visible()
    answer(page, "Is there a clear and legitimate purpose for sharing the information?", "Yes")
    answer(page, "Do you have consent to share?", "No")
    answer(page, "Does the information enable a person to be identified?", "Yes")
    answer(page, "Have you identified a lawful reason to share the information without consent?", "Yes")
    page.get_by_role("radiogroup", name="Who made the decision?").get_by_text("Another professional").click()
    wait_for_app(page)
    form = page.locator("[data-testid=stForm]").filter(has=page.get_by_role("button", name="Record the decision"))
    textbox(form, "Who decided: their name").fill("Ann Lee")
    textbox(form, "Their role").fill("Designated safeguarding lead")
    textbox(form, "Their agency").fill("Cherwell School")
    fill_and_record(
        page,
        what="Zainab's disclosure of self-harm",
        why="Risk of significant harm",
        basis="Safeguarding: risk of significant harm",
    )
    told(page, "Was the parent told it was shared?", "Not told")
    textbox(form, "Why the parent was not told (if not told; if they could not be contacted, what was tried)").fill(
        "Telling them now could increase the risk to Zainab"
    )
    told(page, "Was the child told it was shared?", "Told")
    submit(page, "Record the decision")
    saved(page)
    expect(page.get_by_role("heading", name="Decisions (3)")).to_be_visible()

    # The record reads back: who decided, the consent at the time, newest first.
    entries = page.get_by_test_id("stText")
    expect(entries.filter(has_text="Decided by Ann Lee, Designated safeguarding lead, Cherwell School")).to_have_count(
        1
    )
    expect(entries.filter(has_text="Consent at the time: Covered:")).to_have_count(1)
    expect(entries.filter(has_text=f"Consent at the time: Not covered: {DAD}'s consent")).to_have_count(1)
    expect(entries.filter(has_text="Parent: not told: Telling them now could increase the risk")).to_have_count(1)
    ARTEFACTS.mkdir(exist_ok=True)
    page.get_by_role("heading", name="Decisions (3)").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTEFACTS / "sharing-after-decisions.png"))
