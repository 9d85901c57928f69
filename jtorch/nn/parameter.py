"""``torch.nn.Parameter`` and ``torch.nn.Buffer``.

A Parameter is a :class:`jtorch.Tensor` subclass that shares its storage (and version counter)
with the tensor it was made from; assigning one to a :class:`~jtorch.nn.Module` attribute
registers it. ``Buffer(t)`` returns a plain tensor marked ``_is_buffer`` (as in PyTorch), which
``isinstance(x, Buffer)`` recognises.
"""
from .._tensor import Tensor

__all__ = ["Parameter", "Buffer", "is_lazy"]


def _make_subclass(cls, data, requires_grad):
    """A ``cls`` tensor aliasing ``data``'s storage and version counter, as a fresh leaf."""
    if requires_grad and not (data.dtype.is_floating_point or data.dtype.is_complex):
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    t = data._alias(cls)
    t._req = bool(requires_grad)
    return t


class _ParameterMeta(type):
    def __instancecheck__(cls, instance):
        if cls is Parameter and isinstance(instance, Tensor) and getattr(instance, "_is_param", False):
            return True
        return super().__instancecheck__(instance)


class Parameter(Tensor, metaclass=_ParameterMeta):
    """A tensor that a :class:`~jtorch.nn.Module` registers as a parameter when assigned.

    ``Parameter(data=None, requires_grad=True)`` aliases ``data`` (an empty float tensor if
    None); grad mode does not affect ``requires_grad``. Operations on a Parameter return plain
    tensors, as in PyTorch.
    """

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            from .._ops.creation import empty

            data = empty(0)
        if not isinstance(data, Tensor):
            raise AttributeError(f"'{type(data).__name__}' object has no attribute 'detach'")
        return _make_subclass(cls, data, requires_grad)

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(), self.requires_grad)
        memo[id(self)] = result
        return result

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self.data, self.requires_grad))


def _rebuild_parameter(data, requires_grad):
    """Unpickle a Parameter (``torch._utils._rebuild_parameter``'s counterpart)."""
    return Parameter(data, requires_grad)


class _BufferMeta(type):
    def __instancecheck__(cls, instance):
        if cls is Buffer and isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False):
            return True
        return super().__instancecheck__(instance)


class Buffer(Tensor, metaclass=_BufferMeta):
    """A tensor that a :class:`~jtorch.nn.Module` registers as a buffer when assigned.

    ``Buffer(data=None, *, persistent=True)`` returns ``data.detach()`` (keeping its
    ``requires_grad``) marked as a buffer, exactly as PyTorch does; ``persistent=False`` keeps
    it out of ``state_dict``.
    """

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            from .._ops.creation import empty

            data = empty(0)
        t = data.detach().requires_grad_(data.requires_grad)
        t.persistent = persistent
        t._is_buffer = True
        return t


def is_lazy(param):
    """Whether ``param`` is an uninitialized (lazy) parameter or buffer; never, in jtorch."""
    return False
