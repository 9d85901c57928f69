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
    "int8", "int16", "short", "int32", "int", "int64", "long", "uint8", "uint16", "uint32", "uint64", "bool",
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
        """The real counterpart of a complex dtype (``complex64 -> float32``); other dtypes map to themselves."""
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    def to_complex(self):
        """The complex counterpart of a floating dtype (``float32 -> complex64``).

        Differs from PyTorch: float16 maps to complex64 (jtorch has no complex32).
        """
        if self.is_complex:
            return self
        if not self.is_floating_point:
            raise RuntimeError(f"Unknown Complex ScalarType for {ATEN_NAMES[self.name]}")
        return complex128 if self is float64 else complex64


def _by_name(name):
    return _NAMES[name]


bool = dtype("bool", np.bool_, 0)
uint8 = dtype("uint8", np.uint8, 1)
int8 = dtype("int8", np.int8, 1)
int16 = dtype("int16", np.int16, 1)
int32 = dtype("int32", np.int32, 1)
int64 = dtype("int64", np.int64, 1)
uint16 = dtype("uint16", np.uint16, 1)
uint32 = dtype("uint32", np.uint32, 1)
uint64 = dtype("uint64", np.uint64, 1)
float16 = dtype("float16", np.float16, 2)
bfloat16 = dtype("bfloat16", ml_dtypes.bfloat16, 2)
float32 = dtype("float32", np.float32, 2)
float64 = dtype("float64", np.float64, 2)
complex64 = dtype("complex64", np.complex64, 3)
complex128 = dtype("complex128", np.complex128, 3)
half, float, double = float16, float32, float64
short, int, long = int16, int32, int64
cfloat, cdouble = complex64, complex128

ALL = (bool, uint8, int8, int16, int32, int64, uint16, uint32, uint64, float16, bfloat16, float32, float64,
       complex64, complex128)
_BAREBONES_UNSIGNED = (uint16, uint32, uint64)
ATEN_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16", "int64": "Long",
              "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "uint16": "UInt16",
              "uint32": "UInt32", "uint64": "UInt64", "bool": "Bool", "complex64": "ComplexFloat",
              "complex128": "ComplexDouble"}
_NAMES = {d.name: d for d in ALL}
_FROM_NP = {d.np: d for d in ALL}

_default = [float32]


def from_np(np_dtype):
    """The jtorch dtype of a numpy/JAX dtype; TypeError (PyTorch's message) for types torch lacks."""
    try:
        return _FROM_NP[np_dtype]
    except KeyError:
        pass
    try:
        return _FROM_NP[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).type.__name__}. The only supported types "
            "are: float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, uint32, "
            "uint16, uint8, and bool.") from None


def _arg_check(fn, name, pos, value):
    if not isinstance(value, dtype):
        raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be torch.dtype, not {type(value).__name__}")


def get_default_dtype():
    """The dtype Python floats and float factories get (float32 unless changed)."""
    return _default[0]


def set_default_dtype(d):
    """Set the default float dtype (float32, float64, float16 or bfloat16), like ``torch.set_default_dtype``."""
    if not isinstance(d, dtype):
        raise TypeError("invalid dtype object: only floating-point types are supported as the default type")
    if not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default[0] = d


def default_complex():
    """The dtype Python complex numbers get: complex128 when the default dtype is float64, else complex64.

    Differs from PyTorch: a float16 default gives complex64 (PyTorch: complex32, which jtorch lacks).
    """
    if _default[0] is bfloat16:
        raise RuntimeError("invalid default scalar type for complex")
    return complex128 if _default[0] is float64 else complex64


def _float_width(d):
    return {"float16": 16, "bfloat16": 16, "float32": 32, "float64": 64,
            "complex64": 32, "complex128": 64}[d.name]


