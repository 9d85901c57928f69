"""Custom differentiable operations: ``jtorch.autograd.Function`` with ``ctx.save_for_backward``."""
import functools

from .._tensor import Tensor, wrap
from .graph import Node
from .grad_mode import MODE, no_grad

__all__ = ["Function", "FunctionCtx", "once_differentiable"]


class FunctionCtx:
    """The ``ctx`` passed to ``forward``/``backward``: saved tensors, flags, arbitrary attributes."""

    def save_for_backward(self, *tensors):
        self._saved = tuple(tensors)
        self._saved_versions = tuple(t._vc[0] if isinstance(t, Tensor) else None for t in tensors)

    @property
    def saved_tensors(self):
        if getattr(self, "_freed", False):
            from .engine import _FREED

            raise RuntimeError(_FREED)
        saved = getattr(self, "_saved", ())
        for t, v in zip(saved, getattr(self, "_saved_versions", ())):
            if isinstance(t, Tensor) and t._vc[0] != v:
                raise RuntimeError("one of the variables needed for gradient computation has been modified by an "
                                   f"inplace operation: [{t.type()} [{', '.join(map(str, t.shape))}]] is at version "
                                   f"{t._vc[0]}; expected version {v} instead.")
        return saved

    def mark_dirty(self, *tensors):
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors):
        self._non_diff = {id(t) for t in tensors}

    def set_materialize_grads(self, value):
        self.materialize_grads = value

    def save_for_forward(self, *tensors):
        self._saved_forward = tensors


class _FunctionNode(Node):
    __slots__ = ("ctx", "fn_cls", "_out_shapes")

    def _custom_apply(self, grads, create_graph):
        ctx = self.ctx
        gts = []
        for g, (shape, dtype) in zip(grads, self._out_shapes):
            if g is None and getattr(ctx, "materialize_grads", True):
                from .._ops.creation import zeros

                g = zeros(shape, dtype=dtype)
            gts.append(g if g is None or isinstance(g, Tensor) else wrap(g))
        prev = MODE.grad_enabled
        MODE.grad_enabled = create_graph
        try:
            res = self.fn_cls.backward(ctx, *gts)
        finally:
            MODE.grad_enabled = prev
        if not isinstance(res, tuple):
            res = (res,)
        n_in = len(ctx._input_mask)
        if len(res) < n_in:
            raise RuntimeError(f"function {self._name} returned an incorrect number of gradients (expected {n_in}, "
                               f"got {len(res)})")
        out = []
        for keep, g in zip(ctx._input_mask, res):
            if keep:
                out.append(None if g is None else (g if create_graph else g._read()))
        return tuple(out)


class Function:
    """Subclass with static ``forward(ctx, *args)`` and ``backward(ctx, *grads)``; call ``.apply``.

    ``forward`` may also be written without ``ctx`` plus ``setup_context(ctx, inputs, output)``.
    """

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = FunctionCtx()
        uses_setup = any("setup_context" in k.__dict__ for k in cls.__mro__ if k is not Function)
        with no_grad():
            out = cls.forward(*args, **kwargs) if uses_setup else cls.forward(ctx, *args, **kwargs)
        if uses_setup:
            cls.setup_context(ctx, args, out)
        multi = isinstance(out, tuple)
        outs = out if multi else (out,)
        tensor_args = [a for a in args if isinstance(a, Tensor)]
        ctx._input_mask = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        if not (MODE.grad_enabled and any(a.requires_grad for a in tensor_args)):
            return out
        from .._ops.dispatch import edge_of

        edges = tuple(edge_of(a) for a, keep in zip(args, ctx._input_mask) if keep)
        node = _FunctionNode(cls.__name__ + "Backward", edges, n_out=len(outs))
        node.ctx = ctx
        node.fn_cls = cls
        node._out_shapes = tuple((tuple(o.shape), o.dtype) if isinstance(o, Tensor) else ((), None) for o in outs)
        non_diff = getattr(ctx, "_non_diff", set())
        dirty = {id(t) for t in getattr(ctx, "_dirty", ())}
        results = []
        for nr, o in enumerate(outs):
            if isinstance(o, Tensor) and id(o) not in non_diff and (o.dtype.is_floating_point or o.dtype.is_complex):
                if id(o) not in dirty:
                    o = o.detach() if o._grad_fn is not None or o._base is not None else o
                o._grad_fn = node
                o._out_nr = nr
            results.append(o)
        return tuple(results) if multi else results[0]

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")


def once_differentiable(fn):
    """Marks a backward as not twice-differentiable (it runs under no_grad)."""
    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with no_grad():
            return fn(ctx, *args)
    return wrapper
