"""``/reunions/…``: meetings, answers, attendance, decisions, minutes, calendar feeds."""

from django.urls import path

from meetings.views import meetings, minutes, session, space

app_name = "meetings"

urlpatterns = [
    path("", space.my_meetings, name="mine"),
    path("suivi/", space.overview, name="overview"),
    path("agenda/creer/", space.calendar_create, name="calendar_create"),
    path("agenda/desactiver/", space.calendar_revoke, name="calendar_revoke"),
    path("agenda/<str:key>.ics", space.calendar_feed, name="calendar_feed"),
    path("comite/<int:committee_pk>/", meetings.committee_list, name="committee_list"),
    path("comite/<int:committee_pk>/nouvelle/", meetings.create, name="create"),
    path("<int:pk>/", meetings.detail, name="detail"),
    path("<int:pk>/modifier/", meetings.edit, name="edit"),
    path("<int:pk>/invitation.ics", meetings.ics, name="ics"),
    path("<int:pk>/points/ajouter/", meetings.item_form, name="item_add"),
    path("<int:pk>/points/<int:item_pk>/modifier/", meetings.item_form, name="item_edit"),
    path("<int:pk>/points/<int:item_pk>/supprimer/", meetings.item_delete, name="item_delete"),
    path("<int:pk>/points/<int:item_pk>/deplacer/", meetings.item_move, name="item_move"),
    path(
        "<int:pk>/points/<int:item_pk>/documents/ajouter/",
        meetings.document_add,
        name="document_add",
    ),
    path("<int:pk>/documents/<int:document_pk>/", meetings.document, name="document"),
    path("<int:pk>/points/<int:item_pk>/decision/", session.decision_add, name="decision_add"),
    path(
        "<int:pk>/decisions/<int:decision_pk>/supprimer/",
        session.decision_delete,
        name="decision_delete",
    ),
    path(
        "<int:pk>/decisions/<int:decision_pk>/votes-verifies/",
        session.ballots_checked,
        name="ballots_checked",
    ),
    path(
        "<int:pk>/decisions/<int:decision_pk>/actions/ajouter/",
        session.action_add,
        name="action_add",
    ),
    path(
        "<int:pk>/actions/<int:action_pk>/realisee/",
        session.action_done,
        name="action_done",
    ),
    path("<int:pk>/invites/ajouter/", meetings.expert_add, name="expert_add"),
    path(
        "<int:pk>/invites/<int:invitation_pk>/retirer/",
        meetings.invitation_remove,
        name="invitation_remove",
    ),
    path("<int:pk>/soumettre/", meetings.submit, name="submit"),
    path("<int:pk>/tenue/", meetings.record_held, name="record_held"),
    path("<int:pk>/valider/", meetings.validate, name="validate"),
    path("<int:pk>/demander-modifications/", meetings.request_changes, name="request_changes"),
    path("<int:pk>/annuler/", meetings.cancel, name="cancel"),
    path("<int:pk>/reponse/", meetings.answer, name="answer"),
    path("<int:pk>/presences/", session.attendance, name="attendance"),
    path("<int:pk>/presences/quorum/", session.quorum_preview, name="quorum_preview"),
    path("<int:pk>/compte-rendu/", minutes.minutes, name="minutes"),
    path("<int:pk>/compte-rendu/rediger/", minutes.minutes_draft, name="minutes_draft"),
    path("<int:pk>/compte-rendu/modifier/", minutes.minutes_edit, name="minutes_edit"),
    path(
        "<int:pk>/compte-rendu/demander-approbation/",
        minutes.minutes_request,
        name="minutes_request",
    ),
    path("<int:pk>/compte-rendu/approuver/", minutes.minutes_approve, name="minutes_approve"),
    path(
        "<int:pk>/compte-rendu/approbation-anterieure/",
        minutes.minutes_outside_approval,
        name="minutes_outside_approval",
    ),
    path(
        "<int:pk>/compte-rendu/demander-modifications/",
        minutes.minutes_request_changes,
        name="minutes_request_changes",
    ),
    path("<int:pk>/compte-rendu/pdf/", minutes.minutes_pdf, name="minutes_pdf"),
    path(
        "<int:pk>/compte-rendu/pdf/statut/",
        minutes.minutes_pdf_status,
        name="minutes_pdf_status",
    ),
    path(
        "<int:pk>/compte-rendu/pdf/relancer/",
        minutes.minutes_pdf_retry,
        name="minutes_pdf_retry",
    ),
]
