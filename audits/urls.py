"""``/audits/…``: audit requests and audits, reports owed to the committees, commitments,
network bodies."""

from django.urls import path

from audits.views import audits, bodies, commitments, records, reporting, steps

app_name = "audits"

urlpatterns = [
    path("", audits.index, name="index"),
    path("comite/<int:committee_pk>/", audits.committee_audits, name="committee"),
    path("comite/<int:committee_pk>/demande/", audits.create, name="create"),
    path("<int:pk>/", audits.detail, name="detail"),
    path("<int:pk>/inscrire/", steps.schedule, name="schedule"),
    path("<int:pk>/vote/", steps.vote, name="vote"),
    path("<int:pk>/accord/", steps.agreement, name="agreement"),
    path("<int:pk>/refus/", steps.refusal, name="refusal"),
    path("<int:pk>/refus/resoumettre/", steps.resubmit, name="resubmit"),
    path("<int:pk>/accord/document/", records.agreement_document, name="agreement_document"),
    path("<int:pk>/demarrer/", steps.start, name="start"),
    path("<int:pk>/rapport/", steps.report, name="report"),
    path("<int:pk>/rapport/document/", records.report_document, name="report_document"),
    path("<int:pk>/suivi/", steps.follow_up, name="follow_up"),
    path("<int:pk>/cloturer/", steps.close, name="close"),
    path("<int:pk>/documents/ajouter/", records.document_add, name="document_add"),
    path("<int:pk>/documents/<int:document_pk>/", records.document, name="document"),
    path(
        "<int:pk>/recommandations/ajouter/",
        records.recommendation_add,
        name="recommendation_add",
    ),
    path("recommandations/<int:pk>/", records.recommendation_edit, name="recommendation_edit"),
    path("recommandations/<int:pk>/preuve/", records.evidence_document, name="evidence_document"),
    # INS-REPORTING
    path("comptes-rendus/", reporting.reports, name="reports"),
    path(
        "comite/<int:committee_pk>/comptes-rendus/",
        reporting.committee_reports,
        name="committee_reports",
    ),
    path(
        "comite/<int:committee_pk>/comptes-rendus/nouveau/",
        reporting.obligation_create,
        name="obligation_create",
    ),
    path("comptes-rendus/<int:pk>/", reporting.obligation, name="obligation"),
    path("comptes-rendus/<int:pk>/deposer/", reporting.report_submit, name="report_submit"),
    path(
        "comptes-rendus/recus/<int:pk>/document/",
        reporting.received_document,
        name="received_document",
    ),
    # INS-COMMITMENTS
    path("comite/<int:committee_pk>/engagements/", commitments.commitments, name="commitments"),
    path(
        "comite/<int:committee_pk>/engagements/saisir/",
        commitments.commitment_form,
        name="commitment_form",
    ),
    path(
        "engagements/<int:pk>/demande-audit/",
        commitments.commitment_audit,
        name="commitment_audit",
    ),
    # Network bodies
    path("organismes/", bodies.bodies, name="bodies"),
    path("organismes/nouveau/", bodies.body_create, name="body_create"),
    path("organismes/<int:pk>/", bodies.body_detail, name="body"),
    path(
        "organismes/<int:pk>/utilisateurs/<int:user_pk>/retirer/",
        bodies.body_user_remove,
        name="body_user_remove",
    ),
]
