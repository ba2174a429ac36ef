"""Fixtures for the PDF converter tests (helpers live in support.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from docgen.pdf import ConverterPool

from .support import build_docx


@pytest.fixture(scope="session")
def docx_bytes() -> bytes:
    return build_docx()


@pytest.fixture(scope="module")
def pool() -> Iterator[ConverterPool]:
    """One warm single-instance pool shared by a module's tests."""
    with ConverterPool(workers=1, timeout=30) as p:
        yield p


@pytest.fixture
def make_pool() -> Iterator[Callable[..., ConverterPool]]:
    """Factory for a test's own pool (closed at teardown)."""
    made: list[ConverterPool] = []

    def make(**kwargs: object) -> ConverterPool:
        kwargs.setdefault("workers", 1)
        p = ConverterPool(**kwargs)  # type: ignore[arg-type]
        made.append(p)
        return p

    yield make
    for p in made:
        p.close()
