"""``torch.<name>`` forms of ``nn.functional`` ops: ``torch.conv2d``, ``torch.dropout``, ``torch.embedding``...

PyTorch exposes these ATen ops at the top level with ATen's signatures, which sometimes differ from
``torch.nn.functional``'s: losses take ``reduction`` as an int (0 none, 1 mean, 2 sum), dropout takes
``(input, p, train)``, ``embedding`` takes ``(weight, indices)``, ``batch_norm`` puts ``weight, bias`` before
the running stats, pooling ``stride=()`` means the kernel size. Each function here adapts that signature and
calls the kernel in ``jtorch.nn._kernels`` (no kernel code lives here).

An omitted ``reduction`` means 'none' (0): PyTorch's Python binding parses ATen's ``Mean`` default as 0, so
``torch.kl_div(x, y)`` is unreduced in PyTorch 2.x, and jtorch matches that.

Differs from PyTorch: ``torch.batch_norm`` / ``torch.group_norm`` keep ``F``'s "Expected more than 1 value
per channel when training" check; the ``cudnn_enabled`` flags are accepted and ignored.
"""
from ..nn._kernels.conv import (conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d)
from ..nn._kernels.distance import cosine_similarity, pairwise_distance, pdist
from ..nn._kernels.dropout import _run as _dropout_run
from ..nn._kernels.linear import bilinear
from ..nn._kernels import loss as _loss
from ..nn._kernels import normalization as _norm
from ..nn._kernels import pooling as _pool
from ..nn._kernels.padding import pad as _pad
from ..nn._kernels.sampling import affine_grid, channel_shuffle, grid_sample, pixel_shuffle, pixel_unshuffle
from ..nn._kernels.sparse import embedding as _embedding
from ..nn._kernels._util import check_tensor, size_str
from .common import broadcast_shapes

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "convolution",
           "batch_norm", "layer_norm", "group_norm", "instance_norm", "rms_norm", "dropout", "dropout_",
           "alpha_dropout", "alpha_dropout_", "feature_alpha_dropout", "feature_alpha_dropout_", "feature_dropout",
           "feature_dropout_", "embedding", "max_pool1d", "max_pool1d_with_indices", "max_pool2d", "max_pool3d",
           "avg_pool1d", "adaptive_avg_pool1d", "adaptive_max_pool1d", "cosine_similarity", "pairwise_distance",
           "pdist", "pixel_shuffle", "pixel_unshuffle", "channel_shuffle", "binary_cross_entropy_with_logits",
           "kl_div", "ctc_loss", "margin_ranking_loss", "hinge_embedding_loss", "cosine_embedding_loss",
           "triplet_margin_loss", "poisson_nll_loss", "bilinear", "constant_pad_nd", "grid_sampler",
           "affine_grid_generator"]

_REDUCTIONS = ("none", "mean", "sum")
_CONV = {1: conv1d, 2: conv2d, 3: conv3d}
_CONV_T = {1: conv_transpose1d, 2: conv_transpose2d, 3: conv_transpose3d}


