class BriefError(Exception):
    """A brief that cannot be read or understood; the message says why, for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)
