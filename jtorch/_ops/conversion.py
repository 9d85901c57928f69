"""dtype/device conversion and copies: to, type, float()/long()/..., cpu/cuda, clone,
contiguous, copy_, fill_, zero_."""
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._device import device as Device, to_jax_device
from .._tensor import Tensor, legacy_type_name
from .._grad_state import MODE
from .dispatch import Op

__all__ = ["clone"]


def _float_to_int(a, dtype):
    """A C++ float-to-integer cast as PyTorch's CPU kernels do it on x86: truncation to int64 (int64 and
    unsigned targets) or int32 (other signed targets); values outside that range, and NaN, give its
    minimum ("integer indefinite"); narrower targets then wrap (-1.7 -> uint8 255, 300.5 -> uint8 44)."""
    wide = np.dtype(np.int64) if dtype.itemsize == 8 or dtype.kind == "u" else np.dtype(np.int32)
    info = np.iinfo(wide)
    a = jnp.trunc(a.astype(jnp.float64) if a.dtype.itemsize < 8 else a)
    ok = (a >= info.min) & (a < -float(info.min))
    wide_vals = jnp.where(ok, a, 0).astype(wide)
    return jnp.where(ok, wide_vals, info.min).astype(wide).astype(dtype)


def _cast_kernel(a, *, dtype):
    dst = np.dtype(dtype)
    if jnp.iscomplexobj(a) and dst.kind != "c":
        if dst == np.bool_:
            return a != 0
        a = jnp.real(a)
    if jnp.issubdtype(a.dtype, jnp.floating) and dst.kind in "iu":
        return _float_to_int(a, dst)
    return a.astype(dtype)


_convert_op = Op("to", _cast_kernel, saves=(), grad_name="ToCopyBackward0")
_clone_op = Op("clone", lambda a: jnp.copy(a), saves=())
_device_op = Op("to", lambda a, *, dev: jax.device_put(a, dev), saves=(), grad_name="ToCopyBackward0")


def _convert(self, dtype):
    if not isinstance(dtype, D.dtype):
        raise TypeError(f"to() received an invalid combination of arguments - got (dtype={dtype!r})")
    if self.dtype.is_complex and not dtype.is_complex and dtype is not D.bool:
        warnings.warn("Casting complex values to real discards the imaginary part", UserWarning, stacklevel=3)
    return _convert_op(self, dtype=dtype.np)


def _type_name(v):
    if isinstance(v, Tensor):
        return "Tensor"
    if isinstance(v, (D.dtype, Device)):
        return f"torch.{type(v).__name__}"
    return type(v).__name__


def _to_error(args, kwargs):
    got = ", ".join([_type_name(a) for a in args] + [f"{k}={_type_name(v)}" for k, v in kwargs.items()])
    return TypeError(
        f"to() received an invalid combination of arguments - got ({got}), but expected one of:\n"
        " * (torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, bool copy = False, "
        "*, torch.memory_format memory_format = None)\n"
        " * (torch.dtype dtype, bool non_blocking = False, bool copy = False, *, torch.memory_format "
        "memory_format = None)\n"
        " * (Tensor other, bool non_blocking = False, bool copy = False, *, torch.memory_format memory_format = "
        "None)\n")


_TO_KEYWORDS = ("device", "dtype", "non_blocking", "copy", "memory_format", "other")


