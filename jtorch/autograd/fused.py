"""Fused backward: run a whole backward graph as one jitted XLA program.

Eager training loops build the same graph every step. The engine computes a structural key
for the graph (nodes in execution order, their ops and static arguments, how their edges
connect); the second time a key is seen, the backward runs as a single ``jax.jit`` call taking
every node's input arrays and the leaves' current ``.grad`` arrays, and returning the new
``.grad`` arrays. Inside it each node's gradient is ``jax.vjp`` of its op, so XLA sees the
whole backward at once and drops recomputed forward work the gradients do not use. First
sightings, and graphs with hooks, ``retain_grad``, custom Functions or ``create_graph``, run
node by node in :mod:`jtorch.autograd.engine`. Both paths visit nodes in the same order
(decreasing sequence number) and sum gradients in the same order.
"""
import functools

import jax
from .._ops.dispatch import input_grads
from .graph import AccumulateGrad, ConstantNode, Node

__all__ = ["plan", "run"]

_PLAIN, _ACC, _CONST = 0, 1, 2
# Ops whose function is a whole compiled program (it binds live state while traced): their
# backward runs node by node.
_NOT_FUSED = frozenset({"compiled_program"})
_seen = {}
_MAX_KEYS = 4096


def _replay(structure, inputs, root_grads, old_grads):
    """The traced backward: ``structure`` is static, the rest are arrays."""
    nodes, roots, n_leaves = structure
    buffers = [[None] * n_out for _, n_out, _, _ in nodes]
    for (i, nr), g in zip(roots, root_grads):
        buf = buffers[i]
        buf[nr] = g if buf[nr] is None else buf[nr] + g
    new = [None] * n_leaves
    for i, (kind, n_out, edges, meta) in enumerate(nodes):
        grads = buffers[i]
        if kind == _CONST or all(g is None for g in grads):
            continue
        if kind == _ACC:
            old = old_grads[meta]
            new[meta] = grads[0] if old is None else old + grads[0]
            continue
        op, key, diff, multi = meta
        res = input_grads(functools.partial(op.fn, **dict(key)), diff, multi, inputs[i], grads)
        for (t, nr), r in zip(edges, res):
            if t < 0:
                continue
            buf = buffers[t]
            buf[nr] = r if buf[nr] is None else buf[nr] + r
    return tuple(new)


_fused = jax.jit(_replay, static_argnums=0)


def plan(roots):
    """``(key, order)`` for roots ``[(node, output_nr)]``: the graph's structure and its nodes in
    execution order; None when the graph needs the general engine."""
    root_nodes = list(dict.fromkeys(n for n, _ in roots))
    stack = list(root_nodes)
    seen = set(stack)
    order = []
    while stack:
        n = stack.pop()
        t = type(n)
        if t is Node:
            if (n._inputs is None or n._tensor_pre_hooks or n._pre_hooks or n._hooks or n._retained
                    or n._op.name in _NOT_FUSED):
                return None
        elif t is AccumulateGrad:
            if n._tensor_pre_hooks or n._pre_hooks or n._post_hooks:
                return None
        elif t is not ConstantNode:
            return None
        order.append(n)
        for m, _ in n._edges:
            if m is not None and m not in seen:
                seen.add(m)
                stack.append(m)
    order.sort(key=lambda n: -n._seq)
    index = {n: i for i, n in enumerate(order)}
    nodes = []
    leaves = 0
    for n in order:
        t = type(n)
        if t is Node:
            edges = tuple((index[m], nr) if m is not None else (-1, 0) for m, nr in n._edges)
            nodes.append((_PLAIN, n._n_out, edges, (n._op, n._key, n._diff, n._out_meta is not None)))
        elif t is AccumulateGrad:
            nodes.append((_ACC, 1, (), leaves))
            leaves += 1
        else:
            nodes.append((_CONST, 1, (), None))
    return (tuple(nodes), tuple((index[n], nr) for n, nr in roots), leaves), order


def should_fuse(key):
    """True from the second time a graph structure is seen."""
    count = _seen.get(key, 0)
    if count < 1:
        if len(_seen) >= _MAX_KEYS:
            _seen.clear()
        _seen[key] = count + 1
        return False
    return True


def run(key, order, root_grads):
    """Run the fused backward (``root_grads``: one array per root of ``key``); writes leaves' ``.grad``."""
    inputs = tuple(n._inputs if type(n) is Node else None for n in order)
    leaves = [n.variable for n in order if type(n) is AccumulateGrad]
    old = tuple(v._grad._read() if v._grad is not None else None for v in leaves)
    new = _fused(key, inputs, tuple(root_grads), old)
    from .._tensor import wrap

    for v, g in zip(leaves, new):
        if g is None:
            continue
        if v._grad is None:
            v._grad = wrap(g)
        else:
            v._grad._write_inplace(g)
