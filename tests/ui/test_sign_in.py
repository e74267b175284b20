"""Signing in and out through the screens (AppTest), including single sign-on by email."""

from datetime import timedelta

from streamlit.testing.v1 import AppTest

from pages import _ui
from storage.services import Workbook
from tests.ui.conftest import APP, PASSWORD


def fresh() -> AppTest:
    """A browser that has just opened the workbook.

    Run twice: with a `pages/` folder beside app.py, AppTest runs app.py only on the first
    run and the page script on its own afterwards (Streamlit's older multipage mode), so the
    sign-in form must come from the page's own check before a test fills it in.
    """
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.run()
    return at


def submit(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="sign_in:username").input(username)
    at.text_input(key="sign_in:password").input(password)
    at.button(key="FormSubmitter:sign-in-Sign in").click().run()
    assert not at.exception, at.exception
    return at


def sidebar(at: AppTest) -> str:
    # Captions are markdown with the user's text escaped; read them as shown.
    return "\n".join(c.value.replace("\\", "") for c in at.sidebar.caption)


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_nothing_is_shown_until_someone_signs_in(workbook, family):
    at = fresh()
    assert at.title[0].value == "Sign in to the EHA workbook"
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert at.text_input(key="sign_in:password").proto.type == at.text_input(key="sign_in:password").proto.PASSWORD
    assert [b.label for b in at.button] == ["Sign in"]
    assert "Ayaan" not in str(at)


def test_signing_in_opens_the_workbook_and_says_who(workbook, family):
    at = submit(fresh(), "Demo.Practitioner", PASSWORD)
    assert at.title[0].value == "Families"
    assert "Signed in as Demo (Practitioner)" in sidebar(at)
    assert any("Ayaan Khan" in t.value for t in at.text)


def test_a_wrong_password_and_an_unknown_username_get_the_same_message(workbook):
    wrong = errors(submit(fresh(), "demo.practitioner", "not the password"))
    unknown = errors(submit(fresh(), "no.such.person", "not the password"))
    assert wrong == unknown == ["Username or password is incorrect."]


def test_five_failures_lock_the_username_for_a_while(workbook, clock):
    at = fresh()
    for _ in range(4):
        submit(at, "lcss.central", "not the password")
    assert errors(at) == ["Username or password is incorrect."]
    submit(at, "lcss.central", "not the password")
    assert "paused for 15 minutes" in errors(at)[0]
    submit(at, "lcss.central", PASSWORD)
    assert "paused for 15 minutes" in errors(at)[0]
    clock.offset += timedelta(minutes=16)
    submit(at, "lcss.central", PASSWORD)
    assert at.title[0].value == "Families"


def test_an_idle_sign_in_ends_and_nothing_saved_is_lost(workbook: Workbook, family, clock):
    at = submit(fresh(), "demo.practitioner", PASSWORD)
    at.switch_page("pages/background.py")
    at.query_params["assessment"] = family[1]
    at.run()
    at.text_area(key="details:reason:0").input("Saved before the break")
    at.button(key="FormSubmitter:form:details-Save").click().run()
    assert any(s.value.startswith("Saved at ") for s in at.success)

    clock.offset += timedelta(minutes=31)
    at.run()
    assert at.title[0].value == "Sign in to the EHA workbook"
    assert any("signed out after 30 minutes without activity" in w.value for w in at.warning)
    assert len(at.text_area) == 0  # the record is not on screen while signed out
    # Signing in again returns to the same record, with what was saved.
    submit(at, "demo.practitioner", PASSWORD)
    assert at.text_area(key="details:reason:0").value == "Saved before the break"


def test_signing_out_ends_the_sign_in_on_the_server(workbook: Workbook, family):
    at = submit(fresh(), "demo.practitioner", PASSWORD)
    token = at.session_state[_ui.SIGN_IN]
    assert any(link.label == "Sign out" for link in at.sidebar.get("page_link"))
    at.switch_page("pages/sign_out.py").run()
    assert at.title[0].value == "Sign in to the EHA workbook"
    assert [w.value for w in at.warning] == ["You have signed out."]
    # The old token (still in a browser's cookie, say) no longer works.
    again = AppTest.from_file(APP, default_timeout=30)
    again.session_state[_ui.SIGN_IN] = token
    again.run()
    assert again.title[0].value == "Sign in to the EHA workbook"


def test_single_sign_on_maps_the_email_to_the_account(workbook: Workbook, family):
    at = AppTest.from_file(APP, default_timeout=30)
    at.user = {"is_logged_in": True, "email": "LCSS.Central@example.org", "name": "Lee"}
    workbook.accounts.add(
        username="lee.sso", display_name="Lee", role="lcss", locality="central", email="lcss.central@example.org",
        actor=workbook_operator(),
    )  # fmt: skip
    at.run()
    assert not at.exception
    assert at.title[0].value == "Families"
    assert "Signed in as Lee (LCSS reviewer, central)" in sidebar(at)


def test_single_sign_on_with_an_unknown_email_is_refused_and_audited_once(workbook: Workbook):
    at = AppTest.from_file(APP, default_timeout=30)
    at.user = {"is_logged_in": True, "email": "stranger@example.org"}
    at.run()
    at.run()
    assert at.title[0].value == "Sign in to the EHA workbook"
    assert [w.value for w in at.warning] == ["Your account is not set up in the workbook; ask an administrator."]
    refused = [
        line
        for line in workbook.audit.trail(actor=workbook_operator())
        if line.entry.action == "sign_in_failed" and line.entry.actor == "stranger@example.org"
    ]
    assert len(refused) == 1


def workbook_operator():
    from tests.ui.conftest import OPERATOR

    return OPERATOR


def test_an_administrator_starts_at_the_audit_trail_and_no_refusal_is_recorded(workbook: Workbook, family):
    # Signing in happens over the Families page, which an administrator (no case data) may not
    # open: they are taken to the audit trail instead, and nothing is refused on the way.
    at = submit(fresh(), "ada.admin", PASSWORD)
    assert at.title[0].value == "Audit trail"
    assert errors(at) == []
    system = workbook.accounts.actor_for(username="ada.admin")
    actions = [line.entry.action for line in workbook.audit.trail(actor=system)]
    assert "access_refused" not in actions and "signed_in" in actions


def test_the_menu_offers_creating_a_family_only_to_those_who_may(workbook: Workbook, family):
    def menu(username: str) -> list[str]:
        at = submit(fresh(), username, PASSWORD)
        return [link.proto.label for link in at.sidebar.get("page_link")]

    assert "Find or create a family" in menu("demo.practitioner")
    reviewer = menu("lcss.central")
    assert "Find a family" in reviewer and "Find or create a family" not in reviewer
