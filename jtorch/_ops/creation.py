"""Tensor creation: tensor/as_tensor/asarray/from_numpy, the constant factories and their ``_like``
and ``new_*`` forms, ranges (arange, linspace, logspace), eye, tril/triu, meshgrid, and the legacy
constructors (``torch.Tensor(2, 3)``, ``torch.FloatTensor([1, 2])``, ``x.new(...)``).

Factories name their dtype explicitly, so the default dtype (float32) holds everywhere even
though JAX runs with x64 enabled. Argument errors carry PyTorch's exception types and messages.
"""
import builtins
import collections.abc
import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .. import _factory_defaults
from .. import _host_tensor
from .._device import CPU, device as Device, set_default, to_jax_device
from .._tensor import Tensor, Size, wrap
from .common import write_out
from .dispatch import Op

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "full", "empty", "zeros_like",
           "ones_like", "full_like", "empty_like", "arange", "range", "linspace", "logspace", "eye", "tril",
           "triu", "meshgrid", "scalar_tensor", "strided", "layout", "empty_strided", "set_default_device",
           "get_default_device", "tril_indices", "triu_indices", "frombuffer", "complex", "polar"]

_int = builtins.int
_float = builtins.float
_bool = builtins.bool
_complex = builtins.complex
_range = builtins.range


class layout:
    """``torch.layout``; only ``torch.strided`` exists in jtorch."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "torch." + self.name


strided = layout("strided")

# C++ type names PyTorch puts in "value cannot be converted to type X without overflow".
_C_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int", "int64": "int64_t",
            "uint16": "uint16_t", "uint32": "uint32_t", "uint64": "uint64_t", "bool": "bool", "float32": "float",
            "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
            "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


def set_default_device(device):
    """Device factory functions use when none is given (None: the CPU)."""
    set_default(CPU if device is None else Device(device))


def get_default_device():
    """The device factory functions use when none is given."""
    return _factory_defaults.get_device()


# ---- shared helpers ---------------------------------------------------------------------------

def _place(arr, device):
    d = _factory_defaults.get_device() if device is None else Device(device)
    if d.type == "cpu" and d.index in (None, 0):
        return arr
    return jax.device_put(arr, to_jax_device(d))


def _check_requires_grad(dtype):
    if not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")


def _host_array(arr, dtype):
    """A JAX array of host data. Inside a traced (compiled) program it stays a concrete constant, so
    its values can still be read (``.item()``, sizes), as PyTorch code expects of constants. In a
    DataLoader worker (no JAX there) a numpy copy instead."""
    if _host_tensor._in_worker:
        return np.array(arr, dtype=dtype, copy=True)
    with jax.ensure_compile_time_eval():
        return jnp.array(arr, dtype=dtype, copy=True)


def _finish(arr, device, requires_grad):
    """Wrap a new array as a leaf tensor on ``device`` (the default device when None)."""
    if requires_grad:
        _check_requires_grad(D.from_np(arr.dtype))
    t = wrap(_place(arr, device))
    if requires_grad:
        t._req = True
    return t


def _check_tensor_arg(fn, x, name="input", pos=1):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be Tensor, not {type(x).__name__}")


def _num(x):
    """A Python number from a number, numpy scalar or one-element tensor."""
    if isinstance(x, Tensor):
        return x.item()
    if isinstance(x, np.generic):
        return x.item()
    return x


def _int_arg(fn, name, pos, value):
    """An int argument (ints, numpy ints and integer one-element tensors), with PyTorch's TypeError."""
    if isinstance(value, Tensor) and not (value.dtype.is_floating_point or value.dtype.is_complex):
        return value.__index__()
    if isinstance(value, (_int, np.integer)) and not isinstance(value, (_bool, np.bool_)):
        return _int(value)
    raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be int, not {type(value).__name__}")


# ---- sizes --------------------------------------------------------------------------------------

def _size_element(fn, value, pos):
    """One size entry: an int, numpy int or integer one-element tensor (bool counts as int)."""
    if isinstance(value, (_int, np.integer)):
        return _int(value)
    if isinstance(value, Tensor) and value.numel() == 1 and not (value.dtype.is_floating_point
                                                                  or value.dtype.is_complex):
        return _int(value.item())
    raise TypeError(f"{fn}(): argument 'size' failed to unpack the object at pos {pos} with error \"type must be "
                    f"tuple of ints,but got {type(value).__name__}\"")


def _check_negative(fn, shape):
    for n in shape:
        if n < 0:
            if fn == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {list(shape)}")
    return shape


