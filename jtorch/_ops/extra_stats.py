"""Statistics: ``cov``, ``corrcoef`` and ``histogram``.

The kernels compute what ATen computes, in the same order, so values and (JAX-derived) gradients match
PyTorch's. Checks that need the data (negative ``cov`` weights, a non-finite ``histogram`` range) run in eager
mode only; in compiled mode they are skipped.
"""
import math
import warnings

import jax.numpy as jnp
from jax import lax

from .._tensor import Tensor, scalar_type_name
from ..nn._kernels._util import ctype, size_str
from .common import float_dtype_for, result_dtype, write_out
from .creation import _linspace_kernel
from .dispatch import Op
from .pointwise import register
from .reduction import _is_traced, structseq

__all__ = ["cov", "corrcoef", "histogram"]

_Histogram = structseq("histogram", ("hist", "bin_edges"))


# ---- cov / corrcoef ----
def _cov_kernel(x, fw, aw, *, correction, dtype):
    x = x.astype(dtype)
    x = x.reshape(1, -1) if x.ndim < 2 else x
    w = None
    if fw is not None:
        w = fw.astype(dtype)
    if aw is not None:
        w = aw.astype(dtype) if w is None else w * aw.astype(dtype)
    w_sum = x.shape[1] if w is None else jnp.sum(w)
    avg = jnp.sum(x if w is None else x * w, axis=1) / w_sum
    if w is not None and aw is not None and correction != 0:
        norm = w_sum - correction * jnp.sum(w * aw.astype(dtype)) / w_sum
    else:
        norm = w_sum - correction
    norm = max(norm, 0) if w is None else jnp.where(norm <= 0, jnp.zeros((), norm.dtype), norm)
    x = x - avg[:, None]
    c = jnp.matmul(x, jnp.conj(x if w is None else x * w).T, precision="highest")
    return jnp.squeeze(c / norm)


def _clip_unit(x):
    """``clip(x, -1, 1)`` with PyTorch's clamp gradient (1 on the closed interval)."""
    return jnp.where((x >= -1) & (x <= 1), x, jnp.clip(x, -1, 1))


def _corrcoef_kernel(x, *, dtype):
    c = _cov_kernel(x, None, None, correction=1, dtype=dtype)
    if c.ndim == 0:
        return c / c
    d = jnp.diagonal(c)
    std = jnp.sqrt(jnp.real(d))
    c = c / std[:, None]
    c = c / std[None, :]
    if jnp.iscomplexobj(c):
        return lax.complex(_clip_unit(jnp.real(c)), _clip_unit(jnp.imag(c)))
    return _clip_unit(c)


_cov_op = Op("cov", _cov_kernel, grad_name="SqueezeBackward0")
_corrcoef_op = Op("corrcoef", _corrcoef_kernel, grad_name="ClampBackward1")


def _check_cov_weights(input, w, name, integral):
    if w is None:
        return
    if w.ndim > 1:
        raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got {name} with {w.ndim} "
                           "dimensions")
    n_obs = input.shape[-1] if input.ndim else 1
    if w.numel() != n_obs:
        raise RuntimeError(f"cov(): expected {name} to have the same numel as there are observations in the input "
                           f"but got {w.numel()} != {n_obs}")
    if integral and (w.dtype.is_floating_point or w.dtype.is_complex):
        raise RuntimeError(f"cov(): expected {name} to have integral dtype but got {name} with "
                           f"{scalar_type_name(w.dtype)} dtype")
    if not integral and not w.dtype.is_floating_point:
        raise RuntimeError(f"cov(): expected {name} to have floating point dtype but got {name} with "
                           f"{scalar_type_name(w.dtype)} dtype")
    if not _is_traced(w) and bool((w < 0).any()):
        raise RuntimeError(f"cov(): {name} cannot be negative")


def cov(input, *, correction=1, fweights=None, aweights=None):
    """Covariance of the variables in the rows of ``input`` (observations in columns), with optional frequency
    and importance weights. Warns, like PyTorch, when the degrees of freedom are <= 0 (eager, unweighted only)."""
    if input.ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an input with "
                           f"{input.ndim} dimensions")
    _check_cov_weights(input, fweights, "fweights", True)
    _check_cov_weights(input, aweights, "aweights", False)
    n_obs = input.shape[-1] if input.ndim else 1
    if fweights is None and aweights is None and n_obs - correction <= 0:
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of "
                      "observations.", stacklevel=2)
    dtype = float_dtype_for(result_dtype(*[t for t in (input, fweights, aweights) if t is not None]))
    return _cov_op(input, fweights, aweights, correction=correction, dtype=dtype.np)


