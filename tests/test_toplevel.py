"""Top-level ``torch.<name>`` functions added on top of the op families: ATen-signature aliases of
``nn.functional`` ops (jtorch/_ops/toplevel_nn.py) and the math / view / linalg / window extras
(jtorch/_ops/extra*.py), against real PyTorch in eager and compiled mode, plus error parity."""
import warnings

import numpy as np
import pytest

from parity import MODES, arr, check, check_error, positive, torch

import jtorch

NN_NAMES = """conv1d conv2d conv3d conv_transpose1d conv_transpose2d conv_transpose3d convolution batch_norm layer_norm
group_norm instance_norm rms_norm dropout dropout_ alpha_dropout alpha_dropout_ feature_alpha_dropout feature_dropout
embedding max_pool1d max_pool1d_with_indices max_pool2d max_pool3d avg_pool1d adaptive_avg_pool1d adaptive_max_pool1d
cosine_similarity pairwise_distance pdist pixel_shuffle pixel_unshuffle channel_shuffle binary_cross_entropy_with_logits
kl_div ctc_loss margin_ranking_loss hinge_embedding_loss cosine_embedding_loss triplet_margin_loss poisson_nll_loss
bilinear constant_pad_nd grid_sampler affine_grid_generator""".split()
EXTRA_NAMES = """diff cov corrcoef isin combinations vander unravel_index gradient renorm histogram cholesky_solve
cholesky_inverse matrix_exp view_as_real view_as_complex detach detach_ fill fill_ zero_ is_same_size is_signed
is_inference_mode_enabled is_anomaly_enabled set_anomaly_enabled hann_window hamming_window blackman_window
bartlett_window kaiser_window select_scatter slice_scatter diagonal_scatter unsafe_chunk unsafe_split view_copy
permute_copy transpose_copy t_copy unsqueeze_copy squeeze_copy expand_copy diagonal_copy select_copy slice_copy
detach_copy unbind_copy split_copy alias_copy narrow_copy as_strided_copy unfold_copy get_device
set_default_tensor_type solve lstsq lu lu_solve lu_unpack triangular_solve nuclear_norm frobenius_norm""".split()

EAGER = {"modes": ("eager",)}
NOGRAD = {"grad": False}


def _tensor(t, values, dtype="float32"):
    return t.tensor(np.array(values, dtype))


def _bn_train(t, x, w, b):
    rm, rv = t.zeros(3), t.ones(3)
    return t.batch_norm(x, w, b, rm, rv, True, 0.3, 1e-5, False), rm, rv


def _bn_eval(t, x, w, b):
    rm, rv = _tensor(t, [0.1, -0.2, 0.3]), _tensor(t, [0.5, 1.5, 2.0])
    return t.batch_norm(x, w, b, rm, rv, False, 0.1, 1e-3, True)


def _ctc(t, lp, reduction):
    targets = t.tensor(np.array([[1, 2, 2], [3, 1, 0]], np.int64))
    return t.ctc_loss(lp.log_softmax(2), targets, [6, 5], [3, 2], 0, reduction)


def _tril(n, seed=0, batch=()):
    a = np.tril(arr(*batch, n, n, seed=seed)) + 3 * np.eye(n, dtype=np.float32)
    return a.astype(np.float32)


def _square(n, seed=0, dtype="float32"):
    return (arr(n, n, seed=seed) + 2 * np.eye(n)).astype(dtype)


_SIGNS = [1.0, -1.0, 1.0, -1.0]

