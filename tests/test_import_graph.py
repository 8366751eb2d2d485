"""The code's import graph has no circles: a module never needs, however indirectly,
one that needs it (tasks declared beside their services; nothing imports tasks but
the places that enqueue them)."""

from __future__ import annotations

import grimp


def test_no_module_imports_itself_round_a_circle():
    # Given the import graph of the project, lazy imports inside functions included
    graph = grimp.build_graph("trunkshow")

    # Then no import of one module by another can be followed back to the first
    circles = sorted(
        {
            tuple(sorted((importer, imported)))
            for importer in graph.modules
            for imported in graph.find_modules_directly_imported_by(importer)
            if imported != importer and graph.chain_exists(importer=imported, imported=importer)
        }
    )
    assert circles == []
