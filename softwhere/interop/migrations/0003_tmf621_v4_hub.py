"""TMF621 v4 hub subscriptions (desk tickets) beside v5; the TMF621 protocol label names both versions."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("interop", "0002_encrypt_peer_token"),
    ]

    operations = [
        migrations.AlterField(
            model_name="hub",
            name="api",
            field=models.CharField(
                choices=[
                    ("tmf621-v5", "TMF621 v5 (tickets du desk)"),
                    ("tmf621-v4", "TMF621 v4 (tickets du desk)"),
                    ("interop-tmf621", "Profil Interop (signalisations OI)"),
                ],
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="interopmessage",
            name="protocol",
            field=models.CharField(
                choices=[
                    ("v1.0a", "SAV FTTH v1.0a (mail + CSV)"),
                    ("v2.0", "SAV FTTH v2.0 (web services XML)"),
                    ("interop-tmf621", "Interop'Fibre TMF621"),
                    ("tmf621", "TMF621 v4/v5 (notre API)"),
                ],
                max_length=16,
                verbose_name="protocole",
            ),
        ),
        migrations.AlterField(
            model_name="interoppeer",
            name="protocol",
            field=models.CharField(
                choices=[
                    ("v1.0a", "SAV FTTH v1.0a (mail + CSV)"),
                    ("v2.0", "SAV FTTH v2.0 (web services XML)"),
                    ("interop-tmf621", "Interop'Fibre TMF621"),
                    ("tmf621", "TMF621 v4/v5 (notre API)"),
                ],
                default="v1.0a",
                max_length=16,
                verbose_name="protocole",
            ),
        ),
        migrations.AlterField(
            model_name="signalisation",
            name="protocol",
            field=models.CharField(
                choices=[
                    ("v1.0a", "SAV FTTH v1.0a (mail + CSV)"),
                    ("v2.0", "SAV FTTH v2.0 (web services XML)"),
                    ("interop-tmf621", "Interop'Fibre TMF621"),
                    ("tmf621", "TMF621 v4/v5 (notre API)"),
                ],
                max_length=16,
                verbose_name="protocole",
            ),
        ),
    ]
