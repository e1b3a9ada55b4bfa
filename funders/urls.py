"""``/financeurs/…``: funders' conferences, offer maps, local needs, conventions."""

from django.urls import path, re_path

from funders.views import conferences, conventions, needs, offer

app_name = "funders"

urlpatterns = [
    path("", conferences.index, name="index"),
    path("suivi/", conferences.overview, name="overview"),
    path("comite/<int:committee_id>/", conferences.committee_space, name="committee"),
    path(
        "comite/<int:committee_id>/conferences/nouvelle/",
        conferences.conference_create,
        name="conference_create",
    ),
    path(
        "comite/<int:committee_id>/financeurs/ajouter/", conferences.funder_add, name="funder_add"
    ),
    path("financeurs/<int:pk>/modifier/", conferences.funder_edit, name="funder_edit"),
    path("conferences/<int:pk>/", conferences.conference_detail, name="conference"),
    path("conferences/<int:pk>/modifier/", conferences.conference_edit, name="conference_edit"),
    path("conferences/<int:pk>/commentaires/", conferences.comment_add, name="comment_add"),
    # Offer map
    path("conferences/<int:pk>/lignes/", offer.lines, name="lines"),
    path("conferences/<int:pk>/lignes/ajouter/", offer.line_add, name="line_add"),
    path("lignes/<int:pk>/modifier/", offer.line_edit, name="line_edit"),
    path("lignes/<int:pk>/supprimer/", offer.line_delete, name="line_delete"),
    path("conferences/<int:pk>/analyse/", offer.analysis, name="analysis"),
    path("conferences/<int:pk>/import/", offer.import_upload, name="import_upload"),
    re_path(
        r"^conferences/(?P<pk>[0-9]+)/modele\.(?P<extension>csv|xlsx)$",
        offer.import_model,
        name="import_model",
    ),
    path("imports/<int:pk>/", offer.import_detail, name="import"),
    re_path(
        r"^conferences/(?P<pk>[0-9]+)/export\.(?P<extension>xlsx|pdf)$",
        offer.export,
        name="export",
    ),
    # Local needs
    path("conferences/<int:pk>/besoins/ajouter/", needs.need_add, name="need_add"),
    path("besoins/<int:pk>/modifier/", needs.need_edit, name="need_edit"),
    path("besoins/<int:pk>/retirer/", needs.need_delete, name="need_delete"),
    path(
        "conferences/<int:pk>/besoins/<int:need_pk>/repondre/",
        needs.need_answer,
        name="need_answer",
    ),
    # Conventions
    path(
        "comite/<int:committee_id>/conventions/ajouter/",
        conventions.convention_add,
        name="convention_add",
    ),
    path("conventions/<int:pk>/", conventions.convention_detail, name="convention"),
    path("conventions/<int:pk>/modifier/", conventions.convention_edit, name="convention_edit"),
    path("conventions/<int:pk>/parties/ajouter/", conventions.party_add, name="party_add"),
    path(
        "conventions/<int:pk>/parties/<int:party_pk>/retirer/",
        conventions.party_remove,
        name="party_remove",
    ),
    path(
        "conventions/<int:pk>/engagements/ajouter/",
        conventions.commitment_add,
        name="commitment_add",
    ),
    path(
        "conventions/<int:pk>/engagements/<int:commitment_pk>/retirer/",
        conventions.commitment_remove,
        name="commitment_remove",
    ),
    path("conventions/<int:pk>/documents/ajouter/", conventions.document_add, name="document_add"),
    path(
        "conventions/<int:pk>/documents/<int:document_pk>/",
        conventions.document,
        name="document",
    ),
]
