"""Distances: ``cosine_similarity``, ``pairwise_distance``, ``pdist``.

Norms use jtorch's vector-norm kernel, so gradients follow PyTorch's norm conventions (0 at a zero
vector). ``cosine_similarity`` clamps each norm to ``eps`` without a gradient through the clamp,
exactly as ATen does (clamp in place under no_grad).
"""
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..._ops.common import broadcast_shapes, result_dtype, wrap_dim
from ..._ops.dispatch import Op
from ..._ops.reduction import _vector_norm_kernel
from ..._tensor import scalar_type_name
from ._util import check_tensor

__all__ = ["cosine_similarity", "pairwise_distance", "pdist", "vector_norm_kernel"]


def vector_norm_kernel(a, p, axis, keepdims=False):
    """``||a||_p`` over ``axis`` with PyTorch's gradient conventions."""
    return _vector_norm_kernel(a, p=float(p), axis=axis, keepdims=keepdims, dtype=None)


def _clamped_norm(x, dim, eps):
    n = vector_norm_kernel(x, 2, (dim,), True)
    return n + lax.stop_gradient(jnp.maximum(n, eps) - n)


def _cosine_kernel(x1, x2, eps, *, dim, dtype):
    x1, x2 = x1.astype(dtype), x2.astype(dtype)
    shape = jnp.broadcast_shapes(x1.shape, x2.shape)
    x1, x2 = jnp.broadcast_to(x1, shape), jnp.broadcast_to(x2, shape)
    return jnp.sum((x1 / _clamped_norm(x1, dim, eps)) * (x2 / _clamped_norm(x2, dim, eps)), axis=dim)


def _pairwise_kernel(x1, x2, eps, *, p, dim, keepdim, dtype):
    diff = x1.astype(dtype) - x2.astype(dtype) + eps
    return vector_norm_kernel(diff, p, (dim,), keepdim)


def _pdist_kernel(x, *, p):
    rows, cols = np.triu_indices(x.shape[0], 1)
    diff = jnp.take(x, rows, axis=0) - jnp.take(x, cols, axis=0)
    return vector_norm_kernel(diff, p, (1,))


_cosine_op = Op("cosine_similarity", _cosine_kernel, grad_name="SumBackward1")
_pairwise_op = Op("pairwise_distance", _pairwise_kernel, grad_name="NormBackward1")
_pdist_op = Op("pdist", _pdist_kernel, grad_name="PdistBackward0")


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """``<x1, x2> / (max(||x1||, eps) * max(||x2||, eps))`` along ``dim`` (inputs broadcast)."""
    check_tensor(x1, "cosine_similarity", "x1")
    check_tensor(x2, "cosine_similarity", "x2", 2)
    d = result_dtype(x1, x2)
    if not d.is_floating_point:
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{scalar_type_name(d)}")
    shape = broadcast_shapes(tuple(x1.shape), tuple(x2.shape))
    return _cosine_op(x1, x2, eps, dim=wrap_dim(dim, len(shape)), dtype=d.np)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """``||x1 - x2 + eps||_p`` over the last dim (inputs broadcast)."""
    check_tensor(x1, "pairwise_distance", "x1")
    check_tensor(x2, "pairwise_distance", "x2", 2)
    shape = broadcast_shapes(tuple(x1.shape), tuple(x2.shape))
    d = result_dtype(x1, x2)
    if not (d.is_floating_point or d.is_complex):
        from ... import _dtype as D

        d = D.get_default_dtype()
    dim = max(len(shape) - 1, 0)
    return _pairwise_op(x1, x2, eps, p=float(p), dim=dim, keepdim=bool(keepdim), dtype=d.np)


def pdist(input, p=2):
    """The ``p``-norm distances between all row pairs ``i < j`` of a 2-D input, in row-major pair order."""
    check_tensor(input, "pdist")
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    if not input.dtype.is_floating_point:
        raise RuntimeError("pdist only supports floating-point dtypes")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    return _pdist_op(input, p=float(p))
