"""Sliding-window helpers over the trailing ``n`` dims of an array (inside kernels): the
strided slices of every kernel offset (im2col, pooling) and their scatter-add inverse (col2im)."""
import itertools

import jax.numpy as jnp
from jax import lax

__all__ = ["patches", "fold_patches", "pad_trailing"]


def pad_trailing(x, pads, value):
    """Pad the trailing ``len(pads)`` dims of ``x`` by ``(lo, hi)`` pairs with ``value``."""
    lead = [(0, 0, 0)] * (x.ndim - len(pads))
    return lax.pad(x, jnp.asarray(value, x.dtype), lead + [(lo, hi, 0) for lo, hi in pads])


def _offset_slices(nd, kernel, stride, dilation, out):
    """For each kernel offset (row-major), the strided slice it reads in the padded input."""
    for offs in itertools.product(*[range(k) for k in kernel]):
        yield tuple(slice(o * d, o * d + s * (n - 1) + 1, s)
                    for o, d, s, n in zip(offs, dilation, stride, out))


def patches(x, kernel, stride, dilation, out):
    """``(..., K, *out)``: the window values of an already padded ``x`` for each of the ``K``
    kernel offsets (row-major order, PyTorch's im2col order)."""
    n = len(kernel)
    lead = (slice(None),) * (x.ndim - n)
    cols = [x[lead + sl] for sl in _offset_slices(n, kernel, stride, dilation, out)]
    return jnp.stack(cols, axis=x.ndim - n)


def fold_patches(cols, padded_shape, kernel, stride, dilation, out):
    """Inverse of :func:`patches`: scatter-add ``(..., K, *out)`` windows into ``padded_shape``."""
    n = len(kernel)
    lead_n = cols.ndim - n - 1
    res = jnp.zeros(tuple(cols.shape[:lead_n]) + tuple(padded_shape), cols.dtype)
    lead = (slice(None),) * lead_n
    for i, sl in enumerate(_offset_slices(n, kernel, stride, dilation, out)):
        res = res.at[lead + sl].add(cols[lead + (i,)])
    return res