def promote_types(a, b):
    """The smallest dtype both ``a`` and ``b`` can be cast to, by torch's table."""
    if a is b:
        return a
    _arg_check("promote_types", "type1", 1, a)
    _arg_check("promote_types", "type2", 2, b)
    if a in _BAREBONES_UNSIGNED or b in _BAREBONES_UNSIGNED:
        return _promote_barebones_unsigned(a, b)
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


def _promote_barebones_unsigned(a, b):
    """uint16/32/64 promote only with floating types (to the float), as in c10."""
    if a.is_floating_point:
        return a
    if b.is_floating_point:
        return b
    raise RuntimeError("Promotion for uint16, uint32, uint64 types is not supported, attempted to promote "
                       f"{ATEN_NAMES[a.name]} and {ATEN_NAMES[b.name]}")


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
    for kind in (builtins.int, builtins.float, builtins.complex):
        if isinstance(value, kind):
            return scalar_dtype(kind(value))
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


_NUMBERS = (builtins.bool, builtins.int, builtins.float, builtins.complex, np.number, np.bool_)


def result_type(tensor, other):
    """``torch.result_type``: the dtype an arithmetic op on the two arguments (tensors or numbers) produces."""
    from ._tensor import Tensor

    dims, zeros, scalars = [], [], []
    for x in (tensor, other):
        if isinstance(x, Tensor):
            (dims if x.ndim else zeros).append(x.dtype)
        elif isinstance(x, _NUMBERS):
            scalars.append(scalar_dtype(x))
        else:
            got = ", ".join("Tensor" if isinstance(y, Tensor) else type(y).__name__ for y in (tensor, other))
            raise TypeError(f"result_type() received an invalid combination of arguments - got ({got}), but "
                            "expected one of:\n * (Tensor tensor, Tensor other)\n * (Number scalar, Tensor tensor)\n"
                            " * (Tensor tensor, Number other)\n * (Number scalar1, Number scalar2)\n")
    return result_type_of(dims, zeros, scalars)


def can_cast(from_, to):
    """``torch.can_cast``: whether an in-place op may write ``from_`` values into ``to`` (no category demotion)."""
    _arg_check("can_cast", "from_", 1, from_)
    _arg_check("can_cast", "to", 2, to)
    return category(from_) <= category(to)


def is_floating_point(t):
    """``torch.is_floating_point``."""
    return t.dtype.is_floating_point


def is_complex(t):
    """``torch.is_complex``."""
    return t.dtype.is_complex


_DEFAULT = object()


class finfo:
    """``torch.finfo``: machine limits of a floating (or complex) dtype; the default dtype when omitted."""

    __module__ = "jtorch"

    def __init__(self, type=_DEFAULT):
        if type is _DEFAULT:
            type = _default[0]
        _arg_check("finfo", "type", 1, type)
        if not (type.is_floating_point or type.is_complex):
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            "'torch.finfo'")
        info = ml_dtypes.finfo(type.to_real().np)
        self.bits = info.bits
        self.eps = builtins.float(info.eps)
        self.max = builtins.float(info.max)
        self.min = builtins.float(info.min)
        self.tiny = self.smallest_normal = builtins.float(info.tiny)
        self.resolution = 10.0 ** -info.precision
        self.dtype = type.to_real().name

    def __eq__(self, other):
        return isinstance(other, finfo) and self.dtype == other.dtype

    __hash__ = None

    def __repr__(self):
        return (f"finfo(resolution={self.resolution}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.tiny:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """``torch.iinfo``: limits of an integer dtype."""

    __module__ = "jtorch"

    def __init__(self, type):
        _arg_check("iinfo", "type", 1, type)
        if type is bool:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if type.is_floating_point or type.is_complex:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        info = np.iinfo(type.np)
        self.bits, self.max, self.min, self.dtype = info.bits, builtins.int(info.max), builtins.int(info.min), type.name

    def __eq__(self, other):
        return isinstance(other, iinfo) and self.dtype == other.dtype

    __hash__ = None

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"
