"""Local funding conferences (INS-FUNDERS: « conférence de financement »): the needs the
counsellors raise, and the answers of the departmental conference, which the local committee
sees.

- Needs are raised at a local conference, while its committee is not dissolved; they name no
  person (the pathway need, the public, the territory, how many people, what blocks access).
- A need is answered by a departmental conference of the committee the local committee
  belongs to (its ``parent``): funded by one of that conference's funding lines, redirected
  to another resource, or unmet with the reason. An answer may be revised; a need answered no
  longer changes on the local side.
"""

from django.db import transaction
from django.utils import timezone

from committees.models import Committee, Level
from cte_portal.core.errors import RuleError
from funders.models import FundersConference, FundingLine, FundingNeed, Public

NEED_FIELDS = (
    "pathway_need",
    "public",
    "public_detail",
    "territory",
    "people_count",
    "access_difficulty",
    "raised_by",
)


def _check_need_fields(fields: dict) -> dict:
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    cleaned["public_detail"] = cleaned.get("public_detail") or ""
    for name, message in (
        ("pathway_need", "Décrivez le besoin de parcours."),
        ("territory", "Indiquez le territoire concerné."),
        ("access_difficulty", "Décrivez la difficulté d'accès à la ressource."),
        ("raised_by", "Indiquez la structure qui fait remonter le besoin."),
    ):
        if not cleaned.get(name):
            raise RuleError(message, field=name)
    if cleaned.get("public") not in Public.values:
        raise RuleError("Choisissez le public concerné.", field="public")
    if cleaned["public"] == Public.OTHER and not cleaned.get("public_detail"):
        raise RuleError("Précisez le public.", field="public_detail")
    count = cleaned.get("people_count")
    if count is None or count < 1:
        raise RuleError("Le besoin concerne au moins une personne.", field="people_count")
    return cleaned


@transaction.atomic
def raise_need(*, conference: FundersConference, user, **fields) -> FundingNeed:
    """INS-FUNDERS: the local committee's secretariat records a need its counsellors raise."""
    if conference.level != Level.LOCAL:
        raise RuleError(
            "Les besoins des parcours sont remontés par une conférence locale de financement."
        )
    if conference.committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité est dissous.")
    cleaned = _check_need_fields({name: fields.get(name) for name in NEED_FIELDS})
    return FundingNeed.objects.create(conference=conference, created_by=user, **cleaned)


@transaction.atomic
def update_need(*, need: FundingNeed, **fields) -> FundingNeed:
    """Edit a need while it waits for the departmental answer."""
    need = FundingNeed.objects.select_for_update().get(pk=need.pk)
    if need.is_answered:
        raise RuleError("La conférence départementale a répondu à ce besoin : il ne change plus.")
    cleaned = _check_need_fields({name: fields.get(name) for name in NEED_FIELDS})
    for name, value in cleaned.items():
        setattr(need, name, value)
    need.save()
    return need


@transaction.atomic
def delete_need(*, need: FundingNeed) -> None:
    """Withdraw a need while it waits for the departmental answer."""
    need = FundingNeed.objects.select_for_update().get(pk=need.pk)
    if need.is_answered:
        raise RuleError(
            "La conférence départementale a répondu à ce besoin : il ne peut plus être retiré."
        )
    need.delete()


def needs_for(conference: FundersConference):
    """The needs a departmental conference answers: those of the local conferences of the
    local committees below its committee."""
    return FundingNeed.objects.filter(
        conference__level=Level.LOCAL, conference__committee__parent=conference.committee
    )


@transaction.atomic
def answer_need(
    *,
    need: FundingNeed,
    conference: FundersConference,
    user,
    status: str,
    funding_line: FundingLine | None = None,
    redirected_to: str = "",
    unmet_reason: str = "",
    answer_comment: str = "",
) -> FundingNeed:
    """INS-FUNDERS: the departmental conference answers a local need — funded by one of its
    lines, redirected, or unmet with a reason. The local committee sees the answer."""
    need = (
        FundingNeed.objects.select_for_update()
        .select_related("conference__committee")
        .get(pk=need.pk)
    )
    local = need.conference.committee
    if conference.level != Level.DEPARTMENTAL or local.parent_id != conference.committee_id:
        raise RuleError(
            "Seule une conférence départementale du comité dont relève ce comité local répond "
            "à ses besoins."
        )
    if conference.committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité est dissous.")
    redirected_to = (redirected_to or "").strip()
    unmet_reason = (unmet_reason or "").strip()
    if status == FundingNeed.Status.FUNDED:
        if funding_line is None:
            raise RuleError("Choisissez la ligne de financement mobilisée.", field="funding_line")
        if funding_line.conference_id != conference.pk:
            raise RuleError(
                "La ligne mobilisée appartient à l'offre de cette conférence.",
                field="funding_line",
            )
    elif status == FundingNeed.Status.REDIRECTED:
        if not redirected_to:
            raise RuleError(
                "Indiquez vers quelle ressource le besoin est réorienté.", field="redirected_to"
            )
    elif status == FundingNeed.Status.UNMET:
        if not unmet_reason:
            raise RuleError("Indiquez pourquoi le besoin n'est pas couvert.", field="unmet_reason")
    else:
        raise RuleError("Choisissez la réponse apportée.", field="status")
    need.status = status
    need.answered_in = conference
    need.funding_line = funding_line if status == FundingNeed.Status.FUNDED else None
    need.redirected_to = redirected_to if status == FundingNeed.Status.REDIRECTED else ""
    need.unmet_reason = unmet_reason if status == FundingNeed.Status.UNMET else ""
    need.answer_comment = (answer_comment or "").strip()
    need.answered_by = user
    need.answered_at = timezone.now()
    need.save()
    return need
