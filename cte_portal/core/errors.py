"""The one domain error of the portal.

A service refuses a change that a rule of the decree, the instruction or the product forbids by
raising ``RuleError``; nothing was saved. ``messages`` are French sentences for the user,
``field`` names the form field at fault when there is one, and ``rule`` the rule id of
DOMAIN.md (``DEC-…``, ``INS-…``) for the code and the logs, never shown on a screen.

The API's exception handler (``cte_portal.core.api``) turns it into a French 400; views turn it
into form errors with ``cte_portal.core.forms.add_rule_error``.
"""


class RuleError(Exception):
    def __init__(
        self, messages: str | list[str], *, field: str | None = None, rule: str | None = None
    ):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        self.field = field
        self.rule = rule
        super().__init__(" ".join(self.messages))
