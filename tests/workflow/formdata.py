"""Turn a rendered admin change form back into the POST data a browser would send."""

from django import forms
from django.utils import timezone
from taggit.utils import edit_string_for_tags


def _field_items(form):
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        key = form.add_prefix(name)
        widget = field.widget
        if isinstance(field, forms.BooleanField):
            if value:
                yield key, "on"
            continue
        if name == "tags" and value is not None and not isinstance(value, str):
            yield key, edit_string_for_tags(list(value))
            continue
        if isinstance(widget, forms.MultiWidget):
            if value is not None and hasattr(value, "tzinfo"):
                value = timezone.localtime(value)
            parts = widget.decompress(value)
            for i, part in enumerate(parts):
                if hasattr(part, "isoformat"):
                    part = part.isoformat()
                yield f"{key}_{i}", "" if part is None else str(part)
            continue
        if isinstance(value, list | tuple):
            for item in value:
                yield key, str(item)
            continue
        yield key, "" if value is None else str(value)


def change_form_data(response, **overrides):
    """POST data for the form in ``response`` (an admin add or change page)."""
    pairs = []
    form = response.context["adminform"].form
    pairs += list(_field_items(form))
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        pairs += list(_field_items(formset.management_form))
        for inline_form in formset.forms:
            pairs += list(_field_items(inline_form))
    data = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    data = {key: values if len(values) > 1 else values[0] for key, values in data.items()}
    data.update(overrides)
    return data


def note_form_data(note, **overrides):
    """What the note change form would post for ``note``, built from the database.

    Cheaper than rendering the page; the tests of the form itself use
    :func:`change_form_data` on the real page.
    """
    local = timezone.localtime(note.published_at) if note.published_at else None
    data = {
        "title": note.title,
        "slug": note.slug,
        "series": note.series_id or "",
        "note_type": note.note_type_id or "",
        "language": note.language,
        "summary": note.summary,
        "tags": edit_string_for_tags(list(note.tags.all())),
        "published_at_0": local.date().isoformat() if local else "",
        "published_at_1": local.strftime("%H:%M:%S") if local else "",
        "source_url": note.source_url,
        "loaded_version": note.version,
    }
    rows = {
        "authorships": [
            {
                "id": a.pk,
                "note": note.pk,
                "author": a.author_id,
                "byline": a.byline,
                "position": a.position,
            }
            for a in note.authorships.all()
        ],
        "sections": [
            {
                "id": s.pk,
                "note": note.pk,
                "heading": s.heading,
                "body": s.body,
                "anchor": s.anchor,
                "position": s.position,
            }
            for s in note.sections.all()
        ],
        "figures": [
            {
                "id": f.pk,
                "note": note.pk,
                "caption": f.caption,
                "source": f.source,
                "alt": f.alt,
                "credit": f.credit,
                "position": f.position,
            }
            for f in note.figures.all()
        ],
    }
    for prefix, forms_data in rows.items():
        data[f"{prefix}-TOTAL_FORMS"] = len(forms_data)
        data[f"{prefix}-INITIAL_FORMS"] = len(forms_data)
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, row in enumerate(forms_data):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    data.update(overrides)
    return data
