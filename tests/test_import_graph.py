"""The first-party import graph: no circles, views below the shell, only start-up imports it.

Files are found by walking the folders, so moving them keeps it honest.
"""

from __future__ import annotations

import ast
from collections.abc import Container, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("desktop", "scenarios")

Graph = dict[str, set[str]]


def module_name(path: Path) -> str:
    """The dotted name of a .py file under ROOT (a package's __init__ is the package)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every first-party module, by name."""
    return {module_name(path): path for package in PACKAGES
            for path in sorted((ROOT / package).rglob("*.py"))}


def imported(name: str, path: Path, known: Container[str]) -> set[str]:
    """The first-party modules a module imports anywhere.

    At the top, in functions, in `if TYPE_CHECKING:` blocks; `from package import module` counts
    as the module.
    """
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's package, one level up per extra dot
                parts = package.split(".")
                anchor = parts[:len(parts) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # `import a.b.c` where c is not a module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> Graph:
    """Each first-party module and the first-party modules it imports."""
    found = modules()
    return {name: imported(name, path, found) for name, path in found.items()}


def strong_components(graph: Graph) -> Iterator[list[str]]:
    """Tarjan's strongly connected components of more than one module: each holds a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> Iterator[list[str]]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                yield from visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                yield sorted(component)

    for node in sorted(graph):
        if node not in index:
            yield from visit(node)


def path_between(graph: Graph, start: str, goal: str, within: set[str]) -> list[str]:
    """The shortest import chain from `start` to `goal` through modules of `within`."""
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(graph[node] & within):
                if nxt not in paths:
                    paths[nxt] = paths[node] + [nxt]
                    following.append(nxt)
        frontier = following
    return paths.get(goal, [])


def circles_in(graph: Graph, component: list[str]) -> list[str]:
    """The shortest circle through each module of a strong component, each once (`a -> b -> a`)."""
    members = set(component)
    found: dict[frozenset[str], str] = {}
    for start in component:
        chains = [path_between(graph, start, back, members)
                  for back in sorted(members) if start in graph[back]]
        chain = min(chains, key=len)
        found.setdefault(frozenset(chain), " -> ".join(chain + [start]))
    return list(found.values())


def circles(touching: str) -> list[str]:
    """Every import circle with a module of the package `touching`."""
    graph = import_graph()
    return [line for component in strong_components(graph)
            if any(m.split(".")[0] == touching for m in component)
            for line in circles_in(graph, component)]


def test_the_desktop_modules_import_in_no_circle():
    assert "desktop.shell.window" in import_graph(), "the scan found no desktop modules"
    assert circles("desktop") == []


def test_the_scenarios_modules_import_in_no_circle():
    assert circles("scenarios") == []


def test_only_start_up_code_imports_the_window():
    """Only start-up code builds the window (the other rules are import-linter's, in pyproject)."""
    graph = import_graph()
    importers = {m for m, targets in graph.items() if "desktop.shell.window" in targets}
    assert importers and all(m.startswith("desktop.startup.") for m in importers), importers
