from committees.services.errors import CommitteeRuleError


class FundersRuleError(CommitteeRuleError):
    """A rule refuses the change to a conference, a funding line, a need or a convention;
    nothing was saved. ``messages`` are French sentences for the user; ``field`` names the
    form field at fault when there is one."""
