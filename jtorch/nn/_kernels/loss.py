"""Loss functions, each one Op computing the elementwise loss and its reduction.

Every loss takes ``reduction`` ('none' | 'mean' | 'sum') and, where PyTorch has them, the legacy
``size_average``/``reduce`` flags (with PyTorch's deprecation warning). Formulas follow ATen's, so
values and gradients match: ``binary_cross_entropy`` clamps its logs at -100 and uses ATen's
gradient ``(x - t) / max(x (1 - x), 1e-12)``; hinge-style ``clamp_min(., 0)`` terms pass their
gradient at exactly 0 like ``clamp_min``; class-index losses average over the summed weights of
the non-ignored targets. Checks that need target values (class indices out of range,
probabilities outside [0, 1], negative variances, CTC lengths) run in eager mode only.
"""
import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ... import _dtype as D
from ..._ops.common import broadcast_shapes, result_dtype
from ..._ops.dispatch import Op
from ..._ops.pointwise import _abs, _xlogy
from ..._grad_state import MODE
from ..._tensor import Tensor, scalar_type_name
from ._util import check_tensor, legacy_reduction, reduce_loss, reduction_of, size_str
from .distance import vector_norm_kernel

__all__ = ["nll_loss", "cross_entropy", "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div", "margin_ranking_loss",
           "hinge_embedding_loss", "cosine_embedding_loss", "triplet_margin_loss", "triplet_margin_with_distance_loss",
           "poisson_nll_loss", "gaussian_nll_loss", "soft_margin_loss", "multilabel_soft_margin_loss",
           "multilabel_margin_loss", "multi_margin_loss", "ctc_loss"]


def _traced(t):
    return isinstance(t._read(), jax.core.Tracer)


def _relu_ge(v):
    """``clamp_min(v, 0)`` with PyTorch's gradient (1 at exactly 0)."""
    return jnp.where(v >= 0, v, jnp.zeros((), v.dtype))


def _size_warning(input, target):
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
                      "same size.", stacklevel=3)


def _float_pair(input, target, kernel):
    """The promoted float dtype of a regression loss; integer inputs raise PyTorch's error."""
    d = result_dtype(input, target)
    if not d.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(d)}'")
    broadcast_shapes(tuple(input.shape), tuple(target.shape))
    return d.np


# ---- class-index losses ----
def _picked(logp, target, ignore_index):
    """(-logp at each target class (0 where ignored), valid mask), over class dim 1."""
    valid = target != ignore_index
    safe = jnp.where(valid, target, 0)
    picked = jnp.take_along_axis(logp, safe[:, None], axis=1)[:, 0]
    return picked, valid, safe


def _nll(logp, target, w, reduction, ignore_index):
    picked, valid, safe = _picked(logp, target, ignore_index)
    wt = jnp.ones((), logp.dtype) if w is None else jnp.take(w, safe)
    wt = jnp.where(valid, wt, jnp.zeros((), logp.dtype))
    loss = -picked * wt
    if reduction == "none":
        return loss
    if reduction == "sum":
        return jnp.sum(loss)
    return _safe_mean(jnp.sum(loss), jnp.sum(jnp.broadcast_to(wt, loss.shape)))


def _safe_mean(total, weight):
    """``total / weight`` (NaN when ``weight`` is 0, as in PyTorch) with no NaN gradient in that case."""
    zero = weight == 0
    return jnp.where(zero, jnp.full((), jnp.nan, total.dtype), total / jnp.where(zero, 1, weight))


def _nll_kernel(logp, target, w, *, reduction, ignore_index, unbatched):
    if unbatched:
        logp, target = logp[None], target[None]
    out = _nll(logp, target, w, reduction, ignore_index)
    return out[0] if unbatched and reduction == "none" else out


def _smooth_term(logp, target, w, reduction, ignore_index):
    valid = target != ignore_index
    wb = 1 if w is None else w.reshape((1, -1) + (1,) * (logp.ndim - 2))
    smooth = jnp.where(valid, -jnp.sum(logp * wb, axis=1), jnp.zeros((), logp.dtype))
    if reduction == "none":
        return smooth
    if reduction == "sum":
        return jnp.sum(smooth)
    if w is None:
        return jnp.sum(smooth) / jnp.sum(valid)
    wt = jnp.where(valid, jnp.take(w, jnp.where(valid, target, 0)), jnp.zeros((), logp.dtype))
    return jnp.sum(smooth) / jnp.sum(wt)


def _cross_entropy_kernel(x, target, w, smoothing, *, reduction, ignore_index, unbatched, smooth):
    if unbatched:
        x, target = x[None], target[None]
    logp = jax.nn.log_softmax(x, axis=1)
    out = _nll(logp, target, w, reduction, ignore_index)
    if smooth:
        c = x.shape[1]
        out = (1 - smoothing) * out + _smooth_term(logp, target, w, reduction, ignore_index) * (smoothing / c)
    return out[0] if unbatched and reduction == "none" else out


