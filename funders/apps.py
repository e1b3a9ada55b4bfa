from django.apps import AppConfig


class FundersConfig(AppConfig):
    name = "funders"
    verbose_name = "Conférences des financeurs"
    demo_seeder = "funders.demo.seed_funders"  # run by ``manage.py seed_demo``
    national_seeder = "funders.national.seed_national"  # run by ``manage.py seed_national``
    menu_provider = "funders.menu.menu_entries"  # ``cte_portal.core.registry``
    menu_flags = "funders.menu.menu_flags"  # ``cte_portal.core.context_processors``

    def ready(self):
        # The committee page shows this app's section without importing it.
        from committees.sections import register_section
        from funders.committee_page import TEMPLATE, funders_section

        register_section(key="funders", order=20, template=TEMPLATE, context=funders_section)

        # RGPD: the contact's phone is the contact's personal data (blanked on anonymisation).
        from cte_portal.users.personal_data import register_person_fields

        register_person_fields("funders.Funder", person_field="contact", fields=("contact_phone",))

        # The offer map exports are built by a task (``cte_portal.core.file_jobs``).
        from funders.file_jobs import register_kinds

        register_kinds()
