"""Seeing the dynamic graph: the ops autograd recorded for a tensor, with shapes, as a list, as
Graphviz DOT text, and as a picture (like torchviz's ``make_dot``)."""
import os
import shutil
import subprocess

from .graph import AccumulateGrad

__all__ = ["recorded_ops", "to_dot", "render"]


def _short(name):
    return name.rpartition("::")[2]


def _walk(root):
    """Nodes reachable from ``root`` (depth first, each once) and the edges between them."""
    order, edges, seen, stack = [], [], set(), [root]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        for nxt, _ in node.next_functions:
            if nxt is not None:
                edges.append((nxt, node))
                stack.append(nxt)
    return order, edges


def _shapes(node):
    if isinstance(node, AccumulateGrad):
        return [tuple(node.variable.shape)]
    inputs = node._inputs or ()
    return [tuple(a.shape) for a in inputs if hasattr(a, "shape")]


def recorded_ops(tensor):
    """The ops recorded in ``tensor``'s backward graph, from the output back to the leaves: a list
    of ``(name, input shapes)``, e.g. ``('AddmmBackward0', [(20,), (20, 10), (10, 20)])``; leaves
    appear as ``('AccumulateGrad', [shape])``. Empty when ``tensor`` has no history."""
    if tensor.grad_fn is None:
        return []
    order, _ = _walk(tensor.grad_fn)
    return [(_short(n.name()), _shapes(n)) for n in order]


def _label(node):
    shapes = ", ".join("x".join(str(d) for d in s) or "scalar" for s in _shapes(node))
    return f"{_short(node.name())}\\n{shapes}" if shapes else _short(node.name())


def to_dot(tensor, name="graph"):
    """Graphviz DOT text of ``tensor``'s backward graph (ops as boxes, leaves as ellipses with their
    shapes), edges pointing from inputs towards the output, as torchviz draws it."""
    lines = [f"digraph {name} {{", '  node [shape=box, fontsize=10, fontname="monospace"];']
    if tensor.grad_fn is not None:
        order, edges = _walk(tensor.grad_fn)
        ids = {id(n): f"n{i}" for i, n in enumerate(order)}
        for n in order:
            style = ', shape=ellipse, style=filled, fillcolor="lightblue"' if isinstance(n, AccumulateGrad) else ""
            lines.append(f'  {ids[id(n)]} [label="{_label(n)}"{style}];')
        lines.append(f'  out [label="output\\n{"x".join(map(str, tensor.shape)) or "scalar"}", shape=ellipse, '
                     'style=filled, fillcolor="darkolivegreen1"];')
        lines.append(f"  {ids[id(tensor.grad_fn)]} -> out;")
        for src, dst in edges:
            lines.append(f"  {ids[id(src)]} -> {ids[id(dst)]};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(tensor, path, format=None):
    """Write ``tensor``'s backward graph to ``path``: DOT text always (``<path>.dot`` unless
    ``path`` ends in ``.dot``), and a picture (``png``/``svg``/``pdf``, from ``format`` or the
    extension) when Graphviz's ``dot`` program is installed. Returns the paths written."""
    root, ext = os.path.splitext(os.fspath(path))
    fmt = format or ext.lstrip(".") or "png"
    dot_path = root + ".dot"
    with open(dot_path, "w", encoding="utf-8") as f:
        f.write(to_dot(tensor))
    written = [dot_path]
    if fmt != "dot" and shutil.which("dot"):
        out = root + "." + fmt
        subprocess.run(["dot", f"-T{fmt}", dot_path, "-o", out], check=True, capture_output=True)
        written.append(out)
    return written