def _cross_entropy_prob_kernel(x, target, w, smoothing, *, reduction, class_dim, smooth):
    c = x.shape[class_dim]
    logp = jax.nn.log_softmax(x, axis=class_dim)
    if smooth:
        target = target * (1 - smoothing) + smoothing / c
    prod = logp * target
    if w is not None:
        shape = [1] * x.ndim
        shape[class_dim] = c
        prod = prod * w.reshape(shape)
    if reduction == "none":
        return -jnp.sum(prod, axis=class_dim)
    if reduction == "sum":
        return -jnp.sum(prod)
    return -jnp.sum(prod) / (x.size // c) if x.size else jnp.full((), jnp.nan, x.dtype)


_nll_op = Op("nll_loss", _nll_kernel, grad_name="NllLossBackward0")
_ce_op = Op("cross_entropy", _cross_entropy_kernel, grad_name="NllLossBackward0")
_ce_smooth_op = Op("cross_entropy", _cross_entropy_kernel, grad_name="AddBackward0")
_ce_prob_op = Op("cross_entropy", _cross_entropy_prob_kernel, grad_name="NegBackward0")


def _first_bad_target(t, n, ignore_index):
    """(any target outside ``[0, n)`` other than ``ignore_index``, the first such value)."""
    t = t.reshape(-1)
    bad = (t != ignore_index) & ((t < 0) | (t >= n))
    return jnp.any(bad), t[jnp.argmax(bad)]


_bad_target_op = Op("target_range", _first_bad_target, differentiable=False)


def _no_grad_arg(t, fn, arg, period="."):
    """PyTorch's error for a tensor argument its kernel has no derivative for."""
    if t is not None and t.requires_grad and MODE.grad_enabled:
        raise RuntimeError(f"The function '{fn}' is not differentiable with respect to argument '{arg}'. This input "
                           f"cannot have requires_grad True{period}")


def _check_targets(target, n_classes, ignore_index):
    """PyTorch's IndexError for a class index outside ``[0, C)`` (eager: needs the values)."""
    if target._arr.size == 0 or _traced(target):
        return
    bad, value = _bad_target_op.raw(target._read(), n_classes, ignore_index)
    if bool(bad):
        raise IndexError(f"Target {int(value)} is out of bounds.")


def _check_nll_args(input, target, weight, fn_kernel):
    if input.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
    if input.ndim != 1 and target.ndim >= 1 and input.shape[0] != target.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                         f"({target.shape[0]}).")
    if target.dtype not in (D.int64, D.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {scalar_type_name(target.dtype)}")
    c = input.shape[1] if input.ndim > 1 else input.shape[0]
    if weight is not None and (weight.ndim != 1 or weight.numel() != c):
        raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no classes but got weight "
                           f"tensor of shape: {size_str(weight.shape)}")
    if input.ndim <= 2:
        if target.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if input.ndim == 1 and target.ndim == 1 and target.shape[0] != 1:
            raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}")
    elif input.ndim == 4 and target.ndim != 3:
        raise RuntimeError(f"only batches of spatial targets supported (3D tensors) but got targets of dimension: "
                           f"{target.ndim}")
    elif input.ndim == 4 and tuple(target.shape[1:]) != tuple(input.shape[2:]):
        raise RuntimeError(f"size mismatch (got input: {size_str(input.shape)} , target: {size_str(target.shape)}")
    elif input.ndim > 2 and tuple(target.shape) != (input.shape[0],) + tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size {size_str((input.shape[0],) + tuple(input.shape[2:]))}, got "
                           f"{size_str(target.shape)}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"{fn_kernel}\" not implemented for '{scalar_type_name(input.dtype)}'")
    _no_grad_arg(weight, "nll_loss_forward" if input.ndim <= 2 else "nll_loss2d_forward", "weight")
    return c


