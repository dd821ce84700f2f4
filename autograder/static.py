"""Checks decided from a student's source code, so the verdict stays deterministic.

Timing a "vectorized" function would make grades depend on machine load; reading its
source does not. :func:`pixel_loops` finds Python loops that may run more than a few
times (a loop over a 3×3 kernel's nine taps is fine, a loop over an image's rows is not)
and calls to functions the code must not delegate to.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """A place in the source that breaks a rule: ``kind`` is "loop" or "call"."""

    kind: str
    line: int
    code: str
    callee: str = ""


def _constant(node: ast.AST) -> int | None:
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, int) else None


def _bounded_iterations(iterable: ast.AST) -> int | None:
    """How often a loop over ``iterable`` runs, when the source alone says so."""
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "range":
        bounds = [_constant(arg) for arg in iterable.args]
        if bounds and None not in bounds and not iterable.keywords:
            return len(range(*bounds))
        return None
    if isinstance(iterable, (ast.List, ast.Tuple, ast.Set)):
        return len(iterable.elts)
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, (ast.Name, ast.Attribute)):
        name = iterable.func.id if isinstance(iterable.func, ast.Name) else iterable.func.attr
        if name in ("enumerate", "reversed") and len(iterable.args) == 1:
            return _bounded_iterations(iterable.args[0])
        if name in ("product", "zip") and iterable.args:
            counts = [_bounded_iterations(arg) for arg in iterable.args]
            if None in counts:
                return None
            total = 1
            for count in counts:
                total = total * count if name == "product" else min(total if total > 1 else count, count)
            return total
    return None


def pixel_loops(source: str, max_iterations: int = 9, forbidden_calls: tuple[str, ...] = ()) -> list[Finding]:
    """Loops that may run more than ``max_iterations`` times, ``while`` loops, and forbidden calls."""
    tree = ast.parse(source)
    lines = source.splitlines()
    findings = []
    for node in ast.walk(tree):
        iterables: list[ast.AST] = []
        if isinstance(node, (ast.For, ast.AsyncFor)):
            iterables = [node.iter]
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            iterables = [generator.iter for generator in node.generators]
        elif isinstance(node, ast.While):
            findings.append(Finding("loop", node.lineno, lines[node.lineno - 1].strip()))
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in forbidden_calls:
                findings.append(Finding("call", node.lineno, lines[node.lineno - 1].strip(), name))
        for iterable in iterables:
            count = _bounded_iterations(iterable)
            if count is None or count > max_iterations:
                findings.append(Finding("loop", node.lineno, lines[node.lineno - 1].strip()))
    return sorted(findings, key=lambda finding: finding.line)


def definitions(cells: list[str], name: str) -> list[str]:
    """The source of every ``def name`` in the given code cells (cells that do not parse are skipped)."""
    found = []
    for cell in cells:
        try:
            tree = ast.parse(cell)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
                found.append(ast.get_source_segment(cell, node) or "")
    return found
