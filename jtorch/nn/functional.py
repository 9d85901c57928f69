"""``torch.nn.functional`` on jtorch: the functional forms of layers, activations and losses.

Signatures, defaults, shape checks and error messages follow PyTorch. The implementations live
in ``jtorch.nn._kernels`` (one module per family) and in ``jtorch._ops.activation`` /
``jtorch._ops.pointwise`` (activations); this module re-exports them under PyTorch's names.
Where jtorch differs from PyTorch it says so in the function's docstring (dropout masks come from
jtorch's own random stream; ``interpolate(antialias=True)`` is not supported).
"""
from .._ops.activation import (celu, celu_, elu, gelu, glu, hardshrink, hardsigmoid, hardswish, hardtanh,
                               leaky_relu, log_softmax, logsigmoid, mish, prelu, relu, relu6, relu_, rrelu, rrelu_,
                               selu, selu_, silu, softmax, softmin, softplus, softshrink, softsign, tanhshrink,
                               threshold, threshold_)
from .._ops.pointwise import sigmoid, tanh
from ._kernels.attention import multi_head_attention_forward, scaled_dot_product_attention
from ._kernels.conv import (conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, fold,
                            unfold)
from ._kernels.distance import cosine_similarity, pairwise_distance, pdist
from ._kernels.dropout import alpha_dropout, dropout, dropout1d, dropout2d, dropout3d, feature_alpha_dropout
from ._kernels.linear import bilinear, linear
from ._kernels.loss import (binary_cross_entropy, binary_cross_entropy_with_logits, cosine_embedding_loss,
                            cross_entropy, ctc_loss, gaussian_nll_loss, hinge_embedding_loss, huber_loss, kl_div,
                            l1_loss, margin_ranking_loss, mse_loss, multi_margin_loss, multilabel_margin_loss,
                            multilabel_soft_margin_loss, nll_loss, poisson_nll_loss, smooth_l1_loss, soft_margin_loss,
                            triplet_margin_loss, triplet_margin_with_distance_loss)
from ._kernels.normalization import (batch_norm, group_norm, instance_norm, layer_norm, local_response_norm,
                                     normalize, rms_norm)
from ._kernels.padding import pad
from ._kernels.pooling import (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d,
                               adaptive_max_pool1d_with_indices, adaptive_max_pool2d,
                               adaptive_max_pool2d_with_indices, adaptive_max_pool3d,
                               adaptive_max_pool3d_with_indices, avg_pool1d, avg_pool2d, avg_pool3d, lp_pool1d,
                               lp_pool2d, lp_pool3d, max_pool1d, max_pool1d_with_indices, max_pool2d,
                               max_pool2d_with_indices, max_pool3d, max_pool3d_with_indices, max_unpool1d,
                               max_unpool2d, max_unpool3d)
from ._kernels.sampling import (affine_grid, channel_shuffle, grid_sample, interpolate, native_channel_shuffle,
                                pixel_shuffle, pixel_unshuffle, upsample, upsample_bilinear, upsample_nearest)
from ._kernels.sparse import embedding, embedding_bag, one_hot

__all__ = [
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d",
    "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d", "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d", "adaptive_max_pool3d_with_indices", "affine_grid", "alpha_dropout", "avg_pool1d",
    "avg_pool2d", "avg_pool3d", "batch_norm", "bilinear", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "celu", "celu_", "channel_shuffle", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    "conv_transpose3d", "cosine_embedding_loss", "cosine_similarity", "cross_entropy", "ctc_loss", "dropout",
    "dropout1d", "dropout2d", "dropout3d", "elu", "elu_", "embedding", "embedding_bag", "feature_alpha_dropout",
    "fold", "gaussian_nll_loss", "gelu", "glu", "grid_sample", "group_norm", "gumbel_softmax", "hardshrink",
    "hardsigmoid", "hardswish", "hardtanh", "hardtanh_", "hinge_embedding_loss", "huber_loss", "instance_norm",
    "interpolate", "kl_div", "l1_loss", "layer_norm", "leaky_relu", "leaky_relu_", "linear", "local_response_norm",
    "log_softmax", "logsigmoid", "lp_pool1d", "lp_pool2d", "lp_pool3d", "margin_ranking_loss", "max_pool1d",
    "max_pool1d_with_indices", "max_pool2d", "max_pool2d_with_indices", "max_pool3d", "max_pool3d_with_indices",
    "max_unpool1d", "max_unpool2d", "max_unpool3d", "mish", "mse_loss", "multi_head_attention_forward",
    "multi_margin_loss", "multilabel_margin_loss", "multilabel_soft_margin_loss", "native_channel_shuffle",
    "nll_loss", "normalize", "one_hot", "pad", "pairwise_distance", "pdist", "pixel_shuffle", "pixel_unshuffle",
    "poisson_nll_loss", "prelu", "relu", "relu6", "relu_", "rms_norm", "rrelu", "rrelu_", "scaled_dot_product_attention",
    "selu", "selu_", "sigmoid", "silu", "smooth_l1_loss", "soft_margin_loss", "softmax", "softmin", "softplus",
    "softshrink", "softsign", "tanh", "tanhshrink", "threshold", "threshold_", "triplet_margin_loss",
    "triplet_margin_with_distance_loss", "unfold", "upsample", "upsample_bilinear", "upsample_nearest",
]


def elu_(input, alpha=1.0):
    """In-place :func:`elu`."""
    return elu(input, alpha, inplace=True)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    """In-place :func:`hardtanh`."""
    return hardtanh(input, min_val, max_val, inplace=True)


def leaky_relu_(input, negative_slope=0.01):
    """In-place :func:`leaky_relu`."""
    return leaky_relu(input, negative_slope, inplace=True)


def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1):
    """Sample from the Gumbel-softmax distribution (noise from jtorch's generator); ``hard=True`` returns one-hot
    samples with the soft sample's gradient (straight-through)."""
    from .._ops.creation import empty_like, zeros_like

    gumbels = -empty_like(logits).exponential_().log()
    y_soft = softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft
