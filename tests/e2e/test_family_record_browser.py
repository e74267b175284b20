"""A practitioner in a real browser: create a family, fill the background, save, reload, all there."""

import re

from playwright.sync_api import Page, expect

from tests.support.browser import open_app, wait_for_app
from tests.support.hostile import HOSTILE, LONG
from tests.support.sign_in import database_with_account, sign_in

REASON = f"Mum says: {HOSTILE}cares for them.\n" + LONG[:2_000]
PROFESSIONAL = "Dr Adaeze Okafor"


def type_date(page: Page, label: str, ddmmyyyy: str) -> None:
    page.locator(f'[aria-label="day, {label}"]').click()
    page.keyboard.type(ddmmyyyy.replace("/", ""))


def submit(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    wait_for_app(page)


def test_create_fill_save_reload_and_every_value_is_still_there(streamlit_server, page: Page, tmp_path):
    base_url = streamlit_server(env={"EHA_DATABASE_URL": database_with_account(tmp_path)})
    open_app(page, base_url)
    sign_in(page)

    page.get_by_role("textbox", name="Main carer's full name", exact=True).fill("Agnieszka Nowak")
    page.get_by_role("textbox", name="Relationship to the child", exact=True).fill("Mother")
    page.get_by_role("textbox", name="Child's full name", exact=True).fill(HOSTILE)
    type_date(page, "Child's date of birth", "03/02/2018")
    page.get_by_role("textbox", name="Family's main address", exact=True).fill("12 Church Lane\nBanbury\nOX16 4HW")
    submit(page, "Create family")

    expect(page).to_have_url(re.compile(r"/background\?assessment=[0-9a-f-]{36}$"))
    assert "Nowak" not in page.url and "2018" not in page.url  # nothing personal in the URL
    expect(page.get_by_role("heading", name="1. Family background and reason for assessment")).to_be_visible()

    page.get_by_role("textbox", name="Reason for the assessment", exact=True).fill(REASON)
    submit(page, "Save")
    expect(page.get_by_text(re.compile(r"^Saved at \d\d:\d\d$")).first).to_be_visible()

    # Saved people are summaries; one form at a time opens, named in the URL.
    page.get_by_role("button", name="Add a professional").click()
    expect(page).to_have_url(re.compile(r"&edit=new-professional$"))
    form = page.locator("[data-testid=stForm]").filter(has=page.get_by_role("button", name="Add professional"))
    form.get_by_role("textbox", name="Full name", exact=True).fill(PROFESSIONAL)
    form.get_by_role("textbox", name="Agency", exact=True).fill("GP surgery")
    form.get_by_role("textbox", name="Role", exact=True).fill("GP")
    submit(page, "Add professional")

    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("textbox", name="Reason for the assessment", exact=True)).to_have_value(REASON)
    expect(page.get_by_role("textbox", name="Family's main address", exact=True)).to_have_value(
        "12 Church Lane\nBanbury\nOX16 4HW"
    )
    # The child's name is shown exactly as typed: markup is text, not formatting.
    expect(page.get_by_text(HOSTILE, exact=True)).to_be_visible()
    expect(page.get_by_text("Agnieszka Nowak · main carer", exact=True)).to_be_visible()
    expect(page.get_by_text("Agency: GP surgery\nRole: GP", exact=True)).to_be_visible()
    page.get_by_role("button", name=f"Edit {PROFESSIONAL}").click()
    pro_form = page.locator("[data-testid=stForm]").filter(has=page.get_by_role("button", name="Remove professional"))
    expect(pro_form.get_by_role("textbox", name="Agency", exact=True)).to_have_value("GP surgery")
    expect(page.get_by_text("This section has everything it needs.")).to_be_visible()
    page.screenshot(path="test-artifacts/family-background-after-reload.png", full_page=True)

    # The same link in a fresh browser tab (another machine, tomorrow) opens the same record,
    # once the person has signed in there.
    again = page.context.browser.new_context().new_page()
    again.goto(page.url)
    wait_for_app(again)
    expect(again.get_by_role("heading", name="Sign in to the EHA workbook")).to_be_visible()
    sign_in(again)
    expect(again.get_by_role("textbox", name="Reason for the assessment", exact=True)).to_have_value(REASON)
    again.context.close()


def test_a_birth_date_in_the_future_is_explained_next_to_the_field(streamlit_server, page: Page, tmp_path):
    open_app(page, streamlit_server(env={"EHA_DATABASE_URL": database_with_account(tmp_path)}))
    sign_in(page)
    page.get_by_role("textbox", name="Main carer's full name", exact=True).fill("Ioana Popescu")
    page.get_by_role("textbox", name="Child's full name", exact=True).fill("Ștefan Popescu")
    type_date(page, "Child's date of birth", "01/01/2028")
    submit(page, "Create family")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_text(re.compile("Date of birth must be today or in the past")).first).to_be_visible()
    expect(page.get_by_role("textbox", name="Child's full name", exact=True)).to_have_value("Ștefan Popescu")
