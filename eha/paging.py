"""A page of a long list: what every list (families, My families, the audit trail) returns, so
that a county's thousands of rows are read a page at a time and the screen can say how many
there are in all.

A page number past the last gives the last page (and one before the first gives the first):
an address kept from yesterday, when the list was longer, still shows rows rather than
nothing. A `Page` is a sequence of its rows (`len(page)` is the rows on this page; `total` is
every row of the list).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar, overload

from eha.errors import ValidationFailed

T = TypeVar("T")

PER_PAGE = 50
PER_PAGE_MAX = 200


def check_per_page(per_page: int) -> None:
    """Raises ValidationFailed (per_page) outside 1..PER_PAGE_MAX."""
    if not 1 <= per_page <= PER_PAGE_MAX:
        raise ValidationFailed({"per_page": f"Show between 1 and {PER_PAGE_MAX} rows a page."})


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` rows make (at least one, which may be empty)."""
    return max(1, -(-total // per_page))


def window(*, total: int, page: int, per_page: int) -> tuple[int, int]:
    """(the page to show, the offset of its first row): `page` brought within 1..last.
    Raises ValidationFailed (per_page) outside 1..PER_PAGE_MAX."""
    check_per_page(per_page)
    shown = min(max(page, 1), page_count(total, per_page))
    return shown, (shown - 1) * per_page


@dataclass(frozen=True)
class Page(Sequence[T], Generic[T]):
    """The rows of one page of a list, and where the page stands in the whole list."""

    items: tuple[T, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)

    @property
    def first(self) -> int:
        """The position (from 1) in the whole list of this page's first row; 0 when empty."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        """The position in the whole list of this page's last row; 0 when empty."""
        return self.first + len(self.items) - 1 if self.items else 0

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def showing(self) -> str:
        """ "Showing 51–100 of 1,234" (or "None to show" for an empty list)."""
        if not self.items:
            return "None to show"
        return f"Showing {self.first:,}–{self.last:,} of {self.total:,}"

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)
