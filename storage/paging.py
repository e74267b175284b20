"""Paging a query in the database: one COUNT for the whole list, then only the page's rows.

The caller orders the statement (with a unique last key, so that no row is on two pages) and
loads what each row shows eagerly, so a page costs the same few statements whatever the page
or the size of the county.
"""

from __future__ import annotations

from typing import TypeVarTuple

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from eha.paging import check_per_page, window

Ts = TypeVarTuple("Ts")


def paged(session: Session, stmt: Select[*Ts], *, page: int, per_page: int) -> tuple[Select[*Ts], int, int]:
    """(the statement limited to the page's rows, the list's total, the page shown): a page past
    the last is the last. Raises ValidationFailed (per_page) outside 1..PER_PAGE_MAX."""
    check_per_page(per_page)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    shown, offset = window(total=total, page=page, per_page=per_page)
    return stmt.offset(offset).limit(per_page), total, shown
