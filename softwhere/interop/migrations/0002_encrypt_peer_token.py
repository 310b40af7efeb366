"""Peer tokens encrypted at rest (the diagnostics secret store); existing plain tokens are carried over."""

from django.db import migrations, models


def encrypt_tokens(apps, schema_editor):
    from softwhere.diagnostics import crypto

    Peer = apps.get_model("interop", "InteropPeer")
    for peer in Peer.objects.exclude(auth_token=""):
        peer.auth_token_encrypted = crypto.encrypt(peer.auth_token)
        peer.save(update_fields=["auth_token_encrypted"])


def decrypt_tokens(apps, schema_editor):
    from softwhere.diagnostics import crypto

    Peer = apps.get_model("interop", "InteropPeer")
    for peer in Peer.objects.exclude(auth_token_encrypted=""):
        peer.auth_token = crypto.decrypt(peer.auth_token_encrypted)[:200]
        peer.save(update_fields=["auth_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("interop", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="interoppeer",
            name="auth_token_encrypted",
            field=models.TextField(blank=True, editable=False, verbose_name="jeton envoyé (chiffré)"),
        ),
        migrations.RunPython(encrypt_tokens, decrypt_tokens),
        migrations.RemoveField(
            model_name="interoppeer",
            name="auth_token",
        ),
    ]
