"""The shape of the package: modules, internal import arrows, cycles, deferred imports, sizes.

    python benchmarks/imports.py

Reads kzbrief/ with ``ast`` (nothing is imported). An arrow is one module importing
another kzbrief module, at the top or inside a function; a cycle is a strongly
connected group of modules; a deferred import is one inside a function body.
The benchmark scripts beside this one are read too, for cycles among them: run as
``python benchmarks/x.py``, they import each other by bare name.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kzbrief"
BENCHMARKS = Path(__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    if node.level:
        base = base[: len(base) - node.level + 1]
        target = ".".join([*base, *([node.module] if node.module else [])])
    else:
        target = node.module or ""
    names = [f"{target}.{alias.name}" for alias in node.names]
    return [target, *names]


def graph() -> tuple[dict[str, set[str]], dict[str, int], dict[str, int]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    arrows: dict[str, set[str]] = {name: set() for name in files}
    deferred: dict[str, int] = {}
    lines = {name: len(p.read_text(encoding="utf-8").splitlines()) for name, p in files.items()}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_function = {
            id(node)
            for func in ast.walk(tree)
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
            for node in ast.walk(func)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                found = resolve(name, path.name == "__init__.py", node)
            elif isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            else:
                continue
            targets = {t for t in found if t in files and t != name}
            if id(node) in in_function:  # any import in a function body, kzbrief's or not
                deferred[name] = deferred.get(name, 0) + 1
            arrows[name] |= targets
    return arrows, deferred, lines


def script_arrows(folder: Path) -> dict[str, set[str]]:
    """Arrows among the scripts of one folder (no package: each imports its siblings by
    bare name, found on sys.path as the running script's folder), at any depth."""
    files = {path.stem: path for path in folder.glob("*.py")}
    arrows: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found = [node.module.split(".")[0]]
            elif isinstance(node, ast.Import):
                found = [alias.name.split(".")[0] for alias in node.names]
            else:
                continue
            arrows[name] |= {target for target in found if target in files and target != name}
    return arrows


def cycles(arrows: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in arrows[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(arrows):
        if node not in index:
            visit(node)
    return found


# The pipeline's stages, lowest first (STYLE.md: the folder tree is the pipeline). language/
# sits below them all; an arrow from a stage to a later one, or from language/ into any
# stage, points back up the layers.
STAGES = ("language", "data", "charts", "render", "formats", "publish", "distribute")


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def layers(arrows: dict[str, set[str]]) -> tuple[dict[tuple[str, str], int], list[str]]:
    """Arrows counted stage to stage, and each arrow that points up the layers."""
    counts: dict[tuple[str, str], int] = {}
    upward = []
    for importer, targets in sorted(arrows.items()):
        for target in sorted(targets):
            low, high = stage_of(importer), stage_of(target)
            if low is None or high is None or low == high:
                continue
            counts[low, high] = counts.get((low, high), 0) + 1
            if STAGES.index(high) > STAGES.index(low):
                upward.append(f"{importer} -> {target}")
    return counts, upward


def main() -> None:
    arrows, deferred, lines = graph()
    largest = max(lines, key=lines.__getitem__)
    print(f"modules: {len(arrows)}")
    print(f"import arrows: {sum(len(t) for t in arrows.values())}")
    groups = cycles(arrows)
    print(f"cycles: {len(groups)}" + "".join(f"\n  {' <-> '.join(g)}" for g in groups))
    scripts = cycles(script_arrows(BENCHMARKS))
    shown = "".join(f"\n  {' <-> '.join(g)}" for g in scripts)
    print(f"cycles among the benchmarks: {len(scripts)}{shown}")
    counts, upward = layers(arrows)
    print("stage arrows: " + ", ".join(f"{a}->{b} {n}" for (a, b), n in sorted(counts.items())))
    print(f"arrows up the layers: {len(upward)}" + "".join(f"\n  {u}" for u in upward))
    print(f"imports inside functions: {sum(deferred.values())}")
    for name, count in sorted(deferred.items()):
        print(f"  {name}: {count}")
    print(f"largest module: {largest} ({lines[largest]} lines)")
    print(f"over 250 lines: {', '.join(n for n in sorted(lines) if lines[n] > 250) or 'none'}")
    print(f"build.py: {lines['kzbrief.build']} lines")


if __name__ == "__main__":
    main()
