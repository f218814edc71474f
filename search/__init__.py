"""Chinese-aware full-text search over published notes, on the database's own engine.

Stateless: the index is a model (``models.py``), answers join ``published()``
(``service.py``), and what is cached lives in Django's cache.
"""