NN_CASES = [
    ("conv1d", lambda t, x, w, b: t.conv1d(x, w, b, 1, 1), [arr(2, 3, 8), arr(4, 3, 3), arr(4)], {}),
    ("conv2d", lambda t, x, w: t.conv2d(x, w, None, 2, 1, 1, 1), [arr(1, 2, 6, 6), arr(3, 2, 3, 3)], {}),
    ("conv3d", lambda t, x, w: t.conv3d(x, w, padding=1), [arr(1, 2, 4, 4, 4), arr(2, 2, 2, 2, 2)], {}),
    ("conv_transpose1d", lambda t, x, w: t.conv_transpose1d(x, w, None, 2, 0, 1), [arr(1, 3, 5), arr(3, 2, 3)], {}),
    ("conv_transpose2d", lambda t, x, w, b: t.conv_transpose2d(x, w, b, 1, 1), [arr(1, 2, 4, 4), arr(2, 3, 3, 3),
                                                                               arr(3)], {}),
    ("conv_transpose3d", lambda t, x, w: t.conv_transpose3d(x, w, stride=2), [arr(1, 2, 3, 3, 3),
                                                                              arr(2, 1, 2, 2, 2)], {}),
    ("convolution", lambda t, x, w, b: t.convolution(x, w, b, [1, 1], [1, 1], [1, 1], False, [0, 0], 1),
     [arr(2, 2, 5, 5), arr(4, 2, 3, 3), arr(4)], {}),
    ("convolution_transposed", lambda t, x, w: t.convolution(x, w, None, [2], [0], [1], True, [1], 1),
     [arr(1, 3, 5), arr(3, 2, 2)], {}),
    ("batch_norm_train", _bn_train, [arr(4, 3, 5), arr(3), arr(3)], {}),
    ("batch_norm_eval", _bn_eval, [arr(4, 3), arr(3), arr(3)], {}),
    ("layer_norm", lambda t, x, w, b: t.layer_norm(x, [4], w, b, 1e-5, False), [arr(2, 3, 4), arr(4), arr(4)], {}),
    ("group_norm", lambda t, x, w, b: t.group_norm(x, 2, w, b, 1e-5, True), [arr(2, 4, 3), arr(4), arr(4)], {}),
    ("instance_norm", lambda t, x, w: t.instance_norm(x, w, None, None, None, True, 0.1, 1e-5, False),
     [arr(2, 3, 5), arr(3)], {}),
    ("rms_norm", lambda t, x, w: t.rms_norm(x, [4], w), [arr(2, 4), arr(4)], {}),
    ("dropout_eval", lambda t, x: t.dropout(x, 0.5, False), [arr(3, 4)], {}),
    ("dropout_p0", lambda t, x: t.dropout(x, 0.0, True), [arr(3, 4)], {}),
    ("dropout_p1", lambda t, x: t.dropout(x, 1.0, True), [arr(3, 4)], {}),
    ("dropout_inplace", lambda t, x: t.dropout_(x * 1, 1.0, True), [arr(2, 3)], {}),
    ("alpha_dropout_eval", lambda t, x: t.alpha_dropout(x, 0.3, False), [arr(3, 4)], {}),
    ("alpha_dropout_inplace_p1", lambda t, x: t.alpha_dropout_(x * 2, 1.0, True), [arr(3, 4)], {}),
    ("feature_dropout_p1", lambda t, x: t.feature_dropout(x, 1.0, True), [arr(2, 3, 4)], {}),
    ("feature_alpha_dropout_eval", lambda t, x: t.feature_alpha_dropout(x, 0.5, False), [arr(2, 3, 4)], {}),
    ("embedding", lambda t, w, i: t.embedding(w, i), [arr(5, 3), arr(2, 3, dtype="int64", low=0, high=4)], {}),
    ("embedding_padding", lambda t, w, i: t.embedding(w, i, 2), [arr(5, 3), arr(6, dtype="int64", low=0, high=4)],
     {}),
    ("max_pool1d", lambda t, x: t.max_pool1d(x, 2), [arr(2, 3, 8)], {}),
    ("max_pool1d_with_indices", lambda t, x: t.max_pool1d_with_indices(x, 3, 2, 1), [arr(2, 3, 8)], {}),
    ("max_pool2d", lambda t, x: t.max_pool2d(x, 3, [], 1), [arr(1, 2, 6, 6)], {}),
    ("max_pool3d", lambda t, x: t.max_pool3d(x, 2, ceil_mode=True), [arr(1, 1, 5, 4, 4)], {}),
    ("avg_pool1d", lambda t, x: t.avg_pool1d(x, 3, 2, 1), [arr(2, 3, 8)], {}),
    ("adaptive_avg_pool1d", lambda t, x: t.adaptive_avg_pool1d(x, 3), [arr(2, 3, 8)], {}),
    ("adaptive_max_pool1d", lambda t, x: t.adaptive_max_pool1d(x, 3), [arr(2, 3, 8)], {}),
    ("cosine_similarity", lambda t, a, b: t.cosine_similarity(a, b, 0), [arr(3, 4), arr(3, 4, seed=1)], {}),
    ("pairwise_distance", lambda t, a, b: t.pairwise_distance(a, b, 1.5), [arr(3, 4), arr(3, 4, seed=1)], {}),
    ("pdist", lambda t, x: t.pdist(x), [arr(4, 3)], {}),
    ("pixel_shuffle", lambda t, x: t.pixel_shuffle(x, 2), [arr(1, 8, 2, 3)], {}),
    ("pixel_unshuffle", lambda t, x: t.pixel_unshuffle(x, 2), [arr(1, 2, 4, 6)], {}),
    ("channel_shuffle", lambda t, x: t.channel_shuffle(x, 2), [arr(1, 4, 2, 2)], {}),
    ("bce_logits", lambda t, x, y: t.binary_cross_entropy_with_logits(x, y, None, _tensor(t, [1, 2, 0.5, 3]), 1),
     [arr(3, 4), arr(3, 4, low=0, high=1)], {}),
    ("bce_logits_none", lambda t, x, y: t.binary_cross_entropy_with_logits(x, y, _tensor(t, [[1], [2], [3]]),
                                                                         reduction=0),
     [arr(3, 4), arr(3, 4, low=0, high=1)], {}),
    ("kl_div_default_none", lambda t, x, y: t.kl_div(x, y), [arr(3, 4), positive(3, 4)], {}),
    ("kl_div_mean", lambda t, x, y: t.kl_div(x, y, 1), [arr(3, 4), positive(3, 4)], {}),
    ("kl_div_log_target_sum", lambda t, x, y: t.kl_div(x, y, 2, log_target=True), [arr(3, 4), arr(3, 4, seed=2)],
     {}),
    ("ctc_loss_mean", lambda t, lp: _ctc(t, lp, 1), [arr(6, 2, 5)], {}),
    ("ctc_loss_none", lambda t, lp: _ctc(t, lp, 0), [arr(6, 2, 5)], {}),
    ("margin_ranking_loss", lambda t, a, b: t.margin_ranking_loss(a, b, _tensor(t, _SIGNS), 0.1, 2),
     [arr(4), arr(4, seed=3)], {}),
    ("hinge_embedding_loss", lambda t, x: t.hinge_embedding_loss(x, _tensor(t, _SIGNS), 1.0, 0), [arr(4)], {}),
    ("cosine_embedding_loss", lambda t, a, b: (t.cosine_embedding_loss(a, b, _tensor(t, _SIGNS), 0.2),
                                                t.cosine_embedding_loss(a, b, _tensor(t, _SIGNS), 0.2, 1)),
     [arr(4, 3), arr(4, 3, seed=4)], {}),
    ("triplet_margin_loss", lambda t, a, p, n: t.triplet_margin_loss(a, p, n, 1.0, 2, 1e-6, True, 1),
     [arr(4, 3), arr(4, 3, seed=5), arr(4, 3, seed=6)], {}),
    ("poisson_nll_loss", lambda t, x, y: t.poisson_nll_loss(x, y, True, False, 1e-8, 1), [arr(3, 4), positive(3, 4)],
     {}),
    ("poisson_nll_loss_full", lambda t, x, y: t.poisson_nll_loss(x, y, False, True, 1e-8, 2),
     [positive(3, 4), positive(3, 4, seed=1) * 3], {}),
    ("bilinear", lambda t, a, b, w, bias: t.bilinear(a, b, w, bias), [arr(2, 3), arr(2, 4), arr(5, 3, 4), arr(5)], {}),
    ("constant_pad_nd", lambda t, x: t.constant_pad_nd(x, [1, 2, 0, 1], 1.5), [arr(2, 3, 4)], {}),
    ("constant_pad_nd_crop", lambda t, x: t.constant_pad_nd(x, [-1, 2]), [arr(3, 4)], {}),
    ("grid_sampler_bilinear", lambda t, x, g: t.grid_sampler(x, g, 0, 0, False),
     [arr(1, 2, 4, 4), arr(1, 3, 3, 2, low=-1.1, high=1.1)], {}),
    ("grid_sampler_nearest_border", lambda t, x, g: t.grid_sampler(x, g, 1, 1, True),
     [arr(1, 2, 4, 4), arr(1, 3, 3, 2, low=-1.1, high=1.1)], NOGRAD),
    ("grid_sampler_bicubic_reflection", lambda t, x, g: t.grid_sampler(x, g, 2, 2, False),
     [arr(1, 2, 4, 4), arr(1, 3, 3, 2, low=-1.1, high=1.1)], {}),
    ("affine_grid_generator", lambda t, th: t.affine_grid_generator(th, [1, 2, 4, 5], False), [arr(1, 2, 3)], {}),
]

