"""dtype objects, PyTorch's type-promotion rules and the default dtype.

A :class:`dtype` wraps a numpy dtype (JAX's dtypes are numpy dtypes, with
``ml_dtypes.bfloat16`` for bfloat16). Promotion follows ``c10``'s table, not numpy's:
an integer tensor combined with a float tensor takes the float's type, float16 with
bfloat16 gives float32, and Python scalars / 0-d tensors only promote across categories
(``int8_tensor + 1000`` stays int8, ``int64_tensor + 1.5`` is float32).
"""
import builtins

import ml_dtypes
import numpy as np

__all__ = [
    "dtype", "float16", "half", "bfloat16", "float32", "float", "float64", "double",
    "int8", "int16", "short", "int32", "int", "int64", "long", "uint8", "bool",
    "complex64", "cfloat", "complex128", "cdouble",
    "get_default_dtype", "set_default_dtype", "promote_types", "result_type",
    "can_cast", "finfo", "iinfo", "is_floating_point", "is_complex",
]


class dtype:
    """A tensor element type, like ``torch.dtype``. Compare with ``==`` or ``is``."""

    __slots__ = ("name", "np", "itemsize", "is_floating_point", "is_complex", "is_signed", "_rank")

    def __init__(self, name, np_dtype, rank):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.itemsize = self.np.itemsize
        kind = self.np.kind
        self.is_complex = kind == "c"
        self.is_floating_point = kind == "f" or name == "bfloat16"
        self.is_signed = kind in "fc" or kind == "i" or name == "bfloat16"
        self._rank = rank

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        return (_by_name, (self.name,))

    def to_real(self):
        """The real counterpart of a complex dtype (``complex64 -> float32``)."""
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    def to_complex(self):
        """The complex counterpart of a float dtype (``float32 -> complex64``)."""
        return {"float16": complex64, "bfloat16": complex64, "float32": complex64,
                "float64": complex128}.get(self.name, self)


def _by_name(name):
    return _NAMES[name]


bool = dtype("bool", np.bool_, 0)
uint8 = dtype("uint8", np.uint8, 1)
int8 = dtype("int8", np.int8, 1)
int16 = dtype("int16", np.int16, 1)
int32 = dtype("int32", np.int32, 1)
int64 = dtype("int64", np.int64, 1)
float16 = dtype("float16", np.float16, 2)
bfloat16 = dtype("bfloat16", ml_dtypes.bfloat16, 2)
float32 = dtype("float32", np.float32, 2)
float64 = dtype("float64", np.float64, 2)
complex64 = dtype("complex64", np.complex64, 3)
complex128 = dtype("complex128", np.complex128, 3)
half, float, double = float16, float32, float64
short, int, long = int16, int32, int64
cfloat, cdouble = complex64, complex128

ALL = (bool, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64,
       complex64, complex128)
_NAMES = {d.name: d for d in ALL}
_FROM_NP = {d.np: d for d in ALL}

_default = [float32]


def from_np(np_dtype):
    """The jtorch dtype of a numpy/JAX dtype; TypeError for types torch lacks."""
    try:
        return _FROM_NP[np_dtype]
    except KeyError:
        pass
    try:
        return _FROM_NP[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError(
            f"can't convert np.ndarray of type {np.dtype(np_dtype)}. The only supported types are: "
            "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint8, and bool."
        ) from None


def get_default_dtype():
    """The dtype Python floats and float factories get (float32 unless changed)."""
    return _default[0]


def set_default_dtype(d):
    """Set the default float dtype; like torch, only float32/float64/float16/bfloat16."""
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default[0] = d


def default_complex():
    return complex128 if _default[0] is float64 else complex64


def _float_width(d):
    return {"float16": 16, "bfloat16": 16, "float32": 32, "float64": 64,
            "complex64": 32, "complex128": 64}[d.name]


def promote_types(a, b):
    """The smallest dtype both ``a`` and ``b`` can be cast to, by torch's table."""
    if a is b:
        return a
    if a._rank < b._rank:
        a, b = b, a
    if a._rank <= 1:
        if b is bool:
            return a
        return _FROM_NP[np.promote_types(a.np, b.np)]
    if b._rank <= 1:
        return a
    wa, wb = _float_width(a), _float_width(b)
    width = max(wa, wb)
    if wa == wb == 16:
        width = 32
    if a.is_complex or b.is_complex:
        return complex128 if width == 64 else complex64
    if width == 16:
        return a
    return float64 if width == 64 else float32


def category(d):
    """0 bool, 1 integer, 2 floating, 3 complex."""
    return d._rank


def _combine(higher, lower):
    """c10's combine_categories: ``higher`` has priority, ``lower`` may raise the category."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.is_complex:
        return higher
    if lower.is_complex:
        return higher.to_complex() if higher.is_floating_point else lower
    if higher.is_floating_point:
        return higher
    if higher is bool or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def scalar_dtype(value):
    """The dtype torch gives a bare Python number in promotion."""
    t = type(value)
    if t is builtins.bool:
        return bool
    if t is builtins.int:
        return int64
    if t is builtins.float:
        return _default[0]
    if t is builtins.complex:
        return default_complex()
    if isinstance(value, np.generic):
        return scalar_dtype(value.item())
    raise TypeError(f"unsupported scalar type {t.__name__}")


def result_type_of(dims, zeros, scalars):
    """torch's result_type from the dtypes of dimensioned tensors, 0-d tensors and scalars."""
    dim_r = zero_r = wrap_r = None
    for d in dims:
        dim_r = d if dim_r is None else promote_types(dim_r, d)
    for d in zeros:
        zero_r = d if zero_r is None else promote_types(zero_r, d)
    for d in scalars:
        wrap_r = d if wrap_r is None else promote_types(wrap_r, d)
    return _combine(dim_r, _combine(zero_r, wrap_r))


def result_type(tensor1, tensor2):
    """``torch.result_type``: the dtype an arithmetic op on the two arguments produces."""
    from ._tensor import Tensor

    dims, zeros, scalars = [], [], []
    for x in (tensor1, tensor2):
        if isinstance(x, Tensor):
            (dims if x.ndim else zeros).append(x.dtype)
        else:
            scalars.append(scalar_dtype(x))
    return result_type_of(dims, zeros, scalars)


def can_cast(from_, to):
    """``torch.can_cast``: whether an in-place op may write ``from_`` values into ``to``."""
    return category(from_) <= category(to)


def is_floating_point(t):
    """``torch.is_floating_point``."""
    return t.dtype.is_floating_point


def is_complex(t):
    """``torch.is_complex``."""
    return t.dtype.is_complex


class finfo:
    """``torch.finfo``: machine limits of a floating dtype (default dtype when omitted)."""

    def __init__(self, type=None):
        type = type or _default[0]
        if not (type.is_floating_point or type.is_complex):
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'")
        info = ml_dtypes.finfo(type.to_real().np)
        self.bits = info.bits
        self.eps = builtins.float(info.eps)
        self.max = builtins.float(info.max)
        self.min = builtins.float(info.min)
        self.tiny = self.smallest_normal = builtins.float(info.tiny)
        self.resolution = builtins.float(info.resolution)
        self.dtype = type.to_real().name

    def __repr__(self):
        return (f"finfo(resolution={self.resolution}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.tiny:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """``torch.iinfo``: limits of an integer dtype."""

    def __init__(self, type):
        if type.is_floating_point or type.is_complex or type is bool:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        info = np.iinfo(type.np)
        self.bits, self.max, self.min, self.dtype = info.bits, builtins.int(info.max), builtins.int(info.min), type.name

    def __repr__(self):
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"
