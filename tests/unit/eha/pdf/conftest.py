"""Shared by the PDF tests: a page frame, and poppler (skips locally when missing, fails in CI)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from eha.pdf.layout import Frame
from tests.support.poppler import require_poppler

MakeFrame = Callable[..., Frame]


def build_frame(**changes: Any) -> Frame:
    values: dict[str, Any] = {
        "title": "Early Help Assessment",
        "reference": "EH-7K3Q9D",
        # 13:05 UTC in July is 14:05 in England (BST).
        "generated_at": datetime(2026, 7, 2, 13, 5, tzinfo=UTC),
        "generated_by": "Sam Practitioner",
        "draft": False,
    }
    values.update(changes)
    return Frame(**values)


@pytest.fixture
def make_frame() -> MakeFrame:
    return build_frame


@pytest.fixture
def poppler() -> None:
    require_poppler()
