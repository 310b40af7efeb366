"""The "systeme" user: the actor of automatic actions (worker jobs), visible in ticket timelines."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from softwhere.accounts.choices import Role
from softwhere.accounts.models import User

SYSTEM_USERNAME = "systeme"


def system_user() -> User:
    """Get or create the system actor: an agent (it may close or alert tickets) that cannot log in."""
    user, _ = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "role": Role.SUPERVISOR,
            "first_name": "Système",
            "last_name": "SoftWhere",
            "password": make_password(None),
        },
    )
    return user
