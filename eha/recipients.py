"""Whom information may go to, as things rather than strings: a professional named in the
family background (section 1), or an entry of the local directory of agencies and services.

A service can contain agencies (an early help hub: school nursing, housing, the children's
centre). Consent given to share with a service covers its member agencies, and a professional
whose agency is a directory agency (names compared case- and accent-folded) belongs to it.
The directory is configuration (`config/agencies.toml`, or the file EHA_AGENCIES_FILE names).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from eha.background import FamilyBackground, Professional
from eha.config_files import read_tables
from eha.text import fold

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "config" / "agencies.toml"


class DirectoryConfigError(ValueError):
    """The agencies file cannot be used; the message names what is wrong."""


class RecipientKind(StrEnum):
    PROFESSIONAL = "professional"  # a professional named in section 1 (key: their id)
    DIRECTORY = "directory"  # an entry of the local directory (key: the entry's key)
    # Someone in neither, typed by hand (key ""): consent never covers them, since nobody
    # could have chosen them on the consent page.
    OTHER = "other"
    # The LCSS team of a locality (key: the locality's key), who review every completed EHA,
    # TAF minutes and closure. The council storing the assessment is what consent says of them.
    LCSS = "lcss"
    # The family themselves (key ""): it is their own information, so no consent is asked.
    FAMILY = "family"


class Recipient(BaseModel):
    """A person, agency or service information may be shared with."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: RecipientKind
    key: str
    name: str
    agency: str = ""
    role: str = ""

    @property
    def label(self) -> str:
        detail = ", ".join(part for part in (self.role, self.agency) if part.strip())
        if not self.name.strip():
            return detail
        return f"{self.name} ({detail})" if detail else self.name

    def same_as(self, other: Recipient) -> bool:
        return self.kind is other.kind and self.key == other.key


class EntryKind(StrEnum):
    SERVICE = "service"
    AGENCY = "agency"


@dataclass(frozen=True)
class DirectoryEntry:
    key: str
    name: str
    kind: EntryKind
    members: tuple[str, ...] = ()  # a service's agencies, by key
    contact: str = ""
    description: str = ""
    # Other names a professional's agency may be typed as in section 1 ("GP" for "GP surgery").
    aliases: tuple[str, ...] = ()

    def recipient(self) -> Recipient:
        return Recipient(kind=RecipientKind.DIRECTORY, key=self.key, name=self.name)


@dataclass(frozen=True)
class Directory:
    entries: tuple[DirectoryEntry, ...] = ()

    def get(self, key: str) -> DirectoryEntry | None:
        return next((e for e in self.entries if e.key == key), None)

    def services_containing(self, key: str) -> tuple[DirectoryEntry, ...]:
        return tuple(e for e in self.entries if e.kind is EntryKind.SERVICE and key in e.members)

    def recipients(self) -> tuple[Recipient, ...]:
        return tuple(e.recipient() for e in self.entries)

    def named(self, agency: str) -> DirectoryEntry | None:
        """The entry a professional's agency, as typed, names (case and accents folded)."""
        wanted = fold(agency)
        if not wanted:
            return None
        return next((e for e in self.entries if wanted in {fold(e.name), *(fold(a) for a in e.aliases)}), None)

    def entry_of(self, recipient: Recipient) -> DirectoryEntry | None:
        """The directory entry a recipient is, or belongs to (a professional's agency)."""
        if recipient.kind is RecipientKind.DIRECTORY:
            return self.get(recipient.key)
        return self.named(recipient.agency)

    def within(self, recipient: Recipient, named: Recipient) -> bool:
        """Whether naming `named` names `recipient` too: the same one; the agency or service a
        professional belongs to; a service that contains the recipient's agency."""
        if recipient.kind in _NAMED_BY_NOBODY or named.kind in _NAMED_BY_NOBODY:
            return False  # typed by hand, LCSS or the family: no directory entry names them
        if recipient.same_as(named):
            return True
        if named.kind is not RecipientKind.DIRECTORY:
            return False  # naming one professional names nobody else
        entry = self.entry_of(recipient)
        if entry is None:
            return False
        if entry.key == named.key:
            return True
        service = self.get(named.key)
        return service is not None and service.kind is EntryKind.SERVICE and entry.key in service.members


