"""Checks decided from a student's source code, so the verdict stays deterministic.

Timing a "vectorized" function would make grades depend on machine load; reading its
source does not. :func:`pixel_loops` finds Python loops that may run more than a few
times (a loop over a 3×3 kernel's nine taps is fine, a loop over an image's rows is not)
and calls to functions the code must not delegate to. It counts a loop from what the source
fixes, whatever the spelling: literals, names assigned once, the notebook's module constants and
the shapes the contract gives to parameters (a 3×3 kernel), so ``range(kernel.shape[0])`` and
``np.ndindex(3, 3)`` count like ``range(3)``; a loop the source does not bound is reported.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """A place in the source that breaks a rule: ``kind`` is "loop" or "call"."""

    kind: str
    line: int
    code: str
    callee: str = ""


@dataclass(frozen=True)
class _Array:
    """An array whose shape the contract fixes (a 3×3 kernel), so loops over it can be counted."""

    shape: tuple[int, ...]

    @property
    def size(self) -> int:
        return math.prod(self.shape)


_Value = int | tuple | _Array
# Calls that give back their array's shape (conversions, copies, flips); whichever spelling reaches them.
_SAME_SHAPE = {"asarray", "array", "asanyarray", "ascontiguousarray", "copy", "astype", "flip", "fliplr",
               "flipud"}  # fmt: skip
# Calls that give at most as many rows as the array has elements.
_FLAT = {"ravel", "flatten", "flatnonzero", "argwhere"}
_ARITHMETIC = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.FloorDiv: lambda a, b: a // b if b else None,
    ast.Mod: lambda a, b: a % b if b else None,
}


def _callee(call: ast.Call) -> str:
    """The called name, however it is reached: ``xp.ndindex``, ``np.ndindex`` and ``ndindex`` are ndindex."""
    return call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")


def _evaluate(node: ast.AST, env: dict[str, _Value | None]) -> _Value | None:
    """The value of a small integer expression, a shape or a fixed-shape array; None when unknown."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, int) and not isinstance(node.value, bool) else None
    if isinstance(node, ast.Name):
        return env.get(node.id)
    if isinstance(node, ast.Tuple):
        items = [_evaluate(item, env) for item in node.elts]
        return None if None in items else tuple(items)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _evaluate(node.operand, env)
        return (-value if isinstance(node.op, ast.USub) else value) if isinstance(value, int) else None
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        left, right = _evaluate(node.left, env), _evaluate(node.right, env)
        both = isinstance(left, int) and isinstance(right, int)
        return _ARITHMETIC[type(node.op)](left, right) if both else None
    if isinstance(node, ast.Attribute):
        value = _evaluate(node.value, env)
        if not isinstance(value, _Array):
            return None
        attributes = {"shape": value.shape, "size": value.size, "ndim": len(value.shape),
                      "T": _Array(value.shape[::-1]), "flat": _Array((value.size,))}  # fmt: skip
        return attributes.get(node.attr)
    if isinstance(node, ast.Subscript):
        value, index = _evaluate(node.value, env), _evaluate(node.slice, env)
        if isinstance(value, tuple) and isinstance(index, int) and -len(value) <= index < len(value):
            return value[index]
        if isinstance(value, _Array) and isinstance(index, int) and value.shape:
            return _Array(value.shape[1:])
        return None
    if isinstance(node, ast.Call):
        return _evaluate_call(node, env)
    return None


def _evaluate_call(call: ast.Call, env: dict[str, _Value | None]) -> _Value | None:
    name = _callee(call)
    # A method works on its object (kernel.astype(float)), a function on its argument (np.asarray(kernel)).
    owner = _evaluate(call.func.value, env) if isinstance(call.func, ast.Attribute) else None
    subject = owner if isinstance(owner, _Array) else (_evaluate(call.args[0], env) if call.args else None)
    if name == "len" and isinstance(subject, (_Array, tuple)):
        return subject.shape[0] if isinstance(subject, _Array) and subject.shape else len(subject)
    if name == "int" and isinstance(subject, int):
        return subject
    if not isinstance(subject, _Array):
        return None
    if name in _SAME_SHAPE:
        return subject
    if name == "transpose":
        return _Array(subject.shape[::-1])
    if name in _FLAT:
        return _Array((subject.size,))
    return None


