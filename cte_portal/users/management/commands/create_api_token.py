from django.core.management.base import BaseCommand, CommandError

from cte_portal.users.models import User
from cte_portal.users.services import create_api_token


class Command(BaseCommand):
    help = "Crée un jeton d'API personnel pour l'utilisateur EMAIL et l'affiche (une seule fois)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="Jeton créé en ligne de commande")

    def handle(self, *args, email, name, **options):
        try:
            user = User.objects.get(email__iexact=email, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"Aucun utilisateur actif n'a l'adresse {email}.") from None
        _token, key = create_api_token(user=user, name=name)
        self.stdout.write(key)
