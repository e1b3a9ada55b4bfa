"""The answers of the people convened (DEC-PROXY, DEC-REMOTE, DEC-COPRESIDENCY).

Present, remote, absent, represented by their substitute, or proxy to another voting member;
a co-president may announce their representative (« le préfet ou son représentant »).
A substitute sits first; otherwise a proxy to another voting member, at most
``MAX_PROXIES_PER_MEMBER`` (one) held per member.
"""

from django.db import transaction
from django.utils import timezone

from committees.models import Membership
from cte_portal.core.conf import cte_setting
from cte_portal.core.errors import RuleError
from meetings import workflow
from meetings.models import Invitation
from meetings.selectors import active_substitutes
from meetings.services.quorum import max_proxies

Answer = Invitation.Answer


def _check_proxy(invitation: Invitation, holder: Invitation | None) -> Invitation:
    if not invitation.has_vote:
        raise RuleError(
            "Seul un membre à voix délibérative donne pouvoir (article R. 5311-37 du code du travail).",
            field="proxy_to",
        )
    if cte_setting("PROXY_ONLY_WITHOUT_SUBSTITUTE") and active_substitutes(invitation).exists():
        raise RuleError(
            "Votre suppléant siège en priorité : choisissez « représenté par mon suppléant ».",
            field="proxy_to",
        )
    if holder is None:
        raise RuleError("Choisissez le membre à qui vous donnez pouvoir.", field="proxy_to")
    holder = Invitation.objects.select_for_update().get(pk=holder.pk)
    if holder.meeting_id != invitation.meeting_id or holder.pk == invitation.pk:
        raise RuleError("Ce membre n'est pas convoqué à cette réunion.", field="proxy_to")
    if not holder.has_vote:
        raise RuleError(
            "Le pouvoir se donne à un autre membre à voix délibérative.",
            field="proxy_to",
        )
    if holder.answer in (Answer.PROXY, Answer.ABSENT, Answer.SUBSTITUTE):
        raise RuleError(
            "Ce membre ne siégera pas lui-même : il ne peut recevoir de pouvoir.",
            field="proxy_to",
        )
    held = (
        Invitation.objects.filter(proxy_to=holder, answer=Answer.PROXY)
        .exclude(pk=invitation.pk)
        .count()
    )
    if held >= max_proxies():
        raise RuleError(
            f"Ce membre détient déjà {held} pouvoir(s) : un membre ne peut en détenir plus de "
            f"{max_proxies()}.",
            field="proxy_to",
        )
    return holder


@transaction.atomic
def answer_convocation(
    *,
    invitation: Invitation,
    answer: str,
    substitute: Membership | None = None,
    proxy_to: Invitation | None = None,
    comment: str = "",
    delegate_name: str = "",
) -> Invitation:
    """The person convened answers: present, remote (DEC-REMOTE), absent, represented by
    their substitute, or proxy to another voting member (DEC-PROXY). They may change their
    answer until the meeting starts."""
    invitation = (
        Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    )
    meeting = invitation.meeting
    workflow.check_action(meeting, "answer")
    if meeting.has_started:
        raise RuleError("La réunion a commencé : les réponses sont closes.")
    if answer not in Answer.values or answer == Answer.PENDING:
        raise RuleError("Choisissez votre réponse.", field="answer")
    invitation.substitute = None
    invitation.proxy_to = None
    invitation.delegate_name = ""
    if answer == Answer.DELEGATE:
        # DEC-COPRESIDENCY: « ou son représentant » is for the co-presidents.
        if invitation.role != Invitation.Role.COPRESIDENT or not invitation.copresidency_id:
            raise RuleError(
                "Seul un co-président se fait remplacer par son représentant : donnez pouvoir "
                "ou indiquez votre suppléant.",
                field="answer",
            )
        if not delegate_name.strip():
            raise RuleError(
                "Indiquez le nom et la qualité de votre représentant.", field="delegate_name"
            )
        invitation.delegate_name = delegate_name.strip()[:255]
    elif answer == Answer.SUBSTITUTE:
        substitutes = active_substitutes(invitation)
        if substitute is None and substitutes.count() == 1:
            substitute = substitutes.get()
        if substitute is None or not substitutes.filter(pk=substitute.pk).exists():
            raise RuleError(
                "Vous n'avez pas de suppléant en fonction : donnez pouvoir à un autre membre ou "
                "indiquez votre absence.",
                field="substitute",
            )
        invitation.substitute = substitute
    elif answer == Answer.PROXY:
        invitation.proxy_to = _check_proxy(invitation, proxy_to)
    invitation.answer = answer
    invitation.answered_at = timezone.now()
    invitation.answer_comment = comment.strip()[:500]
    invitation.save()
    return invitation
