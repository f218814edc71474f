"""Pages of notes at a cost that grows neither with the number of notes nor with the page.

- The count is kept per content generation (:mod:`notes.counts`) under a key
  naming the list, so a list of 60,000 notes is counted once per change.
- A page reads the ids of its notes first: that statement walks only the index
  on ``(status, published_at, id)`` (or another index of the list's filter) and
  skips the notes before the page inside it, without reading their rows. Then
  the page's own notes are read by id, with everything a list entry shows.
- A page nearer the end than the start is read from the end, so the last page
  of 95,000 notes skips as few entries as the first.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from notes import counts


def notes_between(queryset, bottom, top, total):
    """Notes ``bottom`` to ``top`` (exclusive) of ``queryset`` (ordered, of ``total``)."""
    if top <= bottom:
        return []
    if bottom > total - top:
        ids = queryset.reverse().values_list("pk", flat=True)[total - top : total - bottom]
        ids = list(ids)[::-1]
    else:
        ids = list(queryset.values_list("pk", flat=True)[bottom:top])
    by_id = queryset.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


class NotePaginator(Paginator):
    """A paginator of a queryset of notes; ``count_key`` names the list for its count."""

    def __init__(self, object_list, per_page, *, count_key, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        return counts.cached("list", self.object_list.count, self.count_key)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        notes = notes_between(self.object_list, bottom, top, self.count)
        return self._get_page(notes, number, self)


def list_key(request):
    """What names a list: its path and its filters, without the page."""
    params = sorted((k, v) for k, values in request.GET.lists() if k != "page" for v in values)
    return (request.path, params)
