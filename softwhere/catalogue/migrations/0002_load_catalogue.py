from django.db import migrations


def load(apps, schema_editor):
    from softwhere.catalogue.services.loader import sync_catalogue

    sync_catalogue(apps.get_model("catalogue", "ResolutionCase"), apps.get_model("catalogue", "CatalogueLoad"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
