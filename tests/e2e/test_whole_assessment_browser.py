"""A practitioner in a real browser walks a whole EHA, from an empty family to Completed,
reloading the page half-way: nothing typed and saved is lost."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.support.browser import open_app, wait_for_app
from tests.support.eha import tiny_png
from tests.support.hostile import HOSTILE
from tests.support.sign_in import database_with_account, sign_in

TODAY = datetime.now(ZoneInfo("Europe/London")).date()


def type_date(page: Page, label: str, day) -> None:
    page.locator(f'[aria-label="day, {label}"]').click()
    page.keyboard.type(day.strftime("%d%m%Y"))


def submit(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    wait_for_app(page)
    # A save ends with st.rerun(): wait for that second run too, or the next click lands mid-redraw.
    wait_for_app(page)


def go_to(page: Page, section: str) -> None:
    page.get_by_role("link", name=re.compile(re.escape(section))).first.click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=section.split(" · ")[0]).first).to_be_visible()


def textbox(page: Page, name: str):
    return page.get_by_role("textbox", name=name, exact=True)


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option of a selectbox or multiselect: clicking the box only focuses it, typing
    opens the list, filtered to what was typed."""
    box = page.get_by_role("combobox", name=re.compile(re.escape(label)))
    box.click()
    box.press_sequentially(option)
    page.get_by_role("option", name=option, exact=True).click()


def saved(page: Page) -> None:
    expect(page.get_by_text(re.compile(r"^Saved at \d\d:\d\d$")).first).to_be_visible()


