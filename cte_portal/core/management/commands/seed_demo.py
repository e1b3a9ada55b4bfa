"""``manage.py seed_demo``: demo accounts and the data of every app, for a local portal.

Each app registers its seeder on its ``AppConfig`` (``demo_seeder``); the command runs them in
the order of ``INSTALLED_APPS``, in one transaction (see ``cte_portal.core.demo``)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cte_portal.core.demo import app_seeders, login_rows
from cte_portal.core.generations import invalidate_all


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (un compte par rôle) et affiche les identifiants. "
        "Ne s'exécute qu'avec DEBUG activé, sauf --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Exécuter même avec DEBUG désactivé (les mots de passe de démonstration sont publics).",
        )

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo crée des comptes dont le mot de passe est public : il ne s'exécute "
                "qu'avec DEBUG activé (make run). Utilisez --force pour passer outre, jamais en "
                "production."
            )
        with transaction.atomic():
            for seeder in app_seeders():
                seeder()
        invalidate_all()  # some seeders write in bulk, without signals
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        self._print_logins()

    def _print_logins(self) -> None:
        header = ("Adresse électronique", "Rôle", "Mot de passe")
        rows = [header, *login_rows()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        line = "  ".join("-" * width for width in widths)
        self.stdout.write("")
        self.stdout.write("Comptes de démonstration (usage local uniquement) :")
        for index, row in enumerate(rows):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if index == 0:
                self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            "Le compte d'administration nationale demande un second facteur : à sa première "
            "connexion, scannez le code QR affiché avec une application d'authentification "
            "(FreeOTP, Aegis…) puis saisissez le code à 6 chiffres."
        )
