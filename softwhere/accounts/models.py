"""Desk users (with one role and, for partner/client users, one organisation) and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from .choices import AGENT_ROLES, N2_ROLES, STAFF_ROLES, Role


def display_name(first_name: str, last_name: str, username: str) -> str:
    """How a user is named everywhere (``str(user)``), also from ``values_list`` rows without model instances."""
    return f"{first_name} {last_name}".strip() or username


class User(AbstractUser):
    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.N1)
    organisation = models.ForeignKey(
        "customers.Organisation",
        verbose_name="organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Obligatoire pour les utilisateurs partenaires et clients.",
    )

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["username"]

    def __str__(self) -> str:
        return display_name(self.first_name, self.last_name, self.username)

    @property
    def is_desk_staff(self) -> bool:
        """Operator staff: sees every company."""
        return self.is_superuser or self.role in STAFF_ROLES

    @property
    def is_agent(self) -> bool:
        return self.is_superuser or self.role in AGENT_ROLES

    @property
    def is_n2(self) -> bool:
        return self.is_superuser or self.role in N2_ROLES


class ApiToken(models.Model):
    """A named, revocable API token. Only a SHA-256 of the key is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nom", max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        key = "swd_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:12], key_hash=cls.hash_key(key))
        return token, key

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