MATH_CASES = [
    ("diff", lambda t, x: t.diff(x), [arr(3, 4)], {}),
    ("diff_n2_dim0", lambda t, x: t.diff(x, 2, 0), [arr(4, 3)], {}),
    ("diff_prepend_append", lambda t, x, p, a: t.diff(x, 1, 1, p, a),
     [arr(3, 4), arr(3, 1), arr(3, 2, dtype="float64")], {}),
    ("diff_int", lambda t, x: t.diff(x), [arr(5, dtype="int64", low=-5, high=5)], {}),
    ("diff_bool", lambda t, x: t.diff(x), [arr(6, dtype="bool")], {}),
    ("diff_order_past_size", lambda t, x: x.diff(5), [arr(3, 4)], {}),
    ("diff_5d", lambda t, x: t.diff(x, dim=2), [arr(1, 2, 3, 2, 2)], {}),
    ("gradient", lambda t, x: t.gradient(x), [arr(4, 5)], {}),
    ("gradient_spacing", lambda t, x: t.gradient(x, spacing=[2.0, 0.5]), [arr(4, 5)], {}),
    ("gradient_edge2_dim", lambda t, x: t.gradient(x, spacing=1.5, dim=1, edge_order=2), [arr(4, 5)], {}),
    ("gradient_coords", lambda t, x: t.gradient(x, spacing=(_tensor(t, [0.0, 1.0, 3.0, 4.5]),), dim=0),
     [arr(4, 3)], {}),
    ("gradient_coords_edge2", lambda t, x: t.gradient(x, spacing=(_tensor(t, [0.0, 0.5, 2.0, 2.5, 4.0]),),
                                                      edge_order=2), [arr(5)], {}),
    ("gradient_int", lambda t, x: t.gradient(x), [arr(6, dtype="int64", low=-9, high=9)], {}),
    ("cov", lambda t, x: t.cov(x), [arr(3, 5)], {}),
    ("cov_correction0_1d", lambda t, x: t.cov(x, correction=0), [arr(6)], {}),
    ("cov_weights", lambda t, x, aw: x.cov(fweights=t.tensor(np.array([1, 2, 1, 3, 1])), aweights=aw),
     [arr(3, 5), positive(5)], EAGER),
    ("cov_int", lambda t, x: t.cov(x), [arr(2, 4, dtype="int64", low=-5, high=5)], {}),
    ("cov_float64", lambda t, x: t.cov(x, correction=2), [arr(2, 6, dtype="float64")], {}),
    ("corrcoef", lambda t, x: t.corrcoef(x), [arr(3, 5)], {}),
    ("corrcoef_1d", lambda t, x: t.corrcoef(x), [arr(5)], {}),
    ("isin", lambda t, a, b: t.isin(a, b), [arr(3, 4, dtype="int64", low=0, high=9), arr(5, dtype="int64", high=9)],
     {}),
    ("isin_invert_float", lambda t, a, b: t.isin(a, b, invert=True), [arr(6, dtype="int64", high=4),
                                                                      np.array([1.0, 3.0], np.float32)], NOGRAD),
    ("isin_scalar_elements", lambda t, b: t.isin(2, b), [arr(5, dtype="int64", high=4)], {}),
    ("isin_scalar_test", lambda t, a: t.isin(a, 2), [arr(5, dtype="int64", high=4)], {}),
    ("combinations", lambda t, x: t.combinations(x), [arr(4)], {}),
    ("combinations_r3_replacement", lambda t, x: t.combinations(x, 3, True), [arr(3)], {}),
    ("combinations_r0", lambda t, x: t.combinations(x, 0), [arr(3, dtype="int64")], {}),
    ("combinations_too_long", lambda t, x: t.combinations(x, 4), [arr(3)], {}),
    ("vander", lambda t, x: t.vander(x), [arr(4)], NOGRAD),
    ("vander_n_increasing", lambda t, x: t.vander(x, 3, True), [arr(5, dtype="float64")], NOGRAD),
    ("vander_int", lambda t, x: t.vander(x, 4), [arr(3, dtype="int32", low=-3, high=3)], {}),
    ("vander_bool_n0", lambda t, x: (t.vander(x), t.vander(x, 0)), [arr(3, dtype="bool")], {}),
    ("unravel_index", lambda t, i: t.unravel_index(i, (2, 3)), [np.array([4, 5, -1, 7], np.int64)], {}),
    ("unravel_index_0d", lambda t, i: t.unravel_index(i, 6), [np.array(4, np.int32)], {}),
    ("renorm", lambda t, x: t.renorm(x, 2, 0, 1.0), [arr(3, 4)], {}),
    ("renorm_p1_dim1", lambda t, x: x.renorm(1, 1, 0.5), [arr(3, 4)], {}),
    ("renorm_inplace_3d", lambda t, x: (x * 1).renorm_(3, -1, 1.5), [arr(2, 3, 4)], {}),
    ("histogram", lambda t, x: t.histogram(x, 5), [arr(20)], NOGRAD),
    ("histogram_range_weight", lambda t, x, w: t.histogram(x, 4, range=(-1.0, 1.5), weight=w),
     [arr(4, 5), positive(4, 5)], NOGRAD),
    ("histogram_density", lambda t, x: x.histogram(6, density=True), [arr(30, dtype="float64")], NOGRAD),
    ("histogram_same_values", lambda t, x: t.histogram(x * 0 + 1, 4), [arr(5)], NOGRAD),
    ("histogram_tensor_bins", lambda t, x: t.histogram(x, _tensor(t, [-1.0, 0.0, 0.5, 2.0])), [arr(20)], NOGRAD),
    ("histogram_empty", lambda t, x: t.histogram(x, 4), [arr(0)], NOGRAD),
]

