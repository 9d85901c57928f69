"""dtype/device conversion and copies: to, type, float()/long()/..., cpu/cuda, clone,
contiguous, copy_, fill_, zero_."""
import jax
import jax.numpy as jnp

from .. import _dtype as D
from .._device import device as Device, to_jax_device
from .._tensor import Tensor, legacy_type_name
from .dispatch import Op

__all__ = ["clone"]

_convert_op = Op("to", lambda a, *, dtype: a.astype(dtype), saves=(),
                 grad_name="ToCopyBackward0")
_clone_op = Op("clone", lambda a: jnp.copy(a), saves=())
_device_op = Op("to", lambda a, *, dev: jax.device_put(a, dev), saves=(), grad_name="ToCopyBackward0")


def _convert(self, dtype):
    if not isinstance(dtype, D.dtype):
        raise TypeError(f"to() received an invalid combination of arguments - got (dtype={dtype!r})")
    return _convert_op(self, dtype=dtype.np)


def _parse_to(args, kwargs):
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    for a in args:
        if isinstance(a, D.dtype):
            dtype = a
        elif isinstance(a, (str, Device, int)) and not isinstance(a, bool):
            device = Device(a)
        elif isinstance(a, Tensor):
            dtype, device = a.dtype, a.device
        elif isinstance(a, bool):
            pass
        elif a is not None:
            raise TypeError(f"to() received an invalid combination of arguments - got ({type(a).__name__})")
    return dtype, device, copy


def to(self, *args, **kwargs):
    """Convert dtype and/or device: ``to(dtype)``, ``to(device)``, ``to(other)``, ``to(device, dtype)``.

    Returns ``self`` when nothing changes (unless ``copy=True``), like PyTorch.
    """
    dtype, device, copy = _parse_to(args, dict(kwargs))
    out = self
    if device is not None:
        target = to_jax_device(device)
        if self.device != device_of(target):
            out = _device_op(out, dev=target)
    if dtype is not None and dtype is not out.dtype:
        out = _convert(out, dtype)
    if out is self and copy:
        out = _clone_op(self)
    return out


def device_of(jax_device):
    if jax_device.platform == "cpu":
        return Device("cpu")
    return Device("cuda", jax_device.id)


def cpu(self, memory_format=None):
    """This tensor on the CPU (``self`` if already there)."""
    return to(self, "cpu")


def cuda(self, device=None, non_blocking=False, memory_format=None):
    """This tensor on a GPU; AssertionError without one, as CPU-only PyTorch."""
    return to(self, Device("cuda", device if isinstance(device, int) else None) if not isinstance(device, (str, Device))
              else Device(device))


def clone(input, *, memory_format=None):
    """A copy with its own storage; differentiable."""
    return _clone_op(input)


def contiguous(self, memory_format=None):
    """``self`` when contiguous, else a contiguous copy."""
    return self if self.is_contiguous() else _clone_op(self)


def _type(self, dtype=None, non_blocking=False, **kwargs):
    """``type()`` gives the legacy type name ('torch.FloatTensor'); ``type(t)`` converts."""
    if dtype is None:
        return legacy_type_name(self._arr.dtype)
    if isinstance(dtype, str):
        from .. import _legacy

        dtype = _legacy.dtype_of_type_name(dtype)
    elif isinstance(dtype, type):
        dtype = getattr(dtype, "_legacy_dtype", None) or D.get_default_dtype()
    return to(self, dtype)


def type_as(self, other):
    """``self.to(other.dtype)``."""
    return to(self, other.dtype)


def copy_(self, src, non_blocking=False):
    """Copy ``src`` (broadcast, converted) into ``self`` in place; differentiable w.r.t. ``src``."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'src' (position 1) must be Tensor, not {type(src).__name__}")
    value = src
    if src.device != self.device:
        value = to(value, self.device)
    if value.dtype is not self.dtype:
        value = _convert(value, self.dtype)
    if value.shape != self.shape:
        value = value.expand(self.shape)
    elif value is src:
        value = _clone_op(src) if src._grad_fn is not None or src._req else src
    return self._inplace_from(value, "CopyBackwards")


def fill_(self, value):
    """Fill with ``value`` (a number or a 0-d tensor) in place."""
    from .creation import full_like_value

    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} "
                               "dimensions.")
        return self._inplace_from(_convert_op(value, dtype=self.dtype.np).expand(self.shape), "FillBackward1")
    return self._inplace_from(full_like_value(self, value), "FillBackward0")


def zero_(self):
    """Fill with zeros in place."""
    return fill_(self, 0)


def _caster(dtype):
    def method(self, memory_format=None):
        return to(self, dtype)
    method.__doc__ = f"``self.to({dtype!r})``."
    return method


Tensor.to = to
Tensor.cpu = cpu
Tensor.cuda = cuda
Tensor.clone = clone
Tensor.contiguous = contiguous
Tensor.type = _type
Tensor.type_as = type_as
Tensor.copy_ = copy_
Tensor.fill_ = fill_
Tensor.zero_ = zero_
for _name, _dt in (("float", D.float32), ("double", D.float64), ("half", D.float16), ("bfloat16", D.bfloat16),
                   ("long", D.int64), ("int", D.int32), ("short", D.int16), ("char", D.int8), ("byte", D.uint8),
                   ("bool", D.bool), ("cfloat", D.complex64), ("cdouble", D.complex128)):
    setattr(Tensor, _name, _caster(_dt))
