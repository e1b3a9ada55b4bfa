"""``/reunions/…``: meetings, answers, attendance, decisions, minutes, calendar feeds."""

from django.urls import path

from meetings.views import meetings as views
from meetings.views import (
    minutes as meeting_minutes,
)
from meetings.views import (
    session as meeting_session,
)
from meetings.views import (
    space as meeting_space,
)

app_name = "meetings"

urlpatterns = [
    path("", meeting_space.my_meetings, name="mine"),
    path("suivi/", meeting_space.overview, name="overview"),
    path("agenda/creer/", meeting_space.calendar_create, name="calendar_create"),
    path("agenda/desactiver/", meeting_space.calendar_revoke, name="calendar_revoke"),
    path("agenda/<str:key>.ics", meeting_space.calendar_feed, name="calendar_feed"),
    path("comite/<int:committee_pk>/", views.committee_list, name="committee_list"),
    path("comite/<int:committee_pk>/nouvelle/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/invitation.ics", views.ics, name="ics"),
    path("<int:pk>/points/ajouter/", views.item_form, name="item_add"),
    path("<int:pk>/points/<int:item_pk>/modifier/", views.item_form, name="item_edit"),
    path("<int:pk>/points/<int:item_pk>/supprimer/", views.item_delete, name="item_delete"),
    path("<int:pk>/points/<int:item_pk>/deplacer/", views.item_move, name="item_move"),
    path(
        "<int:pk>/points/<int:item_pk>/documents/ajouter/",
        views.document_add,
        name="document_add",
    ),
    path("<int:pk>/documents/<int:document_pk>/", views.document, name="document"),
    path(
        "<int:pk>/points/<int:item_pk>/decision/", meeting_session.decision_add, name="decision_add"
    ),
    path(
        "<int:pk>/decisions/<int:decision_pk>/supprimer/",
        meeting_session.decision_delete,
        name="decision_delete",
    ),
    path(
        "<int:pk>/decisions/<int:decision_pk>/actions/ajouter/",
        meeting_session.action_add,
        name="action_add",
    ),
    path(
        "<int:pk>/actions/<int:action_pk>/realisee/",
        meeting_session.action_done,
        name="action_done",
    ),
    path("<int:pk>/invites/ajouter/", views.expert_add, name="expert_add"),
    path(
        "<int:pk>/invites/<int:invitation_pk>/retirer/",
        views.invitation_remove,
        name="invitation_remove",
    ),
    path("<int:pk>/soumettre/", views.submit, name="submit"),
    path("<int:pk>/valider/", views.validate, name="validate"),
    path("<int:pk>/annuler/", views.cancel, name="cancel"),
    path("<int:pk>/reponse/", views.answer, name="answer"),
    path("<int:pk>/presences/", meeting_session.attendance, name="attendance"),
    path("<int:pk>/presences/quorum/", meeting_session.quorum_preview, name="quorum_preview"),
    path("<int:pk>/compte-rendu/", meeting_minutes.minutes, name="minutes"),
    path("<int:pk>/compte-rendu/rediger/", meeting_minutes.minutes_draft, name="minutes_draft"),
    path("<int:pk>/compte-rendu/modifier/", meeting_minutes.minutes_edit, name="minutes_edit"),
    path(
        "<int:pk>/compte-rendu/demander-approbation/",
        meeting_minutes.minutes_request,
        name="minutes_request",
    ),
    path(
        "<int:pk>/compte-rendu/approuver/", meeting_minutes.minutes_approve, name="minutes_approve"
    ),
    path("<int:pk>/compte-rendu/pdf/", meeting_minutes.minutes_pdf, name="minutes_pdf"),
    path(
        "<int:pk>/compte-rendu/pdf/statut/",
        meeting_minutes.minutes_pdf_status,
        name="minutes_pdf_status",
    ),
    path(
        "<int:pk>/compte-rendu/pdf/relancer/",
        meeting_minutes.minutes_pdf_retry,
        name="minutes_pdf_retry",
    ),
]
