from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "notes"
    verbose_name = _("研究简报")

    def ready(self):
        from django.db.models.signals import post_delete

        from notes import checks, generation, history  # noqa: F401 (checks registers itself)
        from notes.models import Figure

        history.register_models()
        generation.connect()
        post_delete.connect(_delete_figure_files, sender=Figure, dispatch_uid="figure-files")


def _delete_figure_files(sender, instance, **kwargs):
    """A deleted figure's files go once the deletion is committed."""
    from django.db import transaction

    transaction.on_commit(instance.delete_files)
