"""Keyset pagination for the ticket list: page 1 000 costs what page 1 costs.

An offset page (``?page=N``) makes the database read and drop every row before it, and
its ``count`` is a COUNT(*) over the filtered tickets; at a million tickets both grow
with depth. The cursor encodes the last row's sort key instead (``created_at`` by
default, or the ``ordering`` asked for), so every page is one index range scan.
"""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import CursorPagination


class TicketCursorPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        # DRF writes OpenAPI 3.0's "nullable"; the schema is 3.1, where null is a type.
        result = super().get_paginated_response_schema(schema)
        result["description"] = (
            "Une page de tickets. Suivre le lien next (paramètre cursor opaque) pour la page suivante ; "
            "page_size : 200 au plus."
        )
        for link in ("next", "previous"):
            prop = result["properties"][link]
            if prop.pop("nullable", False):
                prop["type"] = [prop["type"], "null"]
        return result
