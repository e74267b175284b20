"""Shared screen helpers (not a page: app.py routes with st.navigation, so pages/ is not scanned).

Pages stay thin: they read through the service layer, draw widgets and call a service to save.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import streamlit as st

from eha.actor import READ_ONLY_MESSAGE, Actor, Role, may_see_case_data, may_write_case_content
from eha.errors import AccessDenied, NotFound, SignedOut, SignInRefused
from pages import _addresses
from star import StarConfigError, StarText, load_star_text
from storage.accounts_service import SignedIn
from storage.bootstrap import open_workbook
from storage.services import Workbook
from storage.settings import SettingsError, load_settings

LONDON = ZoneInfo("Europe/London")
T = TypeVar("T")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")
# A widget label reads only inline markdown (emphasis, code, links, images, maths, :colour[]
# and :emoji: directives, character references) and unwraps blocks, so a leading block marker
# would vanish. Only these are escaped there: every escape also reaches the accessible name.
_LABEL_INLINE = re.compile(r"([\\`*_\[\]~$:<>&])")
_LABEL_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


@st.cache_resource(show_spinner="Opening the workbook…")
def _open_workbook() -> Workbook:
    wb, _engine = open_workbook(load_settings())
    return wb


def workbook() -> Workbook:
    """One engine per server process; sessions and query results are never cached. A setting
    the workbook cannot start with (no audit key, a bad number) stops every page with what to
    set, rather than a traceback."""
    try:
        return _open_workbook()
    except SettingsError as exc:
        st.error(f"The workbook cannot start. {literal(str(exc))}", icon=":material/error:")
        st.stop()


@st.cache_resource(show_spinner=False)
def _star_text() -> StarText:
    # Configuration, not case data: the same for every user, read once per server process.
    return load_star_text(load_settings().star_text_file)


def star_text() -> StarText:
    """The Family Star Plus wording: the organisation's file if configured, else neutral wording.
    A broken file stops the page with the file's problem rather than showing half a star."""
    try:
        return _star_text()
    except StarConfigError as exc:
        st.error(f"The Family Star Plus text file cannot be used. {literal(str(exc))}", icon=":material/error:")
        st.stop()


# -- who is signed in ---------------------------------------------------------------------------
#
# Signing in gives the browser a random token. Within a browser session it is kept in
# session_state; to survive a refresh (which starts a new session and loses session_state) it
# is also kept in a cookie, read back through st.context.cookies. The cookie is set by the
# server (serve.py) with HttpOnly, SameSite=Strict, path=/ and Secure over https, ends with the
# browser session and never appears in a URL; page scripts never see the token. The server keeps only a
# hash of the token and decides on every run whether the sign-in is still valid (idle time,
# signed out, account disabled), so a leftover cookie is worth nothing once a sign-in ends.

COOKIE = "eha_sign_in"
SIGN_IN = "sign_in:current"  # the browser's sign-in token
ACTOR = "sign_in:actor"
NOTICE = "sign_in:notice"
COOKIE_PENDING = "sign_in:cookie"  # "clear": done by the next page drawn in the browser
COOKIE_CODE = "sign_in:cookie_code"  # (token, the one-time code that sets its cookie)
SIGN_IN_ROUTE = "/eha/sign-in-cookie"  # serve.py's routes
SIGN_OUT_ROUTE = "/eha/sign-out-cookie"
# The two scripts never change (the code travels in an attribute, read and then removed from
# the page), so a Content-Security-Policy can allow exactly these by hash instead of allowing
# inline scripts: deploy/nginx/eha-security-headers.conf lists their SHA-256 (a browser test
# loads the app through it and fails on any violation).
HAND_OVER_SCRIPT = (
    "<script>document.querySelectorAll('[data-eha-sign-in-code]').forEach((e) => {"
    f"fetch('{SIGN_IN_ROUTE}', {{method: 'POST', body: e.dataset.ehaSignInCode, credentials: 'same-origin'}});"
    "e.remove();});</script>"
)
CLEAR_SCRIPT = f"<script>fetch('{SIGN_OUT_ROUTE}', {{method: 'POST', credentials: 'same-origin'}});</script>"
ENDED = "sign_in:ended"  # a token already found ended, so the cookie is not asked about again
SSO_REFUSED = "sign_in:sso_refused"
CHECKED = "sign_in:checked_at"
# app.py and the page both ask who is signed in on every run; the server is asked at most this
# often, so a run costs one check, and an ended sign-in is noticed within seconds.
RECHECK = timedelta(seconds=5)