def test_a_whole_assessment_from_an_empty_family_to_completed(streamlit_server, page: Page, tmp_path):
    open_app(page, streamlit_server(env={"EHA_DATABASE_URL": database_with_account(tmp_path)}))
    sign_in(page)

    # A new family: the main carer and one child.
    textbox(page, "Main carer's full name").fill("Maryam Khan")
    textbox(page, "Relationship to the child").fill("Mother")
    textbox(page, "Child's full name").fill("Ayaan Khan")
    type_date(page, "Child's date of birth", TODAY.replace(year=TODAY.year - 8, day=1))
    textbox(page, "Family's main address").fill("4 Cowley Road\nOxford")
    submit(page, "Create family")
    expect(page).to_have_url(re.compile(r"/background\?assessment=[0-9a-f-]{36}$"))
    assessment_url = page.url

    # Section 1: the sidebar lists every section; the threshold, the reason, a professional.
    sidebar = page.locator("[data-testid=stSidebar]")
    expect(sidebar.get_by_text(re.compile(r"3\. Outcome Star · not started"))).to_be_visible()
    expect(sidebar.get_by_text(re.compile(r"^Saved \d\d:\d\d$"))).to_be_visible()
    page.get_by_text("Level 2 (vulnerable)", exact=True).click()
    submit(page, "Save level and date")
    textbox(page, "Reason for the assessment").fill("Attendance has fallen. " + HOSTILE)
    submit(page, "Save")
    form = page.locator("[data-testid=stForm]").filter(has=page.get_by_role("button", name="Add professional"))
    page.get_by_role("button", name="Add a professional").click()
    wait_for_app(page)
    textbox(form, "Full name").fill("Dr Adaeze Okafor")
    textbox(form, "Agency").fill("GP surgery")
    textbox(form, "Role").fill("GP")
    submit(page, "Add professional")
    expect(sidebar.get_by_role("link", name=re.compile(r"1\. Family background · complete"))).to_be_visible()

    # Section 2, then a reload in the middle of the assessment: still there.
    go_to(page, "2. Parents' and carers' views")
    textbox(page, "Their view, in their own words").fill(HOSTILE)
    textbox(page, "What is going well").fill("Ayaan loves football.")
    submit(page, "Save")
    saved(page)
    page.reload()
    wait_for_app(page)
    expect(textbox(page, "Their view, in their own words")).to_have_value(HOSTILE)
    expect(textbox(page, "What is going well")).to_have_value("Ayaan loves football.")
    expect(sidebar.get_by_role("link", name=re.compile(r"2\. Parents' and carers' views · complete"))).to_be_visible()

    # Section 4: the child's view and their drawing; a file that is not a picture is refused.
    go_to(page, "4. Child's view")
    page.get_by_role("button", name="Edit Ayaan Khan's view").click()
    wait_for_app(page)
    textbox(page, "The child's view, in their own words").fill("I like my teacher. " + HOSTILE)
    choose(page, "How the view was gathered", "Three Houses")
    textbox(page, "Who gathered it").fill("Sam Worker")
    type_date(page, "When it was gathered", TODAY)
    submit(page, "Save")
    saved(page)
    uploader = page.locator("[data-testid=stFileUploader] input[type=file]")
    uploader.set_input_files({"name": "house.png", "mimeType": "image/png", "buffer": b"MZ not a picture"})
    submit(page, "Attach")
    expect(page.get_by_text(re.compile("must be a photo or drawing saved as PNG or JPEG")).first).to_be_visible()
    uploader.set_input_files({"name": "house.png", "mimeType": "image/png", "buffer": tiny_png()})
    submit(page, "Attach")
    expect(page.get_by_text(re.compile(r"^house\.png · ")).first).to_be_visible()
    expect(page.locator("[data-testid=stImage] img")).to_have_count(1)

    # Section 5.
    go_to(page, "5. Professional views")
    page.get_by_role("button", name="Edit Dr Adaeze Okafor's view").click()
    wait_for_app(page)
    textbox(page, "Their view").fill("Ayaan is well; Mum asks for help with mornings.")
    submit(page, "Save")
    saved(page)

    # Section 6: analysis, an outcome, a SMART action serving it.
    go_to(page, "6. Summary, plan and next steps")
    textbox(page, "Summary and analysis").fill("Mornings are the main difficulty. " + HOSTILE)
    submit(page, "Save")
    textbox(page, "Desired outcome").fill("Ayaan is at school on time every day.")
    submit(page, "Add outcome")
    textbox(page, "Action").fill("Make a morning routine chart together")
    textbox(page, "Who will do it").fill("Maryam and Ayaan")
    type_date(page, "By when", TODAY + timedelta(days=14))
    choose(page, "Outcome it serves", "Ayaan is at school on time every day.")
    submit(page, "Add action")
    expect(page.get_by_role("heading", name="Action 1")).to_be_visible()

    # Check your answers before consent: refused, saying why and what the options are.
    go_to(page, "Check your answers")
    expect(page.get_by_text("LCSS locality: North")).to_be_visible()
    expect(page.get_by_text(re.compile("Consent: consent has not been recorded")).first).to_be_visible()
    expect(page.get_by_text(re.compile("An Early Help Assessment is voluntary")).first).to_be_visible()

    # Consent, asked at the start and confirmed at the end.
    go_to(page, "Consent")
    page.get_by_text("In writing", exact=True).click()
    page.get_by_text("Sharing with the professionals and agencies chosen below", exact=True).click()
    choose(page, "The professionals and agencies it may be shared with", "Early Help Hub")
    page.keyboard.press("Escape")
    page.get_by_text("The council storing the assessment on its electronic system", exact=True).click()
    submit(page, "Record the decision")
    saved(page)
    expect(page.get_by_text(re.compile(r"Maryam Khan \(main carer\): given in writing on")).first).to_be_visible()
    submit(page, "Consent of Maryam Khan confirmed at the end of the assessment")
    saved(page)
    expect(sidebar.get_by_role("link", name=re.compile(r"Consent · complete"))).to_be_visible()

    # Complete, with a review date within six weeks.
    go_to(page, "Check your answers")
    latest = TODAY + timedelta(days=42)
    type_date(
        page, f"Review date, agreed with the family (within 6 weeks: by {latest:%d/%m/%Y})", TODAY + timedelta(days=28)
    )
    submit(page, "Complete the assessment")
    expect(page.get_by_text(re.compile(r"^Completed .* Review date: "))).to_be_visible()
    expect(sidebar.get_by_text("Early Help Assessment · Completed")).to_be_visible()
    # Everything typed is shown exactly: markup is text, never formatting.
    expect(page.get_by_text("I like my teacher. " + HOSTILE).first).to_be_visible()
    page.screenshot(path="test-artifacts/whole-assessment-completed.png", full_page=True)

    # The same link in a fresh tab opens the same, completed assessment.
    again = page.context.new_page()
    again.goto(assessment_url)
    wait_for_app(again)
    expect(again.locator("[data-testid=stSidebar]").get_by_text("Early Help Assessment · Completed")).to_be_visible()