LINALG_CASES = [
    ("cholesky_solve", lambda t, b, f: t.cholesky_solve(b, f), [arr(3, 2), _tril(3)], {}),
    ("cholesky_solve_upper_batch", lambda t, b, f: t.cholesky_solve(b, f.mT, True), [arr(2, 3, 2), _tril(3)], {}),
    ("cholesky_solve_float64", lambda t, b, f: b.cholesky_solve(f), [arr(4, 1, dtype="float64"),
                                                                     _tril(4).astype("float64")], {}),
    ("cholesky_inverse", lambda t, f: t.cholesky_inverse(f), [_tril(3)], {}),
    ("cholesky_inverse_upper_batch", lambda t, f: t.cholesky_inverse(f.mT, upper=True), [_tril(3, batch=(2,))], {}),
    ("matrix_exp", lambda t, a: t.matrix_exp(a * 0.5), [arr(3, 3)], {"rtol": 1e-4, "atol": 1e-5}),
    ("matrix_exp_batch_float64", lambda t, a: a.matrix_exp(), [arr(2, 3, 3, dtype="float64")],
     {"rtol": 1e-8, "atol": 1e-10}),
    ("linalg_matrix_exp", lambda t, a: t.linalg.matrix_exp(a), [arr(2, 2)], {"rtol": 1e-4, "atol": 1e-5}),
    ("lu", lambda t, a: t.lu(a), [_square(3)], {"rtol": 1e-4, "atol": 1e-5}),
    ("lu_get_infos_batch", lambda t, a: t.lu(a, get_infos=True), [np.stack([_square(3), _square(3, 1)])],
     {"rtol": 1e-4, "atol": 1e-5}),
    ("lu_unpack", lambda t, a: t.lu_unpack(*t.lu(a)), [_square(4)], {"rtol": 1e-4, "atol": 1e-5}),
    ("lu_unpack_rect", lambda t, a: t.lu_unpack(*t.lu(a)), [arr(4, 3)], NOGRAD),
    ("lu_unpack_data_only", lambda t, a: t.lu_unpack(*t.lu(a), unpack_pivots=False), [_square(3)], NOGRAD),
    ("lu_solve", lambda t, b, a: t.lu_solve(b, *t.lu(a)), [arr(3, 2), _square(3)], {"rtol": 1e-4, "atol": 1e-5}),
    ("lu_solve_batch", lambda t, b, a: b.lu_solve(*t.lu(a)), [arr(2, 3, 1, dtype="float64"),
                                                                 _square(3, dtype="float64")],
     {"rtol": 1e-8, "atol": 1e-10}),
    ("triangular_solve", lambda t, b, a: t.triangular_solve(b, a.mT), [arr(3, 2), _tril(3)], {}),
    ("triangular_solve_lower_transpose_unit", lambda t, b, a: t.triangular_solve(b, a, False, True, True),
     [arr(2, 3, 2), _tril(3)], {}),
    ("nuclear_norm", lambda t, a: t.nuclear_norm(a), [arr(3, 4)], {"rtol": 1e-4, "atol": 1e-5}),
    ("nuclear_norm_keepdim", lambda t, a: t.nuclear_norm(a, True), [arr(3, 3)], {"rtol": 1e-4, "atol": 1e-5}),
    ("nuclear_norm_dim", lambda t, a: t.nuclear_norm(a, (0, 2)), [arr(3, 2, 3)], {"rtol": 1e-4, "atol": 1e-5}),
    ("frobenius_norm", lambda t, a: t.frobenius_norm(a, (0, 1)), [arr(3, 4)], {}),
    ("frobenius_norm_keepdim", lambda t, a: t.frobenius_norm(a, 1, True), [arr(2, 3, 4)], {}),
]

