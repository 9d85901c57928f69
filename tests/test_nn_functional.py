"""jtorch.nn.functional (layers' functional forms) against torch.nn.functional: values, dtypes and
gradients in eager and compiled mode, plus error parity. Losses live in test_nn_losses.py."""
import warnings

import numpy as np
import pytest

from parity import MODES, arr, check, check_error, positive, torch

import jtorch


def F(t):
    return t.nn.functional


def _bn_stats(t, x, w, b):
    rm, rv = t.zeros(3), t.ones(3)
    out = F(t).batch_norm(x, rm, rv, w, b, training=True, momentum=0.3)
    return out, rm, rv


def _in_stats(t, x, w, b):
    rm, rv = t.zeros(4), t.ones(4)
    out = F(t).instance_norm(x, rm, rv, w, b, use_input_stats=True, momentum=0.2)
    return out, rm, rv


def _bn_eval(t, x, w, b):
    rm = t.tensor(np.array([0.1, -0.2, 0.3], np.float32))
    rv = t.tensor(np.array([0.5, 1.5, 2.0], np.float32))
    return F(t).batch_norm(x, rm, rv, w, b, training=False, eps=1e-3)


def _unpool(t, x):
    v, i = F(t).max_pool2d(x, 3, 2, 1, return_indices=True)
    return F(t).max_unpool2d(v, i, 3, 2, 1, output_size=x.shape)


def _embed_renorm(t, idx):
    w = t.tensor(arr(6, 3, seed=4) * 3)
    return F(t).embedding(idx, w, max_norm=1.5), w