def _unbatched_target(input, target):
    """A 1-D input takes a 0-d (or 1-element) target as one sample."""
    if input.ndim == 1:
        return target.reshape(())
    return target


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log likelihood of class indices ``target`` under log-probabilities ``input`` ``(N, C, *)``."""
    check_tensor(input, "nll_loss")
    reduction = reduction_of(size_average, reduce, reduction)
    _check_nll_args(input, target, weight, "nll_loss_out_frame")
    _check_targets_ignoring(target, input, ignore_index)
    return _nll_op(input, _unbatched_target(input, target), weight, reduction=reduction,
                   ignore_index=int(ignore_index), unbatched=input.ndim == 1)


def _check_targets_ignoring(target, input, ignore_index):
    c = input.shape[1] if input.ndim > 1 else input.shape[0]
    _check_targets(target, c, int(ignore_index))


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                  label_smoothing=0.0):
    """Cross entropy of logits ``input`` ``(C)``, ``(N, C)`` or ``(N, C, d1, ...)`` against class indices (with
    ``ignore_index``) or class probabilities (same shape as ``input``), with ``weight`` and ``label_smoothing``."""
    check_tensor(input, "cross_entropy")
    reduction = reduction_of(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    smooth = label_smoothing > 0.0
    if tuple(input.shape) == tuple(target.shape):
        if not target.dtype.is_floating_point:
            raise RuntimeError(f"Expected floating point type for target with class probabilities, got "
                               f"{scalar_type_name(target.dtype)}")
        class_dim = 0 if input.ndim == 1 else 1
        c = input.shape[class_dim]
        if weight is not None and (weight.ndim != 1 or weight.numel() != c):
            raise RuntimeError(f"cross_entropy: weight tensor should be defined either for all {c} classes or no "
                               f"classes but got weight tensor of shape: {size_str(weight.shape)}")
        return _ce_prob_op(input, target, weight, label_smoothing, reduction=reduction, class_dim=class_dim,
                           smooth=smooth)
    _check_nll_args(input, target, weight, "log_softmax_lastdim_kernel_impl")
    _check_targets_ignoring(target, input, ignore_index)
    the_op = _ce_smooth_op if smooth else _ce_op
    return the_op(input, _unbatched_target(input, target), weight, label_smoothing, reduction=reduction,
                  ignore_index=int(ignore_index), unbatched=input.ndim == 1, smooth=smooth)


# ---- regression losses ----
def _pair_kernel(fn):
    def kernel(x, y, *params, reduction, dtype):
        x, y = jnp.broadcast_arrays(x.astype(dtype), y.astype(dtype))
        return reduce_loss(fn(x - y, *params), reduction)
    return kernel


def _smooth_l1(d, beta):
    a = jnp.abs(d)
    return jnp.where(a < beta, 0.5 * d * d / beta, a - 0.5 * beta)


def _huber(d, delta):
    a = jnp.abs(d)
    return jnp.where(a < delta, 0.5 * d * d, delta * (a - 0.5 * delta))


_mse_op = Op("mse_loss", _pair_kernel(jnp.square), grad_name="MseLossBackward0")
_l1_op = Op("l1_loss", _pair_kernel(_abs), grad_name="MeanBackward0")
_smooth_l1_op = Op("smooth_l1_loss", _pair_kernel(_smooth_l1), grad_name="SmoothL1LossBackward0")
_huber_op = Op("huber_loss", _pair_kernel(_huber), grad_name="HuberLossBackward0")


def _weighted_kernel(fn):
    def kernel(x, y, w, *params, reduction, dtype):
        x, y = jnp.broadcast_arrays(x.astype(dtype), y.astype(dtype))
        loss = fn(x - y, *params) * w
        if reduction == "none":
            return loss
        if reduction == "sum" or fn is _huber:
            return reduce_loss(loss, reduction)
        return jnp.sum(loss) / jnp.sum(w)
    return kernel


_mse_weighted_op = Op("mse_loss", _weighted_kernel(jnp.square), grad_name="DivBackward0")
_l1_weighted_op = Op("l1_loss", _weighted_kernel(_abs), grad_name="DivBackward0")
_huber_weighted_op = Op("huber_loss", _weighted_kernel(_huber), grad_name="MeanBackward0")


def _weighted_reduction(reduction):
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def _regression(name, input, target, size_average, reduce, reduction, weight, plain, weighted, kernel, *params):
    check_tensor(input, name)
    check_tensor(target, name, "target", 2)
    _size_warning(input, target)
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce)
    dtype = _float_pair(input, target, kernel)
    if weight is not None:
        if tuple(weight.shape) != tuple(input.shape):
            raise ValueError("Weights and input must have the same size.")
        _weighted_reduction(reduction)
        return weighted(input, target, weight, *params, reduction=reduction, dtype=dtype)
    reduction = reduction_of(None, None, reduction)
    return plain(input, target, *params, reduction=reduction, dtype=dtype)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Squared error ``(input - target)**2`` (broadcast, with PyTorch's size warning); ``weight`` scales each
    element and a weighted mean divides by ``weight.sum()``."""
    return _regression("mse_loss", input, target, size_average, reduce, reduction, weight, _mse_op, _mse_weighted_op,
                       "mse_cpu")


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Absolute error ``|input - target|`` (gradient 0 where equal)."""
    return _regression("l1_loss", input, target, size_average, reduce, reduction, weight, _l1_op, _l1_weighted_op,
                       "abs_cpu")


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """``0.5 d**2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 beta``; ``beta=0`` is the L1 loss."""
    if beta < 0:
        check_tensor(input, "smooth_l1_loss")
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0.0:
        return _regression("smooth_l1_loss", input, target, size_average, reduce, reduction, None, _l1_op, None,
                           "abs_cpu")
    return _regression("smooth_l1_loss", input, target, size_average, reduce, reduction, None, _smooth_l1_op, None,
                       "smooth_l1_cpu", beta)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """``0.5 d**2`` where ``|d| < delta``, else ``delta (|d| - 0.5 delta)``; ``weight`` scales each element."""
    if delta <= 0:
        check_tensor(input, "huber_loss")
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    return _regression("huber_loss", input, target, None, None, reduction, weight, _huber_op, _huber_weighted_op,
                       "huber_cpu", delta)


# ---- binary cross entropy ----
@jax.custom_jvp
def _bce_log_terms(x, t):
    """``t log x + (1 - t) log(1 - x)`` with both logs clamped at -100."""
    return t * jnp.maximum(jnp.log(x), -100) + (1 - t) * jnp.maximum(jnp.log1p(-x), -100)


@_bce_log_terms.defjvp
def _bce_log_terms_jvp(primals, tangents):
    x, t = primals
    dx, dt = tangents
    out = _bce_log_terms(x, t)
    gx = (t - x) / jnp.maximum((1 - x) * x, jnp.asarray(1e-12, x.dtype))
    gt = jnp.log(x) - jnp.log1p(-x)
    return out, gx * dx + gt * dt


def _bce_kernel(x, t, w, *, reduction):
    loss = -_bce_log_terms(x, t)
    if w is not None:
        loss = loss * w
    return reduce_loss(loss, reduction)


def _bce_logits_kernel(x, t, w, pw, *, reduction):
    log_sig = jax.nn.log_sigmoid(x)
    if pw is not None:
        log_sig = log_sig * ((pw - 1) * t + 1)
    loss = (1 - t) * x - log_sig
    if w is not None:
        loss = loss * w
    return reduce_loss(loss, reduction)


_bce_op = Op("binary_cross_entropy", _bce_kernel, grad_name="BinaryCrossEntropyBackward0")
_bce_logits_op = Op("binary_cross_entropy_with_logits", _bce_logits_kernel,
                    grad_name="BinaryCrossEntropyWithLogitsBackward0")
_out_of_unit_op = Op("out_of_unit", lambda x: jnp.any((x < 0) | (x > 1)), differentiable=False)


def _legacy_or(size_average, reduce, reduction):
    if size_average is not None or reduce is not None:
        return legacy_reduction(size_average, reduce)
    return reduction_of(None, None, reduction)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """``-w (t log x + (1 - t) log(1 - x))`` for probabilities ``x`` in [0, 1] (logs clamped at -100)."""
    check_tensor(input, "binary_cross_entropy")
    reduction = _legacy_or(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size ({input.shape}) "
                         "is deprecated. Please ensure they have the same size.")
    if weight is not None:
        try:
            new = broadcast_shapes(tuple(target.shape), tuple(weight.shape))
        except RuntimeError:
            new = None
        if new != tuple(target.shape):
            raise RuntimeError(f"Attempting to broadcast a dimension of length {weight.shape[-1]} at -1! Mismatching "
                               f"argument at index 1 had {weight.shape}; but expected shape should be broadcastable to "
                               f"{size_str(target.shape)}")
    if target.dtype is not input.dtype:
        raise RuntimeError(f"Found dtype {scalar_type_name(target.dtype)} but expected "
                           f"{scalar_type_name(input.dtype)}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"binary_cross_entropy\" not implemented for '{scalar_type_name(input.dtype)}'")
    _no_grad_arg(weight, "binary_cross_entropy", "weight")
    if input.numel() and not _traced(input) and bool(_out_of_unit_op.raw(input._read())):
        raise RuntimeError("all elements of input should be between 0 and 1")
    return _bce_op(input, target, weight, reduction=reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None):
    """``binary_cross_entropy(sigmoid(input), target)`` computed stably, with ``pos_weight`` on the positive term."""
    check_tensor(input, "binary_cross_entropy_with_logits")
    reduction = _legacy_or(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    if not target.dtype.is_floating_point:
        raise RuntimeError(f"result type {scalar_type_name(input.dtype)} can't be cast to the desired output type "
                           f"{scalar_type_name(target.dtype)}")
    for extra in (weight, pos_weight):
        if extra is not None:
            broadcast_shapes(tuple(extra.shape), tuple(target.shape))
    _no_grad_arg(weight, "binary_cross_entropy_with_logits", "weight")
    _no_grad_arg(pos_weight, "binary_cross_entropy_with_logits", "pos_weight", "")
    return _bce_logits_op(input, target, weight, pos_weight, reduction=reduction)


# ---- divergences and likelihoods ----
def _kl_kernel(x, t, *, reduction, log_target, batch):
    loss = jnp.exp(t) * (t - x) if log_target else _xlogy(t, t) - t * x
    if reduction == "batchmean":
        return jnp.sum(loss) / batch
    return reduce_loss(loss, reduction)


_kl_op = Op("kl_div", _kl_kernel, grad_name="SubBackward0")


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """``target * (log target - input)`` (``input`` holds log-probabilities); ``'batchmean'`` divides the sum
    by the batch size."""
    check_tensor(input, "kl_div")
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce)
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      stacklevel=2)
    if reduction != "batchmean":
        reduction = reduction_of(None, None, reduction)
    elif input.ndim == 0:
        reduction = "sum"
    broadcast_shapes(tuple(input.shape), tuple(target.shape))
    batch = input.shape[0] if input.ndim else 1
    return _kl_op(input, target, reduction=reduction, log_target=bool(log_target), batch=batch)


def _poisson_kernel(x, t, eps, *, reduction, log_input, full):
    loss = jnp.exp(x) - t * x if log_input else x - t * jnp.log(x + eps)
    if full:
        safe = jnp.where(t <= 1, jnp.ones((), t.dtype), t)
        stirling = safe * jnp.log(safe) - safe + 0.5 * jnp.log(2 * math.pi * safe)
        loss = loss + jnp.where(t <= 1, jnp.zeros((), loss.dtype), stirling)
    return reduce_loss(loss, reduction)


_poisson_op = Op("poisson_nll_loss", _poisson_kernel, grad_name="MeanBackward0")


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                     reduction="mean"):
    """``exp(input) - target * input`` (``log_input``) or ``input - target * log(input + eps)``; ``full`` adds
    Stirling's term where ``target > 1``."""
    check_tensor(input, "poisson_nll_loss")
    reduction = _legacy_or(size_average, reduce, reduction)
    broadcast_shapes(tuple(input.shape), tuple(target.shape))
    return _poisson_op(input, target, eps, reduction=reduction, log_input=bool(log_input), full=bool(full))


