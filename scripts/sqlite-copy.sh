#!/usr/bin/env bash
# Copy a SQLite database with SQLite's online backup API: a consistent copy even while the
# app writes to it (WAL included), as `sqlite3 SOURCE ".backup TARGET"` does without
# needing the sqlite3 program. Used by backup.sh and restore.sh.
#
#   scripts/sqlite-copy.sh SOURCE TARGET
set -euo pipefail
python="${PYTHON:-.venv/bin/python}"
[ -x "$python" ] || python=python3
"$python" - "${1:?usage: sqlite-copy.sh SOURCE TARGET}" "${2:?usage: sqlite-copy.sh SOURCE TARGET}" <<'PY'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
source.close()
target.close()
PY