CASES = [
    # linear
    ("linear", lambda t, x, w, b: F(t).linear(x, w, b), [arr(3, 4), arr(5, 4), arr(5)]),
    ("linear_nobias_batch1_3d", lambda t, x, w: F(t).linear(x, w), [arr(1, 3, 4), arr(5, 4)]),
    ("linear_1d_input", lambda t, x, w, b: F(t).linear(x, w, b), [arr(4), arr(5, 4), arr(5)]),
    ("bilinear", lambda t, a, b, w, bias: F(t).bilinear(a, b, w, bias), [arr(3, 4), arr(3, 5), arr(6, 4, 5), arr(6)]),
    # convolution
    ("conv1d", lambda t, x, w, b: F(t).conv1d(x, w, b, stride=2, padding=1), [arr(2, 3, 9), arr(4, 3, 3), arr(4)]),
    ("conv1d_same_dil", lambda t, x, w: F(t).conv1d(x, w, padding="same", dilation=2), [arr(2, 3, 9), arr(4, 3, 4)]),
    ("conv1d_unbatched_valid", lambda t, x, w: F(t).conv1d(x, w, padding="valid"), [arr(3, 8), arr(2, 3, 3)]),
    ("conv2d", lambda t, x, w, b: F(t).conv2d(x, w, b), [arr(2, 3, 8, 8), arr(6, 3, 5, 5), arr(6)]),
    ("conv2d_batch1_odd", lambda t, x, w: F(t).conv2d(x, w, stride=(2, 1), padding=(1, 2)),
     [arr(1, 2, 7, 5), arr(3, 2, 3, 2)]),
    ("conv2d_groups_dil", lambda t, x, w, b: F(t).conv2d(x, w, b, 2, 1, 2, groups=2),
     [arr(2, 4, 9, 8, dtype="float64"), arr(6, 2, 3, 3, dtype="float64"), arr(6, dtype="float64")]),
    ("conv2d_depthwise", lambda t, x, w: F(t).conv2d(x, w, groups=4, padding="same"),
     [arr(2, 4, 6, 6), arr(8, 1, 3, 3)]),
    ("conv2d_same_even", lambda t, x, w: F(t).conv2d(x, w, padding="same"), [arr(1, 2, 6, 5), arr(3, 2, 4, 2)]),
    ("conv2d_int64", lambda t, x, w: F(t).conv2d(x, w, padding=1),
     [arr(1, 2, 5, 5, dtype="int64", low=-3, high=3), arr(3, 2, 3, 3, dtype="int64", low=-3, high=3)]),
    ("conv3d", lambda t, x, w, b: F(t).conv3d(x, w, b, stride=(1, 2, 1), padding=1),
     [arr(1, 2, 4, 5, 4), arr(3, 2, 2, 3, 2), arr(3)]),
    ("conv_transpose1d", lambda t, x, w, b: F(t).conv_transpose1d(x, w, b, stride=2, padding=1, output_padding=1),
     [arr(2, 3, 6), arr(3, 4, 3), arr(4)]),
    ("conv_transpose2d", lambda t, x, w: F(t).conv_transpose2d(x, w, stride=(2, 3), padding=(1, 0),
                                                               output_padding=(1, 2)), [arr(2, 3, 4, 5), arr(3, 2, 3, 3)]),
    ("conv_transpose2d_groups_dil", lambda t, x, w, b: F(t).conv_transpose2d(x, w, b, 2, 1, 1, 2, 2),
     [arr(1, 4, 5, 4, dtype="float64"), arr(4, 3, 3, 2, dtype="float64"), arr(6, dtype="float64")]),
    ("conv_transpose2d_unbatched_bigpad", lambda t, x, w: F(t).conv_transpose2d(x, w, padding=2),
     [arr(3, 5, 6), arr(3, 2, 3, 3)]),
    ("conv_transpose3d", lambda t, x, w: F(t).conv_transpose3d(x, w, stride=2), [arr(1, 2, 3, 2, 3), arr(2, 2, 2, 2, 2)]),
    ("unfold", lambda t, x: F(t).unfold(x, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)), [arr(2, 3, 7, 8)]),
    ("fold", lambda t, x: F(t).fold(x, (5, 6), (2, 3), padding=1, stride=(2, 1)), [arr(2, 12, 18)]),
    # pooling
    ("max_pool2d", lambda t, x: F(t).max_pool2d(x, 2), [arr(2, 3, 8, 8)]),
    ("max_pool2d_ceil_idx", lambda t, x: F(t).max_pool2d(x, 3, 2, 1, ceil_mode=True, return_indices=True),
     [arr(1, 2, 7, 8)]),
    ("max_pool2d_dil_unbatched", lambda t, x: F(t).max_pool2d(x, (2, 3), (1, 2), (1, 1), dilation=(2, 1),
                                                              return_indices=True), [arr(2, 7, 9)]),
    ("max_pool2d_ties", lambda t, x: F(t).max_pool2d(x, 3, 1, return_indices=True), [np.round(arr(1, 1, 6, 6))]),
    ("max_pool1d", lambda t, x: F(t).max_pool1d(x, 3, 2, 1, ceil_mode=True, return_indices=True), [arr(2, 3, 10)]),
    ("max_pool3d", lambda t, x: F(t).max_pool3d(x, 2, ceil_mode=True, return_indices=True), [arr(1, 2, 5, 5, 5)]),
    ("max_unpool2d", _unpool, [arr(2, 3, 8, 9)]),
    ("avg_pool2d_ceil", lambda t, x: F(t).avg_pool2d(x, 3, 2, 1, ceil_mode=True), [arr(2, 3, 8, 7)]),
    ("avg_pool2d_nopad", lambda t, x: F(t).avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
     [arr(2, 3, 8, 7)]),
    ("avg_pool2d_divisor", lambda t, x: F(t).avg_pool2d(x, (2, 3), 2, 1, divisor_override=5), [arr(3, 8, 7)]),
    ("avg_pool2d_int", lambda t, x: F(t).avg_pool2d(x, 3, 1, 1), [arr(1, 2, 5, 6, dtype="int64", low=-20, high=20)]),
    ("avg_pool1d", lambda t, x: F(t).avg_pool1d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False), [arr(2, 3, 8)]),
    ("avg_pool3d", lambda t, x: F(t).avg_pool3d(x, 3, 2, 1, ceil_mode=True), [arr(1, 2, 5, 6, 7)]),
    ("adaptive_avg_pool2d", lambda t, x: F(t).adaptive_avg_pool2d(x, (3, 5)), [arr(2, 3, 8, 7)]),
    ("adaptive_avg_pool2d_none", lambda t, x: F(t).adaptive_avg_pool2d(x, (None, 1)), [arr(3, 8, 7)]),
    ("adaptive_avg_pool3d", lambda t, x: F(t).adaptive_avg_pool3d(x, (2, 3, 4)), [arr(1, 2, 5, 6, 7)]),
    ("adaptive_max_pool2d", lambda t, x: F(t).adaptive_max_pool2d(x, (3, 5), return_indices=True), [arr(2, 3, 8, 7)]),
    ("adaptive_max_pool2d_ties", lambda t, x: F(t).adaptive_max_pool2d(x, 4, return_indices=True),
     [np.round(arr(1, 1, 7, 7))]),
    ("lp_pool2d", lambda t, x: F(t).lp_pool2d(x, 2, 3, 2), [positive(1, 2, 7, 7)]),
    # normalization
    ("batch_norm_train", _bn_stats, [arr(4, 3, 5), arr(3), arr(3)]),
    ("batch_norm_eval", _bn_eval, [arr(4, 3, 2, 2), arr(3), arr(3)]),
    ("instance_norm_stats", _in_stats, [arr(3, 4, 5), arr(4), arr(4)]),
    ("layer_norm", lambda t, x, w, b: F(t).layer_norm(x, (4, 5), w, b), [arr(3, 4, 5), arr(4, 5), arr(4, 5)]),
    ("group_norm", lambda t, x, w, b: F(t).group_norm(x, 2, w, b), [arr(3, 4, 5, 2), arr(4), arr(4)]),
    ("rms_norm", lambda t, x, w: F(t).rms_norm(x, (5,), w), [arr(3, 4, 5), arr(5)]),
    ("local_response_norm_4d", lambda t, x: F(t).local_response_norm(x, 2, 1e-2, 0.5, 2.0), [arr(3, 6, 5, 2)]),
    ("normalize_p1_zero_row", lambda t, x: F(t).normalize(x, 1, -1), [np.vstack([np.zeros((1, 5)), arr(3, 5)])]),
    # lookups
    ("embedding", lambda t, i, w: F(t).embedding(i, w), [np.array([[1, 2, 4], [4, 3, 9]]), arr(10, 3)]),
    ("embedding_padding", lambda t, i, w: F(t).embedding(i, w, padding_idx=-6), [np.array([1, 4, 4, 0]), arr(10, 3)]),
    ("embedding_freq", lambda t, i, w: F(t).embedding(i, w, scale_grad_by_freq=True),
     [np.array([1, 4, 4, 0, 4]), arr(6, 3)]),
    ("embedding_renorm", _embed_renorm, [np.array([0, 2, 2, 5])]),
    ("embedding_bag_mean", lambda t, i, o, w: F(t).embedding_bag(i, w, o),
     [np.array([1, 2, 4, 5, 4, 3]), np.array([0, 2, 2, 5]), arr(10, 3)]),
    ("embedding_bag_sum_psw", lambda t, i, w, p: F(t).embedding_bag(i, w, mode="sum", per_sample_weights=p),
     [np.array([[1, 2], [4, 4]]), arr(10, 3), arr(2, 2)]),
    ("embedding_bag_max_pad", lambda t, i, o, w: F(t).embedding_bag(i, w, o, mode="max", padding_idx=4,
                                                                    include_last_offset=True),
     [np.array([1, 2, 4, 5, 4, 3]), np.array([0, 2, 3, 6]), arr(10, 3)]),
    ("one_hot", lambda t, i: F(t).one_hot(i, 6), [np.array([[0, 5], [3, 3]])]),
    # padding
    ("pad_constant", lambda t, x: F(t).pad(x, (1, 2, 0, -1), value=3.5), [arr(2, 3, 4, 5)]),
    ("pad_reflect_neg", lambda t, x: F(t).pad(x, (2, -1, 1, 2), mode="reflect"), [arr(2, 3, 4, 5)]),
    ("pad_replicate", lambda t, x: F(t).pad(x, (2, 3, 1, 0), mode="replicate"), [arr(2, 3, 4, 5)]),
    ("pad_replicate_3d", lambda t, x: F(t).pad(x, (1, 1, 2, 0, 1, 2), mode="replicate"), [arr(1, 2, 3, 4, 5)]),
    ("pad_circular", lambda t, x: F(t).pad(x, (-1, 3, 2, -2), mode="circular"), [arr(2, 3, 4, 5)]),
    # resampling
    ("interp_nearest_scale", lambda t, x: F(t).interpolate(x, scale_factor=1.7), [arr(2, 3, 4, 6)]),
    ("interp_nearest_3d", lambda t, x: F(t).interpolate(x, scale_factor=(1.5, 2, 0.7)), [arr(1, 2, 3, 4, 5)]),
    ("interp_nearest_exact", lambda t, x: F(t).interpolate(x, scale_factor=1.3, mode="nearest-exact"),
     [arr(2, 3, 5, 6)]),
    ("interp_linear_ac", lambda t, x: F(t).interpolate(x, size=11, mode="linear", align_corners=True), [arr(2, 3, 7)]),
    ("interp_bilinear_scale", lambda t, x: F(t).interpolate(x, scale_factor=1.7, mode="bilinear"), [arr(2, 3, 4, 6)]),
    ("interp_bilinear_recompute", lambda t, x: F(t).interpolate(x, scale_factor=0.6, mode="bilinear",
                                                                recompute_scale_factor=True), [arr(2, 3, 9, 6)]),
    ("interp_bicubic", lambda t, x: F(t).interpolate(x, size=(7, 5), mode="bicubic"), [arr(2, 3, 4, 6)]),
    ("interp_bicubic_ac", lambda t, x: F(t).interpolate(x, scale_factor=2, mode="bicubic", align_corners=True),
     [arr(1, 2, 4, 3)]),
    ("interp_trilinear", lambda t, x: F(t).interpolate(x, size=(4, 5, 3), mode="trilinear"), [arr(1, 2, 3, 4, 5)]),
    ("interp_area", lambda t, x: F(t).interpolate(x, scale_factor=0.5, mode="area"), [arr(2, 3, 7, 6)]),
    ("grid_sample_border_ac", lambda t, x, g: F(t).grid_sample(x, g, padding_mode="border", align_corners=True),
     [arr(2, 3, 5, 6), arr(2, 4, 3, 2, low=-1.3, high=1.3)]),
    ("grid_sample_reflection", lambda t, x, g: F(t).grid_sample(x, g, padding_mode="reflection", align_corners=False),
     [arr(1, 2, 5, 6), arr(1, 4, 3, 2, low=-1.8, high=1.8)]),
    ("grid_sample_nearest", lambda t, x, g: F(t).grid_sample(x, g, mode="nearest", align_corners=False),
     [arr(2, 3, 5, 6), arr(2, 4, 3, 2, low=-1.3, high=1.3)]),
    ("grid_sample_bicubic", lambda t, x, g: F(t).grid_sample(x, g, mode="bicubic", padding_mode="reflection",
                                                             align_corners=True),
     [arr(2, 3, 5, 6, dtype="float64"), arr(2, 4, 3, 2, low=-1.3, high=1.3, dtype="float64")]),
    ("grid_sample_3d", lambda t, x, g: F(t).grid_sample(x, g, padding_mode="border", align_corners=False),
     [arr(1, 2, 4, 5, 6), arr(1, 4, 3, 2, 3, low=-1.3, high=1.3)]),
    ("affine_grid", lambda t, th: F(t).affine_grid(th, (2, 3, 4, 5), align_corners=False), [arr(2, 2, 3)]),
    ("affine_grid_3d_ac", lambda t, th: F(t).affine_grid(th, [2, 3, 4, 5, 3], align_corners=True), [arr(2, 3, 4)]),
    ("pixel_shuffle", lambda t, x: F(t).pixel_shuffle(x, 2), [arr(2, 8, 3, 4)]),
    ("pixel_unshuffle", lambda t, x: F(t).pixel_unshuffle(x, 2), [arr(2, 2, 4, 6)]),
    ("channel_shuffle", lambda t, x: F(t).channel_shuffle(x, 3), [arr(2, 6, 3)]),
    # distances
    ("cosine_similarity_bcast", lambda t, a, b: F(t).cosine_similarity(a, b, dim=-1, eps=1e-3),
     [arr(2, 3, 4), arr(3, 4)]),
    ("cosine_similarity_zero", lambda t, a, b: F(t).cosine_similarity(a, b, eps=1e-4),
     [np.vstack([np.zeros((1, 5)), arr(3, 5, dtype="float64")]), arr(4, 5, dtype="float64")]),
    ("pairwise_distance_p1_keepdim", lambda t, a, b: F(t).pairwise_distance(a, b, p=1, keepdim=True),
     [arr(3, 4), arr(4)]),
    ("pdist_p3", lambda t, x: F(t).pdist(x, 3.5), [arr(5, 3, dtype="float64")]),
    # attention
    ("sdpa", lambda t, q, k, v: F(t).scaled_dot_product_attention(q, k, v), [arr(2, 3, 4, 8), arr(2, 3, 5, 8),
                                                                             arr(2, 3, 5, 6)]),
    ("sdpa_causal_scale", lambda t, q, k, v: F(t).scaled_dot_product_attention(q, k, v, is_causal=True, scale=0.3),
     [arr(2, 4, 8), arr(2, 4, 8), arr(2, 4, 8)]),
    ("sdpa_bool_mask_dead_row", lambda t, q, k, v, m: F(t).scaled_dot_product_attention(q, k, v, attn_mask=m),
     [arr(1, 2, 3, 4), arr(1, 2, 5, 4), arr(1, 2, 5, 4),
      np.array([[True, False, True, True, False], [False] * 5, [True] * 5])]),
    ("sdpa_float_mask", lambda t, q, k, v, m: F(t).scaled_dot_product_attention(q, k, v, attn_mask=m),
     [arr(2, 3, 4), arr(2, 5, 4), arr(2, 5, 4), arr(3, 5)]),
    ("sdpa_gqa", lambda t, q, k, v: F(t).scaled_dot_product_attention(q, k, v, enable_gqa=True),
     [arr(1, 4, 3, 4), arr(1, 2, 5, 4), arr(1, 2, 5, 4)]),
    # activations re-exported with F's signatures
]


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,fn,inputs", CASES, ids=[c[0] for c in CASES])
def test_functional(name, fn, inputs, mode):
    check(fn, *inputs, mode=mode)