def _gaussian_kernel(x, t, var, eps, *, reduction, full):
    var = var + lax.stop_gradient(jnp.maximum(var, eps) - var)
    loss = 0.5 * (jnp.log(var) + jnp.square(x - t) / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return reduce_loss(loss, reduction)


_gaussian_op = Op("gaussian_nll_loss", _gaussian_kernel, grad_name="MeanBackward0")
_any_negative_op = Op("any_negative", lambda v: jnp.any(v < 0), differentiable=False)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """``0.5 (log var + (input - target)**2 / var)`` with ``var`` clamped to ``eps`` (no gradient through the
    clamp); ``var`` may be a number or a tensor one dim short of ``input``."""
    check_tensor(input, "gaussian_nll_loss")
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        from ..._ops.creation import full as _full

        var = _full(tuple(input.shape), var, dtype=input.dtype)
    elif isinstance(var, Tensor) and var.numel() and not _traced(var) and bool(_any_negative_op.raw(var._read())):
        raise ValueError("var has negative entry/entries")
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif not (input.ndim == var.ndim and sum(y for x, y in zip(input.shape, var.shape) if x != y) == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    return _gaussian_op(input, target, var, eps, reduction=reduction, full=bool(full))


# ---- margin losses ----
def _margin_ranking_kernel(x1, x2, y, margin, *, reduction):
    return reduce_loss(_relu_ge(-y * (x1 - x2) + margin), reduction)


def _hinge_kernel(x, y, margin, *, reduction):
    zeros = jnp.zeros((), x.dtype)
    out = jnp.where(y != 1, _relu_ge(margin - x), zeros) + jnp.where(y != -1, x, zeros)
    return reduce_loss(out, reduction)


def _cosine_embedding_kernel(x1, x2, y, margin, *, reduction, dim):
    prod = jnp.sum(x1 * x2, axis=dim)
    m1 = jnp.sum(x1 * x1, axis=dim) + 1e-12
    m2 = jnp.sum(x2 * x2, axis=dim) + 1e-12
    cos = prod / jnp.sqrt(m1 * m2)
    zeros = jnp.zeros((), cos.dtype)
    out = jnp.where(y == 1, 1 - cos, zeros) + jnp.where(y == -1, _relu_ge(cos - margin), zeros)
    return reduce_loss(out, reduction)


def _soft_margin_kernel(x, y, *, reduction):
    return reduce_loss(jnp.log1p(jnp.exp(-x * y)), reduction)


def _multilabel_soft_margin_kernel(x, y, w, *, reduction):
    loss = -(y * jax.nn.log_sigmoid(x) + (1 - y) * jax.nn.log_sigmoid(-x))
    if w is not None:
        loss = loss * w
    loss = jnp.sum(loss, axis=x.ndim - 1) / x.shape[-1]
    return reduce_loss(loss, reduction)


def _multi_margin_kernel(x, y, w, margin, *, p, reduction, unbatched):
    if unbatched:
        x, y = x[None], y[None]
    c = x.shape[1]
    xy = jnp.take_along_axis(x, y[:, None], axis=1)
    z = margin - xy + x
    h = z if p == 1 else z * z
    if w is not None:
        h = h * jnp.take(w, y)[:, None]
    others = jnp.arange(c)[None, :] != y[:, None]
    loss = jnp.sum(jnp.where(others & (z > 0), h, jnp.zeros((), h.dtype)), axis=1) / c
    if unbatched and reduction == "none":
        return loss[0]
    return reduce_loss(loss, reduction)


def _multilabel_margin_kernel(x, y, *, reduction, unbatched):
    if unbatched:
        x, y = x[None], y[None]
    c = x.shape[1]
    valid = jnp.cumprod(y >= 0, axis=1).astype(bool)
    safe = jnp.where(valid, y, 0)
    is_target = jnp.any(valid[:, :, None] & (safe[:, :, None] == jnp.arange(c)), axis=1)
    xt = jnp.take_along_axis(x, safe, axis=1)
    z = 1 - xt[:, :, None] + x[:, None, :]
    keep = valid[:, :, None] & ~is_target[:, None, :] & (z > 0)
    loss = jnp.sum(jnp.where(keep, z, jnp.zeros((), z.dtype)), axis=(1, 2)) / c
    if unbatched and reduction == "none":
        return loss[0]
    return reduce_loss(loss, reduction)


def _triplet_kernel(a, pos, neg, margin, eps, *, p, swap, reduction):
    dim = max(a.ndim - 1, 0)

    def dist(u, v):
        return vector_norm_kernel(u - v + eps, p, (dim,))
    d_pos = dist(a, pos)
    d_neg = dist(a, neg)
    if swap:
        d_neg = jnp.minimum(d_neg, dist(pos, neg))
    return reduce_loss(_relu_ge(margin + d_pos - d_neg), reduction)


_margin_ranking_op = Op("margin_ranking_loss", _margin_ranking_kernel, grad_name="MeanBackward0")
_hinge_op = Op("hinge_embedding_loss", _hinge_kernel, grad_name="MeanBackward0")
_cosine_embedding_op = Op("cosine_embedding_loss", _cosine_embedding_kernel, grad_name="MeanBackward0")
_soft_margin_op = Op("soft_margin_loss", _soft_margin_kernel, grad_name="SoftMarginLossBackward0")
_multilabel_soft_margin_op = Op("multilabel_soft_margin_loss", _multilabel_soft_margin_kernel,
                                grad_name="MeanBackward0")
_multi_margin_op = Op("multi_margin_loss", _multi_margin_kernel, grad_name="MultiMarginLossBackward0")
_multilabel_margin_op = Op("multilabel_margin_loss", _multilabel_margin_kernel,
                           grad_name="MultilabelMarginLossBackward0")
_triplet_op = Op("triplet_margin_loss", _triplet_kernel, grad_name="MeanBackward0")


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    """``max(0, -target * (input1 - input2) + margin)``."""
    check_tensor(input1, "margin_ranking_loss", "input1")
    reduction = _legacy_or(size_average, reduce, reduction)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {input1.shape}, input2: {input2.shape}, target: {target.shape} ")
    broadcast_shapes(tuple(target.shape), broadcast_shapes(tuple(input1.shape), tuple(input2.shape)))
    return _margin_ranking_op(input1, input2, target, margin, reduction=reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"):
    """``input`` where ``target == 1``, ``max(0, margin - input)`` where ``target == -1``."""
    check_tensor(input, "hinge_embedding_loss")
    reduction = _legacy_or(size_average, reduce, reduction)
    broadcast_shapes(tuple(target.shape), tuple(input.shape))
    return _hinge_op(input, target, margin, reduction=reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    """``1 - cos(x1, x2)`` where ``target == 1``, ``max(0, cos(x1, x2) - margin)`` where ``target == -1``."""
    check_tensor(input1, "cosine_embedding_loss", "input1")
    reduction = _legacy_or(size_average, reduce, reduction)
    if target.ndim not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    want = 2 if target.ndim == 1 else 1
    if input1.ndim != want or input2.ndim != want:
        raise RuntimeError(f"{target.ndim}D target tensor expects {want}D input tensors, but found inputs with sizes "
                           f"{size_str(input1.shape)} and {size_str(input2.shape)}.")
    return _cosine_embedding_op(input1, input2, target, margin, reduction=reduction, dim=target.ndim)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """``log(1 + exp(-target * input))``."""
    check_tensor(input, "soft_margin_loss")
    reduction = _legacy_or(size_average, reduce, reduction)
    broadcast_shapes(tuple(input.shape), tuple(target.shape))
    _no_grad_arg(target, "soft_margin_loss", "target")
    return _soft_margin_op(input, target, reduction=reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """Per-sample mean over classes of the binary logistic loss."""
    check_tensor(input, "multilabel_soft_margin_loss")
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    return _multilabel_soft_margin_op(input, target, weight, reduction=reduction)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction="mean"):
    """Multi-class hinge: ``sum over j != y of max(0, margin - x[y] + x[j])**p * w[y] / C``."""
    check_tensor(input, "multi_margin_loss")
    reduction = _legacy_or(size_average, reduce, reduction)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    if input.ndim > 2 or (input.ndim == 2 and input.shape[1] == 0) or (input.ndim < 2 and input.numel() == 0):
        raise RuntimeError(f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
                           f"{size_str(input.shape)}")
    n = input.shape[0] if input.ndim == 2 else 1
    c = input.shape[-1] if input.ndim else 1
    if target.ndim > 1 or target.numel() != n:
        raise RuntimeError(f"multi_margin_loss: target tensor should be 1-D with size equal to the number of input "
                           f"samples (batch size). Expected target size [{n}], but got {size_str(target.shape)}. Input "
                           f"has shape {size_str(input.shape)}.")
    if target.numel() and not _traced(target):
        lo, hi = int(target.min().item()), int(target.max().item())
        if lo < 0 or hi >= c:
            raise RuntimeError("target out of range")
    _no_grad_arg(weight, "multi_margin_loss", "weight")
    unbatched = input.ndim < 2
    x = input.reshape(c) if unbatched else input
    y = target.reshape(()) if unbatched else target.reshape(n)
    return _multi_margin_op(x, y, weight, margin, p=int(p), reduction=reduction, unbatched=unbatched)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Multi-label hinge over the target classes listed in ``target`` (ended by the first -1)."""
    check_tensor(input, "multilabel_margin_loss")
    reduction = _legacy_or(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape) or input.ndim > 2:
        raise RuntimeError(f"inconsistent target size: {size_str(target.shape)} for input of size: "
                           f"{size_str(input.shape)}")
    unbatched = input.ndim < 2
    if unbatched:
        c = input.numel()
        x, y = input.reshape(c), target.reshape(c)
    else:
        x, y = input, target
    return _multilabel_margin_op(x, y, reduction=reduction, unbatched=unbatched)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction="mean"):
    """``max(0, margin + d(a, p) - d(a, n))`` with pairwise ``p``-norm distances (``swap`` uses the smaller of
    ``d(a, n)`` and ``d(p, n)``)."""
    check_tensor(anchor, "triplet_margin_loss", "anchor")
    reduction = _legacy_or(size_average, reduce, reduction)
    a, pd, nd = anchor.ndim, positive.ndim, negative.ndim
    if not (a == pd and pd == nd):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a}D, positive {pd}D, and negative {nd}D inputs")
    return _triplet_op(anchor, positive, negative, margin, eps, p=float(p), swap=bool(swap), reduction=reduction)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None, margin=1.0, swap=False,
                                      reduction="mean"):
    """Triplet loss with any ``distance_function`` (default :func:`pairwise_distance`), built from jtorch ops."""
    from ..._ops.pointwise import minimum
    from .distance import pairwise_distance

    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a, pd, nd = anchor.ndim, positive.ndim, negative.ndim
    if not (a == pd and pd == nd):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a}D, positive {pd}D, and negative {nd}D inputs")
    dist = distance_function if distance_function is not None else pairwise_distance
    d_pos = dist(anchor, positive)
    d_neg = dist(anchor, negative)
    if swap:
        d_neg = minimum(d_neg, dist(positive, negative))
    loss = (d_pos + margin - d_neg).clamp_min(0)
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.mean()
    return loss


def _logsumexp(*xs):
    """Elementwise log(sum(exp)) of arrays that may all be -inf, with finite (zero) gradients there."""
    stacked = jnp.stack(xs)
    m = jnp.max(stacked, axis=0)
    m_safe = jnp.where(jnp.isfinite(m), m, jnp.zeros((), m.dtype))
    total = jnp.sum(jnp.exp(stacked - m_safe), axis=0)
    alive = total > 0
    return jnp.where(alive, m_safe + jnp.log(jnp.where(alive, total, 1)), jnp.full((), -jnp.inf, m.dtype))


def _ctc_kernel(lp, targets, in_len, tgt_len, *, blank, reduction, zero_infinity):
    """CTC negative log likelihood per sample by the alpha recursion over time (a scan).

    The gradient w.r.t. ``log_probs`` matches PyTorch's, which adds ``exp(log_probs)`` (times the sample's
    output gradient) to the true gradient for ``t < input_length``.
    """
    t_max, n, _ = lp.shape
    s_ext = 2 * targets.shape[1] + 1
    pos = jnp.arange(s_ext)
    labels = jnp.where(pos % 2 == 1, targets[:, jnp.minimum(pos // 2, targets.shape[1] - 1)], blank)
    skip = (pos >= 2) & (labels != blank) & (labels != jnp.roll(labels, 2, axis=1))
    neg = jnp.full((), -jnp.inf, lp.dtype)

    def emit(lp_t):
        return jnp.take_along_axis(lp_t, labels, axis=1)

    alpha0 = jnp.where(pos[None] < 2, emit(lp[0]), neg)
    alpha0 = jnp.where((pos[None] == 1) & (tgt_len[:, None] == 0), neg, alpha0)

    def step(alpha, inputs):
        t, lp_t = inputs
        prev1 = jnp.concatenate([jnp.full((n, 1), -jnp.inf, lp.dtype), alpha[:, :-1]], axis=1)
        prev2 = jnp.concatenate([jnp.full((n, 2), -jnp.inf, lp.dtype), alpha[:, :-2]], axis=1)
        new = _logsumexp(alpha, prev1, jnp.where(skip, prev2, neg)) + emit(lp_t)
        return jnp.where((t < in_len)[:, None], new, alpha), None

    alpha, _ = lax.scan(step, alpha0, (jnp.arange(1, t_max), lp[1:]))
    last = jnp.take_along_axis(alpha, (2 * tgt_len)[:, None], axis=1)[:, 0]
    before = jnp.take_along_axis(alpha, jnp.maximum(2 * tgt_len - 1, 0)[:, None], axis=1)[:, 0]
    nll = -_logsumexp(last, jnp.where(tgt_len > 0, before, neg))
    live = (jnp.arange(t_max)[:, None] < in_len[None, :])[..., None]
    extra = jnp.sum(jnp.where(live, jnp.exp(lp), 0), axis=(0, 2))
    nll = nll + (extra - lax.stop_gradient(extra))
    if zero_infinity:
        nll = jnp.where(jnp.isinf(nll), jnp.zeros((), nll.dtype), nll)
    if reduction == "mean":
        return jnp.mean(nll / jnp.maximum(tgt_len, 1).astype(nll.dtype))
    return reduce_loss(nll, reduction)


_ctc_op = Op("ctc_loss", _ctc_kernel, grad_name="CtcLossBackward0")


def _lengths(value, n, name):
    from ..._ops.creation import tensor

    t = value if isinstance(value, Tensor) else tensor(list(value), dtype=D.int64)
    t = t.reshape(-1)
    if t.shape[0] != n:
        raise RuntimeError(f"{name} must be of size batch_size")
    return t


def _padded_targets(targets, tgt_len, n):
    """(N, S) targets from PyTorch's padded 2-D or concatenated 1-D form."""
    from ..._ops.creation import tensor

    if targets.ndim == 2:
        return targets
    lengths = tgt_len.tolist()
    longest = max(lengths) if lengths else 0
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    idx = np.minimum(starts[:, None] + np.arange(max(longest, 1))[None, :], max(targets.shape[0] - 1, 0))
    return targets.reshape(-1)[tensor(idx)] if targets.shape[0] else targets.new_zeros((n, 1))


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean", zero_infinity=False):
    """Connectionist temporal classification loss of ``log_probs`` ``(T, N, C)`` (or ``(T, C)``) against padded
    ``(N, S)`` or concatenated targets; ``'mean'`` divides each loss by its target length before averaging.
    Gradients match PyTorch's (which include its ``exp(log_probs)`` term). Length checks run eagerly."""
    check_tensor(log_probs, "ctc_loss", "log_probs")
    reduction = reduction_of(None, None, reduction)
    unbatched = log_probs.ndim == 2
    lp = log_probs.unsqueeze(1) if unbatched else log_probs
    if lp.ndim != 3:
        raise RuntimeError(f"Expected 3-dimensional tensor, but got {lp.ndim}-dimensional tensor for argument #1 "
                           "'log_probs' (while checking arguments for ctc_loss_allocate_outputs)")
    if not lp.dtype.is_floating_point:
        raise NotImplementedError(f"\"ctc_loss_cpu\" not implemented for '{scalar_type_name(lp.dtype)}'")
    t_max, n, c = lp.shape
    if not 0 <= blank < c:
        raise RuntimeError("blank must be in label range")
    tg = targets.unsqueeze(0) if unbatched and targets.ndim == 1 else targets
    in_len = _lengths(input_lengths, n, "input_lengths")
    tgt_len = _lengths(target_lengths, n, "target_lengths")
    if not (_traced(in_len) or _traced(tgt_len)):
        longest_in = int(in_len.max().item()) if n else 0
        if longest_in > t_max:
            raise RuntimeError(f"Expected input_lengths to have value at most {t_max}, but got value {longest_in} "
                               "(while checking arguments for ctc_loss_allocate_outputs)")
        longest_tgt = int(tgt_len.max().item()) if n else 0
        if tg.ndim == 2 and longest_tgt > tg.shape[1]:
            raise RuntimeError(f"Expected tensor to have size at least {longest_tgt} at dimension 1, but got size "
                               f"{tg.shape[1]} for argument #2 'targets' (while checking arguments for "
                               "ctc_loss_allocate_outputs)")
    padded = _padded_targets(tg, tgt_len, n).long()
    if padded.shape[1] == 0:
        padded = padded.new_zeros((n, 1))
    out = _ctc_op(lp, padded, in_len.long(), tgt_len.long(), blank=int(blank), reduction=reduction,
                  zero_infinity=bool(zero_infinity))
    return out.squeeze(0) if unbatched and reduction == "none" else out
