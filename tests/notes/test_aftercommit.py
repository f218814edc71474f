import pytest
from django.db import transaction

from notes.aftercommit import on_commit_once


def test_outside_a_transaction_the_call_is_immediate():
    seen = []
    on_commit_once(seen.append, [1])
    assert seen == [{1}]


@pytest.mark.django_db
def test_one_call_per_transaction_with_every_item(django_capture_on_commit_callbacks):
    seen = []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        on_commit_once(seen.append, [1])
        on_commit_once(seen.append, [2, 3])
        on_commit_once(seen.append)
    assert seen == [{1, 2, 3}]


@pytest.mark.django_db
def test_a_new_transaction_gets_its_own_call(django_capture_on_commit_callbacks):
    seen = []
    for item in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            on_commit_once(seen.append, [item])
    assert seen == [{1}, {2}]
