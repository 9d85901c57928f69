"""Autograd graph nodes: one :class:`Node` per recorded op, :class:`AccumulateGrad` per leaf.

A Node holds its op, the op's static arguments and input arrays (from which backward derives
the gradient with ``jax.vjp``), its edges to the nodes of its inputs (``next_functions``), and
the versions of the tensors PyTorch would save, for the in-place modification check.
"""
import itertools

__all__ = ["Node", "AccumulateGrad", "ConstantNode", "recorded_ops", "to_dot", "render"]

_seq = itertools.count()


class Node:
    """A recorded operation in the backward graph (PyTorch's ``grad_fn`` objects)."""

    __slots__ = ("_name", "_edges", "_saved", "_op", "_key", "_diff", "_inputs", "_n_out",
                 "_out_meta", "_seq", "_n_in", "__dict__", "__weakref__")

    _tensor_pre_hooks = None
    _pre_hooks = None
    _hooks = None
    _retained = None

    def __init__(self, name, edges, saved=(), op=None, key=None, diff=None, inputs=None, n_out=1,
                 out_meta=None):
        self._name = name
        self._edges = edges
        self._saved = saved
        self._op = op
        self._key = key
        self._diff = diff
        self._inputs = inputs
        self._n_out = n_out
        self._out_meta = out_meta
        self._seq = next(_seq)
        self._n_in = len(inputs) if inputs is not None else len(edges)

    @property
    def metadata(self):
        """A dict for users' annotations (as in PyTorch)."""
        meta = self.__dict__.get("_metadata")
        if meta is None:
            meta = self.__dict__["_metadata"] = {}
        return meta

    def name(self):
        """The PyTorch-style name, e.g. ``'AddBackward0'``."""
        return self._name

    @property
    def next_functions(self):
        """``((node_or_None, output_nr), ...)``, one pair per input (None where no grad flows)."""
        if self._diff is None or self._n_in == len(self._edges):
            return self._edges
        edges = dict(zip(self._diff, self._edges))
        return tuple(edges.get(i, (None, 0)) for i in range(self._n_in))

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after this node; may return new grad_inputs."""
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return _RemovableHandle(self._hooks, fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before this node; may return new grad_outputs."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(fn)
        return _RemovableHandle(self._pre_hooks, fn)

    def add_tensor_pre_hook(self, out_nr, fn):
        if self._tensor_pre_hooks is None:
            self._tensor_pre_hooks = {}
        hooks = self._tensor_pre_hooks.setdefault(out_nr, [])
        hooks.append(fn)
        return _RemovableHandle(hooks, fn)

    def retain(self, out_nr, tensor_ref):
        if self._retained is None:
            self._retained = {}
        self._retained[out_nr] = tensor_ref

    def __repr__(self):
        return f"<{self._name.rpartition('::')[2]} object at {hex(id(self))}>"

    def __call__(self, *grads):
        from .engine import call_node

        return call_node(self, grads)


class AccumulateGrad(Node):
    """The node that adds an incoming gradient into a leaf's ``.grad``."""

    __slots__ = ("variable",)

    _post_hooks = None

    def __init__(self, variable):
        super().__init__("torch::autograd::AccumulateGrad", ())
        self.variable = variable


class ConstantNode(Node):
    """History of a tensor overwritten in place by a value that needs no gradient."""

    __slots__ = ()

    def __init__(self, name):
        super().__init__(name, ())

    def _custom_apply(self, grads, create_graph):
        return ()


class _RemovableHandle:
    """Handle returned by ``register_*hook``; ``remove()`` unregisters the hook."""

    __slots__ = ("_hooks", "_fn")

    def __init__(self, hooks, fn):
        self._hooks, self._fn = hooks, fn

    def remove(self):
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


from .graph_view import recorded_ops, render, to_dot  # noqa: E402
