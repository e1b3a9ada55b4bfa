import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from territories.services import DEFAULT_FILE, TerritoryFileError, import_territories


class Command(BaseCommand):
    help = (
        "Importe le référentiel territorial (régions, départements, arrondissements, EPCI, EPT, "
        "communes) depuis le fichier compact du dépôt ou celui donné par --file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=None,
            help=f"fichier .json.gz au format du dépôt (par défaut : {DEFAULT_FILE.name})",
        )

    def handle(self, *args, file: Path | None, verbosity: int = 1, **options):
        started = time.monotonic()
        try:
            report = import_territories(path=file)
        except TerritoryFileError as exc:
            raise CommandError(f"Import refusé, base inchangée. {exc}") from exc
        if verbosity < 1:
            return
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"Durée : {time.monotonic() - started:.1f} s")
