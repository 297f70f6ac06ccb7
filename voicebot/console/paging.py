"""Paging of long lists: which rows a page shows, and links to the pages around it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request

MAX_PAGE = 1_000_000
"""Pages past this are clamped (no giant OFFSET from a hand-made URL)."""


@dataclass(frozen=True)
class Pager:
    """One page of a list."""

    page: int
    """This page's number (from 1)."""
    pages: int
    """How many pages the list has (at least 1)."""
    total: int
    """Rows in the whole list."""
    size: int
    """Rows per page."""
    prev_url: str
    """Link to the page before (same filters), or "" on the first page."""
    next_url: str
    """Link to the page after (same filters), or "" on the last page."""

    @property
    def offset(self) -> int:
        """Rows before this page."""
        return (self.page - 1) * self.size


def page_number(raw: str) -> int:
    """``?page=`` as a page number; anything else is page 1."""
    return min(int(raw), MAX_PAGE) if raw.isdigit() and int(raw) >= 1 else 1


def make_pager(request: Request, total: int, page: int, size: int) -> Pager:
    """The pager for ``page`` of ``total`` rows; links keep every other query parameter."""
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    keep = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "msg")]

    def url(n: int) -> str:
        return request.url.path + "?" + urlencode([*keep, ("page", str(n))])

    return Pager(page=page, pages=pages, total=total, size=size,
                 prev_url=url(page - 1) if page > 1 else "",
                 next_url=url(page + 1) if page < pages else "")
