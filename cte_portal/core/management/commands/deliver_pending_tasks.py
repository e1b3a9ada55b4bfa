"""``manage.py deliver_pending_tasks``: send the tasks waiting in the outbox (Redis was down)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from cte_portal.tasking import SWEEP_GRACE, deliver_pending


class Command(BaseCommand):
    help = (
        "Envoie au courtier (Redis) les tâches restées en attente dans la base pendant une "
        "panne ; à relancer tant qu'il en reste."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Envoyer aussi les tâches de moins de 30 secondes (sinon laissées à la requête "
            "qui les a créées).",
        )

    def handle(self, *args, all: bool, **options):  # noqa: A002
        result = deliver_pending(grace=timedelta(0) if all else SWEEP_GRACE)
        self.stdout.write(f"{result['sent']} tâche(s) envoyée(s), {result['waiting']} en attente.")
