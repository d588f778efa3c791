#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and media store.
#
#   scripts/restore.sh BACKUP_DIR
#
# Same environment as backup.sh. PostgreSQL: the database in DATABASE_URL must exist and be
# empty (createdb -O bilag bilag); pg_restore stops at the first error. SQLite: SQLITE_PATH
# must not exist yet. The media store (MEDIA_ROOT) must be empty or missing.
# Afterwards run `manage.py migrate` (a backup from older code is brought up to date) and
# start the app servers and workers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

src="${1:?usage: scripts/restore.sh BACKUP_DIR}"

db_url="${DATABASE_URL:-}"
if [ -n "$db_url" ]; then
    [ -f "$src/bilag.dump" ] || { echo "error: $src/bilag.dump is missing" >&2; exit 1; }
    pg_restore --no-owner --no-acl --exit-on-error --dbname="$db_url" "$src/bilag.dump"
    echo "database restored from $src/bilag.dump"
else
    target="${SQLITE_PATH:-db.sqlite3}"
    [ -f "$src/bilag.sqlite3" ] || { echo "error: $src/bilag.sqlite3 is missing" >&2; exit 1; }
    [ ! -e "$target" ] || { echo "error: $target exists; restore into a new file" >&2; exit 1; }
    bash scripts/sqlite-copy.sh "$src/bilag.sqlite3" "$target"
    echo "database restored to $target"
fi

if [ -f "$src/media.tar.gz" ]; then
    media="${MEDIA_ROOT:-media}"
    if [ -d "$media" ] && [ -n "$(ls -A "$media")" ]; then
        echo "error: $media is not empty; restore into an empty media store" >&2; exit 1
    fi
    mkdir -p "$media"
    tar -C "$media" -xzf "$src/media.tar.gz"
    echo "media restored to $media"
fi