def _size_seq(fn, size, pos=1):
    """A size given as one sequence argument (``full(size, ...)``, ``randint(high, size)``)."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"{fn}(): argument 'size' (position {pos}) must be tuple of ints, not "
                        f"{type(size).__name__}")
    return _check_negative(fn, tuple(_size_element(fn, s, i + 1) for i, s in enumerate(size)))


def size_args(fn, args, size=None):
    """The shape of a ``fn(*size)`` factory call: varargs ints, one sequence, or ``size=``."""
    if size is not None:
        if args:
            raise TypeError(f"{fn}() got multiple values for argument 'size'")
        args = (size,)
    if not args:
        raise TypeError(f"{fn}() missing 1 required positional arguments: \"size\"")
    if len(args) == 1:
        a = args[0]
        if isinstance(a, (tuple, list)):
            return _size_seq(fn, a)
        if isinstance(a, (_bool, np.bool_)) or not isinstance(a, (_int, np.integer, Tensor)) or (
                isinstance(a, Tensor) and a.ndim > 1 or isinstance(a, Tensor) and a.numel() != 1):
            raise TypeError(f"{fn}(): argument 'size' (position 1) must be tuple of ints, not {type(a).__name__}")
        return _check_negative(fn, (_size_element(fn, a, 1),))
    if isinstance(args[0], (tuple, list)):
        raise TypeError(f"{fn}() takes 1 positional argument but {len(args)} were given")
    return _check_negative(fn, tuple(_size_element(fn, s, i + 1) for i, s in enumerate(args)))


# ---- scalar fills ---------------------------------------------------------------------------------

def _overflow(dtype):
    return RuntimeError(f"value cannot be converted to type {_C_NAMES[dtype.name]} without overflow")


def _fill_scalar(value, dtype):
    """``value`` as the Python number to fill a ``dtype`` tensor with, raising PyTorch's overflow error."""
    if dtype is D.bool:
        return _bool(value)
    if isinstance(value, _complex):
        if dtype.is_complex:
            return value
        if value.imag != 0:
            raise _overflow(dtype)
        value = value.real
    if dtype.is_floating_point or dtype.is_complex:
        v = _float(value)
        if math.isfinite(v) and abs(v) > D.finfo(dtype).max:
            raise _overflow(dtype)
        return v
    info = np.iinfo(dtype.np)
    if isinstance(value, _float):
        if math.isnan(value) or value > info.max or value < (0 if info.min == 0 else info.min):
            raise _overflow(dtype)
        return _int(value)
    v = _int(value)
    if v > info.max or v < (-info.max if info.min == 0 else info.min):
        raise _overflow(dtype)
    return v


def _fill_kernel(v, *, shape, dtype):
    if jnp.iscomplexobj(v) and np.dtype(dtype).kind != "c":
        v = jnp.real(v)
    if np.dtype(dtype).kind in "iu" and not jnp.issubdtype(jnp.result_type(v), jnp.integer):
        v = jnp.trunc(v)
    return jnp.full(shape, jnp.asarray(v).astype(dtype), dtype)


_fill_op = Op("full", _fill_kernel, differentiable=False)


def _filled(shape, value, dtype, device, requires_grad):
    return _finish(_fill_op.raw(value, shape=shape, dtype=dtype.np), device, requires_grad)


def _fill_value(fn, fill_value):
    """The Python number behind ``fill_value`` (numbers, numpy scalars, one-element tensors)."""
    if isinstance(fill_value, Tensor):
        return fill_value.item()
    if isinstance(fill_value, np.generic) and isinstance(fill_value, (np.number, np.bool_)):
        return fill_value.item()
    if isinstance(fill_value, (_bool, _int, _float, _complex)):
        return fill_value
    raise TypeError(f"{fn}(): argument 'fill_value' (position 2) must be Number, not {type(fill_value).__name__}")


def _factory(fn, value, args, size, dtype, device, requires_grad, out):
    shape = size_args(fn, args, size)
    dtype = dtype or D.get_default_dtype()
    return write_out(out, _filled(shape, value, dtype, device, requires_grad))


def zeros(*sizes, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False,
          size=None):
    """A tensor of zeros; ``size`` as varargs, one sequence, or ``size=``."""
    return _factory("zeros", 0, sizes, size, dtype, device, requires_grad, out)


def ones(*sizes, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False,
         size=None):
    """A tensor of ones; ``size`` as varargs, one sequence, or ``size=``."""
    return _factory("ones", 1, sizes, size, dtype, device, requires_grad, out)


def empty(*sizes, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False,
          memory_format=None, size=None):
    """An 'uninitialised' tensor. Differs from PyTorch: always filled with zeros."""
    return _factory("empty", 0, sizes, size, dtype, device, requires_grad, out)


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    """Like ``empty``. Differs from PyTorch: the strides are ignored (results are contiguous)."""
    return _filled(_size_seq("empty_strided", size), 0, dtype or D.get_default_dtype(), device, requires_grad)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    """A tensor of ``size`` filled with ``fill_value``; the dtype is inferred from it like PyTorch
    (bool, int64, the default float dtype, or the default complex dtype)."""
    shape = _size_seq("full", size)
    value = _fill_value("full", fill_value)
    dtype = dtype or D.scalar_dtype(value)
    return write_out(out, _filled(shape, _fill_scalar(value, dtype), dtype, device, requires_grad))


