"""Argument helpers shared by the ``nn.functional`` families: tuple expansion, reductions,
dtype names and input checks, each raising PyTorch's error."""
import warnings

import jax.numpy as jnp

from ..._tensor import Tensor

__all__ = ["ntuple", "check_tensor", "reduction_of", "legacy_reduction", "reduce_loss", "ctype", "size_str"]

_CTYPE = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int", "int16": "short int",
          "int8": "signed char", "uint8": "unsigned char", "bool": "bool", "float16": "c10::Half",
          "bfloat16": "c10::BFloat16", "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


def ctype(d):
    """The C++ type name PyTorch prints for dtype ``d`` (``float``, ``double``, ``long int``)."""
    return _CTYPE.get(d.name, d.name)


def size_str(shape):
    """``[2, 3]``: a shape as PyTorch prints it inside messages."""
    return "[" + ", ".join(str(int(s)) for s in shape) + "]"


def ntuple(value, n, name, fn="convolution"):
    """Expand an int (or a 1-sequence) to ``n`` ints; a sequence of another length raises like ATen."""
    if isinstance(value, Tensor):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        vals = tuple(int(v) for v in value)
        if len(vals) == 1:
            return vals * n
        if len(vals) != n:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} values to match the "
                               f"{fn} dimensions, but got {name}={size_str(vals)}")
        return vals
    return (int(value),) * n


def check_tensor(x, fn, arg="input", pos=1):
    """PyTorch's TypeError when ``x`` is not a Tensor."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be Tensor, not {type(x).__name__}")


def legacy_reduction(size_average, reduce):
    """``reduction`` from the deprecated ``size_average``/``reduce`` flags, with PyTorch's warning."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "mean" if size_average and reduce else ("sum" if reduce else "none")
    warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{ret}' instead.",
                  stacklevel=3)
    return ret


def reduction_of(size_average, reduce, reduction):
    """The effective reduction string, validated like ``torch.nn._reduction.get_enum``."""
    if size_average is not None or reduce is not None:
        return legacy_reduction(size_average, reduce)
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
                      stacklevel=3)
        return "mean"
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def reduce_loss(loss, reduction):
    """Apply ``'none'``/``'mean'``/``'sum'`` to an elementwise loss array (inside a kernel)."""
    if reduction == "mean":
        return jnp.mean(loss)
    if reduction == "sum":
        return jnp.sum(loss)
    return loss