def _activations(t, x):
    f = F(t)
    return (f.relu(x), f.leaky_relu(x, 0.2), f.hardtanh(x, -0.5, 0.7), f.gelu(x, approximate="tanh"), f.sigmoid(x),
            f.tanh(x), f.elu(x, 0.5), f.silu(x), f.softplus(x, 2.0), f.logsigmoid(x))


def _softmaxes(t, x):
    f = F(t)
    return f.softmax(x, 1, dtype=t.float64), f.log_softmax(x, -1, 3), f.softmin(x, 0), f.glu(x, -1)


EAGER_ONLY = [
    ("one_hot_infer", lambda t, i: F(t).one_hot(i), [np.array([0, 3, 1])]),
    ("one_hot_0d", lambda t, i: F(t).one_hot(i), [np.array(2)]),
    ("activations", _activations, [arr(3, 4)]),
    ("softmaxes", _softmaxes, [arr(3, 4)]),
]


@pytest.mark.parametrize("name,fn,inputs", EAGER_ONLY, ids=[c[0] for c in EAGER_ONLY])
def test_functional_eager_only(name, fn, inputs):
    check(fn, *inputs)


@pytest.mark.parametrize("fn_name,args", [("relu", ()), ("leaky_relu", (0.3,)), ("elu", (1.0,)), ("hardtanh", ()),
                                          ("relu6", ()), ("silu", ()), ("threshold", (0.1, 2.0))])
