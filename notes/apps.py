from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "notes"
    verbose_name = _("研究简报")

    def ready(self):
        from notes import checks, generation, history  # noqa: F401 (checks registers itself)

        history.register_models()
        generation.connect()
