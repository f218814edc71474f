from django.db import migrations

from accounts.roles import sync_roles


class Migration(migrations.Migration):
    """Authors and editors add, change and delete the figures of the notes they edit."""

    dependencies = [("accounts", "0003_administrators_view_groups"), ("notes", "0012_figures")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