def _like(fn, input, value, dtype, device, requires_grad):
    _check_tensor_arg(fn, input)
    dtype = dtype or input.dtype
    return _filled(tuple(input.shape), value, dtype, device if device is not None else input.device, requires_grad)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """Zeros with ``input``'s shape (and dtype and device unless given)."""
    return _like("zeros_like", input, 0, dtype, device, requires_grad)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """Ones with ``input``'s shape (and dtype and device unless given)."""
    return _like("ones_like", input, 1, dtype, device, requires_grad)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """Like ``zeros_like`` (jtorch's empty tensors are zeros)."""
    return _like("empty_like", input, 0, dtype, device, requires_grad)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """``fill_value`` with ``input``'s shape (and dtype and device unless given)."""
    _check_tensor_arg("full_like", input)
    value = _fill_value("full_like", fill_value)
    return _like("full_like", input, _fill_scalar(value, dtype or input.dtype), dtype, device, requires_grad)


def full_like_value(t, value):
    """A tensor of ``t``'s shape and dtype holding ``value`` (used by in-place ops on scalars)."""
    return _filled(tuple(t.shape), value, t.dtype, t.device, False)


def scalar_tensor(s, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    """A 0-d tensor of ``s`` (the default dtype unless given, like PyTorch)."""
    dtype = dtype or D.get_default_dtype()
    return _filled((), _fill_scalar(_fill_value("scalar_tensor", s), dtype), dtype, device, requires_grad)


# ---- tensor(data) -------------------------------------------------------------------------------

_PY_KINDS = {_bool: 0, _int: 1, _float: 2, _complex: 3}
_MAX_DIMS = 64


def _is_sequence(obj):
    """Python's PySequence_Check, as torch uses it (tensors and mappings are not sequences)."""
    if isinstance(obj, (list, tuple, _range, str, bytes, bytearray, np.ndarray)):
        return True
    return isinstance(obj, collections.abc.Sequence)


def _kind_dtype(kind):
    """The dtype of a Python bool (0), int (1), float (2) or complex (3)."""
    if kind == 0:
        return D.bool
    if kind == 1:
        return D.int64
    return D.get_default_dtype() if kind == 2 else D.default_complex()


def _infer(obj):
    """torch's infer_scalar_type: the dtype of ``obj`` and whether it holds tensors or numpy values."""
    t = type(obj)
    kind = _PY_KINDS.get(t)
    if kind is not None:
        return _kind_dtype(kind), False
    if t is list or t is tuple:
        return _infer_sequence(obj)
    if isinstance(obj, (np.ndarray, np.generic)):
        return D.from_np(obj.dtype), True
    for base, k in ((_float, 2), (_bool, 0), (_int, 1), (_complex, 3)):
        if isinstance(obj, base):
            return _kind_dtype(k), False
    if isinstance(obj, Tensor):
        return obj.dtype, True
    if isinstance(obj, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{t.__name__}'")
    if _is_sequence(obj):
        return _infer_sequence(obj)
    raise RuntimeError(f"Could not infer dtype of {t.__name__}")


def _infer_sequence(seq):
    if len(seq) == 0:
        return D.get_default_dtype(), False
    kinds = set(map(type, seq))
    if kinds.issubset(_PY_KINDS):
        return _kind_dtype(max(_PY_KINDS[k] for k in kinds)), False
    result, exotic = None, False
    for item in seq:
        d, ex = _infer(item)
        exotic = exotic or ex
        result = d if result is None else D.promote_types(result, d)
    return result, exotic


def _sizes(data):
    """torch's compute_sizes: follow first elements down while they are sequences."""
    sizes = []
    obj = data
    while _is_sequence(obj):
        n = len(obj)
        sizes.append(n)
        if len(sizes) > _MAX_DIMS:
            raise ValueError(f"too many dimensions '{type(obj).__name__}'")
        if n == 0:
            break
        obj = obj[0]
    return sizes


def _leaf_error(obj, dtype):
    name = type(obj).__name__
    if dtype.is_floating_point or dtype.is_complex:
        return TypeError(f"must be real number, not {name}")
    return TypeError(f"'{name}' object cannot be interpreted as an integer")


def _unpack(obj, dtype):
    """torch's store_scalar for one leaf: tensors and numpy values become Python numbers."""
    if isinstance(obj, Tensor):
        if dtype.is_floating_point:
            return _float(obj)
        if dtype.is_complex:
            return _complex(obj)
        return obj.__index__()
    if isinstance(obj, np.ndarray):
        if obj.ndim:
            raise _leaf_error(obj, dtype)
        return obj.item()
    if isinstance(obj, np.generic):
        return obj.item()
    if not isinstance(obj, (_bool, _int, _float, _complex)):
        raise _leaf_error(obj, dtype)
    return obj


def _validate(obj, sizes, dim, dtype):
    """torch's recursive_store checks (ragged lengths, non-sequences); returns nested Python numbers."""
    if dim == len(sizes):
        if _is_sequence(obj) and not isinstance(obj, np.ndarray):
            raise _leaf_error(obj, dtype)
        return _unpack(obj, dtype)
    if not _is_sequence(obj) and not isinstance(obj, Tensor):
        raise TypeError("not a sequence")
    n = len(obj)
    if n != sizes[dim]:
        raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {n})")
    return [_validate(x, sizes, dim + 1, dtype) for x in obj]


def _natural_np(dtype):
    """The numpy dtype holding Python numbers of ``dtype``'s category exactly."""
    if dtype is D.bool:
        return np.bool_
    if dtype.is_complex:
        return np.complex128
    if dtype.is_floating_point:
        return np.float64
    return np.int64


def _from_sequence(data, sizes, inferred, exotic, target):
    """A numpy array of ``data`` holding the values torch would store (before the final cast)."""
    if 0 in sizes:
        return np.zeros(sizes, _natural_np(target))
    natural = _natural_np(inferred)
    if exotic:
        data = _validate(data, sizes, 0, target)
    try:
        arr = np.array(data, dtype=natural)
    except OverflowError:
        raise ValueError("Overflow when unpacking long long") from None
    except (ValueError, TypeError):
        arr = None
    if arr is None or list(arr.shape) != sizes:
        _validate(data, sizes, 0, target)
        raise ValueError(f"could not convert the data to a tensor of shape {sizes}")
    return arr


def _checked_cast(arr, target):
    """Cast Python-valued ``arr`` to ``target`` like torch's store_scalar, overflow checks included."""
    src = arr.dtype.kind
    if target is D.bool:
        return arr.astype(np.bool_)
    if target.is_complex:
        return arr.astype(target.np)
    if target.is_floating_point:
        if src == "c":
            raise TypeError("must be real number, not complex")
        if src != "f":
            arr = arr.astype(np.float64)
        with np.errstate(over="ignore"):
            return arr.astype(target.np)
    if src == "c":
        raise TypeError(f"'complex' object cannot be interpreted as an integer")
    info = np.iinfo(target.np)
    lo = (0 if src == "f" else -_int(info.max)) if info.min == 0 else _int(info.min)
    if arr.size:
        if src == "f":
            bad = np.isnan(arr).any() or (arr > info.max).any() or (arr < lo).any()
        else:
            bad = _int(arr.max()) > info.max or _int(arr.min()) < lo
        if bad:
            raise RuntimeError(f"value cannot be converted to type {target.name} without overflow")
    return arr.astype(target.np)


def _check_numpy(arr):
    if not arr.dtype.isnative:
        raise ValueError("given numpy array has byte order different from the native byte order. Conversion "
                         "between byte orders is currently not supported.")
    if any(s < 0 for s in arr.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors with negative "
                         "strides are not currently supported. (You can probably work around this by making a "
                         "copy of your array  with array.copy().) ")
    return D.from_np(arr.dtype)


def _data_array(data, dtype):
    """numpy array and dtype of ``tensor(data, dtype=dtype)`` for non-tensor ``data``."""
    if isinstance(data, np.ndarray):
        inferred = _check_numpy(data)
        return (data if dtype is None else data.astype(dtype.np)), dtype or inferred
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    if isinstance(data, np.generic):
        target = dtype or D.from_np(data.dtype)
        return np.asarray(data).astype(target.np), target
    if not _is_sequence(data):
        inferred, _ = _infer(data)
        target = dtype or inferred
        return _checked_cast(_scalar_array(_unpack(data, target), inferred), target), target
    sizes = _sizes(data)
    try:
        inferred, exotic = _infer(data)
    except (TypeError, RuntimeError):
        if dtype is None:
            raise
        inferred, exotic = dtype, True
    target = dtype or inferred
    return _checked_cast(_from_sequence(data, sizes, inferred, exotic, target), target), target


def _scalar_array(value, inferred):
    try:
        return np.array(value, dtype=_natural_np(inferred))
    except OverflowError:
        raise ValueError("Overflow when unpacking long long") from None


def _copy_warning():
    warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
                  "sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor).",
                  UserWarning, stacklevel=3)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data``: a number, nested sequences of numbers (tensors and
    numpy values allowed inside), a numpy array, or a tensor. The dtype is inferred like PyTorch
    (int64 for ints, the default dtype for floats, numpy and tensor dtypes kept, promotion across
    elements); errors for ragged or non-numeric data match PyTorch's."""
    if isinstance(data, Tensor):
        _copy_warning()
        arr = data._read()
        if dtype is not None and dtype.np != arr.dtype:
            arr = arr.astype(dtype.np)
        return _finish(jnp.array(arr), device if device is not None else data.device, requires_grad)
    arr, target = _data_array(data, dtype)
    return _finish(_host_array(arr, target.np), device, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Like ``tensor``, but returns ``data`` itself when it already is a tensor of that dtype/device."""
    if isinstance(data, Tensor):
        if (dtype is None or dtype is data.dtype) and (device is None or Device(device) == data.device):
            return data
        return data.to(dtype=dtype, device=device)
    if isinstance(data, np.ndarray):
        return from_numpy(data).to(dtype=dtype, device=device)
    return tensor(data, dtype=dtype, device=device)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """``torch.asarray``. Differs from PyTorch: numpy arrays are copied, never shared."""
    if copy is False:
        _check_aliasable(obj, dtype)
    t = as_tensor(obj, dtype=dtype, device=device)
    if copy and t is obj:
        t = t.clone()
    if requires_grad and not t.requires_grad:
        _check_requires_grad(t.dtype)
        t = t.detach() if t is obj else t
        t._req = True
    return t


def _check_aliasable(obj, dtype):
    if isinstance(obj, (Tensor, np.ndarray)):
        src = obj.dtype if isinstance(obj, Tensor) else D.from_np(obj.dtype)
        if dtype is not None and dtype is not src:
            raise ValueError(f"can't alias tensor with dtype '{D.ATEN_NAMES[src.name]}' into dtype "
                             f"'{D.ATEN_NAMES[dtype.name]}'.")
        return
    if not isinstance(obj, (np.generic, _bool, _int, _float, _complex)):
        raise ValueError("can't alias arbitrary sequence into a tensor.")


def from_numpy(ndarray):
    """A tensor from a numpy array (its dtype kept). Differs from PyTorch: a copy, not shared memory."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    dtype = _check_numpy(ndarray)
    return wrap(_host_array(ndarray, dtype.np))


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    """A 1-D tensor from a bytes-like object. Differs from PyTorch: a copy, not shared memory."""
    arr = np.frombuffer(buffer, dtype=dtype.np, count=count, offset=offset)
    return _finish(_host_array(arr, arr.dtype), None, requires_grad)


# ---- ranges -------------------------------------------------------------------------------------

def _range_kernel(start, step, *, n, dtype, acc):
    return (jnp.arange(n, dtype=acc) * step + start).astype(dtype)


_arange_op = Op("arange", _range_kernel, differentiable=False)


def _range_number(fn, x):
    x = _num(x)
    if not isinstance(x, (_int, _float, _bool)):
        raise TypeError(f"{fn}() received an invalid combination of arguments - got ({type(x).__name__})")
    return x


def _acc_value(x, dtype):
    """A range endpoint as PyTorch's accumulate type: int64 (truncated) for integer dtypes."""
    if dtype.is_floating_point:
        return _float(x)
    if not math.isfinite(x):
        raise RuntimeError(f"value cannot be converted to type int64_t without overflow")
    v = _int(x)
    if not -2 ** 63 <= v < 2 ** 63:
        raise RuntimeError("value cannot be converted to type int64_t without overflow")
    return v


def _fmt(v):
    return f"{v:g}" if isinstance(v, _float) else str(v)


def _arange_length(start, end, step, xstart, xend, xstep, dtype):
    """PyTorch's element count: exact integer arithmetic for int64, ceil in double otherwise."""
    if dtype is D.int64:
        sgn = 1 if xstep > 0 else -1
        num = xend - xstart + xstep - sgn
        size = abs(num) // abs(xstep) * (1 if (num >= 0) == (xstep > 0) else -1)
    else:
        size_d = math.ceil((_float(end) - _float(start)) / _float(step))
        if size_d > 2 ** 63 - 1:
            raise RuntimeError("invalid size, possible overflow?")
        size = _int(size_d)
    if size < 0:
        raise RuntimeError("invalid size, possible overflow?")
    return size


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False,
           pin_memory=False):
    """Values ``start, start+step, ...`` below ``end``: int64 unless an argument is a float. The
    length and the values follow PyTorch's CPU kernel (integer dtypes truncate the arguments)."""
    start, step = _range_number("arange", start), _range_number("arange", step)
    if end is None:
        start, end = 0, start
    end = _range_number("arange", end)
    if dtype is None:
        dtype = D.get_default_dtype() if any(isinstance(v, _float) for v in (start, end, step)) else D.int64
    if dtype is D.bool or dtype.is_complex:
        raise NotImplementedError(f"\"arange_cpu\" not implemented for '{D.ATEN_NAMES[dtype.name]}'")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {_fmt(start)} -> {_fmt(end)}")
    xstart, xend, xstep = (_acc_value(v, dtype) for v in (start, end, step))
    if xstep == 0:
        raise (RuntimeError if step == 0 else ValueError)("step must be nonzero")
    if (xstep > 0 and xend < xstart) or (xstep < 0 and xend > xstart):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    n = _arange_length(start, end, step, xstart, xend, xstep, dtype)
    acc = np.int64 if not dtype.is_floating_point else (np.float64 if dtype.itemsize >= 4 else np.float32)
    arr = _arange_op.raw(xstart, xstep, n=n, dtype=dtype.np, acc=acc)
    return write_out(out, _finish(arr, device, requires_grad))


