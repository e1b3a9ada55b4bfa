import importlib
import os
import pkgutil
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cte_portal.settings")
    os.environ.setdefault("CTE_ENV", "development")
    os.environ.setdefault("DEBUG", "false")
    (ROOT / "var").mkdir(exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("import_territories", verbosity=0)

    import tests.bench as package

    print(f"# CTE Portal benchmarks — {time.strftime('%Y-%m-%d %H:%M:%S')}")
    print(f"# {platform.platform()} · Python {platform.python_version()} · {os.cpu_count()} CPU")
    print(f"# database: {django.db.connection.vendor}")
    failures = 0
    for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if not module_info.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"tests.bench.{module_info.name}")
        print(f"\n## {module_info.name.removeprefix('bench_')}")
        try:
            for line in module.run():
                print(line, flush=True)
        except Exception as exc:  # report and go on with the other benchmarks
            failures += 1
            print(f"FAILED: {type(exc).__name__}: {exc}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
