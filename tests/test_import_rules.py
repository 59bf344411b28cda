"""The dependency rule, read from every module's imports (tests/code_shape.py): domains import
only their own and lower layers' code, pages sit above all domain code, and no two modules
import each other round a loop. A failure names the import to move."""
from __future__ import annotations

from tests import code_shape

FOUND = code_shape.modules()
EDGES = code_shape.imports(FOUND)


def _lines(edges) -> str:
    return "\n".join(f"{e.source} (line {e.line}) imports {e.target}" for e in edges)


def test_no_module_imports_against_the_layers():
    broken = code_shape.against_layers(EDGES, FOUND)
    assert not broken, "imports against the layers:\n" + _lines(broken)


def test_no_import_cycles():
    loops = code_shape.cycles(EDGES)
    assert not loops, "import cycles: " + "; ".join(" <-> ".join(group) for group in loops)


def test_imports_sit_at_the_top_of_modules():
    late = code_shape.deferred(EDGES)
    assert not late, "imports inside functions (hoist them):\n" + _lines(late)


def test_every_domain_has_a_layer():
    # A new top-level folder must be placed in code_shape.LAYERS, or the rule says nothing.
    folders = {name.split(".")[1] for name in FOUND if name.count(".") >= 2
               and FOUND[name].path.parent.parent.name == "homes_app"}
    assert folders <= set(code_shape.RANK), folders - set(code_shape.RANK)


def test_the_rule_catches_an_upward_import():
    # The checker itself: homes importing placements (a higher layer) is refused.
    homes, placements = FOUND["homes_app.homes.services"], FOUND["homes_app.placements.services"]
    assert not code_shape._allowed(homes, placements)
    assert code_shape._allowed(placements, homes)
    views = FOUND["homes_app.homes.views"]
    assert not code_shape._allowed(placements, views)  # domain code never imports pages


def test_parts_of_a_domain_are_layered_too():
    people = FOUND["homes_app.staffing.people.services"]
    relief = FOUND["homes_app.staffing.relief.services"]
    assert code_shape._allowed(relief, people)
    assert not code_shape._allowed(people, relief)


def test_the_cycle_finder_finds_a_loop():
    edges = [code_shape.Import("a", "b", 1, False), code_shape.Import("b", "c", 1, False),
             code_shape.Import("c", "a", 1, False), code_shape.Import("c", "d", 1, False)]
    assert code_shape.cycles(edges) == [["a", "b", "c"]]
