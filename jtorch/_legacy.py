"""Legacy tensor types: ``torch.FloatTensor(2, 3)``, ``torch.LongTensor([1, 2])``,
``isinstance(x, torch.FloatTensor)``, ``x.type(torch.DoubleTensor)`` and ``x.type('torch.DoubleTensor')``.

As in PyTorch, these are not Tensor subclasses: calling one returns a plain ``Tensor`` of its
dtype, and ``isinstance`` checks the dtype (and device type). ``torch.cuda.FloatTensor`` and
friends live in ``jtorch.cuda``.
"""
from . import _dtype as D
from ._tensor import Tensor

__all__ = ["FloatTensor", "DoubleTensor", "HalfTensor", "BFloat16Tensor", "LongTensor", "IntTensor",
           "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"]


class _LegacyType(type):
    """Metaclass of the legacy types: construction and ``isinstance`` by dtype and device type."""

    def __call__(cls, *args, device=None):
        from ._device import gpu_devices
        from ._ops.creation import legacy_construct

        if cls.is_cuda:
            if not gpu_devices():
                raise TypeError(f"type {cls.__module__}.{cls.__name__} not available. Torch not compiled with "
                                "CUDA enabled.")
            device = device if device is not None else "cuda"
        return legacy_construct(cls.dtype, args, device)

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls.dtype and (obj.device.type == "cuda") == cls.is_cuda

    def __repr__(cls):
        return f"<class '{cls.__module__}.{cls.__name__}'>"


_NAMES = {"Float": D.float32, "Double": D.float64, "Half": D.float16, "BFloat16": D.bfloat16, "Long": D.int64,
          "Int": D.int32, "Short": D.int16, "Char": D.int8, "Byte": D.uint8, "Bool": D.bool}


def make_type(name, module):
    """The legacy type ``{module}.{name}Tensor`` (module ``torch`` or ``torch.cuda``)."""
    dtype = _NAMES[name]
    return _LegacyType(f"{name}Tensor", (), {
        "dtype": dtype, "is_cuda": module == "torch.cuda", "__module__": module,
        "__doc__": f"Legacy constructor of {dtype!r} tensors: sizes, a sequence, or a {dtype!r} tensor."})


FloatTensor = make_type("Float", "torch")
DoubleTensor = make_type("Double", "torch")
HalfTensor = make_type("Half", "torch")
BFloat16Tensor = make_type("BFloat16", "torch")
LongTensor = make_type("Long", "torch")
IntTensor = make_type("Int", "torch")
ShortTensor = make_type("Short", "torch")
CharTensor = make_type("Char", "torch")
ByteTensor = make_type("Byte", "torch")
BoolTensor = make_type("Bool", "torch")


def parse_type(t):
    """(dtype, device type) of a legacy type, a legacy type name ('torch.cuda.FloatTensor') or
    ``torch.Tensor`` (the default dtype); ValueError ``invalid type`` otherwise, like PyTorch."""
    if isinstance(t, _LegacyType):
        return t.dtype, "cuda" if t.is_cuda else "cpu"
    if t is Tensor:
        return D.get_default_dtype(), "cpu"
    if isinstance(t, str):
        for prefix, device in (("torch.cuda.", "cuda"), ("torch.", "cpu")):
            name = t[len(prefix):] if t.startswith(prefix) else ""
            if name.endswith("Tensor") and name[:-len("Tensor")] in _NAMES:
                return _NAMES[name[:-len("Tensor")]], device
        raise ValueError(f"invalid type: '{t}'")
    name = getattr(t, "__name__", type(t).__name__)
    module = getattr(t, "__module__", "builtins")
    raise ValueError(f"invalid type: '{name if module == 'builtins' else module + '.' + name}'")