def _iterations(iterable: ast.AST, env: dict[str, _Value | None]) -> int | None:
    """At most how often a loop over ``iterable`` runs, when the source says so; None when unknown."""
    if isinstance(iterable, (ast.List, ast.Tuple, ast.Set)):
        return None if any(isinstance(item, ast.Starred) for item in iterable.elts) else len(iterable.elts)
    if isinstance(iterable, ast.Call):
        name, arguments = _callee(iterable), iterable.args
        if any(isinstance(argument, ast.Starred) for argument in arguments):
            return None
        keywords = {keyword.arg: keyword.value for keyword in iterable.keywords}
        if name == "range" and 1 <= len(arguments) <= 3 and not keywords:
            bounds = [_evaluate(argument, env) for argument in arguments]
            if all(isinstance(bound, int) for bound in bounds) and bounds[2:] != [0]:
                return len(range(*bounds))
            return None
        if name in ("enumerate", "reversed", "sorted", "list", "tuple") and len(arguments) == 1:
            return _iterations(arguments[0], env)
        if name == "zip" and arguments:
            known = [count for count in (_iterations(a, env) for a in arguments) if count is not None]
            return min(known) if known else None  # zip stops at its shortest argument
        if name == "product" and arguments and set(keywords) <= {"repeat"}:
            counts = [_iterations(argument, env) for argument in arguments]
            repeat = _evaluate(keywords["repeat"], env) if "repeat" in keywords else 1
            if None in counts or not isinstance(repeat, int):
                return None
            return math.prod(counts) ** max(repeat, 0)
        if name == "ndindex" and arguments and not keywords:
            dims = [_evaluate(argument, env) for argument in arguments]
            flat = [d for dim in dims for d in (dim if isinstance(dim, tuple) else (dim,))]
            return math.prod(flat) if all(isinstance(d, int) for d in flat) else None
        if name == "ndenumerate" and len(arguments) == 1:
            array = _evaluate(arguments[0], env)
            return array.size if isinstance(array, _Array) else None
    value = _evaluate(iterable, env)
    if isinstance(value, _Array):
        return value.shape[0] if value.shape else None
    return len(value) if isinstance(value, tuple) else None


def _unpack(target: ast.AST, value: _Value | None) -> list[tuple[str, _Value | None]]:
    """(name, value) for each name an assignment to ``target`` binds."""
    if isinstance(target, ast.Name):
        return [(target.id, value)]
    if isinstance(target, (ast.Tuple, ast.List)):
        fits = isinstance(value, tuple) and len(value) == len(target.elts)
        items = value if fits else [None] * len(target.elts)
        return [pair for element, item in zip(target.elts, items) for pair in _unpack(element, item)]
    return []  # an attribute or item: binds no name


def _targets(node: ast.Assign | ast.For) -> list[ast.AST]:
    return [node.target] if isinstance(node, ast.For) else node.targets


def _element(iterable: ast.AST, env: dict[str, _Value | None]) -> _Value | None:
    """What a loop over ``iterable`` binds each time, when every time it is the same shape:
    a row of a fixed-shape array (``for row in kernel``), or (index, row) for ``enumerate``."""
    if isinstance(iterable, ast.Call) and _callee(iterable) == "enumerate" and len(iterable.args) == 1:
        row = _element(iterable.args[0], env)
        return None if row is None else (None, row)
    value = _evaluate(iterable, env)
    return _Array(value.shape[1:]) if isinstance(value, _Array) and value.shape else None


