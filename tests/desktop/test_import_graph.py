"""The first-party import graph: no circles, views below the shell, only start-up imports it.

Files are found by walking the folders, so moving them keeps it honest.
"""

from __future__ import annotations

import ast
from collections.abc import Container, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("desktop", "scenarios")
# The window and the menus, panels and memory wired to it: views must not know them.
SHELL = {"window", "file_actions", "lesson_actions", "appearance", "try_progress",
         "layout_memory"}
# Start-up code, which builds the window: the only importers of it outside the tests.
STARTUP = {"app", "automation", "selftest"}

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
    assert "desktop.window" in import_graph(), "the scan found no desktop modules"
    assert circles("desktop") == []


def test_the_scenarios_modules_import_in_no_circle():
    assert circles("scenarios") == []


def test_views_import_nothing_of_the_windows_shell():
    """A view knows no window module, not even through another module it imports."""
    graph = import_graph()
    views = {m for m in graph if "views" in m.split(".")}
    shell = {m for m in graph if m.rpartition(".")[2] in SHELL}
    assert views and len(shell) == len(SHELL), "the scan found no views, or not every shell module"
    everything = set(graph)
    reached = [path_between(graph, view, module, everything)
               for view in sorted(views) for module in sorted(shell)]
    assert [" -> ".join(chain) for chain in reached if chain] == []


def declares_lesson(path: Path) -> bool:
    """True for a lesson's module: it assigns LESSON at its top level."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return any(isinstance(target, ast.Name) and target.id == "LESSON"
               for node in tree.body if isinstance(node, ast.Assign) for target in node.targets)


def test_views_import_no_lesson():
    """A view is given what a lesson declares; it never imports a lesson's module."""
    found = modules()
    lessons = {name for name, path in found.items() if declares_lesson(path)}
    assert "scenarios.lessons.responsiveness" in lessons, "the scan found no lesson modules"
    graph = import_graph()
    views = {m for m in graph if "views" in m.split(".")}
    assert {f"{view} -> {lesson}" for view in views for lesson in graph[view] & lessons} == set()


def test_only_start_up_code_imports_the_window():
    graph = import_graph()
    window = next(m for m in graph if m.rpartition(".")[2] == "window")
    importers = {m for m, targets in graph.items() if window in targets}
    assert {m.rpartition(".")[2] for m in importers} <= STARTUP, sorted(importers)
