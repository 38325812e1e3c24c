"""The shape of the package: imports go one way, the CLI stays thin, the surface is declared."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import grimp

import summarizer
from summarizer import cli

ROOT = Path(__file__).resolve().parent.parent


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), and self-imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == module:
                    break
            if len(component) > 1 or module in graph.find_modules_directly_imported_by(module):
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_there_is_no_import_circle_not_even_through_imports_inside_functions() -> None:
    graph = grimp.build_graph("summarizer", cache_dir=None)
    assert len(graph.modules) > 20  # the whole package was read
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_circle_hidden_in_a_function(tmp_path: Path) -> None:
    package = tmp_path / "circle_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def late():\n    from . import a\n")
    sys.path.insert(0, str(tmp_path))
    try:
        graph = grimp.build_graph("circle_pkg", cache_dir=None)
    finally:
        sys.path.remove(str(tmp_path))
    assert _cycles(graph) == [["circle_pkg.a", "circle_pkg.b"]]


def test_the_layers_contract_holds() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def _body_lines(function: object) -> int:
    """Lines of a command's body: its docstring and statements, not its option declarations."""
    source = inspect.getsource(function)  # type: ignore[arg-type]
    tree = ast.parse(source)
    definition = tree.body[0]
    assert isinstance(definition, ast.FunctionDef)
    first, last = definition.body[0].lineno, definition.body[-1].end_lineno
    assert last is not None
    return last - first + 1


def test_every_command_body_is_thin() -> None:
    commands = {
        command.name or command.callback.__name__: command.callback
        for command in cli.app.registered_commands
    }
    for group in cli.app.registered_groups:
        assert group.typer_instance is not None
        for command in group.typer_instance.registered_commands:
            name = command.name or command.callback.__name__
            commands[f"{group.name} {name}"] = command.callback
    assert {"summarize", "schema", "regress run", "regress record"} <= set(commands)
    sizes = {name: _body_lines(callback) for name, callback in commands.items()}
    assert all(size <= 40 for size in sizes.values()), sizes


def test_the_public_surface_is_what_all_declares() -> None:
    for name in summarizer.__all__:
        assert getattr(summarizer, name) is not None, name
    public = {n for n in summarizer._EXPORTS} | {"__version__"}
    assert public == set(summarizer.__all__)


def test_every_module_has_a_layer() -> None:
    # A module left out of the contract is checked by nothing: each must sit in a layer.
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    named = [name.strip() for layer in contract["layers"] for name in layer.split("|")]
    graph = grimp.build_graph("summarizer", cache_dir=None)
    # The package itself (lazy re-exports), its entry point, and a package that only groups.
    outside = {
        "summarizer",
        "summarizer.__main__",
        "summarizer.grounding",
        "summarizer.regress",
        "summarizer.notes",
    }
    homeless = [
        module
        for module in sorted(graph.modules)
        if module not in outside
        and not any(module == name or module.startswith(f"{name}.") for name in named)
    ]
    assert homeless == []
