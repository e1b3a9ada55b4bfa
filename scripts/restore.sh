#!/usr/bin/env bash
# Restauration d'une sauvegarde faite par scripts/backup.sh, dans une base NEUVE (vide) :
#
#   createdb cte_restauree
#   DATABASE_URL=postgres://…/cte_restauree MEDIA_ROOT=/srv/cte/media scripts/restore.sh FICHIER.tar
#
# Refuse une base qui contient déjà des tables, et un MEDIA_ROOT qui contient déjà des fichiers.
set -euo pipefail

ARCHIVE="${1:?usage : scripts/restore.sh FICHIER.tar}"
: "${DATABASE_URL:?DATABASE_URL doit désigner la base PostgreSQL neuve où restaurer}"
[ -f "$ARCHIVE" ] || { echo "restore.sh : $ARCHIVE introuvable." >&2; exit 2; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MEDIA_ROOT="${MEDIA_ROOT:-$ROOT/var/media}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

tar -xf "$ARCHIVE" -C "$WORK"
[ -f "$WORK/database.dump" ] && [ -f "$WORK/media.tar.gz" ] || {
  echo "restore.sh : $ARCHIVE n'est pas une sauvegarde du portail." >&2; exit 2; }

TABLES="$(psql "$DATABASE_URL" -tAc "select count(*) from pg_tables where schemaname = 'public'")"
if [ "$TABLES" != "0" ]; then
  echo "restore.sh : la base contient déjà $TABLES table(s) ; restaurez dans une base neuve (createdb)." >&2
  exit 3
fi
mkdir -p "$MEDIA_ROOT"
if [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  echo "restore.sh : $MEDIA_ROOT n'est pas vide ; restaurez dans un dossier vide." >&2
  exit 3
fi

pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$WORK/database.dump"
tar -xzf "$WORK/media.tar.gz" -C "$MEDIA_ROOT"
echo "Sauvegarde restaurée : base et fichiers ($MEDIA_ROOT)."