def range(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Deprecated ``torch.range``: like arange but includes ``end``; the default dtype unless given."""
    warnings.warn("torch.range is deprecated and will be removed in a future release because its behavior is "
                  "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values "
                  "in [start, end).", UserWarning, stacklevel=2)
    if end is None:
        start, end = 0, start
    start, end, step = (_range_number("range", v) for v in (start, end, step))
    dtype = dtype or D.get_default_dtype()
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    n = _int((end - start) / step) + 1
    acc = np.float64 if dtype.is_floating_point else np.int64
    xstart, xstep = (_acc_value(v, dtype) for v in (start, step))
    return write_out(out, _finish(_arange_op.raw(xstart, xstep, n=n, dtype=dtype.np, acc=acc), device,
                                  requires_grad))


def _bitcast(x, to, xp):
    return x.view(to) if xp is np else jax.lax.bitcast_convert_type(x, to)


def _fma(a, b, c, xp):
    """``a * b + c`` rounded once, in float64, for scalar ``a``, ``c`` and integer-valued ``b`` below 2**26.

    PyTorch's CPU range kernels are compiled with FMA contraction; this reproduces their results
    bit for bit without relying on the compiler (``a`` is split so both partial products are exact,
    then summed with an error-free transformation).
    """
    a = xp.asarray(a, xp.float64)
    hi = _bitcast(_bitcast(a, xp.int64, xp) & ~0x7FFFFFF, xp.float64, xp)
    lo = a - hi
    p1, p2 = hi * b, lo * b
    h = c + p1
    bb = h - c
    err = (c - (h - bb)) + (p1 - bb)
    return h + (err + p2)


def _linspace_kernel(start, end, denom, *, steps, dtype):
    """PyTorch's linspace: start + step*i for the first half, end - step*(steps-1-i) for the rest.

    ``denom`` is ``steps - 1`` passed as a traced value: XLA would turn a division by a constant
    into a multiplication by its reciprocal, which rounds differently.
    """
    kind = np.dtype(dtype)
    i = jnp.arange(steps, dtype=jnp.int64)
    first = i < steps // 2
    k = jnp.where(first, i, steps - 1 - i)
    if kind.kind == "c":
        step = (end - start) / denom.astype(dtype)
        vals = jnp.where(first, start + step * k, end - step * k)
        return vals.astype(dtype)
    if kind.kind in "fV" and kind.itemsize == 2:
        return _linspace_half(start, end, denom, k, first, dtype)
    if kind == np.float32:
        s, e = start.astype(jnp.float32), end.astype(jnp.float32)
        step = ((e - s) / denom.astype(jnp.float32)).astype(jnp.float64)
        kf = k.astype(jnp.float32).astype(jnp.float64)
        vals = jnp.where(first, s.astype(jnp.float64) + step * kf, e.astype(jnp.float64) - step * kf)
        return vals.astype(dtype)
    s, e = start.astype(jnp.float64), end.astype(jnp.float64)
    step = (e - s) / denom.astype(jnp.float64)
    kf = k.astype(jnp.float64)
    vals = jnp.where(first, _fma(step, kf, s, jnp), _fma(-step, kf, e, jnp))
    if kind.kind in "iu":
        vals = jnp.trunc(vals)
    return vals.astype(dtype)


def _linspace_half(start, end, denom, k, first, dtype):
    """float16/bfloat16: every operation rounds to the 16-bit type, as c10::Half arithmetic does."""
    def r(x):
        return x.astype(dtype).astype(jnp.float32)

    s, e = r(start.astype(jnp.float32)), r(end.astype(jnp.float32))
    step = r(r(e - s) / r(denom.astype(jnp.float32)))
    prod = r(step * r(k.astype(jnp.float32)))
    return jnp.where(first, r(s + prod), r(e - prod)).astype(dtype)


_linspace_op = Op("linspace", _linspace_kernel, differentiable=False)


def _space_args(fn, start, end, steps, dtype):
    """Checked (start, end, steps, dtype) for linspace/logspace, with PyTorch's errors."""
    for name, v in (("start", start), ("end", end)):
        if isinstance(v, Tensor) and v.ndim:
            raise RuntimeError(f"{fn} only supports 0-dimensional start and end tensors, but got {name} with "
                               f"{v.ndim} dimension(s).")
    start, end = _num(start), _num(end)
    if isinstance(steps, Tensor) and not (steps.dtype.is_floating_point or steps.dtype.is_complex):
        steps = steps.item()
    if not isinstance(steps, (_int, np.integer)) or isinstance(steps, _bool):
        got = ", ".join(type(v).__name__ for v in (start, end, steps) if v is not None)
        raise TypeError(f"{fn}() received an invalid combination of arguments - got ({got}), but expected one of:"
                        "\n * (Tensor start, Tensor end, int steps, *, Tensor out = None, torch.dtype dtype = None, "
                        "torch.layout layout = None, torch.device device = None, bool pin_memory = False, bool "
                        "requires_grad = False)\n")
    steps = _int(steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    if dtype is None:
        dtype = D.default_complex() if isinstance(start, _complex) or isinstance(end, _complex) \
            else D.get_default_dtype()
    if dtype is D.bool:
        raise NotImplementedError(f"\"{fn}_cpu\" not implemented for 'Bool'")
    return start, end, steps, dtype


def _scalar_as(x, dtype):
    """A Python number converted as Scalar.to<scalar_t>() would (integer dtypes truncate)."""
    if dtype.is_complex:
        return _complex(x)
    if isinstance(x, _complex):
        x = x.real
    if dtype.is_floating_point:
        return _float(x)
    return _acc_value(x, dtype)


def linspace(start, end, steps=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end``, bit-identical to PyTorch's CPU kernel
    (its symmetric formula, its rounding in the target dtype, and its fused multiply-add)."""
    start, end, steps, dtype = _space_args("linspace", start, end, steps, dtype)
    s, e = _scalar_as(start, dtype), _scalar_as(end, dtype)
    if steps <= 1:
        arr = _fill_op.raw(s, shape=(steps,), dtype=dtype.np)
    else:
        arr = _linspace_op.raw(s, e, steps - 1, steps=steps, dtype=dtype.np)
    return write_out(out, _finish(arr, device, requires_grad))


def _logspace_values(start, end, steps, base, dtype):
    """PyTorch's logspace on the host: its exponents in double and the C library's pow, so values
    match bit for bit (numpy's vectorised power does not)."""
    if steps == 1:
        return np.array([math.pow(base, _float(start.real if isinstance(start, _complex) else start))])
    real = np.dtype(np.float64 if dtype.is_complex else dtype.np)
    if dtype.is_complex:
        s, e = np.complex128(start).astype(dtype.np), np.complex128(end).astype(dtype.np)
        step = (e - s) / dtype.np.type(steps - 1)
        i = np.arange(steps)
        exps = np.where(i < steps // 2, s + step * i, e - step * (steps - 1 - i)).astype(dtype.np)
        return np.power(dtype.np.type(base), exps)
    s, e = (np.asarray(_scalar_as(v, dtype)).astype(real) for v in (start, end))
    step = _float(e - s) / (steps - 1)
    i = np.arange(steps, dtype=np.float64)
    exps = np.where(i < steps // 2, _float(s) + step * i, _float(e) - step * (steps - 1 - i))
    return np.array([math.pow(base, x) for x in exps.tolist()])


def logspace(start, end, steps=None, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """``base ** linspace(start, end, steps)``, bit-identical to PyTorch's CPU kernel. The values are
    computed on the host (they depend only on Python numbers) and placed on ``device``."""
    start, end, steps, dtype = _space_args("logspace", start, end, steps, dtype)
    vals = _logspace_values(start, end, steps, _float(base), dtype) if steps else np.zeros(0)
    if dtype.is_floating_point or dtype.is_complex:
        arr = vals.astype(dtype.np)
    else:
        arr = np.trunc(vals).astype(dtype.np)
    return write_out(out, _finish(_host_array(arr, arr.dtype), device, requires_grad))


# ---- eye, triangles, grids ------------------------------------------------------------------------

_eye_op = Op("eye", lambda *, n, m, dtype: jnp.eye(n, m, dtype=dtype), differentiable=False)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    """The ``n`` x ``m`` identity matrix (``m`` defaults to ``n``)."""
    n = _int_arg("eye", "n", 1, n)
    if m is not None:
        if isinstance(m, (_float, _complex)):
            raise TypeError(f"eye() received an invalid combination of arguments - got (int, "
                            f"{type(m).__name__}), but expected one of:\n * (int n, *, Tensor out = None, torch.dtype "
                            "dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = "
                            "False, bool requires_grad = False)\n * (int n, int m, *, Tensor out = None, torch.dtype "
                            "dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = "
                            "False, bool requires_grad = False)\n")
        m = _int_arg("eye", "m", 2, m)
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    m = n if m is None else m
    dtype = dtype or D.get_default_dtype()
    return write_out(out, _finish(_eye_op.raw(n=n, m=m, dtype=dtype.np), device, requires_grad))


_tril_op = Op("tril", lambda a, *, k: jnp.tril(a, k), saves=())
_triu_op = Op("triu", lambda a, *, k: jnp.triu(a, k), saves=())


def _check_2d(input, name):
    _check_tensor_arg(name, input)
    if input.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")


def tril(input, diagonal=0, *, out=None):
    """Lower triangle of the last two dims (the rest zeroed); ``diagonal`` shifts the boundary."""
    _check_2d(input, "tril")
    return write_out(out, _tril_op(input, k=_int_arg("tril", "diagonal", 2, diagonal)))


def triu(input, diagonal=0, *, out=None):
    """Upper triangle of the last two dims (the rest zeroed); ``diagonal`` shifts the boundary."""
    _check_2d(input, "triu")
    return write_out(out, _triu_op(input, k=_int_arg("triu", "diagonal", 2, diagonal)))


def _tri_indices(fn, row, col, offset, dtype, device):
    row, col = _int_arg(fn, "row", 1, row), _int_arg(fn, "col", 2, col)
    offset = _int_arg(fn, "offset", 3, offset)
    dtype = dtype or D.int64
    if dtype not in (D.int32, D.int64):
        raise NotImplementedError(f"\"{fn}\" not implemented for '{D.ATEN_NAMES[dtype.name]}'")
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    r, c = (np.tril_indices if fn == "tril_indices" else np.triu_indices)(row, offset, col)
    return _finish(_host_array(np.stack([r, c]).reshape(2, -1), dtype.np), device, False)


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """Indices (2 x N, row-major order) of the lower triangle of a ``row`` x ``col`` matrix."""
    return _tri_indices("tril_indices", row, col, offset, dtype, device)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """Indices (2 x N, row-major order) of the upper triangle of a ``row`` x ``col`` matrix."""
    return _tri_indices("triu_indices", row, col, offset, dtype, device)


def meshgrid(*tensors, indexing=None):
    """Coordinate grids (views) from 0-D/1-D tensors; ``indexing='ij'`` (the default) or ``'xy'``."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}")
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: " + repr(t))
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
        if t.device != tensors[0].device:
            raise RuntimeError("meshgrid expects all tensors to have the same device")
    flat = [t.reshape(-1) for t in tensors]
    n = len(flat)
    swap = indexing == "xy" and n >= 2
    sizes = [f.shape[0] for f in flat]
    if swap:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for i, f in enumerate(flat):
        shape = [1] * n
        shape[1 - i if swap and i < 2 else i] = -1
        out.append(f.view(shape).expand(sizes))
    return tuple(out)


def complex(real, imag, *, out=None):
    """A complex tensor from real and imaginary parts."""
    from .pointwise import _complex_op

    return write_out(out, _complex_op(real, imag))


def polar(abs, angle, *, out=None):
    """A complex tensor ``abs * exp(i * angle)``."""
    from .pointwise import _polar_op

    return write_out(out, _polar_op(abs, angle))


# ---- legacy constructors and new_* methods ------------------------------------------------------

def _alias(t):
    """A new tensor object sharing ``t``'s data (what the legacy constructors return for a tensor)."""
    a = t.detach()
    a._vc = [0]
    return a


def legacy_construct(dtype, args, device, fn="new", strict=True):
    """``torch.FloatTensor(...)`` / ``x.new(...)``: no args (empty), sizes (zeros; PyTorch leaves
    them uninitialised), a sequence or numpy array (converted to ``dtype``), or a tensor (an alias;
    ``strict`` requires its dtype to be ``dtype``)."""
    if not args:
        return _filled((0,), 0, dtype, device, False)
    if len(args) == 1:
        a = args[0]
        if isinstance(a, Tensor):
            if strict and a.dtype is not dtype:
                raise TypeError(f"expected {dtype!r} (got {a.dtype!r})")
            return _alias(a)
        if isinstance(a, Size):
            return _filled(_check_negative("new", tuple(a)), 0, dtype, device, False)
        if isinstance(a, np.ndarray) or _is_sequence(a) and not isinstance(a, (str, bytes)):
            return tensor(a, dtype=dtype, device=device)
        if not isinstance(a, (_int, np.integer)) or isinstance(a, _bool):
            raise TypeError(f"{fn}(): data must be a sequence (got {type(a).__name__})")
    shape = tuple(_size_element(fn, s, i + 1) for i, s in enumerate(args))
    return _filled(_check_negative(fn, shape), 0, dtype, device, False)


def legacy_new(cls, args, device):
    """``torch.Tensor(...)`` (the legacy constructor): a tensor of the default dtype, or an alias of a
    tensor argument; for a Tensor subclass, an instance of that class sharing the result's data."""
    t = legacy_construct(D.get_default_dtype(), args, device, strict=False)
    if cls is Tensor:
        return t
    out = object.__new__(cls)
    for slot in ("_st", "_arr", "_ver", "_view", "_base", "_vc", "_grad_fn", "_out_nr", "_req", "_grad", "_acc",
                 "_gver"):
        setattr(out, slot, getattr(t, slot))
    return out


def _new(self, *args, device=None):
    """``x.new(...)``: the legacy constructor with ``x``'s dtype and device."""
    return legacy_construct(self.dtype, args, device if device is not None else self.device)


def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
    """``tensor(data)`` with this tensor's dtype and device by default."""
    if isinstance(data, Tensor):
        _copy_warning()
        arr = data._read().astype((dtype or self.dtype).np)
        return _finish(jnp.array(arr), device if device is not None else self.device, requires_grad)
    return tensor(data, dtype=dtype or self.dtype, device=device if device is not None else self.device,
                  requires_grad=requires_grad)


def _new_factory(self, fn, value, args, size, dtype, device, requires_grad):
    shape = size_args(fn, args, size)
    return _filled(shape, value, dtype or self.dtype, device if device is not None else self.device, requires_grad)


def new_zeros(self, *sizes, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False,
              size=None):
    """Zeros of ``size`` with this tensor's dtype and device by default."""
    return _new_factory(self, "new_zeros", 0, sizes, size, dtype, device, requires_grad)


def new_ones(self, *sizes, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False,
             size=None):
    """Ones of ``size`` with this tensor's dtype and device by default."""
    return _new_factory(self, "new_ones", 1, sizes, size, dtype, device, requires_grad)


def new_empty(self, *sizes, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False,
              size=None):
    """Like ``new_zeros`` (jtorch's empty tensors are zeros)."""
    return _new_factory(self, "new_empty", 0, sizes, size, dtype, device, requires_grad)


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None,
             pin_memory=False):
    """``full`` with this tensor's dtype and device by default."""
    shape = _size_seq("new_full", size)
    dtype = dtype or self.dtype
    value = _fill_scalar(_fill_value("new_full", fill_value), dtype)
    return _filled(shape, value, dtype, device if device is not None else self.device, requires_grad)


for _name in ("new_tensor", "new_zeros", "new_ones", "new_empty", "new_full"):
    setattr(Tensor, _name, globals()[_name])
Tensor.new = _new
Tensor.tril = tril
Tensor.triu = triu
Tensor.tril_ = lambda self, diagonal=0: self._inplace_from(tril(self, diagonal), "TrilBackward0")
Tensor.triu_ = lambda self, diagonal=0: self._inplace_from(triu(self, diagonal), "TriuBackward0")
