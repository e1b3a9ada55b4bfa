"""``{% committee_composition committee user %}``: the composition panel of a committee.

Co-presidents with their offices and delegates; members by category with their votes,
mandates and substitutes; vacant seats; vote totals per side with the imbalance warning
(DEC-VOTES); commissions; rules of procedure (INS-RULES) and the CREFOP rotation
(INS-CRE-CREFOP). A fixed number of queries whatever the number of members.
"""

from collections import defaultdict
from datetime import date

from django import template
from django.db.models import Count

from committees.models import (
    REQUIRED_CATEGORIES,
    Category,
    Committee,
    Level,
    Membership,
)
from committees.models.rules import MAX_COUNT_EXPLANATION, MAX_COUNTED_CATEGORIES
from committees.permissions import can_manage_committee
from committees.services.committees import (
    REPRESENTED_RELATIONS,
    active_copresidencies,
    active_memberships,
    max_members,
    vacant_seats,
)
from committees.services.composition import (
    adopted_rules,
    cle_balance,
    current_rules,
    represented_bodies,
    rotation_required,
    vote_balance,
)

register = template.Library()

# INS-RULES: the CRE applies the CREFOP's rules of procedure.
RULES_LEVELS = (Level.DEPARTMENTAL, Level.LOCAL)


def member_groups(committee: Committee, today: date) -> tuple[list[dict], int]:
    """Titulars in office by category (DEC-CATEGORIES order), each with its substitutes;
    the required categories of the level appear even when empty. Also the number of
    appointed members counted against DEC-MAX (permanent titulars in office)."""
    memberships = (
        active_memberships(committee)
        if today == date.today()
        else list(
            Membership.objects.active(today)
            .filter(committee=committee)
            .select_related("person", *REPRESENTED_RELATIONS)
            .order_by("organisation", "person__last_name", "pk")
        )
    )
    substitutes = defaultdict(list)
    titulars = defaultdict(list)
    for membership in memberships:
        if membership.role == Membership.Role.SUBSTITUTE:
            substitutes[membership.substitute_for_id].append(membership)
        else:
            titulars[membership.category].append(membership)
    for membership in memberships:
        membership.substitute_list = substitutes.get(membership.pk, [])
    required = REQUIRED_CATEGORIES[committee.level]
    groups = [
        {
            "category": category,
            "label": label,
            "members": titulars.get(category, []),
            "required": category in required,
        }
        for category, label in Category.choices
        if titulars.get(category) or category in required
    ]
    appointed = sum(
        1
        for m in memberships
        if m.role == Membership.Role.TITULAR
        and m.is_permanent
        and m.category in MAX_COUNTED_CATEGORIES
    )
    return groups, appointed


def composition_context(committee: Committee, user) -> dict:
    today = date.today()
    groups, appointed = member_groups(committee, today)
    copresidencies = active_copresidencies(committee)
    vacancies = vacant_seats(committee)
    commissions = list(committee.commissions.annotate(member_count=Count("members")))
    has_rules = committee.level in RULES_LEVELS
    is_regional = committee.level == Level.REGIONAL
    rotation = is_regional and rotation_required(committee)
    return {
        "committee": committee,
        "can_manage": can_manage_committee(user, committee),
        "copresidencies": copresidencies,
        "groups": groups,
        "appointed_count": appointed,
        "max_members": max_members(committee),
        "max_explanation": MAX_COUNT_EXPLANATION,
        "bodies": represented_bodies(committee),
        "cle_balance": cle_balance(committee),
        "has_mandates": any(m.mandate_end for group in groups for m in group["members"]),
        "vacancies": vacancies,
        "balance": vote_balance(committee),
        "commissions": commissions,
        "has_rules": has_rules,
        "adopted_rules": adopted_rules(committee) if has_rules else None,
        "current_rules": current_rules(committee) if has_rules else None,
        "rotation_required": rotation,
        "rotation_set": rotation and committee.rotation.exists(),
    }


@register.inclusion_tag("committees/composition/_panel.html")
def committee_composition(committee: Committee, user) -> dict:
    return composition_context(committee, user)
