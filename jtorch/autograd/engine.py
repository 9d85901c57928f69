"""The backward engine: runs a graph of Nodes from the given roots, as PyTorch's engine does.

Nodes run in dependency order (ready nodes by highest sequence number first), gradients for
the same input are summed, saved values are freed afterwards unless ``retain_graph``, and the
in-place version check runs before a node uses its residuals. Gradients travel as JAX arrays,
or as Tensors when ``create_graph=True`` (then every backward step is a recorded op).
"""
import heapq

import jax

from .._tensor import Tensor, wrap
from . import fused
from .graph import AccumulateGrad, Node
from .grad_mode import MODE

__all__ = ["run_backward", "call_node"]

_add = jax.jit(lambda a, b: a + b)

_FREED = ("Trying to backward through the graph a second time (or directly access saved tensors after they have "
          "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
          "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
          "if you need to access saved tensors after calling backward.")


def _type_name(arr):
    from .._tensor import legacy_type_name

    return legacy_type_name(arr.dtype)


def _check_saved(node):
    for vc, version, producer, nr, arr in node._saved:
        if vc[0] != version:
            what = f", which is output {nr} of {producer}," if producer else ""
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an inplace operation: "
                f"[{_type_name(arr)} [{', '.join(map(str, arr.shape))}]]{what} is at version {vc[0]}; expected "
                f"version {version} instead. Hint: enable anomaly detection to find the operation that failed to "
                "compute its gradient, with torch.autograd.set_detect_anomaly(True).")


def _sum(a, b, create_graph):
    if a is None:
        return b
    if b is None:
        return a
    return a + b if create_graph else _add(a, b)


def _as_tensor(g):
    return g if isinstance(g, Tensor) else wrap(g)


def _apply_node(node, grads, create_graph):
    """Input gradients of ``node`` given its output gradients (None where none arrived)."""
    custom = getattr(node, "_custom_apply", None)
    if custom is not None:
        return custom(grads, create_graph)
    if node._inputs is None:
        raise RuntimeError(_FREED)
    if node._saved:
        _check_saved(node)
    multi = node._out_meta is not None
    bop = node._op.backward_op(node._key, node._diff, multi)
    n_in = len(node._inputs)
    if not create_graph:
        grads = tuple(g._read() if isinstance(g, Tensor) else g for g in grads)
        return bop.raw(*node._inputs, *grads, n_in=n_in)
    inputs = []
    diff_edges = dict(zip(node._diff, node._edges))
    for i, a in enumerate(node._inputs):
        if i in diff_edges:
            t = wrap(a)
            t._grad_fn, t._out_nr = diff_edges[i]
            inputs.append(t)
        elif hasattr(a, "shape"):
            inputs.append(wrap(a))
        else:
            inputs.append(a)
    with_grad = MODE.grad_enabled
    MODE.grad_enabled = True
    try:
        return bop(*inputs, *[None if g is None else _as_tensor(g) for g in grads], n_in=n_in)
    finally:
        MODE.grad_enabled = with_grad


def _free(node):
    if node._saved:
        node._inputs = None


def _run_tensor_hooks(node, grads):
    """Tensor hooks (``register_hook``) and ``retain_grad`` for the node's outputs."""
    grads = list(grads)
    hooks = node._tensor_pre_hooks
    if hooks:
        for nr, fns in hooks.items():
            if grads[nr] is None:
                continue
            for fn in list(fns):
                res = fn(_as_tensor(grads[nr]))
                if res is not None:
                    grads[nr] = res
    if node._retained:
        for nr, ref in node._retained.items():
            t = ref()
            g = grads[nr]
            if t is not None and g is not None:
                g = _as_tensor(g)
                t._grad = g.detach() if t._grad is None else t._grad + g.detach()
    if node._pre_hooks:
        for fn in list(node._pre_hooks):
            res = fn(tuple(_as_tensor(g) if g is not None else None for g in grads))
            if res is not None:
                grads = list(res)
    return grads


def _accumulate(node, grad, create_graph):
    var = node.variable
    g = _as_tensor(grad)
    if not create_graph:
        g = g.detach()
    if var._grad is None:
        if not create_graph and g._base is None and g._view is None:
            var._grad = g
        else:
            var._grad = g.clone() if not create_graph else g
    elif create_graph:
        var._grad = var._grad + g
    else:
        var._grad._write_inplace(_add(var._grad._read(), g._arr))
    if node._post_hooks:
        for fn in list(node._post_hooks):
            fn(var)


