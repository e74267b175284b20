"""How the workbook is served: `streamlit run serve.py` (scripts/run-app.sh does).

Streamlit 1.67 serves apps with Starlette, and `st.App` is its supported way to add routes to
the server. The workbook adds two, so that the sign-in cookie is set by the server with
HttpOnly (a cookie written by page JavaScript never can be, and would be readable by any
script on the page):

- POST /eha/sign-in-cookie, body: a one-time code the sign-in screen was given after the
  password check (never the token itself). The code is exchanged for the sign-in's token
  (storage.accounts_service: issue_sign_in_code / redeem_sign_in_code), which is set as
  `eha_sign_in` with HttpOnly, SameSite=Strict, Path=/, and Secure when served over https.
- POST /eha/sign-out-cookie: clears that cookie (and ends the sign-in it names, if any).

Both refuse a request from another site (Sec-Fetch-Site / Origin). The app reads the cookie
through `st.context.cookies`, which sees the cookies of the browser's page request.
`app.py` stays the script (AppTest runs it directly); this file only adds the routes.
"""

from __future__ import annotations

from functools import cache

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from eha.errors import SignedOut
from storage.bootstrap import open_workbook
from storage.services import Workbook
from storage.settings import load_settings

COOKIE = "eha_sign_in"  # pages/_ui.py reads it under the same name
SIGN_IN_ROUTE = "/eha/sign-in-cookie"
SIGN_OUT_ROUTE = "/eha/sign-out-cookie"
_MAX_CODE = 200


@cache
def _workbook() -> Workbook:
    # The same settings as the app; routes run outside any script run, so outside st.cache_resource.
    wb, _engine = open_workbook(load_settings())
    return wb


def _same_site(request: Request) -> bool:
    """A request made by the workbook's own page, not by another site's form or script."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("origin")
    return origin is None or origin == f"{request.url.scheme}://{request.headers.get('host', '')}"


def _secure(request: Request) -> bool:
    # Behind a TLS-terminating proxy the scheme arrives as X-Forwarded-Proto.
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


async def sign_in_cookie(request: Request) -> Response:
    if not _same_site(request):
        return _no_store(Response(status_code=403))
    code = (await request.body())[:_MAX_CODE].decode("ascii", errors="replace").strip()
    try:
        token = await run_in_threadpool(lambda: _workbook().accounts.redeem_sign_in_code(code=code))
    except SignedOut:
        return _no_store(Response(status_code=400))
    response = Response(status_code=204)
    # No Max-Age: the cookie ends with the browser session, as the sign-in's idle limit does.
    response.set_cookie(COOKIE, token, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return _no_store(response)


async def sign_out_cookie(request: Request) -> Response:
    if not _same_site(request):
        return _no_store(Response(status_code=403))
    token = request.cookies.get(COOKIE)
    if token:
        await run_in_threadpool(lambda: _workbook().accounts.sign_out(token=token))
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return _no_store(response)


app = st.App(
    "app.py",
    routes=[
        Route(SIGN_IN_ROUTE, sign_in_cookie, methods=["POST"]),
        Route(SIGN_OUT_ROUTE, sign_out_cookie, methods=["POST"]),
    ],
)
