"""``/reunions/…``: meetings, answers, attendance, decisions, minutes, calendar feeds."""

from django.urls import path

from committees.views import meetings as views

app_name = "meetings"

urlpatterns = [
    path("", views.my_meetings, name="mine"),
    path("suivi/", views.overview, name="overview"),
    path("agenda/creer/", views.calendar_create, name="calendar_create"),
    path("agenda/desactiver/", views.calendar_revoke, name="calendar_revoke"),
    path("agenda/<str:key>.ics", views.calendar_feed, name="calendar_feed"),
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
    path("<int:pk>/points/<int:item_pk>/decision/", views.decision_add, name="decision_add"),
    path(
        "<int:pk>/decisions/<int:decision_pk>/supprimer/",
        views.decision_delete,
        name="decision_delete",
    ),
    path(
        "<int:pk>/decisions/<int:decision_pk>/actions/ajouter/",
        views.action_add,
        name="action_add",
    ),
    path("<int:pk>/actions/<int:action_pk>/realisee/", views.action_done, name="action_done"),
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
    path("<int:pk>/presences/", views.attendance, name="attendance"),
    path("<int:pk>/presences/quorum/", views.quorum_preview, name="quorum_preview"),
    path("<int:pk>/compte-rendu/", views.minutes, name="minutes"),
    path("<int:pk>/compte-rendu/rediger/", views.minutes_draft, name="minutes_draft"),
    path("<int:pk>/compte-rendu/modifier/", views.minutes_edit, name="minutes_edit"),
    path(
        "<int:pk>/compte-rendu/demander-approbation/",
        views.minutes_request,
        name="minutes_request",
    ),
    path("<int:pk>/compte-rendu/approuver/", views.minutes_approve, name="minutes_approve"),
    path("<int:pk>/compte-rendu/pdf/", views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/compte-rendu/pdf/statut/", views.minutes_pdf_status, name="minutes_pdf_status"),
    path("<int:pk>/compte-rendu/pdf/relancer/", views.minutes_pdf_retry, name="minutes_pdf_retry"),
]
