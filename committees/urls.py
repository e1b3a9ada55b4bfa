"""``/comites/…``: committees, their perimeter, composition, commissions and rules of procedure."""

from django.urls import path

from committees.views import commissions, committees, composition, perimeter, procedure, staff

app_name = "committees"

urlpatterns = [
    path("", committees.committee_list, name="list"),
    path("nouveau/", committees.committee_create, name="create"),
    path("tableau-de-bord/", committees.committee_dashboard, name="dashboard"),
    path("agents/", staff.staff_list, name="staff"),
    path("agents/affecter/", staff.staff_add, name="staff_add"),
    path("agents/<int:pk>/fin/", staff.staff_end, name="staff_end"),
    path("comptes/", staff.account_list, name="accounts"),
    path("comptes/inviter/", staff.account_invite, name="account_invite"),
    path("comptes/<int:pk>/relancer/", staff.account_resend, name="account_resend"),
    path("comptes/<int:pk>/desactiver/", staff.account_deactivate, name="account_deactivate"),
    path("comptes/<int:pk>/reactiver/", staff.account_reactivate, name="account_reactivate"),
    path("<int:pk>/", committees.committee_detail, name="detail"),
    path("<int:pk>/modifier/", committees.committee_edit, name="edit"),
    path("<int:pk>/perimetre/", committees.committee_perimeter, name="perimeter"),
    path("<int:pk>/perimetre/reexamen/", perimeter.perimeter_review, name="perimeter_review"),
    path("<int:pk>/rattachement/", perimeter.change_parent, name="change_parent"),
    path("bassins-emploi/", perimeter.employment_area_list, name="employment_areas"),
    path("bassins-emploi/nouveau/", perimeter.employment_area_edit, name="employment_area_create"),
    path(
        "bassins-emploi/<int:area_pk>/modifier/",
        perimeter.employment_area_edit,
        name="employment_area_edit",
    ),
    path("<int:pk>/installer/", committees.committee_install, name="install"),
    path("<int:pk>/dissoudre/", committees.committee_dissolve, name="dissolve"),
    path("<int:pk>/historique/", committees.committee_history_page, name="history"),
    path(
        "<int:pk>/instances-anterieures/ajouter/",
        committees.former_instance_add,
        name="former_instance_add",
    ),
    path(
        "<int:pk>/instances-anterieures/<int:instance_pk>/retirer/",
        committees.former_instance_remove,
        name="former_instance_remove",
    ),
    path("<int:pk>/avis-ecrits/ajouter/", committees.written_opinion_add, name="opinion_add"),
    path(
        "<int:pk>/avis-ecrits/<int:opinion_pk>/document/",
        committees.written_opinion_document,
        name="opinion_document",
    ),
    path("<int:pk>/composition/", composition.composition, name="composition"),
    path("<int:pk>/co-presidence/ajouter/", composition.copresident_add, name="copresident_add"),
    path(
        "co-presidence/<int:copresidency_pk>/delegataire/",
        composition.copresident_delegate,
        name="copresident_delegate",
    ),
    path(
        "co-presidence/<int:copresidency_pk>/fin/",
        composition.copresident_end,
        name="copresident_end",
    ),
    path("<int:pk>/membres/ajouter/", composition.member_add, name="member_add"),
    path("<int:pk>/membres/renouveler/", composition.renewal, name="renewal"),
    path("membres/<int:membership_pk>/modifier/", composition.member_edit, name="member_edit"),
    path(
        "membres/<int:membership_pk>/suppleant/",
        composition.member_add_substitute,
        name="member_add_substitute",
    ),
    path(
        "membres/<int:membership_pk>/remplacer/", composition.member_replace, name="member_replace"
    ),
    path("membres/<int:membership_pk>/fin/", composition.member_end, name="member_end"),
    path("<int:pk>/commissions/", commissions.commission_list, name="commission_list"),
    path("<int:pk>/commissions/ajouter/", commissions.commission_add, name="commission_add"),
    path(
        "commissions/<int:commission_pk>/", commissions.commission_detail, name="commission_detail"
    ),
    path(
        "commissions/<int:commission_pk>/supprimer/",
        commissions.commission_delete,
        name="commission_delete",
    ),
    path(
        "commissions/<int:commission_pk>/membres/ajouter/",
        commissions.commission_member_add,
        name="commission_member_add",
    ),
    path(
        "commissions/membres/<int:member_pk>/retirer/",
        commissions.commission_member_remove,
        name="commission_member_remove",
    ),
    path("<int:pk>/reglement-interieur/", procedure.rules, name="rules"),
    path("<int:pk>/reglement-interieur/adopter/", procedure.rules_adopt, name="rules_adopt"),
    path("<int:pk>/reglement-interieur/versions/", procedure.rules_versions, name="rules_versions"),
    path("reglement-interieur/<int:rules_pk>/", procedure.rules_version, name="rules_version"),
    path("reglement-interieur/<int:rules_pk>/pdf/", procedure.rules_pdf, name="rules_pdf"),
    path("<int:pk>/rotation-crefop/", procedure.rotation, name="rotation"),
]
