#!/usr/bin/env bash
# Sauvegarde du portail : la base PostgreSQL (pg_dump, format personnalisé) et le dossier des
# fichiers déposés (MEDIA_ROOT), réunis dans une seule archive datée.
#
#   DATABASE_URL=postgres://… MEDIA_ROOT=/srv/cte/media scripts/backup.sh [DOSSIER]
#
# Écrit DOSSIER/cte-AAAAMMJJ-HHMMSS.tar (par défaut dans var/backups) et affiche son chemin.
# Restauration : scripts/restore.sh (dans une base neuve).
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL doit désigner la base PostgreSQL à sauvegarder}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh : DATABASE_URL n'est pas une base PostgreSQL." >&2; exit 2 ;;
esac
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MEDIA_ROOT="${MEDIA_ROOT:-$ROOT/var/media}"
DEST="${1:-$ROOT/var/backups}"
mkdir -p "$DEST"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# La base : format personnalisé (pg_restore), sans propriétaires ni droits propres à ce serveur.
pg_dump --format=custom --no-owner --no-privileges --file="$WORK/database.dump" "$DATABASE_URL"
# Les fichiers : le contenu de MEDIA_ROOT (une archive vide s'il n'existe pas encore).
mkdir -p "$MEDIA_ROOT"
tar -czf "$WORK/media.tar.gz" -C "$MEDIA_ROOT" .
printf 'format=1\ncreated=%s\n' "$STAMP" > "$WORK/VERSION"

ARCHIVE="$DEST/cte-$STAMP.tar"
tar -cf "$ARCHIVE.partial" -C "$WORK" VERSION database.dump media.tar.gz
mv "$ARCHIVE.partial" "$ARCHIVE"
echo "$ARCHIVE"