def _bindings(scope: ast.AST, known_shapes: dict[int, tuple[int, ...]],
              constants: dict[str, int]) -> dict[str, _Value | None]:  # fmt: skip
    """What each name in ``scope`` holds wherever the source fixes it (None: unknown).

    The parameters at ``known_shapes``' positions are arrays of those shapes; a name every plain
    assignment of which gives the same value holds it (repeated until nothing changes, so a value
    changed later in a loop is unknown too); a name bound any other way (a loop variable, ``+=``,
    ``with ... as``, an inner function's parameter, ``global``) is unknown; module ``constants``
    fill in the rest.
    """
    env: dict[str, _Value | None] = dict(constants)
    parameters: list[str] = []
    own_arguments: set[int] = set()
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        parameters = [a.arg for a in [*scope.args.posonlyargs, *scope.args.args]]
        own_arguments = {id(node) for node in ast.walk(scope.args)}
        for position, name in enumerate(parameters):
            env[name] = _Array(known_shapes[position]) if position in known_shapes else None
    assignments = sorted(
        (node for node in ast.walk(scope) if isinstance(node, (ast.Assign, ast.For))),
        key=lambda node: (node.lineno, node.col_offset),
    )
    plain = {id(name) for node in assignments for target in _targets(node) for name in ast.walk(target)}
    unknown: set[str] = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) and id(node) not in plain:
            unknown.add(node.id)
        elif isinstance(node, ast.arg) and id(node) not in own_arguments:
            unknown.add(node.arg)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            unknown.update(node.names)
    env.update(dict.fromkeys(unknown))
    assigned = set(parameters)  # a parameter's value counts as its first assignment
    while True:
        before = dict(env)
        for node in assignments:
            value = _element(node.iter, env) if isinstance(node, ast.For) else _evaluate(node.value, env)
            for target in _targets(node):
                for name, item in _unpack(target, value):
                    if name in unknown:
                        continue
                    if name in assigned and env.get(name) != item:
                        item = None
                        unknown.add(name)
                    env[name] = item
                    assigned.add(name)
        if env == before:
            return env


def _parsed(cells: list[str]) -> Iterator[tuple[str, ast.Module]]:
    """Each code cell with its syntax tree; cells that do not parse are skipped."""
    for cell in cells:
        try:
            yield cell, ast.parse(cell)
        except SyntaxError:
            continue


def module_constants(cells: list[str]) -> dict[str, int]:
    """Names the notebook binds exactly once, at the top level of a cell, to a small integer (``K = 3``)."""
    bindings: dict[str, int] = {}
    values: dict[str, ast.AST] = {}
    for _, tree in _parsed(cells):
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                bindings[node.id] = bindings.get(node.id, 0) + 1
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                bindings.update(dict.fromkeys(node.names, 2))  # changed from inside a function
        for node in tree.body:
            if isinstance(node, ast.Assign) and [type(t) for t in node.targets] == [ast.Name]:
                values[node.targets[0].id] = node.value
    once = [name for name, count in bindings.items() if count == 1 and name in values]
    evaluated = {name: _evaluate(values[name], {}) for name in once}
    return {name: value for name, value in evaluated.items() if isinstance(value, int)}


def pixel_loops(
    source: str,
    max_iterations: int = 9,
    forbidden_calls: tuple[str, ...] = (),
    known_shapes: dict[int, tuple[int, ...]] | None = None,
    constants: dict[str, int] | None = None,
) -> list[Finding]:
    """Loops that may run more than ``max_iterations`` times, ``while`` loops, and every use of a
    name in ``forbidden_calls`` (a call, or an alias such as ``slow = convolve3x3``).

    A loop's count is read from the source: literals, ``range``/``enumerate``/``zip``/``product``/
    ``ndindex``/``ndenumerate``, names fixed by assignment or in ``constants`` (the notebook's
    ``K = 3``), and the parameters whose shape the contract fixes: ``known_shapes`` maps a
    positional parameter's index to its shape, so ``range(kernel.shape[0])`` counts 3 when the
    kernel is 3×3. A loop whose count the source does not fix is reported.
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    functions = [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    scope = functions[0] if functions else tree
    env = _bindings(scope, known_shapes or {}, constants or {})
    findings = []
    for node in ast.walk(tree):
        iterables: list[ast.AST] = []
        if isinstance(node, (ast.For, ast.AsyncFor)):
            iterables = [node.iter]
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            iterables = [generator.iter for generator in node.generators]
        elif isinstance(node, ast.While):
            findings.append(Finding("loop", node.lineno, lines[node.lineno - 1].strip()))
        elif isinstance(node, (ast.Name, ast.Attribute)):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in forbidden_calls:
                findings.append(Finding("call", node.lineno, lines[node.lineno - 1].strip(), name))
        for iterable in iterables:
            count = _iterations(iterable, env)
            if count is None or count > max_iterations:
                findings.append(Finding("loop", node.lineno, lines[node.lineno - 1].strip()))
    return sorted(findings, key=lambda finding: finding.line)


def definitions(cells: list[str], name: str) -> list[str]:
    """The source of every ``def name`` in the given code cells (cells that do not parse are skipped)."""
    found = []
    for cell, tree in _parsed(cells):
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
                found.append(ast.get_source_segment(cell, node) or "")
    return found