def _reduction(value, fn, pos):
    """ATen's integer ``reduction`` (0 none, 1 mean, 2 sum) as ``F``'s string, with PyTorch's TypeError."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{fn}(): argument 'reduction' (position {pos}) must be int, not {type(value).__name__}")
    if not 0 <= value < 3:
        raise RuntimeError(f"{fn}(): reduction must be 0 (none), 1 (mean) or 2 (sum), got {value}")
    return _REDUCTIONS[value]


# ---- convolution ----
def convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups):
    """ATen's generic convolution: ``conv{N}d`` or ``conv_transpose{N}d`` by ``weight``'s rank; batched input
    only, as in PyTorch."""
    check_tensor(input, "convolution")
    check_tensor(weight, "convolution", "weight", 2)
    n = weight.ndim - 2
    if input.ndim != weight.ndim:
        raise RuntimeError(f"Expected {weight.ndim}-dimensional input for {weight.ndim}-dimensional weight "
                           f"{size_str(weight.shape)}, but got {input.ndim}-dimensional input of size "
                           f"{size_str(input.shape)} instead")
    if n not in _CONV:
        raise RuntimeError(f"convolution: expected a 3-D, 4-D or 5-D weight, got {weight.ndim}-D")
    if transposed:
        return _CONV_T[n](input, weight, bias, stride, padding, output_padding, groups, dilation)
    return _CONV[n](input, weight, bias, stride, padding, dilation, groups)


# ---- normalization ----
def batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled):
    """ATen's ``batch_norm`` (``weight, bias`` before the running stats); see ``F.batch_norm``."""
    return _norm.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn_enabled):
    """ATen's ``instance_norm`` (``weight, bias`` before the running stats); see ``F.instance_norm``."""
    return _norm.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05, cudnn_enable=True):
    """Layer normalization over the trailing ``normalized_shape`` dims; see ``F.layer_norm``."""
    return _norm.layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05, cudnn_enabled=True):
    """Group normalization; see ``F.group_norm``."""
    return _norm.group_norm(input, num_groups, weight, bias, eps)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """RMS normalization over the trailing ``normalized_shape`` dims; see ``F.rms_norm``."""
    return _norm.rms_norm(input, normalized_shape, weight, eps)


# ---- dropout ----
def _dropout(name, input, p, train, inplace, feature, alpha):
    check_tensor(input, name)
    if p < 0 or p > 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
    return _dropout_run(input, p, train, inplace, feature, alpha)


def dropout(input, p, train):
    """Zero elements with probability ``p`` and scale the rest by ``1 / (1 - p)`` when ``train``
    (masks from jtorch's generator)."""
    return _dropout("dropout", input, p, train, False, False, False)


def dropout_(input, p, train):
    """In-place :func:`dropout`."""
    return _dropout("dropout_", input, p, train, True, False, False)


def alpha_dropout(input, p, train):
    """Alpha dropout (keeps SELU's mean and variance) when ``train``."""
    return _dropout("alpha_dropout", input, p, train, False, False, True)


def alpha_dropout_(input, p, train):
    """In-place :func:`alpha_dropout`."""
    return _dropout("alpha_dropout_", input, p, train, True, False, True)


def feature_dropout(input, p, train):
    """Dropout of whole channels (dim 1) of an input with at least 2 dims."""
    return _dropout("feature_dropout", input, p, train, False, True, False)


def feature_dropout_(input, p, train):
    """In-place :func:`feature_dropout`."""
    return _dropout("feature_dropout_", input, p, train, True, True, False)


def feature_alpha_dropout(input, p, train):
    """Alpha dropout of whole channels (dim 1)."""
    return _dropout("feature_alpha_dropout", input, p, train, False, True, True)


def feature_alpha_dropout_(input, p, train):
    """In-place :func:`feature_alpha_dropout`."""
    return _dropout("feature_alpha_dropout_", input, p, train, True, True, True)


# ---- embedding ----
def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """Rows of ``weight`` at ``indices`` (note ATen's argument order); a negative ``padding_idx`` means none."""
    check_tensor(weight, "embedding", "weight")
    return _embedding(indices, weight, None if padding_idx < 0 else padding_idx,
                      scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


# ---- pooling ----
def max_pool1d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """1-D max pooling; an empty ``stride`` means ``kernel_size``."""
    return _pool.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool1d_with_indices(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """1-D max pooling returning ``(values, indices)``."""
    return _pool.max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool2d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """2-D max pooling; an empty ``stride`` means ``kernel_size``."""
    return _pool.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool3d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """3-D max pooling; an empty ``stride`` means ``kernel_size``."""
    return _pool.max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode)


def avg_pool1d(input, kernel_size, stride=(), padding=0, ceil_mode=False, count_include_pad=True):
    """1-D average pooling; an empty ``stride`` means ``kernel_size``."""
    return _pool.avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad)


