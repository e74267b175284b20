"""Finding families by a person's name through an index, on SQLite and on PostgreSQL alike.

`family_person_words` holds, for each person of the people index (`family_people`), every word
they are found by (`eha.text.name_words`: the words of their name folded as `eha.text.fold`
folds them, case and accents away). A search finds a person when every word typed begins one of
their words; the longest word typed is looked up as a range of the word index
(`word >= 'zo' AND word < 'zp'`), and each other word is checked with EXISTS on the primary key
(person, word), so a search reads the index, never every name in the county.

Why this and not the databases' own text search:
- One design for both databases. SQLite's FTS5 and PostgreSQL's pg_trgm or tsvector are two
  different indexes with two query languages, two tokenisers and two sets of edge cases to keep
  giving the same answers; a table and a B-tree behave the same on both.
- Prefix semantics, which is how people look for a name ("zoe now" while still typing).
  Trigrams need three characters before the index helps and match inside words; full-text
  search stems and drops words (a surname can be a stop word), and its prefix queries differ.
- The folding is the workbook's own, in Python (`fold`: NFKD, combining marks removed, the
  letters with strokes mapped, casefold), identical to what search did before and to the
  duplicate check. FTS5's `remove_diacritics` and PostgreSQL's `unaccent` with lower() fold by
  tables of their own, unlike each other and unlike `fold` (casefold makes 'ß' 'ss', lower()
  keeps it), so the same words could find different people on the two databases.
- No extension to install or enable (`pg_trgm`, `unaccent` need a superuser's CREATE
  EXTENSION; FTS5 is a compile-time option of SQLite), and nothing to do at migration time but
  create a table and an index.
The cost is a few rows per person, written with the people index in the same transaction.

The words are byte-ordered (COLLATE "C" on PostgreSQL, as SQLite compares text), so a prefix
is one contiguous range whatever the database's locale.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, and_, delete, exists, false, insert, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from eha.text import name_words, search_words
from storage.models import PersonIndexRow, PersonWordRow

_LAST_CODE_POINT = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)


def words_of(person: PersonIndexRow, family_id: str) -> None:
    """Give a person of the people index the words they are found by (written with them)."""
    person.words = [PersonWordRow(word=w, family_id=family_id) for w in sorted(name_words(person.name))]


def reindex(session: Session, family_ids: Iterable[str]) -> int:
    """Rebuild the words of these families' people from `family_people`, in the caller's
    transaction; returns how many words were written. For loads that write the people index
    without the ORM (a bulk import) and for repairing the index; the screens, create and import
    write words with each person (`words_of`)."""
    ids = list(dict.fromkeys(family_ids))
    written = 0
    for start in range(0, len(ids), 500):  # well under any database's limit on parameters
        chunk = ids[start : start + 500]
        session.execute(delete(PersonWordRow).where(PersonWordRow.family_id.in_(chunk)))
        people = session.execute(
            select(PersonIndexRow.id, PersonIndexRow.family_id, PersonIndexRow.name).where(
                PersonIndexRow.family_id.in_(chunk)
            )
        )
        rows = [
            {"person_id": person_id, "family_id": family_id, "word": word}
            for person_id, family_id, name in people
            for word in sorted(name_words(name))
        ]
        if rows:
            session.execute(insert(PersonWordRow), rows)
        written += len(rows)
    return written


def families_named(text: str) -> Select[str]:
    """The ids of the families with a person every word of `text` begins a word of (folded as
    names are). Text with no word in it finds nobody."""
    words = search_words(text)
    first = aliased(PersonWordRow)
    if not words:
        return select(first.family_id).where(false())
    # The longest word narrows the range read most; the others are looked up per person found.
    stmt = select(first.family_id).where(begins(first.word, words[0]))
    for word in words[1:]:
        other = aliased(PersonWordRow)
        stmt = stmt.where(exists().where(other.person_id == first.person_id, begins(other.word, word)))
    return stmt


def begins(column: ColumnElement[str] | InstrumentedAttribute[str], prefix: str) -> ColumnElement[bool]:
    """`column` begins with `prefix`, as a range an index reads (LIKE would need escaping, and
    is case-insensitive on SQLite for ASCII only, which no index of ours serves)."""
    after = following(prefix)
    return column >= prefix if after is None else and_(column >= prefix, column < after)


def following(prefix: str) -> str | None:
    """The first text after every text that begins with `prefix`, in code point order (which is
    UTF-8 byte order: SQLite's and PostgreSQL's "C" collation); None when there is none."""
    chars = list(prefix)
    while chars:
        last = ord(chars.pop())
        if last < _LAST_CODE_POINT:
            nxt = last + 1
            if nxt in _SURROGATES:  # never in valid text: skip to the first code point after them
                nxt = _SURROGATES.stop
            return "".join(chars) + chr(nxt)
    return None
