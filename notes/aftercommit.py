"""Work done once per transaction, after it commits.

An admin save writes a note, its sections, bylines and topics in one
transaction, and each write sends signals. What follows content (the public
generation, the search index) should react once, after the commit, to
everything the transaction changed: :func:`on_commit_once` collects the items
of one transaction for one function and calls it once with all of them.

Items passed inside a savepoint that is later rolled back stay collected:
the functions given here refresh from the database (bump a number, reindex a
note), so doing a little more than needed is harmless.
"""

from django.db import connection, transaction


class _Once:
    def __init__(self, func):
        self.func = func
        self.items = set()
        self.pending = True

    def __call__(self):
        self.pending = False
        self.func(self.items)


def on_commit_once(func, items=()):
    """Call ``func(items)`` after the current transaction commits, once for
    every call made during it, with the union of their ``items``; at once
    outside a transaction."""
    if not connection.in_atomic_block:
        func(set(items))
        return
    # Django keeps the transaction's callbacks in ``run_on_commit``; one that a
    # savepoint rollback dropped is no longer there, and one already run
    # (tests run callbacks inside the test's transaction) is no longer pending.
    for _, callback, _ in connection.run_on_commit:
        if isinstance(callback, _Once) and callback.func == func and callback.pending:
            callback.items.update(items)
            return
    callback = _Once(func)
    callback.items.update(items)
    transaction.on_commit(callback, robust=True)
