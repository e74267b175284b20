"""The deployment's Content-Security-Policy allows exactly the inline scripts the workbook and
Streamlit run, by hash, and no inline script otherwise (no 'unsafe-inline' for scripts)."""

import base64
import hashlib
import re
from pathlib import Path

import streamlit

from pages import _ui

HEADERS = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "eha-security-headers.conf"


def sha256_source(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def script_src() -> list[str]:
    policy = re.search(r'add_header Content-Security-Policy "([^"]+)"', HEADERS.read_text()).group(1)
    directive = next(d.strip() for d in policy.split(";") if d.strip().startswith("script-src "))
    return directive.split()[1:]


def test_the_policy_allows_the_workbooks_scripts_and_streamlits_by_hash_and_nothing_inline_else():
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", index, flags=re.S)
    ours = [
        re.fullmatch(r"<script>(.*)</script>", s, flags=re.S).group(1) for s in (_ui.HAND_OVER_SCRIPT, _ui.CLEAR_SCRIPT)
    ]
    wanted = {"'self'", *(sha256_source(s) for s in [*ours, *inline])}
    assert set(script_src()) == wanted
    assert "'unsafe-inline'" not in script_src() and "'unsafe-eval'" not in script_src()
