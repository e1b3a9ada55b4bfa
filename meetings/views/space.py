"""The members' space (their meetings, answers, minutes), the personal calendar feed (secret
URL, revocable), and the DDETS / DREETS overview of the committees behind (INS-MEETINGS,
INS-LOCAL-PRESENCE)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from committees.models import Committee
from cte_portal.core.shortcuts import confirm_page
from meetings.models import Invitation, Meeting, Minutes
from meetings.permissions import can_view_meeting_compliance
from meetings.services import calendar as calendar_service
from meetings.services import compliance as meeting_compliance

PAST_PER_PAGE = 20


def my_meetings(request):
    """The members' space: the meetings they are convened to, their answers, the minutes."""
    today = timezone.localdate()
    # Convened meetings, and meetings entered after the fact once recorded as held.
    invitations = (
        Invitation.objects.filter(person=request.user)
        .filter(
            Q(meeting__convened_at__isnull=False)
            | Q(meeting__entered_after_the_fact=True, meeting__status=Meeting.Status.CONVENED)
        )
        .select_related("meeting__committee")
    )
    upcoming = list(
        invitations.filter(meeting__date__gte=today).order_by(
            "meeting__date", "meeting__start_time", "pk"
        )
    )
    # Past meetings pile up over the years: they come a page at a time (issue 15).
    past = Paginator(
        invitations.filter(meeting__date__lt=today).order_by(
            "-meeting__date", "-meeting__start_time", "-pk"
        ),
        PAST_PER_PAGE,
    ).get_page(request.GET.get("page"))
    ready = set(
        Minutes.objects.filter(
            meeting_id__in=[i.meeting_id for i in past],
            pdf_status=Minutes.PdfStatus.READY,
        ).values_list("meeting_id", flat=True)
    )
    for invitation in past:
        invitation.minutes_ready = invitation.meeting_id in ready
    active_feed = request.user.calendar_feeds.filter(revoked_at__isnull=True).first()
    return render(
        request,
        "meetings/mine.html",
        {
            "title": "Mes réunions",
            "upcoming": upcoming,
            "past": past,
            "active_feed": active_feed,
            "new_feed_url": request.session.pop("calendar_feed_url", ""),
            "breadcrumb": [("Mes réunions", None)],
        },
    )


def overview(request):
    """INS-MEETINGS / INS-LOCAL-PRESENCE: the committees behind, for DREETS and DDETS."""
    if not can_view_meeting_compliance(request.user):
        raise PermissionDenied
    year = timezone.localdate().year
    committees = Committee.objects.visible_to(request.user).installed().select_related("region")
    rows = meeting_compliance.overview(committees, year=year)
    behind_only = request.GET.get("tous") != "1"
    return render(
        request,
        "meetings/overview.html",
        {
            "title": "Suivi des réunions des comités",
            "year": year,
            "rows": [r for r in rows if r.behind] if behind_only else rows,
            "total": len(rows),
            "behind_count": sum(1 for r in rows if r.behind),
            "behind_only": behind_only,
            "breadcrumb": [("Suivi des réunions", None)],
        },
    )


# --- Personal calendar feed ---------------------------------------------------------------------------


@require_POST
def calendar_create(request):
    _feed, key = calendar_service.create_calendar_feed(user=request.user)
    request.session["calendar_feed_url"] = (
        f"{settings.SITE_URL}{reverse('meetings:calendar_feed', args=[key])}"
    )
    messages.success(
        request,
        "Votre lien d'agenda est créé. Copiez-le maintenant : il ne sera plus affiché. "
        "Tout ancien lien est désactivé.",
    )
    return redirect(f"{reverse('meetings:mine')}#agenda")


def calendar_revoke(request):
    back = f"{reverse('meetings:mine')}#agenda"
    if request.method != "POST":
        feed = request.user.calendar_feeds.filter(revoked_at__isnull=True).first()
        if feed is None:
            messages.info(request, "Vous n'avez aucun lien d'agenda actif.")
            return redirect(back)
        # Not meetings.views.common.confirm_page: that one is about a meeting.
        return confirm_page(
            request,
            title="Désactiver mon lien d'agenda",
            question=(
                f"Désactiver votre lien d'agenda (commençant par {feed.prefix}…), "
                f"actif depuis le {date_format(timezone.localtime(feed.created_at), 'j F Y')} ?"
            ),
            details=[
                "Les agendas abonnés à ce lien (Outlook, Thunderbird, téléphone…) ne sont plus "
                "mis à jour : vos nouvelles réunions et leurs changements n'y apparaissent plus.",
                "Vous pourrez créer un nouveau lien ; il faudra alors y abonner vos agendas "
                "à nouveau.",
            ],
            submit="Désactiver le lien",
            cancel_url=back,
            breadcrumb=[
                ("Mes réunions", reverse("meetings:mine")),
                ("Désactiver mon lien d'agenda", None),
            ],
        )
    calendar_service.revoke_calendar_feed(user=request.user)
    messages.success(request, "Votre lien d'agenda est désactivé.")
    return redirect(back)


@login_not_required
@never_cache
def calendar_feed(request, key: str):
    """The personal iCalendar feed: the secret in the URL is the only credential."""
    feed = calendar_service.find_feed(key)
    if feed is None:
        raise Http404
    response = HttpResponse(
        calendar_service.feed_ics(feed), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="mes-reunions.ics"'
    return response
