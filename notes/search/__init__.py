"""Search that understands Chinese, on PostgreSQL and on SQLite.

``text`` normalises, tokenises and highlights; ``query`` reads the search
box; ``index`` writes the index; ``engine`` runs a query; ``signals`` keeps
the index up to date as notes, sections, topics and authors change.
"""
