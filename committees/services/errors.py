class CommitteeRuleError(Exception):
    """A rule of the decree or the instruction refuses the change; nothing was saved.

    ``messages`` are French sentences for the user; ``field`` names the form field at fault
    when there is one.
    """

    def __init__(self, messages: str | list[str], *, field: str | None = None):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        self.field = field
        super().__init__(" ".join(self.messages))
