"""A fingerprint of source files: what a cache key carries so that a deploy which changes
how something is rendered never serves what the old code rendered."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def files_fingerprint(paths: Iterable[Path], *, salt: str = "") -> str:
    """16 hex digits of a SHA-256 over ``salt`` and then each path's name and bytes, in
    the order given (sort a glob first). Reads every file: call it once per process
    (callers wrap it in ``functools.cache``). Raises OSError for a path that cannot be
    read."""
    digest = hashlib.sha256(salt.encode())
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
