#!/usr/bin/env bash
# Back up Bilag: the database and the media store (rendered annexes), into one folder.
#
#   scripts/backup.sh DEST_DIR
#
# Reads the same environment as the app (docs/deploy.md):
#   DATABASE_URL  postgres://…  -> pg_dump --format=custom  (DEST_DIR/bilag.dump)
#                 empty         -> SQLite online backup of SQLITE_PATH (default db.sqlite3)
#                                  with sqlite3's backup API (DEST_DIR/bilag.sqlite3): a
#                                  consistent copy while the app runs (WAL included)
#   MEDIA_ROOT    the local media store (default ./media) -> DEST_DIR/media.tar.gz
#   BILAG_STORAGE=s3: the files live in the bucket; back them up there (versioning or
#                 replication); only the database is dumped here.
# The database is dumped first: every file a dumped row points at is then in the media
# copy (files are only added after their row is committed, or are caches rebuilt on demand).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

dest="${1:?usage: scripts/backup.sh DEST_DIR}"
mkdir -p "$dest"

db_url="${DATABASE_URL:-}"
if [ -n "$db_url" ]; then
    case "$db_url" in
        postgres://*|postgresql://*) ;;
        *) echo "error: backup.sh knows PostgreSQL and SQLite, not ${db_url%%:*}" >&2; exit 1 ;;
    esac
    pg_dump --format=custom --no-owner --no-acl --dbname="$db_url" --file="$dest/bilag.dump"
    echo "database: $dest/bilag.dump"
else
    src="${SQLITE_PATH:-db.sqlite3}"
    [ -f "$src" ] || { echo "error: no SQLite database at $src" >&2; exit 1; }
    bash scripts/sqlite-copy.sh "$src" "$dest/bilag.sqlite3"
    echo "database: $dest/bilag.sqlite3"
fi

if [ "${BILAG_STORAGE:-local}" = s3 ]; then
    echo "media: in the S3 bucket (not copied)"
else
    media="${MEDIA_ROOT:-media}"
    if [ -d "$media" ]; then
        tar -C "$media" -czf "$dest/media.tar.gz" .
    else
        tar -czf "$dest/media.tar.gz" -T /dev/null
    fi
    echo "media: $dest/media.tar.gz"
fi
