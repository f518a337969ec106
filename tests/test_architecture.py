"""The layers of ``lifelogger/`` (docs/architecture.md): imports go downward only, and never in a circle.

Read from the source with ``ast``, lazy imports inside functions included, so
the rule holds for every import the code can make, not only the ones that ran.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lifelogger"

# From the bottom up. A module may import its own layer and the layers below it.
LAYERS = [
    ("lifelogger.core", "lifelogger.config"),
    ("lifelogger.db",),
    ("lifelogger.security",),
    ("lifelogger.api",),
    ("lifelogger.blueprints",),
    ("lifelogger.ui",),
    ("lifelogger.commands",),
    ("lifelogger",),  # create_app
]
# The CLI client talks HTTP only: it imports nothing of the server.
APART = "lifelogger.client"
# Between two resources, only these modules may be imported (a resource's public face).
SIDEWAYS_ALLOWED = ("service", "schemas")


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The lifelogger modules ``name`` imports (``from x import y`` counts ``x.y`` when it is a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def layer_of(name: str) -> int | None:
    best, best_length = None, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best_length:
                best, best_length = index, len(prefix)
    return best


GRAPH = {name: imports_of(name, path, set(modules())) for name, path in modules().items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for name, targets in graph.items():
        for target in targets:
            if name.startswith(APART) != target.startswith(APART) and target != "lifelogger":
                if name.startswith(APART) or target.startswith(APART):
                    problems.append(f"{name} -> {target} (the client is apart from the server)")
                continue
            if name.startswith(APART):
                continue
            if target == "lifelogger" and name != "lifelogger":
                problems.append(f"{name} -> lifelogger (the app factory is the top)")
                continue
            if layer_of(target) > layer_of(name):
                problems.append(f"{name} -> {target} (upward)")
            resource, other = resource_of(name), resource_of(target)
            if resource and other and resource != other and target.rpartition(".")[2] not in SIDEWAYS_ALLOWED:
                problems.append(f"{name} -> {target} (another resource's internals: use its service or schemas)")
    return sorted(problems)


def resource_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "blueprints" else None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_has_a_layer():
    assert [name for name in GRAPH if layer_of(name) is None and not name.startswith(APART)] == []


def test_imports_go_downward_only():
    assert upward_imports(GRAPH) == []


def test_there_is_no_import_cycle():
    assert cycles(GRAPH) == []


# The checks themselves, on made-up graphs: they must catch what they claim to.
@pytest.mark.parametrize(
    "graph, expected",
    [
        ({"lifelogger.db.models": {"lifelogger.api.errors"}}, ["lifelogger.db.models -> lifelogger.api.errors (upward)"]),
        ({"lifelogger.core.days": {"lifelogger"}}, ["lifelogger.core.days -> lifelogger (the app factory is the top)"]),
        (
            {"lifelogger.blueprints.stats.routes": {"lifelogger.blueprints.events.cursor"}},
            ["lifelogger.blueprints.stats.routes -> lifelogger.blueprints.events.cursor (another resource's internals: use its service or schemas)"],
        ),
        ({"lifelogger.client.cli": {"lifelogger.db"}}, ["lifelogger.client.cli -> lifelogger.db (the client is apart from the server)"]),
        ({"lifelogger.api.auth": {"lifelogger.db.models"}, "lifelogger.blueprints.events.service": {"lifelogger.blueprints.labels.service"}}, []),
    ],
)
def test_the_layer_check_catches_upward_and_sideways_imports(graph, expected):
    assert upward_imports(graph) == expected


def test_the_cycle_check_finds_a_lazy_circle():
    graph = {"lifelogger.api.errors": {"lifelogger.db"}, "lifelogger.db": {"lifelogger.api.errors"}, "lifelogger.core.days": set()}
    assert cycles(graph) == [["lifelogger.api.errors", "lifelogger.db"]]
