#!/usr/bin/env python3
"""The apps import one way (issue 9; README, Layout).

    ops < finance < committees < cases < review < followup < annex

Walks every module of every app with `ast` (migrations included: they must not import
upwards either) and fails on
  - an import of an app that is not in LAYERS (a new app must be placed in the order),
  - an upward import (an app importing one above it in LAYERS),
  - an import of another app inside a function or class body (a late import that hides
    a cycle),
  - a cycle between apps (cannot happen without an upward import; checked anyway).

usage: python3 .ci/check_layers.py [ROOT]     exit status 0 when clean, 1 otherwise
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

# Lowest first. Each app may import only the apps before it. `ops` (health, worker
# heartbeats, security middleware, storage) is infrastructure: it imports no other app.
LAYERS = ("ops", "finance", "committees", "cases", "review", "followup", "annex")
# Directories at the top of the repository that are not apps.
NOT_APPS = {"config", "tests", "benchmarks", "docs", "fixtures", "static", "templates", "locale"}


def apps_in(root: Path) -> list[str]:
    """Top-level packages holding Python modules (the project's apps)."""
    return sorted(
        p.name
        for p in root.iterdir()
        if p.is_dir()
        and not p.name.startswith((".", "_"))
        and p.name not in NOT_APPS
        and any(p.glob("*.py"))
    )


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(top-level module, line, at module level?) of every absolute import in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    top_level = {id(node) for node in tree.body}
    # An import under `if TYPE_CHECKING:` or `try:` at module level is module level too.
    for node in tree.body:
        if isinstance(node, (ast.If, ast.Try)):
            top_level.update(
                id(n) for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))
            )
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            found.append((name.split(".")[0], node.lineno, id(node) in top_level))
    return found


def check(root: Path) -> list[str]:
    """The problems found under `root`, one line each (empty: the layers hold)."""
    apps = apps_in(root)
    unplaced = [app for app in apps if app not in LAYERS]
    problems = [f"{app}/: an app that is not in LAYERS {LAYERS}" for app in unplaced]
    rank = {app: i for i, app in enumerate(LAYERS)}
    edges: dict[str, set[str]] = {app: set() for app in apps}
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            rel = path.relative_to(root)
            for target, line, module_level in imports(path):
                if target == app or target not in apps:
                    continue
                edges[app].add(target)
                where = f"{rel}:{line}"
                if not module_level:
                    problems.append(f"{where}: imports {target} inside a function or class")
                if app in rank and target in rank and rank[target] > rank[app]:
                    problems.append(f"{where}: {app} imports {target}, a layer above it")
    problems += [f"cycle: {' -> '.join(c)}" for c in cycles(edges)]
    return problems


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every elementary cycle's app list, once (depth-first search from each app)."""
    found, seen = [], set()

    def visit(start: str, node: str, path: list[str]) -> None:
        for nxt in sorted(edges.get(node, ())):
            if nxt == start:
                key = frozenset(path)
                if key not in seen:
                    seen.add(key)
                    found.append([*path, start])
            elif nxt not in path and nxt > start:
                visit(start, nxt, [*path, nxt])

    for app in sorted(edges):
        visit(app, app, [app])
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parent.parent)
    problems = check(root)
    for problem in problems:
        print(problem)
    apps = apps_in(root)
    print(f"layers: {' < '.join(LAYERS)}; apps checked: {len(apps)}; problems: {len(problems)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
