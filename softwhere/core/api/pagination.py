from __future__ import annotations

from typing import Any

from rest_framework.pagination import PageNumberPagination


class DeskPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        # DRF writes OpenAPI 3.0's "nullable"; the schema is 3.1, where null is a type.
        result = super().get_paginated_response_schema(schema)
        result["description"] = "Une page de résultats (paramètres page et page_size, 200 au plus)."
        for link in ("next", "previous"):
            prop = result["properties"][link]
            if prop.pop("nullable", False):
                prop["type"] = [prop["type"], "null"]
        return result