def _graph(roots):
    """Dependency counts of every node reachable from ``roots``."""
    deps = {}
    stack = [n for n in roots]
    seen = set(stack)
    while stack:
        n = stack.pop()
        for m, _ in n._edges:
            if m is None:
                continue
            deps[m] = deps.get(m, 0) + 1
            if m not in seen:
                seen.add(m)
                stack.append(m)
    return deps, seen


def _needed(seen, targets):
    """The nodes from which some target node is reachable (the rest need not run)."""
    memo = {}
    for start in seen:
        if start in memo:
            continue
        stack = [(start, iter(start._edges))]
        path = {start}
        while stack:
            n, it = stack[-1]
            for m, _ in it:
                if m is not None and m not in memo and m not in path:
                    path.add(m)
                    stack.append((m, iter(m._edges)))
                    break
            else:
                stack.pop()
                path.discard(n)
                memo[n] = n in targets or any(memo.get(m, False) for m, _ in n._edges if m is not None)
    return memo


def run_backward(roots, retain_graph=False, create_graph=False, inputs=None, accumulate=True,
                 allow_unused=True):
    """Run backward from ``roots``: a list of ``(node, output_nr, grad)``.

    With ``inputs`` (a list of tensors) gradients are captured for them and returned;
    leaves' ``.grad`` is written only when ``accumulate`` is true (``backward(inputs=...)``).
    """
    roots = [r for r in roots if r[0] is not None]
    if not create_graph and inputs is None and roots:
        p = fused.plan([(n, nr) for n, nr, _ in roots])
        if p is not None and fused.should_fuse(p[0]):
            key, order = p
            for n in order:
                if type(n) is Node and n._saved:
                    _check_saved(n)
            fused.run(key, order, [g for _, _, g in roots])
            if not retain_graph:
                for n in order:
                    if type(n) is Node:
                        _free(n)
            return None
    buffers = {}
    root_nodes = []
    for node, nr, g in roots:
        if node is None:
            continue
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * node._n_out
            root_nodes.append(node)
        buf[nr] = _sum(buf[nr], g, create_graph)
    deps, seen = _graph(root_nodes)

    capture = None
    needed = None
    if inputs is not None:
        capture = {}
        targets = set()
        for k, t in enumerate(inputs):
            gf = t._grad_fn
            if gf is None:
                if not t.requires_grad:
                    raise RuntimeError("One of the differentiated Tensors does not require grad")
                key = (t._accumulator(), 0)
            else:
                key = (gf, t._out_nr)
            capture.setdefault(key, []).append(k)
            targets.add(key[0])
        needed = _needed(seen, targets)
    results = [None] * (len(inputs) if inputs is not None else 0)

    prev_mode = MODE.grad_enabled
    MODE.grad_enabled = create_graph
    try:
        heap = [(-n._seq, id(n), n) for n in root_nodes if deps.get(n, 0) == 0]
        heapq.heapify(heap)
        while heap:
            _, _, node = heapq.heappop(heap)
            grads = buffers.pop(node, None) or [None] * node._n_out
            if needed is not None and not needed.get(node, False):
                continue
            grads = _run_tensor_hooks(node, grads)
            if capture is not None:
                for nr, g in enumerate(grads):
                    for k in capture.get((node, nr), ()):
                        results[k] = g
            if isinstance(node, AccumulateGrad):
                if grads[0] is not None and (capture is None or accumulate):
                    _accumulate(node, grads[0], create_graph)
                continue
            if all(g is None for g in grads):
                in_grads = (None,) * len(node._edges)
            else:
                in_grads = _apply_node(node, grads, create_graph)
                if not retain_graph:
                    _free(node)
                if node._hooks:
                    for fn in list(node._hooks):
                        res = fn(tuple(_as_tensor(g) if g is not None else None for g in in_grads),
                                 tuple(_as_tensor(g) if g is not None else None for g in grads))
                        if res is not None:
                            in_grads = res
            for (m, nr), g in zip(node._edges, in_grads):
                if m is None:
                    continue
                if g is not None:
                    buf = buffers.get(m)
                    if buf is None:
                        buf = buffers[m] = [None] * m._n_out
                    buf[nr] = _sum(buf[nr], g, create_graph)
                left = deps[m] - 1
                deps[m] = left
                if left == 0:
                    heapq.heappush(heap, (-m._seq, id(m), m))
    finally:
        MODE.grad_enabled = prev_mode
    if inputs is not None:
        return [None if g is None else _as_tensor(g) for g in results]
    return None


def call_node(node, grads):
    """``grad_fn(*grads)``: apply one node to output gradients, returning input gradients."""
    out = _apply_node(node, tuple(g._arr if isinstance(g, Tensor) else g for g in grads), False)
    out = tuple(_as_tensor(g) for g in out)
    return out if len(out) != 1 else out[0]