def _parse_to(args, kwargs):
    """(dtype, device, copy) from ``to``'s three overloads: (device, dtype), (dtype), (other tensor)."""
    if any(k not in _TO_KEYWORDS for k in kwargs):
        raise _to_error(args, kwargs)
    dtype, device, copy = kwargs.get("dtype"), kwargs.get("device"), kwargs.get("copy", False)
    if isinstance(kwargs.get("other"), Tensor):
        dtype, device = kwargs["other"].dtype, kwargs["other"].device
    rest = args
    if args and isinstance(args[0], D.dtype):
        dtype, rest = args[0], args[1:]
    elif args and isinstance(args[0], Tensor):
        dtype, device, rest = args[0].dtype, args[0].device, args[1:]
    elif args and (args[0] is None or isinstance(args[0], (str, Device, int)) and not isinstance(args[0], bool)):
        device, rest = args[0], args[1:]
        if rest and (rest[0] is None or isinstance(rest[0], D.dtype)):
            dtype, rest = rest[0], rest[1:]
    if len(rest) > 2 or not all(isinstance(a, bool) for a in rest):
        raise _to_error(args, kwargs)
    if len(rest) == 2:
        copy = rest[1]
    if dtype is not None and not isinstance(dtype, D.dtype):
        raise _to_error(args, kwargs)
    return dtype, (Device(device) if device is not None else None), copy


def to(self, *args, **kwargs):
    """Convert dtype and/or device: ``to(dtype)``, ``to(device)``, ``to(other)``, ``to(device, dtype)``.

    Returns ``self`` when nothing changes (unless ``copy=True``), like PyTorch.
    """
    dtype, device, copy = _parse_to(args, kwargs)
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
    """The jtorch device of a jax.Device."""
    if jax_device.platform == "cpu":
        return Device("cpu")
    return Device("cuda", jax_device.id)


def cpu(self, memory_format=None):
    """This tensor on the CPU (``self`` if already there)."""
    return to(self, "cpu")


def cuda(self, device=None, non_blocking=False, memory_format=None):
    """This tensor on a GPU (``cuda()``, ``cuda(1)``, ``cuda('cuda:1')``); without one, the errors of a
    CPU-only PyTorch (AssertionError, or RuntimeError for an index)."""
    return to(self, Device("cuda") if device is None else Device(device))


def clone(input, *, memory_format=None):
    """A copy with its own storage; differentiable."""
    return _clone_op(input)


def contiguous(self, memory_format=None):
    """``self`` when contiguous, else a contiguous copy."""
    return self if self.is_contiguous() else _clone_op(self)


def _type(self, dtype=None, non_blocking=False, **kwargs):
    """``type()`` gives the legacy type name ('torch.FloatTensor'); ``type(t)`` converts to a dtype,
    a legacy type (``torch.DoubleTensor``) or a legacy type name ('torch.DoubleTensor')."""
    from .. import _legacy

    if dtype is None:
        name = legacy_type_name(self._arr.dtype)
        return name.replace("torch.", "torch.cuda.") if self.device.type == "cuda" else name
    if isinstance(dtype, D.dtype):
        return to(self, dtype)
    target, device = _legacy.parse_type(dtype)
    if device == "cuda" or self.device.type == "cuda":
        return to(self, "cuda" if device == "cuda" else "cpu", target)
    return to(self, target)


def type_as(self, other):
    """``self.to(other.dtype)``."""
    return to(self, other.dtype)


_overwrite_op = Op("copy_", lambda old, new: jnp.broadcast_to(new, old.shape).astype(old.dtype), saves=(),
                   grad_name="CopyBackwards")


def _overwrite(self, value, name):
    """Write ``value`` over ``self``. When ``self`` has autograd history, the new history keeps
    an edge to the old one carrying a zero gradient, as PyTorch's Copy/Fill backward nodes do."""
    if MODE.grad_enabled and self._grad_fn is not None:
        value = _overwrite_op(self, value)
    return self._inplace_from(value, name)


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
    return _overwrite(self, value, "CopyBackwards")


def fill_(self, value):
    """Fill with ``value`` (a number or a 0-d tensor) in place."""
    from .creation import _fill_scalar, _fill_value, full_like_value

    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} "
                               "dimensions.")
        return _overwrite(self, _convert_op(value, dtype=self.dtype.np).expand(self.shape), "FillBackward1")
    value = _fill_scalar(_fill_value("fill_", value), self.dtype)
    return _overwrite(self, full_like_value(self, value), "FillBackward0")


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