def test_activation_inplace(fn_name, args):
    x = arr(3, 4)
    t_x, j_x = torch.tensor(x), jtorch.tensor(x)
    t_out = getattr(torch.nn.functional, fn_name)(t_x, *args, inplace=True)
    j_out = getattr(jtorch.nn.functional, fn_name)(j_x, *args, inplace=True)
    assert j_out is j_x
    np.testing.assert_allclose(j_x.numpy(), t_x.numpy(), rtol=1e-6)
    assert t_out is t_x


# ---- dropout: masks differ from torch's, so check statistics, scaling and reproducibility ----
@pytest.mark.parametrize("mode", MODES)
def test_dropout_statistics(mode):
    def run(x):
        return jtorch.nn.functional.dropout(x, 0.3)
    x = jtorch.ones(200, 100)
    if mode == "eager":
        y = run(x).numpy()
    else:
        from jtorch._functional import traced

        y = np.asarray(traced(lambda t: run(t))(x._read())[0])
    kept = y != 0
    assert abs(kept.mean() - 0.7) < 0.02
    np.testing.assert_allclose(y[kept], 1 / 0.7, rtol=1e-6)


def test_dropout_seed_and_grad():
    x = jtorch.tensor(arr(50, 40)).requires_grad_()
    jtorch.manual_seed(7)
    a = jtorch.nn.functional.dropout(x, 0.5)
    jtorch.manual_seed(7)
    b = jtorch.nn.functional.dropout(x, 0.5)
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    a.sum().backward()
    mask = a.detach().numpy() != 0
    np.testing.assert_allclose(x.grad.numpy(), mask * 2.0)


