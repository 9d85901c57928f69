"""Tensor creation: tensor/as_tensor/from_numpy, the constant factories and their ``_like`` and
``new_*`` forms, ranges, eye, tril/triu, meshgrid. Factories name their dtype explicitly so the
default dtype (float32) holds everywhere even though JAX runs with x64 enabled.
"""
import builtins
import math

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .. import _factory_defaults
from .._device import CPU, device as Device, to_jax_device
from .._tensor import Tensor, Size, wrap
from .common import wrap_dim
from .dispatch import Op

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "full", "empty", "zeros_like",
           "ones_like", "full_like", "empty_like", "arange", "range", "linspace", "logspace", "eye", "tril",
           "triu", "meshgrid", "scalar_tensor", "strided", "layout", "empty_strided", "set_default_device",
           "get_default_device", "tril_indices", "triu_indices", "frombuffer", "complex", "polar"]


class layout:
    """``torch.layout``; only ``torch.strided`` exists in jtorch."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "torch." + self.name


strided = layout("strided")


def set_default_device(device):
    """Device factory functions use when none is given."""
    _factory_defaults.set_device(CPU if device is None else Device(device))


def get_default_device():
    """The device factory functions use when none is given."""
    return _factory_defaults.get_device()


def _place(arr, device):
    d = _factory_defaults.get_device() if device is None else Device(device)
    if d.type == "cpu" and d.index in (None, 0):
        return arr
    return jax.device_put(arr, to_jax_device(d))


def _finish(arr, device, requires_grad):
    t = wrap(_place(arr, device))
    if requires_grad:
        t.requires_grad_(True)
    return t


def _size_arg(size, fn="zeros"):
    if len(size) == 1 and isinstance(size[0], (tuple, list, Size)):
        size = tuple(size[0])
    out = []
    for s in size:
        if isinstance(s, Tensor):
            s = s.__index__()
        if isinstance(s, builtins.bool) or not isinstance(s, (int, np.integer)):
            raise TypeError(f"{fn}(): argument 'size' (position 1) must be tuple of ints, but found element of "
                            f"type {type(s).__name__} at pos {len(out)}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
        out.append(int(s))
    return tuple(out)


_fill_op = Op("full", lambda v, *, shape, dtype: jnp.full(shape, v, dtype), differentiable=False)


def _infer_dtype(value):
    return D.scalar_dtype(value.item() if isinstance(value, Tensor) else value)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False, out=None, layout=None,
         pin_memory=False):
    """A tensor of ``size`` filled with ``fill_value`` (dtype inferred from it, like PyTorch)."""
    size = _size_arg((size,) if not isinstance(size, (tuple, list, Size)) else (size,), "full")
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    dtype = dtype or _infer_dtype(fill_value)
    t = _finish(_fill_op.raw(fill_value, shape=size, dtype=dtype.np), device, requires_grad)
    return t if out is None else out._inplace_from(t)


def _const(value, size, dtype, device, requires_grad, fn, out=None):
    size = _size_arg(size, fn)
    dtype = dtype or D.get_default_dtype()
    t = _finish(_fill_op.raw(value, shape=size, dtype=dtype.np), device, requires_grad)
    if out is not None:
        from .common import write_out

        return write_out(out, t)
    return t


def zeros(*sizes, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False, size=None):
    """A tensor of zeros."""
    size = sizes if size is None else (size,)
    return _const(0, size, dtype, device, requires_grad, "zeros", out)


def ones(*sizes, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False, size=None):
    """A tensor of ones."""
    size = sizes if size is None else (size,)
    return _const(1, size, dtype, device, requires_grad, "ones", out)


def empty(*sizes, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False, size=None,
          memory_format=None):
    """An 'uninitialised' tensor. Differs from PyTorch: always filled with zeros."""
    size = sizes if size is None else (size,)
    return _const(0, size, dtype, device, requires_grad, "empty", out)


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    """Like ``empty``; the strides are ignored (results are contiguous)."""
    return _const(0, (tuple(size),), dtype, device, requires_grad, "empty_strided")


def _like(input, value, dtype, device, requires_grad):
    dtype = dtype or input.dtype
    return _finish(_fill_op.raw(value, shape=tuple(input.shape), dtype=dtype.np),
                   device if device is not None else input.device, requires_grad)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """Zeros with ``input``'s shape (and dtype and device unless given)."""
    return _like(input, 0, dtype, device, requires_grad)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """Ones with ``input``'s shape (and dtype and device unless given)."""
    return _like(input, 1, dtype, device, requires_grad)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """Like ``zeros_like`` (jtorch's empty tensors are zeros)."""
    return _like(input, 0, dtype, device, requires_grad)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """``fill_value`` with ``input``'s shape (and dtype and device unless given)."""
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    return _like(input, fill_value, dtype, device, requires_grad)


