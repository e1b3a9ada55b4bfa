from committees.services.errors import CommitteeRuleError


class RoadmapRuleError(CommitteeRuleError):
    """A rule of the instruction refuses the change to a roadmap, an indicator or an escalated
    subject; nothing was saved. ``messages`` are French sentences for the user."""
