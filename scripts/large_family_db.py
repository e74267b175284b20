"""The large demo family in a fresh SQLite database of its own, loaded as `eha demo` loads it:
the demo accounts, then the family through the import service (so through every rule), its
author the demo practitioner. For the scripts that measure and show the PDFs
(scripts/bench_pdf.py, scripts/pdf_samples.py); never a user's database.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eha.accounts import HashedPassword
from eha.actor import Actor
from eha.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_PRACTITIONER, large_family
from storage.bootstrap import open_workbook
from storage.services import Workbook
from storage.settings import load_settings


@dataclass(frozen=True)
class LoadedFamily:
    workbook: Workbook
    assessment_id: str
    # The demo practitioner, who wrote the assessment: the person who makes its documents.
    practitioner: Actor
    dispose: Callable[[], None]  # the engine's dispose(), to call when done


def load_large_family(folder: Path) -> LoadedFamily:
    """A new database `folder`/eha.sqlite3 (with a random audit key) holding the large family."""
    settings = load_settings(
        {"EHA_DATABASE_URL": f"sqlite:///{folder / 'eha.sqlite3'}", "EHA_AUDIT_KEY": secrets.token_hex(32)},
        secrets_file=folder / "no-secrets.toml",  # nothing from this checkout's .streamlit/secrets.toml
    )
    workbook, engine = open_workbook(settings)
    operator = Actor.system("scripts")
    password = HashedPassword.of(DEMO_PASSWORD)  # hashed once for every account
    for username, name, role, locality in DEMO_ACCOUNTS:
        workbook.accounts.add(
            username=username,
            display_name=name,
            role=role,
            locality=locality,
            password=password,
            actor=operator,
        )
    record = large_family(
        today=workbook.today(), wording=workbook.assessments.consent_wording, directory=workbook.directory
    )
    workbook.families.import_record(record=record, actor=operator, author=DEMO_PRACTITIONER)
    return LoadedFamily(
        workbook=workbook,
        assessment_id=record.assessments[0].id,
        practitioner=workbook.accounts.actor_for(username=DEMO_PRACTITIONER),
        dispose=engine.dispose,
    )
