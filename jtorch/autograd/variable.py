"""``Variable``: the pre-0.4 wrapper, now the tensor itself (as in PyTorch)."""
from .._tensor import Tensor

__all__ = ["Variable"]


class _VariableMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor)


class Variable(metaclass=_VariableMeta):
    """``Variable(tensor, requires_grad=False)`` returns a new leaf tensor sharing ``tensor``'s data."""

    def __new__(cls, data=None, requires_grad=False, volatile=False):
        if data is None:
            from .._ops.creation import zeros

            return zeros(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        t = data.detach()
        if requires_grad:
            if not (t.dtype.is_floating_point or t.dtype.is_complex):
                raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
            t._req = True
        return t