def full_like_value(t, value):
    """A tensor of ``t``'s shape and dtype holding ``value`` (used by in-place ops on scalars)."""
    return _like(t, value, None, None, False)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False):
    """A 0-d tensor of ``s`` (default dtype, like PyTorch)."""
    return _finish(jnp.asarray(s, (dtype or D.get_default_dtype()).np), device, requires_grad)


def _flatten_tensors(data):
    """Replace tensors nested in lists by Python numbers/lists."""
    if isinstance(data, Tensor):
        return data.tolist()
    if isinstance(data, (list, tuple)):
        return [_flatten_tensors(x) for x in data]
    return data


def _contains_tensor(data):
    if isinstance(data, Tensor):
        return True
    if isinstance(data, (list, tuple)) and data:
        return any(_contains_tensor(x) for x in data)
    return False


def _check_ragged(data, dim=0):
    if isinstance(data, (list, tuple)) and data and isinstance(data[0], (list, tuple)):
        n = len(data[0])
        for x in data:
            if not isinstance(x, (list, tuple)) or len(x) != n:
                got = len(x) if isinstance(x, (list, tuple)) else type(x).__name__
                raise ValueError(f"expected sequence of length {n} at dim {dim + 1} (got {got})")
            _check_ragged(x, dim + 1)


def _to_numpy(data):
    """numpy array and the jtorch dtype torch would infer for ``data``."""
    if isinstance(data, np.ndarray):
        return data, D.from_np(data.dtype)
    if isinstance(data, np.generic):
        arr = np.asarray(data)
        return arr, D.from_np(arr.dtype)
    if isinstance(data, Tensor):
        return np.asarray(data._read()), data.dtype
    if _contains_tensor(data):
        tensors = [x for x in (data if isinstance(data, (list, tuple)) else [data]) if isinstance(x, Tensor)]
        for x in tensors:
            if x.ndim and isinstance(data, (list, tuple)) and not all(isinstance(y, Tensor) for y in data):
                raise ValueError("only one element tensors can be converted to Python scalars")
        data = _flatten_tensors(data)
    if isinstance(data, (str, bytes)) or data is None:
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    _check_ragged(data)
    try:
        arr = np.asarray(data)
    except ValueError as e:
        raise ValueError(str(e)) from None
    if arr.dtype == object:
        raise TypeError(f"Could not infer dtype of {type(np.ravel(arr)[0]).__name__}")
    kind = arr.dtype.kind
    if kind == "b":
        return arr, D.bool
    if kind in "iu":
        return arr.astype(np.int64), D.int64
    if kind == "f":
        return arr, D.get_default_dtype()
    if kind == "c":
        return arr, D.default_complex()
    raise TypeError(f"Could not infer dtype of {arr.dtype}")


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (nested lists, numbers, numpy arrays, tensors)."""
    if isinstance(data, Tensor):
        arr = data._read()
        out = arr.astype(dtype.np) if dtype is not None and dtype.np != arr.dtype else arr
        return _finish(out, device if device is not None else data.device, requires_grad)
    arr, inferred = _to_numpy(data)
    dtype = dtype or inferred
    return _finish(jnp.asarray(arr, dtype=dtype.np), device, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Like ``tensor``, but returns ``data`` itself when it already is a tensor of that dtype/device."""
    if isinstance(data, Tensor):
        if (dtype is None or dtype is data.dtype) and (device is None or Device(device) == data.device):
            return data
        return data.to(dtype=dtype, device=device)
    return tensor(data, dtype=dtype, device=device)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """``torch.asarray``."""
    t = as_tensor(obj, dtype=dtype, device=device)
    if copy and t is obj:
        t = t.clone()
    if requires_grad:
        t.requires_grad_(True)
    return t