def sso_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (OpenID Connect)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def _sso_email() -> str | None:
    """The email an identity provider vouched for in this browser, if any."""
    if not st.user.get("is_logged_in"):
        return None
    email = st.user.get("email")
    return str(email) if email else ""


def _cookie_token() -> str | None:
    token = st.context.cookies.get(COOKIE)
    # Only a real browser's cookie (a string) counts; a test harness may hand back anything.
    if not isinstance(token, str) or not token or token == st.session_state.get(ENDED):
        return None
    return token


def remember(signed_in: SignedIn) -> None:
    st.session_state[SIGN_IN] = signed_in.token
    st.session_state[ACTOR] = signed_in.actor
    st.session_state.pop(NOTICE, None)


def resolve_sign_in() -> Actor | None:
    """Who is signed in in this browser, checked with the server on every run; None if no one.

    Called by app.py and by every page (through current_actor): Streamlit runs a page script
    on its own, without app.py, on a fresh server's first run when a `pages/` folder exists.
    """
    wb = workbook()
    now = wb.now()
    known, checked = st.session_state.get(ACTOR), st.session_state.get(CHECKED)
    if isinstance(known, Actor) and isinstance(checked, datetime) and timedelta(0) <= now - checked < RECHECK:
        return known
    token = st.session_state.get(SIGN_IN) or _cookie_token()
    if token:
        try:
            actor = wb.accounts.resume(token=token)
        except SignedOut as ended:
            _forget(token)
            if str(ended):
                st.session_state[NOTICE] = str(ended)
                if _sso_email() is not None:
                    # The identity provider's sign-in would otherwise sign them straight back in.
                    st.logout()
        else:
            st.session_state[SIGN_IN] = token
            st.session_state[ACTOR] = actor
            st.session_state[CHECKED] = now
            return actor
    email = _sso_email()
    if email is not None and st.session_state.get(SSO_REFUSED) != email:
        try:
            signed_in = wb.accounts.sign_in_with_email(email=email)
        except SignInRefused as refused:
            st.session_state[SSO_REFUSED] = email  # asked once per browser session, not every run
            st.session_state[NOTICE] = str(refused)
            return None
        remember(signed_in)
        st.session_state[CHECKED] = now
        return signed_in.actor
    return None


def _forget(token: str | None) -> None:
    st.session_state.pop(SIGN_IN, None)
    st.session_state.pop(ACTOR, None)
    st.session_state.pop(CHECKED, None)
    st.session_state[ENDED] = token
    st.session_state[COOKIE_PENDING] = "clear"


def sign_out() -> None:
    """End this browser's sign-in (audited) and forget it here."""
    token = st.session_state.get(SIGN_IN)
    if token:
        workbook().accounts.sign_out(token=token)
    _forget(token)
    st.session_state[NOTICE] = "You have signed out."
    if _sso_email() is not None:
        st.logout()


def keep_cookie() -> None:
    """Keep the browser's sign-in cookie in step with this session's sign-in.

    The cookie is HttpOnly, so no page script can read or write it: the server sets it
    (serve.py). While the cookie the browser arrived with differs from the current token (a
    sign-in made in this session), the page posts a one-time code, issued once per sign-in,
    to the server route that sets the cookie; it is drawn on every run, so a run the browser
    never finished drawing cannot leave a refresh signed out (a code already used is simply
    refused). After signing out the page asks the server, once, to clear the cookie; the
    token is dead on the server by then anyway.
    """
    todo = st.session_state.pop(COOKIE_PENDING, None)
    token = st.session_state.get(SIGN_IN)
    if token and st.context.cookies.get(COOKIE) != token:
        issued = st.session_state.get(COOKIE_CODE)
        if not (isinstance(issued, tuple) and issued[0] == token):
            try:
                issued = (token, workbook().accounts.issue_sign_in_code(token=token))
            except SignedOut:
                return
            st.session_state[COOKIE_CODE] = issued
        # The code is URL-safe base64, so it needs no escaping in the attribute.
        st.html(
            f'<span hidden data-eha-sign-in-code="{issued[1]}"></span>{HAND_OVER_SCRIPT}', unsafe_allow_javascript=True
        )
    elif todo == "clear":
        st.html(CLEAR_SCRIPT, unsafe_allow_javascript=True)


