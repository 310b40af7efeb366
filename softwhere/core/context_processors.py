from typing import Any

from django.http import HttpRequest


def desk(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "desk_name": "SoftWhere Desk",
        "is_desk_staff": bool(user and user.is_authenticated and user.is_desk_staff),
    }