def from_numpy(ndarray):
    """A tensor from a numpy array. Differs from PyTorch: a copy, not shared memory."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    return wrap(jnp.asarray(ndarray, dtype=D.from_np(ndarray.dtype).np))


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    """A 1-D tensor from a bytes-like object (a copy)."""
    arr = np.frombuffer(buffer, dtype=dtype.np, count=count, offset=offset)
    return _finish(jnp.asarray(arr), None, requires_grad)


def _num(x):
    return x.item() if isinstance(x, Tensor) else x


_arange_op = Op("arange", lambda start, step, *, n, dtype, acc: (
    (jnp.arange(n, dtype=acc) * step + start).astype(dtype)), differentiable=False)


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False,
           pin_memory=False):
    """Values ``start, start+step, ...`` below ``end``; int64 unless an argument is a float."""
    start, end, step = _num(start), _num(end), _num(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if dtype is None:
        dtype = D.get_default_dtype() if any(isinstance(v, float) for v in (start, end, step)) else D.int64
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    n = int(math.ceil((end - start) / step))
    acc = np.float64 if (dtype.is_floating_point or isinstance(step, float) or isinstance(start, float)) else np.int64
    t = _finish(_arange_op.raw(start, step, n=max(n, 0), dtype=dtype.np, acc=acc), device, requires_grad)
    if out is not None:
        from .common import write_out

        return write_out(out, t)
    return t


def range(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """Deprecated ``torch.range``: like arange but includes ``end``; float by default."""
    if end is None:
        start, end = 0, start
    n = int(math.floor((end - start) / step)) + 1
    dtype = dtype or D.get_default_dtype()
    return _finish(_arange_op.raw(start, step, n=max(n, 0), dtype=dtype.np, acc=np.float64), device, requires_grad)


def _linspace(start, end, *, steps, dtype):
    i = jnp.arange(steps, dtype=jnp.float64)
    step = (end - start) / max(steps - 1, 1)
    half = steps // 2
    vals = jnp.where(i < half, start + i * step, end - (steps - 1 - i) * step)
    if np.dtype(dtype).kind in "iu":
        vals = jnp.trunc(vals)
    return vals.astype(dtype)


_linspace_op = Op("linspace", _linspace, differentiable=False)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end`` (PyTorch's symmetric formula)."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dtype = dtype or D.get_default_dtype()
    t = _finish(_linspace_op.raw(float(_num(start)), float(_num(end)), steps=int(steps), dtype=dtype.np), device,
                requires_grad)
    if out is not None:
        from .common import write_out

        return write_out(out, t)
    return t


_logspace_op = Op("logspace", lambda start, end, base, *, steps, dtype: jnp.power(
    base, _linspace(start, end, steps=steps, dtype=np.float64)).astype(dtype), differentiable=False)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """``base ** linspace(start, end, steps)``."""
    dtype = dtype or D.get_default_dtype()
    return _finish(_logspace_op.raw(float(_num(start)), float(_num(end)), float(base), steps=int(steps),
                                    dtype=dtype.np), device, requires_grad)


_eye_op = Op("eye", lambda *, n, m, dtype: jnp.eye(n, m, dtype=dtype), differentiable=False)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """The identity matrix (``n`` x ``m``)."""
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    m = n if m is None else m
    dtype = dtype or D.get_default_dtype()
    return _finish(_eye_op.raw(n=int(n), m=int(m), dtype=dtype.np), device, requires_grad)


_tril_op = Op("tril", lambda a, *, k: jnp.tril(a, k), saves=())
_triu_op = Op("triu", lambda a, *, k: jnp.triu(a, k), saves=())


def _check_2d(input, name):
    if input.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")


def tril(input, diagonal=0, *, out=None):
    """Lower triangle of the last two dims (others zeroed)."""
    _check_2d(input, "tril")
    from .common import write_out

    return write_out(out, _tril_op(input, k=int(diagonal)))


def triu(input, diagonal=0, *, out=None):
    """Upper triangle of the last two dims (others zeroed)."""
    _check_2d(input, "triu")
    from .common import write_out

    return write_out(out, _triu_op(input, k=int(diagonal)))


def _tri_indices(row, col, offset, lower, dtype, device):
    r, c = np.tril_indices(row, offset, col) if lower else np.triu_indices(row, offset, col)
    return _finish(jnp.asarray(np.stack([r, c]), dtype=(dtype or D.int64).np), device, False)


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """Indices (2 x N) of the lower triangle of a row x col matrix."""
    return _tri_indices(row, col, offset, True, dtype, device)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """Indices (2 x N) of the upper triangle of a row x col matrix."""
    return _tri_indices(row, col, offset, False, dtype, device)


def meshgrid(*tensors, indexing=None):
    """Coordinate grids from 1-D tensors; ``indexing='ij'`` (PyTorch's default) or ``'xy'``."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        import warnings

        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}")
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: " + repr(t))
    flat = [t.reshape(-1) for t in tensors]
    n = len(flat)
    sizes = [f.shape[0] for f in flat]
    if indexing == "xy" and n >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for i, f in enumerate(flat):
        shape = [1] * n
        pos = i
        if indexing == "xy" and n >= 2 and i < 2:
            pos = 1 - i
        shape[pos] = -1
        out.append(f.view(shape).expand(sizes))
    return tuple(out)