VIEW_CASES = [
    ("view_as_real", lambda t, z: t.view_as_real(z) * 2, [arr(3, 2, dtype="complex64")], {}),
    ("view_as_complex", lambda t, x: t.view_as_complex(x) * (1 + 2j), [arr(3, 2)], {}),
    ("view_as_complex_float64", lambda t, x: t.view_as_complex(x), [arr(2, 3, 2, dtype="float64")], {}),
    ("select_scatter", lambda t, x, s: t.select_scatter(x, s, 0, -2), [arr(3, 4), arr(4)], {}),
    ("select_scatter_cast", lambda t, x, s: x.select_scatter(s, 1, 2), [arr(3, 4), arr(3, dtype="float64")], {}),
    ("slice_scatter", lambda t, x, s: t.slice_scatter(x, s, 1, 0, 4, 2), [arr(3, 4), arr(3, 2)], {}),
    ("slice_scatter_default", lambda t, x, s: t.slice_scatter(x, s, start=1), [arr(3, 4), arr(2, 4)], {}),
    ("diagonal_scatter", lambda t, x, s: t.diagonal_scatter(x, s, 1), [arr(3, 4), arr(3)], {}),
    ("diagonal_scatter_neg_3d", lambda t, x, s: t.diagonal_scatter(x, s, -1, 1, 2), [arr(2, 3, 4), arr(2, 2)], {}),
    ("unsafe_chunk", lambda t, x: t.unsafe_chunk(x, 3, 1), [arr(2, 7)], {}),
    ("unsafe_split", lambda t, x: x.unsafe_split(2, 0), [arr(5, 2)], {}),
    ("view_copy", lambda t, x: t.view_copy(x, (4, 3)), [arr(3, 4)], {}),
    ("view_copy_dtype", lambda t, x: t.view_copy(x, t.int32), [arr(3, 4)], NOGRAD),
    ("permute_copy", lambda t, x: t.permute_copy(x, (2, 0, 1)), [arr(2, 3, 4)], {}),
    ("transpose_copy", lambda t, x: t.transpose_copy(x, 0, 1), [arr(2, 3)], {}),
    ("t_copy", lambda t, x: t.t_copy(x), [arr(2, 3)], {}),
    ("unsqueeze_copy", lambda t, x: t.unsqueeze_copy(x, -1), [arr(2, 3)], {}),
    ("squeeze_copy", lambda t, x: (t.squeeze_copy(x), t.squeeze_copy(x, 0), t.squeeze_copy(x, (0, 2))),
     [arr(1, 3, 1)], {}),
    ("expand_copy", lambda t, x: t.expand_copy(x, (2, 3, 4)), [arr(3, 1)], {}),
    ("diagonal_copy", lambda t, x: t.diagonal_copy(x, 1), [arr(3, 4)], {}),
    ("select_copy", lambda t, x: t.select_copy(x, 1, 2), [arr(3, 4)], {}),
    ("slice_copy", lambda t, x: t.slice_copy(x, 1, 1, None, 2), [arr(3, 4)], {}),
    ("detach_copy", lambda t, x: t.detach_copy(x), [arr(3)], NOGRAD),
    ("unbind_copy", lambda t, x: t.unbind_copy(x, 1), [arr(2, 3)], {}),
    ("split_copy", lambda t, x: t.split_copy(x, 2), [arr(5, 2)], {}),
    ("alias_copy", lambda t, x: t.alias_copy(x), [arr(2, 3)], {}),
    ("narrow_copy", lambda t, x: x.narrow_copy(1, 1, 2), [arr(3, 4)], {}),
    ("as_strided_copy", lambda t, x: t.as_strided_copy(x, (2, 2), (1, 2), 1), [arr(3, 4)], {}),
    ("unfold_copy", lambda t, x: t.unfold_copy(x, 0, 2, 1), [arr(4, 2)], {}),
    ("detach", lambda t, x: x * 2 + t.detach(x), [arr(3)], {}),
    ("fill", lambda t, x: t.fill(x, 2.5), [arr(2, 3)], {}),
    ("fill_tensor_value", lambda t, x, v: t.fill(x, v), [arr(2, 3), np.array(1.5, np.float32)], {}),
    ("fill_", lambda t, x: t.fill_(x * 1, 3), [arr(2, 3)], {}),
    ("zero_", lambda t, x: t.zero_(x * 1), [arr(2, 3)], {}),
]

