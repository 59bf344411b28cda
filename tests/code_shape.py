"""The shape of homes_app's code, read with `ast`: its modules, the imports between them, the
layer each belongs to, and how long its functions are. tests/test_import_rules.py holds the
code to the rule in docs/architecture.md; `python -m tests.code_shape` prints the figures."""
from __future__ import annotations

import ast
import statistics
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "homes_app"

# docs/architecture.md: the layers, lowest first. A module may import from its own layer's
# domain and from any domain in a lower layer; domains in one layer never import each other.
LAYERS: list[tuple[str, ...]] = [
    ("common",),
    ("audit",),
    ("auth",),
    ("homes",),
    ("placements",),
    ("postcodes",),
    ("staffing", "registration"),
    ("reports", "ssda903", "retention"),
    ("alerts",),
    ("scheduler", "backup"),
    ("ops",),
    ("demo",),
    # homes_app/__init__.py, models.py, config.py, cli.py and gunicorn_config.py: wire every
    # domain together
    ("app",),
]
RANK = {domain: rank for rank, layer in enumerate(LAYERS) for domain in layer}
# Within a domain split into parts, the parts are layered too, lowest first; a part is a
# sub-package or a top-level module. Unlisted modules (settings, times) sit below the parts.
PARTS: dict[str, list[str]] = {
    "staffing": ["people", "rota", "relief"],
    "registration": ["compliance", "templates", "plans", "seed"],
}
APP_MODULES = {"homes_app", "homes_app.models", "homes_app.config", "homes_app.gunicorn_config",
               "homes_app.cli"}
# Pages sit above every domain's code: a page may show what several domains hold. A module
# is a page module when it makes a blueprint, or is a domain's forms, cli, pages or
# blueprint module, or is one of the helpers every page shares.
PAGE_NAMES = {"views", "forms", "fields", "cli", "pages", "blueprint"}
SHARED_PAGE_MODULES = {"homes_app.web", "homes_app.resume", "homes_app.error_pages",
                       "homes_app.fields"}


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    deferred: bool  # inside a function or class body, not at the top of the module


@dataclass
class Module:
    name: str
    path: Path
    is_package: bool
    tree: ast.Module = field(repr=False)

    @property
    def is_page(self) -> bool:
        leaf = self.name.rpartition(".")[2]
        return (leaf in PAGE_NAMES or leaf.endswith("_views") or self.name in SHARED_PAGE_MODULES
                or self.name in APP_MODULES or any(
                    isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Blueprint"
                    for node in ast.walk(self.tree)))


def modules(package: Path = PACKAGE) -> dict[str, Module]:
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        found[name] = Module(name, path, is_package, ast.parse(path.read_text(), str(path)))
    return found


def domain(module: str) -> str:
    """The domain a module belongs to: its first folder below homes_app, or `app`."""
    if module in APP_MODULES:
        return "app"
    parts = module.split(".")
    return parts[1] if parts[1] in RANK else "common"


def _targets(module: Module, node: ast.Import | ast.ImportFrom, known: dict) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        prefix = node.module or ""
    else:
        base = module.name.split(".")
        if not module.is_package:
            base = base[:-1]
        base = base[:len(base) - node.level + 1]
        prefix = ".".join(base + ([node.module] if node.module else []))
    return [f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in known else prefix
            for alias in node.names]


def imports(found: dict[str, Module]) -> list[Import]:
    """Every import of one homes_app module by another, top-level or deferred."""
    result = []
    for module in found.values():
        top = {id(node) for node in module.tree.body}
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _targets(module, node, found):
                while target and target not in found:
                    target = target.rpartition(".")[0]
                if target.startswith("homes_app") and target != module.name:
                    result.append(Import(module.name, target, node.lineno, id(node) not in top))
    return result


def against_layers(edges: list[Import], found: dict[str, Module]) -> list[Import]:
    """Imports that break the rule: a domain's code imports only its own domain and domains
    in lower layers, never a page module; a page module imports any domain's code, its own
    domain's pages and the shared page helpers, never another domain's pages."""
    return [edge for edge in edges if not _allowed(found[edge.source], found[edge.target])]


def _allowed(source: Module, target: Module) -> bool:
    here, there = domain(source.name), domain(target.name)
    if source.name in APP_MODULES:
        return True
    if not source.is_page:
        return not target.is_page and (RANK[there] < RANK[here] or (
            here == there and _part_rank(source.name) >= _part_rank(target.name)))
    if target.is_page:
        return here == there or target.name in SHARED_PAGE_MODULES
    return True


def _part_rank(module: str) -> int:
    """A module's part within its domain (-1 for the domain's shared modules)."""
    parts = module.split(".")
    order = PARTS.get(parts[1], []) if len(parts) > 2 else []
    return order.index(parts[2]) if parts[2:3] and parts[2] in order else -1


def cycles(edges: list[Import]) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (Tarjan's SCC)."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def deferred(edges: list[Import]) -> list[Import]:
    return [edge for edge in edges if edge.deferred]


def function_lengths(found: dict[str, Module]) -> dict[str, int]:
    """Lines from `def` to the last line of the body, for every function and method."""
    lengths = {}
    for module in found.values():
        for node in ast.walk(module.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lengths[f"{module.name}:{node.lineno}:{node.name}"] = (
                    node.end_lineno - node.lineno + 1)
    return lengths


def file_lengths(found: dict[str, Module]) -> dict[str, int]:
    return {name: len(module.path.read_text().splitlines()) for name, module in found.items()}


def figures(package: Path = PACKAGE) -> dict[str, float]:
    found = modules(package)
    edges = imports(found)
    lengths = sorted(function_lengths(found).values())
    files = file_lengths(found)
    return {
        "modules": len(found),
        "import_cycles": len(cycles(edges)),
        "imports_against_layers": len(against_layers(edges, found)),
        "deferred_imports": len(deferred(edges)),
        "functions": len(lengths),
        "function_lines_median": statistics.median(lengths),
        "function_lines_p90": lengths[int(0.9 * (len(lengths) - 1))],
        "function_lines_max": lengths[-1],
        "files_over_300_lines": sum(1 for n in files.values() if n > 300),
    }


if __name__ == "__main__":
    for name, value in figures().items():
        print(f"{name}={value:g} {'lines' if 'lines' in name else 'count'}")