def complex(real, imag, *, out=None):
    """A complex tensor from real and imaginary parts."""
    from .pointwise import _complex_op

    return _complex_op(real, imag)


def polar(abs, angle, *, out=None):
    """A complex tensor ``abs * exp(i * angle)``."""
    from .pointwise import _polar_op

    return _polar_op(abs, angle)


def legacy_new(cls, args, device):
    """``torch.Tensor(*sizes)`` or ``torch.Tensor(data)``: default-dtype tensor (legacy constructor)."""
    dtype = D.get_default_dtype()
    if cls is not Tensor and hasattr(cls, "_legacy_dtype"):
        dtype = cls._legacy_dtype
    if not args:
        t = zeros(0, dtype=dtype, device=device)
    elif len(args) == 1 and not isinstance(args[0], (int, np.integer)) and not isinstance(args[0], Size):
        data = args[0]
        t = tensor(data, dtype=dtype, device=device) if not isinstance(data, Tensor) else data.to(dtype)
    else:
        t = zeros(*args, dtype=dtype, device=device)
    if cls is Tensor or hasattr(cls, "_legacy_dtype"):
        return t
    out = object.__new__(cls)
    for slot in ("_st", "_arr", "_ver", "_view", "_base", "_vc", "_grad_fn", "_out_nr", "_req", "_grad", "_acc",
                 "_gver"):
        setattr(out, slot, getattr(t, slot))
    return out


def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    """``tensor(data)`` with this tensor's dtype and device by default."""
    return tensor(data, dtype=dtype or self.dtype, device=device if device is not None else self.device,
                  requires_grad=requires_grad)


def new_zeros(self, *size, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
    """Zeros of ``size`` with this tensor's dtype and device by default."""
    return zeros(*size, dtype=dtype or self.dtype, device=device if device is not None else self.device,
                 requires_grad=requires_grad)


def new_ones(self, *size, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
    """Ones of ``size`` with this tensor's dtype and device by default."""
    return ones(*size, dtype=dtype or self.dtype, device=device if device is not None else self.device,
                requires_grad=requires_grad)


def new_empty(self, *size, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
    """Like ``new_zeros``."""
    return new_zeros(self, *size, dtype=dtype, device=device, requires_grad=requires_grad)


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None,
             pin_memory=False):
    """``full`` with this tensor's dtype and device by default."""
    return full(size, fill_value, dtype=dtype or self.dtype, device=device if device is not None else self.device,
                requires_grad=requires_grad)


for _name in ("new_tensor", "new_zeros", "new_ones", "new_empty", "new_full"):
    setattr(Tensor, _name, globals()[_name])
Tensor.tril = tril
Tensor.triu = triu
Tensor.tril_ = lambda self, diagonal=0: self._inplace_from(tril(self, diagonal), "TrilBackward0")
Tensor.triu_ = lambda self, diagonal=0: self._inplace_from(triu(self, diagonal), "TriuBackward0")
