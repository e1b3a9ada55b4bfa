"""Backup and restore (``scripts/backup.sh`` / ``scripts/restore.sh``, ``make backup`` /
``make restore``): the database (``pg_dump -Fc``) and the media folder, restored into a FRESH
database and folder, hold the same committees, members and documents."""

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from committees.models import Committee, Membership
from meetings.models import AgendaDocument
from meetings.services.agenda import add_agenda_document
from tests.factories.meetings import build_scene, make_meeting

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def url_of(name: str) -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def run(script: str, *args, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def fresh_database():
    """An empty database of its own, dropped afterwards."""
    name = f"cte_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url_of("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(url_of("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_a_fresh_database_has_the_same_data(
    settings, tmp_path, fresh_database
):
    assert connection.vendor == "postgresql"
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    scene = build_scene()
    meeting = make_meeting(scene)
    document = add_agenda_document(
        item=meeting.agenda_items.first(),
        title="Diagnostic territorial",
        file=SimpleUploadedFile("diagnostic.pdf", PDF, content_type="application/pdf"),
    )
    committees = sorted(Committee.objects.values_list("pk", "name"))
    members = sorted(
        Membership.objects.values_list("committee_id", "person__email", "category", "role")
    )
    assert committees and len(members) > 5

    backup = run(
        "backup.sh",
        str(tmp_path / "backups"),
        database_url=url_of(connection.settings_dict["NAME"]),
        media_root=media,
    )
    assert backup.returncode == 0, backup.stderr
    archive = Path(backup.stdout.strip().splitlines()[-1])
    assert archive.is_file() and archive.parent == tmp_path / "backups"

    restored_media = tmp_path / "restored-media"
    restored = run(
        "restore.sh",
        str(archive),
        database_url=url_of(fresh_database),
        media_root=restored_media,
    )
    assert restored.returncode == 0, restored.stderr

    with psycopg.connect(url_of(fresh_database)) as db:
        assert sorted(db.execute("SELECT id, name FROM committees_committee").fetchall()) == (
            committees
        )
        assert (
            sorted(
                db.execute(
                    "SELECT m.committee_id, u.email, m.category, m.role "
                    "FROM committees_membership m JOIN users_user u ON u.id = m.person_id"
                ).fetchall()
            )
            == members
        )
        assert db.execute(
            "SELECT title, file FROM meetings_agendadocument WHERE id = %s", [document.pk]
        ).fetchone() == ("Diagnostic territorial", document.file.name)
        # The schema is complete: the migrations recorded as applied.
        assert db.execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 10
    assert (restored_media / document.file.name).read_bytes() == PDF
    assert AgendaDocument.objects.count() == 1

    # A second restore into the same, no longer empty, database is refused.
    again = run(
        "restore.sh",
        str(archive),
        database_url=url_of(fresh_database),
        media_root=tmp_path / "other-media",
    )
    assert again.returncode == 3
    assert "base neuve" in again.stderr
