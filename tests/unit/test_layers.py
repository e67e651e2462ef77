"""The layout's rules, checked on the source: `generator/` is a pipeline of stage folders, each
imports only itself and earlier stages, nothing imports in a cycle, `core/` does no I/O, and no
module is longer than a person reads in one sitting."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parents[2] / "generator"

# earlier stages first; a module may import its own folder and any earlier one
ORDER = ["core", "read", "parse", "index", "plan", "render", "write", "engine", "build", "preview", "publish", "ingest", "migrate",
         "cli"]
TOP = {"build": "build", "scaffold": "build", "cli": "cli", "__main__": "cli", "__init__": "core"}
NO_IO = {"shutil", "subprocess", "socket", "tempfile", "glob", "mmap", "pickle", "multiprocessing", "http",
         "urllib.request", "sqlite3", "io"}
IO_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "scandir", "listdir", "stat",
            "mkdir", "unlink", "rename", "pread", "walk", "rglob", "iterdir", "exists", "is_file", "is_dir"}
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    return {
        ".".join(p.relative_to(GENERATOR.parent).with_suffix("").parts): p
        for p in sorted(GENERATOR.rglob("*.py"))
        if "themes" not in p.parts
    }


def _stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 2 or parts[1] == "__init__":
        return TOP.get(parts[1], "build")
    return parts[1]


def _imports(module: str, path: Path) -> list[tuple[str, int]]:
    """Every module of digest that `module` imports, lazily or not, with the line."""
    package = module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("generator"):
                continue
            names = [f"{target}.{a.name}" for a in node.names]
            for name in names:
                found.append((name if name in _MODULES else target, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.startswith("generator")]
    return [(t, line) for t, line in found if t in _MODULES or t == "generator"]


_MODULES = _modules()


def test_the_folders_are_the_pipeline() -> None:
    folders = sorted(p.name for p in GENERATOR.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert folders == sorted([*ORDER[:8], "preview", "publish", "ingest", "migrate"])
    for folder in folders:
        doc = ast.get_docstring(ast.parse((GENERATOR / folder / "__init__.py").read_text()))
        assert doc and len(doc) > 80, f"generator/{folder}/__init__.py states the stage's contract"


def test_stages_import_only_earlier_stages() -> None:
    wrong = []
    for module, path in _MODULES.items():
        mine = ORDER.index(_stage(module))
        for target, line in _imports(module, path):
            if target == "generator" or target == "generator.__init__":
                continue
            theirs = _stage(target)
            if ORDER.index(theirs) > mine:
                wrong.append(f"{path.relative_to(GENERATOR.parent)}:{line}: {_stage(module)} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in _MODULES.items():
        for target, _ in _imports(module, path):
            if target != module and target in _MODULES and not target.endswith("__init__"):
                graph[module].add(target)
    seen: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                cycles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in seen:
                visit(nxt, [*stack, nxt])
        seen[node] = 2

    for module in sorted(_MODULES):
        if module not in seen:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


def test_core_does_no_io() -> None:
    wrong = []
    for module, path in _MODULES.items():
        if _stage(module) != "core" or module.count(".") < 2:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                wrong += [f"{path.name}:{node.lineno}: imports {n}" for n in names if any(n == m or n.startswith(m + ".") for m in NO_IO)]
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                if name in IO_CALLS:
                    wrong.append(f"{path.name}:{node.lineno}: calls {name}()")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("module", sorted(_MODULES))
def test_modules_are_short(module: str) -> None:
    lines = _MODULES[module].read_text().count("\n")
    assert lines <= MAX_LINES, f"{module}: {lines} lines; split it"


def _functions(path: Path) -> list[tuple[str, int, int]]:
    """(name, lines, parameters) of every function in a module."""
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            count = len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs)
            out.append((node.name, (node.end_lineno or node.lineno) - node.lineno + 1, count))
    return out


def test_build_is_a_short_list_of_stages() -> None:
    """build.py sequences stages; what they do lives in the stages (engine/stages.py)."""
    import generator.build as build_module

    for name, lines, params in _functions(GENERATOR / "build.py"):
        assert lines <= 60 and params < 10, f"build.py: {name} has {lines} lines, {params} parameters"
    names = [stage.__name__ for _, stage in build_module.STAGES]
    assert names[:2] == ["read_inputs", "parse_files"] and "render_and_write" in names


def test_no_function_takes_ten_parameters() -> None:
    """Pass one context object instead."""
    wrong = [
        f"{module}.{name}: {params}"
        for module, path in _MODULES.items()
        for name, _, params in _functions(path)
        if params >= 10
    ]
    assert not wrong, "\n".join(wrong)


_MUTATORS = {"append", "add", "clear", "update", "pop", "setdefault", "extend", "remove", "insert", "discard"}


def test_no_process_wide_state_outside_the_engine_state() -> None:
    """A module-level container that the module changes is state shared by every build in the
    process (serve runs many): only engine/process.py holds such state, in one object."""
    wrong = []
    for module, path in _MODULES.items():
        if module == "generator.engine.process":
            continue
        tree = ast.parse(path.read_text())
        containers = set()
        for node in tree.body:
            target, value = None, None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign):
                target, value = node.target, node.value
            made = isinstance(value, ast.Dict | ast.List | ast.Set) or (
                isinstance(value, ast.Call) and getattr(value.func, "id", "") in {"dict", "list", "set", "defaultdict"}
            )
            if isinstance(target, ast.Name) and made:
                containers.add(target.id)
        for node in ast.walk(tree):
            changed = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MUTATORS:
                changed = node.func.value
            elif isinstance(node, ast.Assign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                changed = next((t.value for t in targets if isinstance(t, ast.Subscript)), None)
            if isinstance(changed, ast.Name) and changed.id in containers:
                wrong.append(f"{module}:{node.lineno}: changes module-level {changed.id}")
    assert not wrong, "\n".join(wrong)