def corrcoef(input):
    """Pearson correlation coefficients of the rows of ``input``, clipped to [-1, 1]."""
    if input.ndim > 2:
        raise RuntimeError(f"corrcoef(): expected input to have two or fewer dimensions but got an input with "
                           f"{input.ndim} dimensions")
    return _corrcoef_op(input, dtype=float_dtype_for(input.dtype).np)


# ---- histogram ----
def _histogram_kernel(x, edges, w, lo, hi, nb, *, bins, density, from_data):
    x = x.reshape(-1)
    if edges is None:
        lo, hi = jnp.asarray(lo, jnp.float64), jnp.asarray(hi, jnp.float64)
        if from_data and x.size:
            lo, hi = jnp.min(x).astype(jnp.float64), jnp.max(x).astype(jnp.float64)
        same = lo == hi
        lo, hi = jnp.where(same, lo - 0.5, lo), jnp.where(same, hi + 0.5, hi)
        edges = _linspace_kernel(lo, hi, nb, steps=bins + 1, dtype=x.dtype)
    n = edges.shape[0] - 1
    pos = jnp.searchsorted(edges, x, side="right") - 1
    pos = jnp.where(pos == n, n - 1, pos)
    inside = (x >= edges[0]) & (x <= edges[-1])
    weights = jnp.ones_like(x) if w is None else w.reshape(-1)
    hist = jnp.zeros(n, x.dtype).at[jnp.where(inside, pos, 0)].add(jnp.where(inside, weights, 0))
    if density:
        hist = hist / jnp.sum(hist) / (edges[1:] - edges[:-1])
    return hist, edges


_histogram_op = Op("histogram", _histogram_kernel, differentiable=False)


def _check_histogram(input, bins, weight):
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"histogramdd\" not implemented for '{scalar_type_name(input.dtype)}'")
    if isinstance(bins, Tensor):
        if bins.ndim != 1:
            raise RuntimeError(f"torch.histogramdd: bins tensor should have one dimension, but got {bins.ndim} "
                               "dimensions in the bins tensor for dimension 0")
        if bins.dtype is not input.dtype:
            raise RuntimeError(f"torch.histogramdd: input tensor and bins tensors should have the same dtype, but got "
                               f"input with dtype {ctype(input.dtype)} and bins for dimension 0 with dtype "
                               f"{ctype(bins.dtype)}")
        count = bins.shape[0] - 1
    else:
        count = int(bins)
    if count <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {count} for dimension 0")
    if weight is not None:
        if weight.dtype is not input.dtype:
            raise RuntimeError(f"torch.histogramdd: if weight tensor is provided, input tensor and weight tensor "
                               f"should have the same dtype, but got input({ctype(input.dtype)}), and "
                               f"weight({ctype(weight.dtype)})")
        if tuple(weight.shape) != tuple(input.shape):
            raise RuntimeError(f"torch.histogramdd: if weight tensor is provided it should have the same shape as "
                               f"the input tensor excluding its innermost dimension, but got input with shape "
                               f"{size_str(tuple(input.shape) + (1,))} and weight with shape {size_str(weight.shape)}")


def _histogram_range(input, range):
    """(lo, hi, from_data); the eager-mode finiteness check of PyTorch."""
    if range is not None:
        lo, hi = float(range[0]), float(range[1])
        if lo > hi:
            raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min {lo:g} max {hi:g} for "
                               "dimension 0")
    elif input.numel() == 0:
        lo, hi = 0.0, 1.0
    elif _is_traced(input):
        return 0.0, 0.0, True
    else:
        lo, hi = (float(t) for t in input.aminmax())
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histogramdd: dimension 0's range [{lo:g}, {hi:g}] is not finite")
    return lo, hi, False


def histogram(input, bins, *, range=None, weight=None, density=False, out=None):
    """``(hist, bin_edges)`` of the values of ``input``: ``bins`` equal-width bins over ``range`` (the data's
    range by default), or the sorted edges in a 1-D ``bins`` tensor; ``weight`` weights each value, ``density``
    normalizes to a density. Float inputs only; no gradient. Runs compiled too (the range check is then skipped)."""
    _check_histogram(input, bins, weight)
    if isinstance(bins, Tensor):
        res = _histogram_op(input, bins, weight, 0.0, 0.0, 0, bins=0, density=bool(density), from_data=False)
    else:
        lo, hi, from_data = _histogram_range(input, range)
        res = _histogram_op(input, None, weight, lo, hi, int(bins), bins=int(bins), density=bool(density),
                            from_data=from_data)
    return _Histogram(write_out(out, res) if out is not None else res)


register("cov", cov, inplace=False)
register("corrcoef", corrcoef, inplace=False)
register("histogram", histogram, inplace=False)