def configure_page() -> None:
    """Title and wide layout. Called by app.py and again by every page, because on a fresh
    server's first run Streamlit may run a page without app.py (calls are additive)."""
    st.set_page_config(page_title="EHA workbook", page_icon=":material/family_restroom:", layout="wide")


def sign_in_screen() -> None:
    """The sign-in screen, drawn in place of any page while no one is signed in (by app.py, and
    by current_actor), so a link to a record still opens that record once the person has signed in."""
    st.title("Sign in to the EHA workbook")
    notice = st.session_state.get(NOTICE)
    if notice:
        st.warning(notice, icon=":material/info:")  # markdown: the workbook's own notice (SignedOut)
    refused = st.session_state.get("sign_in:refused")
    if refused:
        st.error(refused, icon=":material/error:")  # markdown: the workbook's own refusal (SignInRefused)
    with st.form("sign-in", clear_on_submit=True):
        username = st.text_input("Username", key="sign_in:username", autocomplete="username")
        password = st.text_input("Password", type="password", key="sign_in:password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            signed_in = workbook().accounts.sign_in(username=username or "", password=password or "")
        except SignInRefused as exc:
            st.session_state["sign_in:refused"] = str(exc)
        else:
            st.session_state.pop("sign_in:refused", None)
            remember(signed_in)
            if not may_see_case_data(signed_in.actor):
                # The page this run was drawn over is a case page (Families, or a deep link),
                # which would only refuse them: someone with no case data starts at the trail.
                st.switch_page(_addresses.AUDIT.path)
        st.rerun()
    if sso_configured():
        st.divider()
        if st.button("Sign in with your organisation account", icon=":material/badge:"):
            st.login()


def current_actor() -> Actor:
    """The signed-in person, with their sidebar (who, links, sign out). If no one is signed in,
    the sign-in screen is drawn in place of the page and the page stops."""
    configure_page()
    actor = resolve_sign_in()
    keep_cookie()
    if actor is None:
        sign_in_screen()
        st.stop()
    # Links only, no widgets: helpers may call current_actor() again in the same run.
    with st.sidebar:
        st.caption(f"Signed in as {literal(describe(actor))}")
        if actor.role in (Role.PRACTITIONER, Role.LCSS):
            st.page_link(_addresses.MY_FAMILIES.path, label="My families", icon=":material/folder_shared:")
            st.page_link(_addresses.FAMILIES.path, label=FIND_LABEL[may_write(actor)], icon=":material/search:")
        if actor.role in (Role.LCSS, Role.ADMIN):
            st.page_link(_addresses.AUDIT.path, label="Audit trail", icon=":material/policy:")
        st.page_link(_addresses.SIGN_OUT.path, label="Sign out", icon=":material/logout:")
    return actor


# The families page offers "Create a family" only to those who may write case content.
FIND_LABEL = {True: "Find or create a family", False: "Find a family"}


def may_write(actor: Actor) -> bool:
    """Whether to offer this person anything that changes case content (forms, uploads,
    "Create a family"). The service layer's own rule, which refuses the change anyway."""
    return may_write_case_content(actor)


def read_only_notice(read_only: bool) -> None:
    """Says why a record is drawn read-only for this person (an LCSS reviewer)."""
    if read_only:
        st.info(READ_ONLY_MESSAGE, icon=":material/visibility:")


def acting() -> Actor:
    """The signed-in person, for helper modules inside a page that has already called
    current_actor(): the same check, without drawing the sidebar a second time."""
    actor = resolve_sign_in()
    if actor is None:
        st.stop()
    return actor


def describe(actor: Actor) -> str:
    role = {Role.PRACTITIONER: "Practitioner", Role.LCSS: "LCSS reviewer", Role.ADMIN: "Administrator"}.get(
        actor.role, actor.role.value
    )
    where = f", {actor.locality}" if actor.locality else ""
    return f"{actor.display_name} ({role}{where})"


def literal(text: str) -> str:
    """User text for a markdown context (labels, headings), shown exactly, never interpreted."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return escaped.replace("\n", " ")


def date_limits(shown: date | None, *, earliest: date | None = None, latest: date | None = None) -> dict[str, Any]:
    """`min_value`/`max_value` for st.date_input that always take in the date it shows.

    A date input given a value outside its limits raises (even when disabled), so limits
    worked out from today would stop a record from opening once its stored dates are past.
    The limits only steer the calendar; what may be saved is decided by the service.
    Use as `st.date_input(label, value=shown, **_ui.date_limits(shown, earliest=..., latest=...))`.
    """
    if shown is not None:
        earliest = shown if earliest is not None and shown < earliest else earliest
        latest = shown if latest is not None and shown > latest else latest
    return {"min_value": earliest, "max_value": latest}


def label_text(text: str) -> str:
    """User text in a widget label, shown exactly: escapes only what a label would interpret,
    so an ordinary name ("Mary-Jane O'Neil", "Dr. A. Okafor") reaches a screen reader as typed."""
    escaped = _LABEL_INLINE.sub(r"\\\1", text.replace("\n", " "))
    # "# x", "- x" -> "\# x", "\- x"; "1. x" -> "1\. x"
    return _LABEL_BLOCK_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], escaped)


def at_time(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    today = datetime.now(LONDON).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%d %b %Y %H:%M")


def saved_note(key: str) -> None:
    """Shows "Saved at 14:02" after a form's last successful save in this browser session."""
    message = st.session_state.get(f"saved:{key}")
    if message:
        st.success(message, icon=":material/check_circle:")  # markdown: written by mark_saved, a time


def mark_saved(key: str, moment: datetime) -> None:
    st.session_state[f"saved:{key}"] = f"Saved at {at_time(moment)}"
    st.session_state.pop(f"errors:{key}", None)


def set_errors(key: str, errors: dict[str, str]) -> None:
    st.session_state[f"errors:{key}"] = errors
    st.session_state.pop(f"saved:{key}", None)


def errors_for(key: str) -> dict[str, str]:
    found: dict[str, str] = st.session_state.get(f"errors:{key}", {})
    return found


def error_summary(key: str, labels: dict[str, str]) -> None:
    """GOV.UK-style summary at the top of a form: what is wrong, in the order of the fields."""
    errors = errors_for(key)
    if not errors:
        return
    lines = [f"- **{literal(labels.get(field, 'This form'))}**: {literal(msg)}" for field, msg in errors.items()]
    st.error("There is a problem\n\n" + "\n".join(lines), icon=":material/error:")


def field_error(key: str, field: str) -> None:
    message = errors_for(key).get(field)
    if message:
        st.markdown(f":red[{literal(message)}]")


def param(name: str) -> str | None:
    value = st.query_params.get(name)
    return value or None


def required_param(name: str) -> str:
    """The id this page is opened with (`?family=...`, `?assessment=...`). A link without it
    leads nowhere, so the page goes back to Families rather than drawing an empty record."""
    value = param(name)
    if value is None:
        st.switch_page(_addresses.FAMILIES.path)
    return value


def guarded(load: Callable[[], T]) -> T:
    """Load a record; a missing or forbidden one stops the page with a plain message. The
    refusal never says whose the record is, and is the same for an id that does not exist."""
    try:
        return load()
    except AccessDenied:
        st.error("You don't have access to this record.")
        st.stop()
    except NotFound:
        st.error("This record could not be found. It may have been removed, or the link is incomplete.")
        st.page_link(_addresses.FAMILIES.path, label="Find a family", icon=":material/search:")
        st.stop()


def summary(rows: list[tuple[str, str]]) -> None:
    """What a form saved, as "Label: value" lines (a long or many-line value under its label),
    leaving out what is empty; st.text shows user text exactly, never as markdown."""
    lines = []
    for label, value in rows:
        if not value:
            continue
        lines.append(f"{label}:\n{value}" if "\n" in value or len(value) > 80 else f"{label}: {value}")
    if lines:
        st.text("\n".join(lines))


def widget_values(prefix: str, fields: list[str]) -> dict[str, Any]:
    return {f: st.session_state.get(f"{prefix}:{f}") for f in fields}