WINDOW_CASES = [
    ("hann_window", lambda t: (t.hann_window(5), t.hann_window(6, False), t.hann_window(1), t.hann_window(0)), [], {}),
    ("hamming_window", lambda t: (t.hamming_window(5, True, 0.5, 0.4), t.hamming_window(7, dtype=t.float64)), [], {}),
    ("blackman_window", lambda t: (t.blackman_window(5), t.blackman_window(8, False, dtype=t.float64)), [], {}),
    ("bartlett_window", lambda t: (t.bartlett_window(5), t.bartlett_window(6, False), t.bartlett_window(7)), [], {}),
    ("kaiser_window", lambda t: (t.kaiser_window(5), t.kaiser_window(6, False, 5.0, dtype=t.float64),
                                 t.kaiser_window(1)), [], {}),
]

CASES = NN_CASES + MATH_CASES + LINALG_CASES + VIEW_CASES + WINDOW_CASES
PARAMS = [pytest.param(fn, inputs, opts, mode, id=f"{name}-{mode}")
          for name, fn, inputs, opts in CASES for mode in opts.get("modes", MODES)]


@pytest.mark.parametrize("fn,inputs,opts,mode", PARAMS)
def test_parity(fn, inputs, opts, mode):
    kwargs = {k: v for k, v in opts.items() if k != "modes"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(fn, *inputs, mode=mode, **kwargs)


ERROR_CASES = [
    ("convolution_unbatched", lambda t, x, w: t.convolution(x, w, None, [1], [0], [1], False, [0], 1),
     [arr(3, 5), arr(2, 3, 2)], "Expected 3-dimensional input"),
    ("dropout_p", lambda t, x: t.dropout(x, 1.5, True), [arr(3)], "between 0 and 1"),
    ("feature_dropout_1d", lambda t, x: t.feature_dropout(x, 0.5, True), [arr(3)], "at least 2 dimensions"),
    ("kl_div_string_reduction", lambda t, x: t.kl_div(x, x, "mean"), [arr(3)], "must be int"),
    ("diff_0d", lambda t, x: t.diff(x), [arr()], "at least one-dimensional"),
    ("diff_negative_order", lambda t, x: t.diff(x, -1), [arr(3)], "non-negative"),
    ("diff_prepend_shape", lambda t, x, p: t.diff(x, prepend=p), [arr(3, 4), arr(2, 1)], "input.size\\(0\\) = 3"),
    ("cov_3d", lambda t, x: t.cov(x), [arr(2, 2, 2)], "two or fewer dimensions"),
    ("cov_float_fweights", lambda t, x, w: t.cov(x, fweights=w), [arr(3, 4), arr(4)], "integral dtype"),
    ("cov_negative_aweights", lambda t, x, w: t.cov(x, aweights=w), [arr(3, 4), -positive(4)], "cannot be negative"),
    ("combinations_2d", lambda t, x: t.combinations(x), [arr(2, 2)], "Expect a 1D vector"),
    ("vander_2d", lambda t, x: t.vander(x), [arr(2, 2)], "one-dimensional"),
    ("unravel_float", lambda t, x: t.unravel_index(x, (2, 3)), [arr(2)], "integer dtype"),
    ("unravel_negative_shape", lambda t, x: t.unravel_index(x, (2, -3)), [np.array([1])], "negative values"),
    ("gradient_edge_order", lambda t, x: t.gradient(x, edge_order=3), [arr(4)], "edge_order=1 and edge_order=2"),
    ("gradient_too_small", lambda t, x: t.gradient(x), [arr(1)], "at least edge_order\\+1"),
    ("renorm_int", lambda t, x: t.renorm(x, 2, 0, 1), [arr(2, 2, dtype="int64")], "floating point"),
    ("renorm_p0", lambda t, x: t.renorm(x, 0, 0, 1), [arr(2, 2)], "non-positive-norm"),
    ("histogram_int", lambda t, x: t.histogram(x, 3), [arr(4, dtype="int64")], "histogramdd"),
    ("histogram_bins0", lambda t, x: t.histogram(x, 0), [arr(4)], "bins must be > 0"),
    ("histogram_bad_range", lambda t, x: t.histogram(x, 3, range=(2.0, 1.0)), [arr(4)], "min should not exceed"),
    ("histogram_inf", lambda t, x: t.histogram(x / 0, 3), [positive(4)], "is not finite"),
    ("cholesky_solve_1d", lambda t, b, f: t.cholesky_solve(b, f), [arr(3), _tril(3)], "at least 2 dimensions"),
    ("cholesky_solve_dtype", lambda t, b, f: t.cholesky_solve(b, f), [arr(3, 1, dtype="float64"), _tril(3)],
     "same dtype"),
    ("cholesky_inverse_rect", lambda t, f: t.cholesky_inverse(f), [arr(3, 2)], "square matrices"),
    ("matrix_exp_int", lambda t, a: t.matrix_exp(a), [arr(2, 2, dtype="int64")], "floating point"),
    ("lu_no_pivot", lambda t, a: t.lu(a, pivot=False), [_square(3)], "without pivoting"),
    ("lu_unpack_pivot_dtype", lambda t, a: t.lu_unpack(t.lu(a)[0], t.lu(a)[1].long()), [_square(3)], "int32"),
    ("lu_solve_shapes", lambda t, b, a: t.lu_solve(b, *t.lu(a)), [arr(2, 2), _square(3)], "Incompatible shapes"),
    ("triangular_solve_sizes", lambda t, b, a: t.triangular_solve(b, a), [arr(2, 2), _tril(3)], "Incompatible"),
    ("frobenius_norm_3_dims", lambda t, a: t.frobenius_norm(a, (0, 1, 2)), [arr(2, 2, 2)], "at most 2"),
    ("solve_removed", lambda t, a: t.solve(a, a), [_square(2)], "deprecated since version 1.9"),
    ("lstsq_removed", lambda t, a: t.lstsq(a, a), [_square(2)], "deprecated since version 1.9"),
    ("view_as_real_float", lambda t, x: t.view_as_real(x), [arr(3)], "complex tensors"),
    ("view_as_complex_size", lambda t, x: t.view_as_complex(x), [arr(3, 3)], "last dimension of size 2"),
    ("view_as_complex_long", lambda t, x: t.view_as_complex(x), [arr(3, 2, dtype="int64")], "scalar type: Long"),
    ("select_scatter_shape", lambda t, x, s: t.select_scatter(x, s, 0, 1), [arr(3, 4), arr(3)], "src size = \\[3\\]"),
    ("select_scatter_index", lambda t, x, s: t.select_scatter(x, s, 0, 5), [arr(3, 4), arr(4)], "out of range"),
    ("slice_scatter_shape", lambda t, x, s: t.slice_scatter(x, s, 1, 0, 4, 2), [arr(3, 4), arr(3, 3)],
     "slice size = \\[3, 2\\]"),
    ("unsafe_split_list", lambda t, x: t.unsafe_split(x, [1, 2]), [arr(3)], "must be int"),
    ("hann_window_negative", lambda t: t.hann_window(-1), [], "non-negative window_length"),
    ("kaiser_window_long", lambda t: t.kaiser_window(4, dtype=t.long), [], "expects floating point dtypes"),
]


@pytest.mark.parametrize("fn,inputs,match", [pytest.param(f, i, m, id=n) for n, f, i, m in ERROR_CASES])
def test_errors(fn, inputs, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_error(fn, *inputs, match=match)


def test_every_name_exists():
    missing = [n for n in NN_NAMES + EXTRA_NAMES if not callable(getattr(jtorch, n, None))]
    assert not missing, f"missing on jtorch: {missing}"
    assert callable(jtorch.linalg.matrix_exp)


def test_predicates_and_switches():
    x, y = jtorch.zeros(2, 3), jtorch.ones(2, 3, dtype=jtorch.int64)
    assert jtorch.is_same_size(x, y) and not jtorch.is_same_size(x, jtorch.zeros(3))
    assert x.is_same_size(y)
    assert jtorch.is_signed(x) and not jtorch.is_signed(jtorch.zeros(2, dtype=jtorch.uint8))
    assert jtorch.get_device(x) == torch.get_device(torch.zeros(2)) == -1
    assert jtorch.is_inference_mode_enabled() is False
    with jtorch.inference_mode():
        assert jtorch.is_inference_mode_enabled() is True
    assert jtorch.is_anomaly_enabled() is False
    jtorch.set_anomaly_enabled(True)
    try:
        assert jtorch.is_anomaly_enabled() is True and jtorch.autograd.anomaly_mode.is_anomaly_enabled()
    finally:
        jtorch.set_anomaly_enabled(False)
    assert jtorch.is_anomaly_enabled() is False


def test_detach_and_inplace_function_forms():
    x = jtorch.ones(3, requires_grad=True)
    d = jtorch.detach(x)
    assert not d.requires_grad and d.untyped_storage() is x.untyped_storage()
    y = x * 2
    assert jtorch.detach_(y) is y and y.grad_fn is None and not y.requires_grad
    z = jtorch.zeros(2, 2)
    assert jtorch.fill_(z, 4) is z and z.tolist() == [[4.0, 4.0], [4.0, 4.0]]
    assert jtorch.zero_(z) is z and z.sum().item() == 0.0
    w = jtorch.ones(2, 3)
    c = jtorch.permute_copy(w, (1, 0))
    c.add_(1)
    assert w.sum().item() == 6.0 and c.is_contiguous()


def test_set_default_tensor_type():
    try:
        with pytest.warns(UserWarning, match="set_default_tensor_type\\(\\) is deprecated"):
            jtorch.set_default_tensor_type(jtorch.DoubleTensor)
        assert jtorch.get_default_dtype() is jtorch.float64 and jtorch.ones(1).dtype is jtorch.float64
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            jtorch.set_default_tensor_type("torch.FloatTensor")
        assert jtorch.get_default_dtype() is jtorch.float32
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(TypeError, match="only floating-point types"):
                jtorch.set_default_tensor_type(jtorch.IntTensor)
            with pytest.raises(AttributeError):
                jtorch.set_default_tensor_type("torch.FooTensor")
    finally:
        jtorch.set_default_dtype(jtorch.float32)


def test_dropout_training_masks():
    jtorch.manual_seed(0)
    x = jtorch.ones(400, 10)
    y = jtorch.dropout(x, 0.25, True)
    vals = set(np.unique(np.asarray(y._read())).tolist())
    assert vals <= {0.0, float(np.float32(1 / 0.75))} and 0.65 < float((y != 0).float().mean()) < 0.85
    f = jtorch.feature_dropout(x.reshape(40, 10, 10), 0.5, True)
    per_channel = np.asarray(f._read()).reshape(40, 10, 10)
    assert np.all(per_channel.min(-1) == per_channel.max(-1))
    a = jtorch.ones(400, 10)
    assert jtorch.alpha_dropout_(a, 0.2, True) is a and float(a.std()) > 0


def test_deprecation_warnings_match_torch():
    a = _square(3)
    for name, call in (("lu", lambda t, m: t.lu(m)), ("triangular_solve", lambda t, m: t.triangular_solve(m, m)),
                       ("nuclear_norm", lambda t, m: t.nuclear_norm(m))):
        jtorch._ops.extra_linalg._WARNED.discard(name)
        with pytest.warns(UserWarning, match="deprecated"):
            call(jtorch, jtorch.tensor(a))
