"""``manage.py seed_national``: committees, meetings, roadmaps… at the size of France.

Like ``seed_demo``, each app names its seeder on its ``AppConfig``
(``national_seeder = "committees.national.seed_national"``) and the command runs them in
``INSTALLED_APPS`` order with one ``NationalRun``: the scale factor, the regions in scope, the
progress bar. Seeders insert in bulk (``bulk_create``), then derive what the services would
have derived (guardian permissions, counters, snapshots), so that the portal works on the
result as on data entered through its pages. Every seeder is idempotent: it only fills the
committees (or regions) that do not have its data yet.

Seeded accounts have no usable password (``set_unusable_password``): nobody signs in with them
unless an administrator sets one (the pages benchmark does, for its two personas).
"""

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils.module_loading import import_string

from cte_portal.users.models import User

EMAIL_DOMAIN = "national.example.org"
ADMIN_EMAIL = f"admin@{EMAIL_DOMAIN}"
BATCH = 5000

FIRST_NAMES = [
    "Camille",
    "Claire",
    "Louis",
    "Nadia",
    "Hugo",
    "Sophie",
    "Karim",
    "Élise",
    "Julien",
    "Manon",
    "Thomas",
    "Léa",
    "Nicolas",
    "Inès",
    "Antoine",
    "Chloé",
    "Mehdi",
    "Sarah",
    "Pierre",
    "Emma",
    "Lucas",
    "Amina",
    "Olivier",
    "Julie",
    "Maxime",
    "Laura",
    "Yanis",
    "Anne",
    "Paul",
    "Céline",
    "Théo",
    "Mathilde",
    "Bruno",
    "Fatou",
    "Alexandre",
    "Marion",
    "Romain",
    "Aïcha",
    "Vincent",
    "Lucie",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guerin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clement",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
]


class Progress:
    """A plain-text progress bar on a stream (stderr): one line per step, redrawn in place."""

    WIDTH = 30

    def __init__(self, stream=None, *, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.label = ""
        self.total = 0
        self.done = 0
        self.started = time.monotonic()
        self.step_started = self.started
        self._last_draw = 0.0
        self._drawn = None

    def start(self, label: str, total: int) -> None:
        self.finish()
        self.label, self.total, self.done = label, max(total, 0), 0
        self.step_started = time.monotonic()
        self._draw(force=True)

    def advance(self, count: int = 1) -> None:
        self.done = min(self.total, self.done + count) if self.total else self.done + count
        self._draw()

    def finish(self) -> None:
        if not self.label:
            return
        self.done = self.total
        self._draw(force=True)
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
        self.label = ""

    def _draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._last_draw < 0.2):
            return
        if force and self._drawn == (self.label, self.done):
            return
        self._last_draw = now
        self._drawn = (self.label, self.done)
        ratio = self.done / self.total if self.total else 1.0
        filled = int(ratio * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        elapsed = now - self.step_started
        self.stream.write(
            f"\r[{bar}] {ratio:4.0%} {self.label} ({self.done}/{self.total}, {elapsed:.0f} s)"
        )
        self.stream.flush()


@dataclass
class NationalRun:
    """What every national seeder receives."""

    scale: float = 1.0
    regions: tuple[str, ...] = ()  # region codes in scope; empty: every region
    progress: Progress = field(default_factory=lambda: Progress(enabled=False))
    today: date = field(default_factory=date.today)
    counts: dict[str, int] = field(default_factory=dict)

    def scaled(self, count: float, *, minimum: int = 1) -> int:
        """``count`` times the scale, at least ``minimum``."""
        return max(minimum, round(count * self.scale))

    def added(self, key: str, count: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + count


def bulk(model, rows: Iterable, *, progress: Progress | None = None) -> list:
    """``bulk_create`` in batches; returns the saved rows (with their primary keys)."""
    rows = list(rows)
    saved = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        saved.extend(model.objects.bulk_create(chunk, batch_size=BATCH))
        if progress is not None:
            progress.advance(len(chunk))
    return saved


def copy_rows(model, columns: list[str], rows: Iterable[tuple], *, progress=None) -> int:
    """Insert plain rows (values of ``columns``, in order) as fast as the database allows:
    PostgreSQL's ``COPY``, else ``bulk_create``. For the millions of rows no one reads back
    (indicator values); no model instance is built, no ``auto_now`` applied."""
    count = 0
    if connection.vendor == "postgresql":
        names = ", ".join(model._meta.get_field(c).column for c in columns)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
                if progress is not None and count % BATCH == 0:
                    progress.advance(BATCH)
        if progress is not None:
            progress.advance(count % BATCH)
        return count
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(columns, row, strict=True))))
        if len(batch) >= BATCH:
            count += len(model.objects.bulk_create(batch))
            batch = []
            if progress is not None:
                progress.advance(BATCH)
    count += len(model.objects.bulk_create(batch))
    if progress is not None:
        progress.advance(len(batch))
    return count


_UNUSABLE = None


def unusable_password() -> str:
    """One unusable password hash for every seeded account (hashing 10,000 is too slow)."""
    global _UNUSABLE  # noqa: PLW0603
    if _UNUSABLE is None:
        _UNUSABLE = make_password(None)
    return _UNUSABLE


def person(key: str, index: int, *, organisation: str = "", job_title: str = "") -> User:
    """An unsaved seeded account, its e-mail derived from ``key`` (unique, stable)."""
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index * 7 + len(key)) % len(LAST_NAMES)]
    return User(
        email=f"{key}@{EMAIL_DOMAIN}".lower(),
        first_name=first,
        last_name=last,
        organisation=organisation[:255],
        job_title=job_title[:255],
        password=unusable_password(),
    )


def save_people(people: list[User], progress: Progress | None = None) -> dict[str, User]:
    """Insert the accounts that do not exist yet; return every one of them by e-mail."""
    emails = [p.email for p in people]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    bulk(User, [p for p in people if p.email not in existing], progress=progress)
    return {u.email: u for u in User.objects.filter(email__in=emails)}


def seed_national_users(run: NationalRun) -> dict[str, User]:
    """The national administrator (DGEFP), who sees everything (idempotent)."""
    admin, created = User.objects.get_or_create(
        email=ADMIN_EMAIL,
        defaults={
            "first_name": "Administration",
            "last_name": "Nationale",
            "organisation": "DGEFP",
            "job_title": "Administratrice nationale",
            "is_staff": True,
            "is_superuser": True,
            "password": unusable_password(),
        },
    )
    run.added("accounts", int(created))
    return {"admin": admin}


def national_seeders() -> list[Callable[[NationalRun], object]]:
    """The ``national_seeder`` of every installed app that has one, in ``INSTALLED_APPS``
    order."""
    return [
        import_string(config.national_seeder)
        for config in apps.get_app_configs()
        if getattr(config, "national_seeder", None)
    ]
