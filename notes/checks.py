"""System checks of what the notes app needs from the machine."""

from django.core import checks


@checks.register(checks.Tags.compatibility, deploy=True)
def pdf_fonts(app_configs, **kwargs):
    """``check --deploy`` warns when the PDFs of notes cannot be typeset here."""
    from notes import pdf

    message = pdf.missing_fonts_message()
    if message:
        return [checks.Warning(message, id="notes.W001")]
    return []
