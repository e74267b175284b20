"""The large demo family (or a typical one) in a fresh SQLite database of its own, loaded as
`eha demo` loads it: the demo accounts, then the family through the import service (so through
every rule), its author the demo practitioner. For the scripts that measure the screens and
show the PDFs (scripts/bench_pages.py, scripts/bench_pdf.py, scripts/pdf_samples.py); never a
user's database.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eha.actor import Actor
from eha.demo import DEMO_PRACTITIONER, generate_families, large_family
from storage.bootstrap import add_demo_accounts, open_workbook
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
    return _load(folder, typical=False)


# The generated demo family with a completed assessment (the story of every twelfth family,
# eha.demo._story): two carers, a child or two, professionals, every section written.
TYPICAL_FAMILY = 5


def load_typical_family(folder: Path) -> LoadedFamily:
    """A new database holding a typical family instead: generated demo family number
    `TYPICAL_FAMILY` (seed 1), its assessment completed, with a first TAF meeting begun by the
    demo practitioner (so the meeting screen has an open meeting to draw)."""
    return _load(folder, typical=True)


def _load(folder: Path, *, typical: bool) -> LoadedFamily:
    settings = load_settings(
        {"EHA_DATABASE_URL": f"sqlite:///{folder / 'eha.sqlite3'}", "EHA_AUDIT_KEY": secrets.token_hex(32)},
        secrets_file=folder / "no-secrets.toml",  # nothing from this checkout's .streamlit/secrets.toml
    )
    workbook, engine = open_workbook(settings)
    operator = Actor.system("scripts")
    add_demo_accounts(workbook, actor=operator)
    wording, directory = workbook.assessments.consent_wording, workbook.directory
    if typical:
        families = generate_families(
            count=TYPICAL_FAMILY + 1, seed=1, today=workbook.today(), wording=wording, directory=directory
        )
        record = families[TYPICAL_FAMILY]
    else:
        record = large_family(today=workbook.today(), wording=wording, directory=directory)
    workbook.families.import_record(record=record, actor=operator, author=DEMO_PRACTITIONER)
    practitioner = workbook.accounts.actor_for(username=DEMO_PRACTITIONER)
    assessment_id = record.assessments[0].id
    if typical:
        workbook.taf.start_meeting(
            assessment_id=assessment_id, held_on=workbook.today(), where="At the family's home", actor=practitioner
        )
    return LoadedFamily(
        workbook=workbook,
        assessment_id=assessment_id,
        practitioner=practitioner,
        dispose=engine.dispose,
    )