@pytest.mark.parametrize("fn_name,shape", [("dropout", (4, 5)), ("dropout1d", (3, 4, 5)), ("dropout2d", (2, 3, 4, 5)),
                                           ("dropout3d", (2, 3, 2, 2, 2)), ("alpha_dropout", (4, 5)),
                                           ("feature_alpha_dropout", (2, 3, 4))])
def test_dropout_eval_identity(fn_name, shape):
    x = jtorch.tensor(arr(*shape))
    assert getattr(jtorch.nn.functional, fn_name)(x, 0.5, training=False) is x
    assert getattr(jtorch.nn.functional, fn_name)(x, 0.0, training=True) is x


@pytest.mark.parametrize("fn_name,shape", [("dropout1d", (20, 30, 4)), ("dropout1d", (30, 4)),
                                           ("dropout2d", (20, 30, 3, 3)), ("dropout3d", (20, 30, 2, 2, 2)),
                                           ("dropout3d", (30, 2, 2, 2))])
def test_dropout_channelwise(fn_name, shape):
    y = getattr(jtorch.nn.functional, fn_name)(jtorch.ones(*shape), 0.4).numpy()
    lead = 2 if len(shape) in (3, 4, 5) and shape[0] == 20 else 1
    flat = y.reshape(shape[:lead] + (-1,))
    assert ((flat == 0).all(-1) | np.isclose(flat, 1 / 0.6).all(-1)).all()
    assert 0.2 < (flat[..., 0] == 0).mean() < 0.6


