"""Legacy tensor types: ``torch.FloatTensor(2, 3)``, ``isinstance(x, torch.LongTensor)``,
``x.type('torch.DoubleTensor')``, and ``torch.autograd.Variable``."""
from . import _dtype as D
from ._tensor import Tensor

__all__ = ["FloatTensor", "DoubleTensor", "HalfTensor", "BFloat16Tensor", "LongTensor", "IntTensor",
           "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor", "dtype_of_type_name"]


class _LegacyMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls._legacy_dtype

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"


def _legacy(name, dtype):
    return _LegacyMeta(name, (Tensor,), {"_legacy_dtype": dtype, "__slots__": (), "__module__": "jtorch",
                                         "__doc__": f"Legacy constructor of {dtype!r} tensors."})


FloatTensor = _legacy("FloatTensor", D.float32)
DoubleTensor = _legacy("DoubleTensor", D.float64)
HalfTensor = _legacy("HalfTensor", D.float16)
BFloat16Tensor = _legacy("BFloat16Tensor", D.bfloat16)
LongTensor = _legacy("LongTensor", D.int64)
IntTensor = _legacy("IntTensor", D.int32)
ShortTensor = _legacy("ShortTensor", D.int16)
CharTensor = _legacy("CharTensor", D.int8)
ByteTensor = _legacy("ByteTensor", D.uint8)
BoolTensor = _legacy("BoolTensor", D.bool)

_BY_NAME = {f"torch.{c.__name__}": c._legacy_dtype for c in (
    FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor, LongTensor, IntTensor, ShortTensor, CharTensor, ByteTensor,
    BoolTensor)}


def dtype_of_type_name(name):
    """The dtype of a legacy type name like ``'torch.FloatTensor'`` (``torch.cuda.`` accepted)."""
    key = name.replace("torch.cuda.", "torch.")
    if key not in _BY_NAME:
        raise ValueError(f"invalid type: '{name}'")
    return _BY_NAME[key]
