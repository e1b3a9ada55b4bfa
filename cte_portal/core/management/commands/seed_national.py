"""``manage.py seed_national``: the data of every app at the size of France (issue 15).

Each app registers its seeder on its ``AppConfig`` (``national_seeder``); the command runs
them in the order of ``INSTALLED_APPS`` (see ``cte_portal.core.national``), in one
transaction. Idempotent: a second run adds nothing. The territorial reference must be loaded
first (``manage.py import_territories``).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cte_portal.core.generations import invalidate_all
from cte_portal.core.national import NationalRun, Progress, national_seeders


class Command(BaseCommand):
    help = (
        "Charge un jeu de données à l'échelle nationale (comités de toutes les régions, "
        "compositions, réunions, feuilles de route, indicateurs…) pour mesurer les performances."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Facteur d'échelle des volumes (1 : la France ; 0,1 pour des essais rapides).",
        )
        parser.add_argument(
            "--regions",
            default="",
            help="Codes INSEE des régions à charger, séparés par des virgules (toutes par défaut).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Ne pas afficher la barre de progression."
        )

    def handle(self, *args, scale: float, regions: str, no_progress: bool, **options):
        if scale <= 0:
            raise CommandError("Le facteur d'échelle doit être strictement positif.")
        codes = tuple(code.strip() for code in regions.split(",") if code.strip())
        progress = Progress(self.stderr._out, enabled=not no_progress)
        run = NationalRun(scale=scale, regions=codes, progress=progress)
        started = time.monotonic()
        # One transaction: a seeder that refuses (an unknown region…) leaves nothing behind.
        with transaction.atomic():
            for seeder in national_seeders():
                seeder(run)
                progress.finish()
        # Bulk inserts send no signal: the cached read models rebuild at their next read.
        invalidate_all()
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{key} : {count}" for key, count in run.counts.items() if count)
        self.stdout.write(
            self.style.SUCCESS(
                f"Données nationales chargées en {elapsed:.0f} s"
                + (f" ({summary})." if summary else " (rien à ajouter).")
            )
        )