def test_dropout_inplace_and_p1():
    x = jtorch.ones(10, 10)
    out = jtorch.nn.functional.dropout(x, 0.5, inplace=True)
    assert out is x and set(np.unique(x.numpy())) <= {0.0, 2.0}
    z = jtorch.nn.functional.dropout(jtorch.ones(3, 3), 1.0)
    np.testing.assert_array_equal(z.numpy(), np.zeros((3, 3)))


def test_alpha_dropout_statistics():
    x = jtorch.randn(200000)
    y = jtorch.nn.functional.alpha_dropout(x, 0.2, training=True)
    assert abs(y.mean().item()) < 0.02 and abs(y.std().item() - 1) < 0.02


def test_sdpa_dropout_shape_and_seed():
    q = jtorch.tensor(arr(2, 3, 4))
    jtorch.manual_seed(1)
    a = jtorch.nn.functional.scaled_dot_product_attention(q, q, q, dropout_p=0.5)
    jtorch.manual_seed(1)
    b = jtorch.nn.functional.scaled_dot_product_attention(q, q, q, dropout_p=0.5)
    assert a.shape == (2, 3, 4)
    np.testing.assert_array_equal(a.numpy(), b.numpy())


# ---- multi-head attention: PyTorch's algorithm with copied weights ----
def _mha(t, q, k, v, w_in, b_in, w_out, b_out, *, need_weights=True, average=True, kpm=None, mask=None,
         bias_kv=None, zero_attn=False):
    bk, bv = (None, None) if bias_kv is None else (t.tensor(bias_kv[0]).double(), t.tensor(bias_kv[1]).double())
    return F(t).multi_head_attention_forward(
        q, k, v, 8, 2, w_in, b_in, bk, bv, zero_attn, 0.0, w_out, b_out, training=True,
        key_padding_mask=None if kpm is None else t.tensor(kpm), need_weights=need_weights,
        attn_mask=None if mask is None else t.tensor(mask if mask.dtype == bool else mask.astype(np.float64)),
        average_attn_weights=average)


_MHA_W = [arr(24, 8, seed=1, dtype="float64"), arr(24, seed=2, dtype="float64"), arr(8, 8, seed=3, dtype="float64"),
          arr(8, seed=4, dtype="float64")]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kw", [
    {}, {"kpm": np.array([[False, False, True, False, True], [False] * 5]), "average": False},
    {"mask": np.triu(np.ones((3, 5), bool), 1), "need_weights": False},
    {"mask": arr(3, 5, seed=9), "bias_kv": (arr(1, 1, 8, seed=5), arr(1, 1, 8, seed=6)), "zero_attn": True},
], ids=["weights", "key_padding_per_head", "bool_mask_sdpa", "float_mask_bias_kv"])
def test_multi_head_attention_forward(kw, mode):
    check(lambda t, q, k, v, *w: _mha(t, q, k, v, *w, **kw), arr(3, 2, 8, dtype="float64"),
          arr(5, 2, 8, dtype="float64"), arr(5, 2, 8, dtype="float64"), *_MHA_W, mode=mode)


def test_multi_head_attention_self_unbatched():
    check(lambda t, x, *w: _mha(t, x, x, x, *w), arr(4, 8, dtype="float64"), *_MHA_W)