_NAMED_BY_NOBODY = frozenset({RecipientKind.OTHER, RecipientKind.LCSS, RecipientKind.FAMILY})

LCSS_AGENCY = "Locality and Community Support Service"


def lcss_recipient(key: str, name: str) -> Recipient:
    """The LCSS team of the locality `key` (its name as the localities file gives it)."""
    return Recipient(kind=RecipientKind.LCSS, key=key, name=f"LCSS {name}", agency=LCSS_AGENCY)


FAMILY_RECIPIENT = Recipient(kind=RecipientKind.FAMILY, key="", name="The family")


def professional_recipient(professional: Professional) -> Recipient:
    return Recipient(
        kind=RecipientKind.PROFESSIONAL,
        key=professional.id,
        name=professional.name,
        agency=professional.agency,
        role=professional.role,
    )


def typed_recipient(name: str, agency: str = "") -> Recipient:
    """Someone in neither the family's professionals nor the directory, as typed."""
    return Recipient(kind=RecipientKind.OTHER, key="", name=name, agency=agency)


def recipients_for(background: FamilyBackground, directory: Directory) -> tuple[Recipient, ...]:
    """What a picker offers: the family's professionals, then the directory."""
    return (*(professional_recipient(p) for p in background.professionals), *directory.recipients())


def load_directory(path: Path | None = None) -> Directory:
    """Read the agencies file; raises DirectoryConfigError naming what is wrong."""
    source = path or DEFAULT_FILE
    rows = read_tables(
        source,
        "entry",
        what="the agencies file",
        empty="[[entry]] (an agency or a service)",
        error=DirectoryConfigError,
    )
    found: list[DirectoryEntry] = []
    for n, row in enumerate(rows, start=1):
        bad = [k for k in ("key", "name", "kind") if not isinstance(row.get(k), str) or not str(row[k]).strip()]
        if bad:
            raise DirectoryConfigError(f"Entry {n} in {source} needs text for: {', '.join(bad)}.")
        if row["kind"] not in {k.value for k in EntryKind}:
            raise DirectoryConfigError(f'Entry {n} in {source}: kind must be "service" or "agency".')
        lists = {}
        for name in ("members", "aliases"):
            value = row.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise DirectoryConfigError(f"Entry {n} in {source}: {name} must be a list of text.")
            lists[name] = tuple(value)
        for name in ("contact", "description"):
            if not isinstance(row.get(name, ""), str):
                raise DirectoryConfigError(f"Entry {n} in {source}: {name} must be text.")
        unknown = set(row) - {"key", "name", "kind", "members", "aliases", "contact", "description"}
        if unknown:
            raise DirectoryConfigError(f"Entry {n} in {source} has unknown fields: {', '.join(sorted(unknown))}.")
        kind = EntryKind(row["kind"])
        if kind is EntryKind.AGENCY and lists["members"]:
            raise DirectoryConfigError(f"Entry {n} in {source} is an agency: only a service has members.")
        found.append(
            DirectoryEntry(
                key=row["key"].strip(),
                name=row["name"].strip(),
                kind=kind,
                members=lists["members"],
                aliases=lists["aliases"],
                contact=row.get("contact", ""),
                description=row.get("description", ""),
            )
        )
    keys = [e.key for e in found]
    if len(set(keys)) != len(keys):
        twice = sorted({k for k in keys if keys.count(k) > 1})
        raise DirectoryConfigError(f"Entry keys in {source} must be unique: {', '.join(twice)} appears twice.")
    agencies = {e.key for e in found if e.kind is EntryKind.AGENCY}
    for e in found:
        missing = [m for m in e.members if m not in agencies]
        if missing:
            raise DirectoryConfigError(
                f"The service {e.key} in {source} lists members that are not agencies in the file: "
                f"{', '.join(missing)}."
            )
    return Directory(entries=tuple(found))
