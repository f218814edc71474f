class UnicodeSlugConverter:
    """Like Django's ``slug`` converter, but letters of any script (Chinese slugs)."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