# ---- errors ----
ERRORS = [
    ("conv2d_5d", lambda t, x, w: F(t).conv2d(x, w), [arr(1, 2, 3, 4, 5), arr(6, 3, 3, 3)], "Expected 3D"),
    ("conv2d_channels", lambda t, x, w: F(t).conv2d(x, w), [arr(4, 2, 8, 8), arr(6, 3, 3, 3)],
     r"expected input\[4, 2, 8, 8\] to have 3 channels, but got 2 channels instead"),
    ("conv2d_kernel_too_big", lambda t, x, w: F(t).conv2d(x, w), [arr(1, 3, 2, 2), arr(6, 3, 3, 3)],
     r"Calculated padded input size per channel: \(2 x 2\)"),
    ("conv2d_groups", lambda t, x, w: F(t).conv2d(x, w, groups=2), [arr(4, 4, 8, 8), arr(5, 2, 3, 3)],
     "expected weight to be divisible by 2"),
    ("conv2d_same_stride", lambda t, x, w: F(t).conv2d(x, w, padding="same", stride=2),
     [arr(1, 3, 8, 8), arr(6, 3, 3, 3)], "padding='same' is not supported for strided convolutions"),
    ("conv2d_stride_len", lambda t, x, w: F(t).conv2d(x, w, stride=(1, 2, 3)), [arr(1, 3, 8, 8), arr(6, 3, 3, 3)],
     "expected stride to be a single integer value or a list of 2 values"),
    ("conv2d_bias", lambda t, x, w, b: F(t).conv2d(x, w, b), [arr(1, 3, 8, 8), arr(6, 3, 3, 3), arr(5)],
     "expected bias to be 1-dimensional with 6 elements"),
    ("conv2d_dtype", lambda t, x, w: F(t).conv2d(x, w), [arr(1, 3, 8, 8), arr(6, 3, 3, 3, dtype="float64")],
     "Input type"),
    ("conv_transpose_output_padding", lambda t, x, w: F(t).conv_transpose2d(x, w, output_padding=1),
     [arr(1, 3, 4, 4), arr(3, 2, 3, 3)], "output padding must be smaller than either stride or dilation"),
    ("linear_shapes", lambda t, x, w: F(t).linear(x, w), [arr(3, 4), arr(5, 6)],
     r"mat1 and mat2 shapes cannot be multiplied \(3x4 and 6x5\)"),
    ("linear_dtype", lambda t, x, w: F(t).linear(x, w), [arr(3, 4), arr(5, 4, dtype="float64")],
     "expected m1 and m2 to have the same dtype"),
    ("max_pool2d_pad", lambda t, x: F(t).max_pool2d(x, 3, padding=2), [arr(1, 2, 8, 8)],
     "pad should be at most half of effective kernel size"),
    ("max_pool2d_small", lambda t, x: F(t).max_pool2d(x, 3), [arr(1, 2, 2, 2)], "Output size is too small"),
    ("max_pool2d_kernel_len", lambda t, x: F(t).max_pool2d(x, (1, 2, 3)), [arr(1, 2, 8, 8)],
     "kernel_size must either be a single int, or a tuple of two ints"),
    ("max_pool1d_4d", lambda t, x: F(t).max_pool1d(x, 2), [arr(2, 3, 8, 8)], "Expected 2D or 3D|Expected 2 to 3"),
    ("avg_pool2d_divisor0", lambda t, x: F(t).avg_pool2d(x, 2, divisor_override=0), [arr(1, 2, 4, 4)],
     "divisor must be not zero"),
    ("adaptive_avg_pool2d_5d", lambda t, x: F(t).adaptive_avg_pool2d(x, 2), [arr(1, 2, 3, 4, 5)],
     "Expected 3D or 4D tensor"),
    ("batch_norm_one_value", lambda t, x: F(t).batch_norm(x, None, None, training=True), [arr(1, 3)],
     "Expected more than 1 value per channel when training"),
    ("batch_norm_eval_no_stats", lambda t, x: F(t).batch_norm(x, None, None), [arr(2, 3)],
     "running_mean must be defined in evaluation mode"),
    ("batch_norm_weight_size", lambda t, x, w: F(t).batch_norm(x, None, None, w, training=True), [arr(2, 3), arr(4)],
     "weight should contain 3 elements not 4"),
    ("layer_norm_shape", lambda t, x: F(t).layer_norm(x, (4,)), [arr(4, 3, 5)],
     r"Given normalized_shape=\[4\], expected input with shape \[\*, 4\]"),
    ("group_norm_groups", lambda t, x: F(t).group_norm(x, 2), [arr(4, 3, 5)],
     "Expected number of channels in input to be divisible by num_groups"),
    ("embedding_index_dtype", lambda t, i, w: F(t).embedding(i, w), [arr(3), arr(10, 3)],
     "Expected tensor for argument #1 'indices'"),
    ("embedding_out_of_range", lambda t, i, w: F(t).embedding(i, w), [np.array([1, 10]), arr(10, 3)],
     "index out of range in self"),
    ("embedding_padding_idx", lambda t, i, w: F(t).embedding(i, w, padding_idx=10), [np.array([1]), arr(10, 3)],
     "Padding_idx must be within num_embeddings"),
    ("embedding_bag_no_offsets", lambda t, i, w: F(t).embedding_bag(i, w), [np.array([1, 2]), arr(10, 3)],
     "offsets has to be a 1D Tensor but got None"),
    ("one_hot_float", lambda t, i: F(t).one_hot(i), [arr(3)], "one_hot is only applicable to index tensor"),
    ("one_hot_too_big", lambda t, i: F(t).one_hot(i, 3), [np.array([1, 5])], "Class values must be smaller"),
    ("one_hot_negative", lambda t, i: F(t).one_hot(i), [np.array([1, -1])], "Class values must be non-negative"),
    ("pad_odd", lambda t, x: F(t).pad(x, (1, 2, 3)), [arr(1, 2, 3)], "Padding length must be divisible by 2"),
    ("pad_reflect_too_big", lambda t, x: F(t).pad(x, (1, 1, 3, 3), mode="reflect"), [arr(1, 2, 3, 4)],
     "Padding size should be less than the corresponding input dimension"),
    ("pad_reflect_dims", lambda t, x: F(t).pad(x, (1, 1), mode="reflect"), [arr(1, 2, 3, 4)],
     "Padding size 2 is not supported for 4D input tensor"),
    ("pad_circular_wrap", lambda t, x: F(t).pad(x, (5, 5), mode="circular"), [arr(2, 3, 4)],
     "Padding value causes wrapping around more than once"),
    ("pad_mode_value", lambda t, x: F(t).pad(x, (1, 1), mode="reflect", value=1.0), [arr(2, 3, 4)],
     "doesn't take in value argument"),
    ("interpolate_align_nearest", lambda t, x: F(t).interpolate(x, size=3, align_corners=True), [arr(1, 2, 4)],
     "align_corners option can only be set with the interpolating modes"),
    ("interpolate_both", lambda t, x: F(t).interpolate(x, size=3, scale_factor=2), [arr(1, 2, 4)],
     "only one of size or scale_factor should be defined"),
    ("interpolate_bilinear_3d", lambda t, x: F(t).interpolate(x, size=3, mode="bilinear"), [arr(1, 2, 4)],
     "Got 3D input, but bilinear mode needs 4D input"),
    ("grid_sample_mode", lambda t, x, g: F(t).grid_sample(x, g, mode="foo"), [arr(1, 2, 3, 3), arr(1, 2, 2, 2)],
     "expected mode to be 'bilinear', 'nearest' or 'bicubic'"),
    ("affine_grid_theta", lambda t, th: F(t).affine_grid(th, (1, 2, 3, 3), align_corners=False), [arr(1, 3, 3)],
     "Expected a batch of 2D affine matrices of shape Nx2x3"),
    ("pixel_shuffle_channels", lambda t, x: F(t).pixel_shuffle(x, 2), [arr(1, 5, 2, 2)],
     "divisible by the square of upscale_factor"),
    ("dropout_p", lambda t, x: F(t).dropout(x, 1.5), [arr(3)], "dropout probability has to be between 0 and 1"),
    ("dropout1d_dims", lambda t, x: F(t).dropout1d(x), [arr(2, 3, 4, 5)], "dropout1d: Expected 2D or 3D input"),
    ("cosine_similarity_int", lambda t, a, b: F(t).cosine_similarity(a, b),
     [np.ones((2, 3), np.int64), np.ones((2, 3), np.int64)], "expected common dtype to be floating point"),
    ("pdist_3d", lambda t, x: F(t).pdist(x), [arr(2, 3, 4)], "pdist only supports 2D tensors"),
    ("sdpa_dtype", lambda t, q, k: F(t).scaled_dot_product_attention(q, k, q), [arr(2, 3, 4), arr(2, 3, 4,
                                                                                                  dtype="float64")],
     "Expected query, key, and value to have the same dtype"),
    ("mha_embed_dim", lambda t, q, *w: F(t).multi_head_attention_forward(q, q, q, 6, 2, w[0], w[1], None, None,
                                                                       False, 0.0, w[2], w[3]),
     [arr(3, 2, 8, dtype="float64")] + _MHA_W, "was expecting embedding dimension of 6, but got 8"),
]


@pytest.mark.parametrize("name,fn,inputs,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(name, fn, inputs, match):
    check_error(fn, *inputs, match=match)
