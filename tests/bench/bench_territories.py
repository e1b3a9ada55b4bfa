"""How long the import of the whole territorial reference takes (target: under 60 s)."""

import time


def run():
    from django.core.management import call_command

    from territories.models import Commune

    started = time.perf_counter()
    call_command("import_territories", verbosity=0)
    second = time.perf_counter() - started
    yield f"import_territories, second run (nothing to change): {second:.2f} s"
    yield f"communes in the database: {Commune.objects.current().count()}"
