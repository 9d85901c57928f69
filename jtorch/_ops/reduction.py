"""Reductions: sum, mean, ... over all elements or over ``dim`` (with ``keepdim``)."""
import jax.numpy as jnp

from .. import _dtype as D
from .._tensor import Tensor
from .common import wrap_dims, write_out
from .dispatch import Op

__all__ = ["sum", "mean"]


def _dims(input, dim):
    """Normalised reduction dims (None: all)."""
    if dim is None or (isinstance(dim, (list, tuple)) and len(dim) == 0):
        return None
    return wrap_dims(dim, input.ndim)


_sum_op = Op("sum", lambda a, *, axis, keepdims, dtype: jnp.sum(a, axis=axis, keepdims=keepdims, dtype=dtype),
             saves=())
_mean_op = Op("mean", lambda a, *, axis, keepdims, dtype: jnp.mean(a, axis=axis, keepdims=keepdims, dtype=dtype),
              saves=())


def _sum_dtype(input, dtype):
    if dtype is not None:
        return dtype
    d = input.dtype
    return D.int64 if not (d.is_floating_point or d.is_complex) else d


def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Sum of all elements, or over ``dim``; integer and bool inputs sum to int64."""
    if isinstance(dim, D.dtype):
        dim, dtype = None, dim
    res = _sum_op(input, axis=_dims(input, dim), keepdims=bool(keepdim), dtype=_sum_dtype(input, dtype).np)
    return write_out(out, res)


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Mean of all elements, or over ``dim``; needs a floating or complex dtype."""
    d = dtype or input.dtype
    if not (d.is_floating_point or d.is_complex):
        from .._tensor import scalar_type_name

        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point or "
                           f"complex dtype. Got: {scalar_type_name(d)}")
    res = _mean_op(input, axis=_dims(input, dim), keepdims=bool(keepdim), dtype=d.np)
    return write_out(out, res)


Tensor.sum = sum
Tensor.mean = mean
