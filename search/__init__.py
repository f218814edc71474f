"""Chinese-aware full-text search over published notes, on the database's own engine."""
