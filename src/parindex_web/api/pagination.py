"""Page-number pagination with the envelope ``{"items": [...], "count": n}``."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class Pages(PageNumberPagination):
    """``?page=`` (from 1) and ``?page_size=`` (default 50, at most 500); ``count`` is the total
    number of items across all pages. A page past the end is empty."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
        page_size: int = Field(
            PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (at most 500)."
        )

    def __init__(self, **kwargs: object) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)