def adaptive_avg_pool1d(input, output_size):
    """1-D adaptive average pooling."""
    return _pool.adaptive_avg_pool1d(input, output_size)


def adaptive_max_pool1d(input, output_size):
    """1-D adaptive max pooling returning ``(values, indices)``, as ATen's op does."""
    return _pool.adaptive_max_pool1d(input, output_size, return_indices=True)


# ---- losses (reduction as an int) ----
def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction=0):
    """Sigmoid + binary cross entropy; see ``F.binary_cross_entropy_with_logits``."""
    return _loss.binary_cross_entropy_with_logits(
        input, target, weight, reduction=_reduction(reduction, "binary_cross_entropy_with_logits", 5),
        pos_weight=pos_weight)


def kl_div(input, target, reduction=0, *, log_target=False):
    """Pointwise KL divergence ``target * (log target - input)``, reduced (no 'batchmean' and no warning for
    'mean' at this level, as in PyTorch)."""
    check_tensor(input, "kl_div")
    red = _reduction(reduction, "kl_div", 3)
    broadcast_shapes(tuple(input.shape), tuple(target.shape))
    return _loss._kl_op(input, target, reduction=red, log_target=bool(log_target), batch=1)


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction=0, zero_infinity=False):
    """Connectionist temporal classification loss; lengths may be tensors or int lists."""
    return _loss.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank,
                          _reduction(reduction, "ctc_loss", 6), zero_infinity)


def margin_ranking_loss(input1, input2, target, margin=0.0, reduction=0):
    """``max(0, -target * (input1 - input2) + margin)``, reduced."""
    return _loss.margin_ranking_loss(input1, input2, target, margin,
                                     reduction=_reduction(reduction, "margin_ranking_loss", 5))


def hinge_embedding_loss(input, target, margin=1.0, reduction=0):
    """Hinge embedding loss, reduced."""
    return _loss.hinge_embedding_loss(input, target, margin, reduction=_reduction(reduction, "hinge_embedding_loss", 4))


def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction=0):
    """Cosine embedding loss, reduced."""
    return _loss.cosine_embedding_loss(input1, input2, target, margin,
                                       reduction=_reduction(reduction, "cosine_embedding_loss", 5))


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-06, swap=False, reduction=0):
    """Triplet margin loss, reduced."""
    return _loss.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap,
                                     reduction=_reduction(reduction, "triplet_margin_loss", 8))


def poisson_nll_loss(input, target, log_input, full, eps, reduction):
    """Poisson negative log likelihood (every argument required, as in ATen)."""
    return _loss.poisson_nll_loss(input, target, log_input, full, eps=eps,
                                  reduction=_reduction(reduction, "poisson_nll_loss", 6))


# ---- padding and sampling ----
def constant_pad_nd(input, pad, value=0):
    """Pad the trailing dims with ``value`` (negative pads crop); see ``F.pad``."""
    return _pad(input, pad, "constant", value)


_INTERPOLATION = ("bilinear", "nearest", "bicubic")
_PADDING = ("zeros", "border", "reflection")


def grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners):
    """``F.grid_sample`` with ATen's integer modes: interpolation 0 bilinear, 1 nearest, 2 bicubic; padding
    0 zeros, 1 border, 2 reflection (other values raise RuntimeError)."""
    if interpolation_mode not in (0, 1, 2) or padding_mode not in (0, 1, 2):
        raise RuntimeError(f"grid_sampler(): unsupported interpolation_mode={interpolation_mode} or "
                           f"padding_mode={padding_mode}")
    return grid_sample(input, grid, _INTERPOLATION[interpolation_mode], _PADDING[padding_mode], bool(align_corners))


def affine_grid_generator(theta, size, align_corners):
    """The sampling grid of the affine maps ``theta`` for ``size``; see ``F.affine_grid``."""
    return affine_grid(theta, size, bool(align_corners))
