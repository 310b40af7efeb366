from django.contrib import admin
from django.http import HttpRequest

from softwhere.accounts.choices import Role
from softwhere.core.admin import InventoryEditorAdmin, ReadOnlyAdmin

from .models import Attachment, FollowUp, InboundMail, Message, MessageTemplate


@admin.register(MessageTemplate)
class MessageTemplateAdmin(InventoryEditorAdmin):
    """The CLT/INT/EDS catalogue, edited by supervisors and administrators (every save audited;
    the model's clean() checks the template syntax and the recipients)."""

    def _can_edit(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active and user.is_staff and (user.is_superuser or user.role in (Role.SUPERVISOR, Role.ADMIN))
        )

    list_display = ("code", "name", "family", "purpose", "audience", "context", "channels", "is_active")
    list_filter = ("family", "audience", "is_active")
    search_fields = ("code", "name")
    ordering = ("family", "position", "code")


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    readonly_fields = ("file", "filename", "content_type", "size")


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "ticket", "direction", "channel", "subject", "status", "attempts")
    list_filter = ("direction", "channel", "status", "automatic")
    search_fields = ("subject", "ticket__reference", "sender", "message_id")
    inlines = [AttachmentInline]


@admin.register(InboundMail)
class InboundMailAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "sender", "subject", "outcome", "ticket")
    list_filter = ("outcome",)
    search_fields = ("sender", "subject", "message_id")


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "kind", "state", "started_at", "reminders_sent", "notice_sent_at", "ended_at")
    list_filter = ("kind", "state")
