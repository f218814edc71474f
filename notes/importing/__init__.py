"""Turn briefs (plain text, Markdown, PDF, Word) into structured notes."""
