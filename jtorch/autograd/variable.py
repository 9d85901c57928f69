"""``Variable``: the pre-0.4 wrapper, now the tensor itself (as in PyTorch)."""
from .._tensor import Tensor

__all__ = ["Variable"]


class _VariableMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor)


class Variable(metaclass=_VariableMeta):
    """``Variable(tensor, requires_grad=False)`` returns a tensor sharing ``tensor``'s data."""

    def __new__(cls, data=None, requires_grad=False, volatile=False):
        if data is None:
            from .._ops.creation import zeros

            return zeros(0)
        t = data.detach() if data.grad_fn is not None else data
        if requires_grad:
            t.requires_grad_(True)
        return t
