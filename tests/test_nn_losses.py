"""jtorch.nn.functional losses against torch.nn.functional: every reduction, legacy flags, weights,
values and gradients in eager and compiled mode, plus error and warning parity."""
import warnings

import numpy as np
import pytest

from parity import MODES, arr, check, check_error, positive, torch

import jtorch

REDUCTIONS = ("none", "mean", "sum")


def F(t):
    return t.nn.functional


def _idx(*shape, high, seed=0):
    return arr(*shape, dtype="int64", low=0, high=high - 1, seed=seed)


def _probs(*shape, seed=0):
    p = positive(*shape, seed=seed)
    return p / p.sum(axis=1, keepdims=True)


def _unit(*shape, seed=0):
    return arr(*shape, low=0.05, high=0.95, seed=seed)


def _signs(*shape, seed=0):
    return np.where(arr(*shape, seed=seed) > 0, 1.0, -1.0).astype(np.float32)


_TARGET_IGNORED = np.array([1, -100, 4, 0, -100])
_KDIM_TARGET = _idx(2, 3, 4, high=5)

CASES = []
for r in REDUCTIONS:
    CASES += [
        (f"cross_entropy_{r}", lambda t, x, y, r=r: F(t).cross_entropy(x, y, reduction=r), [arr(5, 6), _idx(5, high=6)]),
        (f"cross_entropy_weight_ignore_{r}", lambda t, x, y, w, r=r: F(t).cross_entropy(x, y, w.detach(), reduction=r),
         [arr(5, 6), _TARGET_IGNORED, positive(6)]),
        (f"cross_entropy_kdim_smooth_{r}", lambda t, x, y, w, r=r: F(t).cross_entropy(
            x, y, w.detach(), ignore_index=2, reduction=r, label_smoothing=0.2), [arr(2, 5, 3, 4), _KDIM_TARGET, positive(5)]),
        (f"cross_entropy_probs_{r}", lambda t, x, y, r=r: F(t).cross_entropy(x, y, reduction=r, label_smoothing=0.1),
         [arr(4, 5), _probs(4, 5)]),
        (f"cross_entropy_probs_weight_kdim_{r}", lambda t, x, y, w, r=r: F(t).cross_entropy(x, y, w, reduction=r),
         [arr(2, 5, 3), _probs(2, 5, 3), positive(5)]),
        (f"nll_loss_{r}", lambda t, x, y, w, r=r: F(t).nll_loss(x, y, w.detach(), reduction=r),
         [arr(5, 6), _TARGET_IGNORED, positive(6)]),
        (f"nll_loss_kdim_{r}", lambda t, x, y, r=r: F(t).nll_loss(x, y, reduction=r, ignore_index=0),
         [arr(2, 5, 3, 4), _KDIM_TARGET]),
        (f"mse_loss_{r}", lambda t, x, y, r=r: F(t).mse_loss(x, y, reduction=r), [arr(3, 4), arr(3, 4, seed=1)]),
        (f"mse_loss_weight_{r}", lambda t, x, y, w, r=r: F(t).mse_loss(x, y, reduction=r, weight=w),
         [arr(3, 4), arr(3, 4, seed=1), positive(3, 4)]),
        (f"l1_loss_{r}", lambda t, x, y, r=r: F(t).l1_loss(x, y, reduction=r), [arr(3, 4), arr(3, 4, seed=1)]),
        (f"l1_loss_weight_{r}", lambda t, x, y, w, r=r: F(t).l1_loss(x, y, reduction=r, weight=w),
         [arr(3, 4), arr(3, 4, seed=1), positive(3, 4)]),
        (f"smooth_l1_loss_{r}", lambda t, x, y, r=r: F(t).smooth_l1_loss(x, y, reduction=r, beta=0.5),
         [arr(3, 4), arr(3, 4, seed=1)]),
        (f"huber_loss_{r}", lambda t, x, y, r=r: F(t).huber_loss(x, y, reduction=r, delta=0.7),
         [arr(3, 4), arr(3, 4, seed=1)]),
        (f"huber_loss_weight_{r}", lambda t, x, y, w, r=r: F(t).huber_loss(x, y, reduction=r, weight=w),
         [arr(3, 4), arr(3, 4, seed=1), positive(3, 4)]),
        (f"binary_cross_entropy_{r}", lambda t, x, y, w, r=r: F(t).binary_cross_entropy(x, y, w.detach(), reduction=r),
         [_unit(3, 4), _unit(3, 4, seed=1), positive(4)]),
        (f"bce_with_logits_{r}", lambda t, x, y, w, pw, r=r: F(t).binary_cross_entropy_with_logits(
            x, y, w.detach(), reduction=r, pos_weight=pw.detach()), [arr(3, 4), _unit(3, 4, seed=1), positive(3, 1), positive(4)]),
        (f"kl_div_{r}", lambda t, x, y, r=r: F(t).kl_div(x, y, reduction=r), [arr(3, 4), _unit(3, 4)]),
        (f"kl_div_log_target_{r}", lambda t, x, y, r=r: F(t).kl_div(x, y, reduction=r, log_target=True),
         [arr(3, 4), arr(3, 4, seed=2)]),
        (f"margin_ranking_{r}", lambda t, a, b, y, r=r: F(t).margin_ranking_loss(a, b, y, 0.3, reduction=r),
         [arr(6), arr(6, seed=1), _signs(6)]),
        (f"hinge_embedding_{r}", lambda t, x, y, r=r: F(t).hinge_embedding_loss(x, y, 0.5, reduction=r),
         [arr(3, 4), _signs(3, 4)]),
        (f"cosine_embedding_{r}", lambda t, a, b, y, r=r: F(t).cosine_embedding_loss(a, b, y, 0.2, reduction=r),
         [arr(4, 5), arr(4, 5, seed=1), _signs(4)]),
        (f"triplet_margin_{r}", lambda t, a, p, n, r=r: F(t).triplet_margin_loss(a, p, n, swap=True, reduction=r),
         [arr(4, 5), arr(4, 5, seed=1), arr(4, 5, seed=2)]),
        (f"triplet_margin_distance_{r}", lambda t, a, p, n, r=r: F(t).triplet_margin_with_distance_loss(
            a, p, n, distance_function=lambda u, v: 1 - F(t).cosine_similarity(u, v), swap=True, reduction=r),
         [arr(4, 5), arr(4, 5, seed=1), arr(4, 5, seed=2)]),
        (f"poisson_nll_{r}", lambda t, x, y, r=r: F(t).poisson_nll_loss(x, y, reduction=r), [arr(3, 4), positive(3, 4)]),
        (f"poisson_nll_full_{r}", lambda t, x, y, r=r: F(t).poisson_nll_loss(x, y, log_input=False, full=True,
                                                                             reduction=r),
         [positive(3, 4), arr(3, 4, low=0, high=3)]),
        (f"gaussian_nll_{r}", lambda t, x, y, v, r=r: F(t).gaussian_nll_loss(x, y, v, full=True, reduction=r),
         [arr(3, 4), arr(3, 4, seed=1), positive(3, 1)]),
        (f"soft_margin_{r}", lambda t, x, y, r=r: F(t).soft_margin_loss(x, y.detach(), reduction=r), [arr(3, 4), _signs(3, 4)]),
        (f"multilabel_soft_margin_{r}", lambda t, x, y, w, r=r: F(t).multilabel_soft_margin_loss(x, y, w, reduction=r),
         [arr(3, 4), _unit(3, 4), positive(4)]),
        (f"multi_margin_{r}", lambda t, x, y, w, r=r: F(t).multi_margin_loss(x, y, p=2, margin=0.8, weight=w.detach(),
                                                                            reduction=r),
         [arr(4, 5), _idx(4, high=5), positive(5)]),
        (f"multilabel_margin_{r}", lambda t, x, y, r=r: F(t).multilabel_margin_loss(x, y, reduction=r),
         [arr(3, 5), np.array([[3, 0, -1, 1, 2], [1, 1, 4, -1, -1], [-1, 2, 3, 0, 0]])]),
    ]

CASES += [
    ("cross_entropy_unbatched", lambda t, x, y: F(t).cross_entropy(x, y), [arr(6), np.array(2)]),
    ("cross_entropy_unbatched_none", lambda t, x, y: F(t).cross_entropy(x, y, reduction="none", label_smoothing=0.3),
     [arr(6), np.array(4)]),
    ("cross_entropy_batch1", lambda t, x, y: F(t).cross_entropy(x, y), [arr(1, 3), np.array([2])]),
    ("cross_entropy_float64", lambda t, x, y: F(t).cross_entropy(x, y), [arr(4, 7, dtype="float64"),
                                                                       _idx(4, high=7)]),
    ("cross_entropy_all_ignored", lambda t, x, y: F(t).cross_entropy(x, y), [arr(3, 4), np.full(3, -100)]),
    ("nll_loss_unbatched", lambda t, x, y: F(t).nll_loss(x, y), [arr(6), np.array(2)]),
    ("mse_loss_broadcast", lambda t, x, y: F(t).mse_loss(x, y), [arr(3, 1), arr(3, 4)]),
    ("mse_loss_mixed_dtype", lambda t, x, y: F(t).mse_loss(x, y), [arr(3, 4), arr(3, 4, dtype="float64")]),
    ("mse_loss_0d", lambda t, x, y: F(t).mse_loss(x, y), [arr(), arr(seed=1)]),
    ("smooth_l1_beta0", lambda t, x, y: F(t).smooth_l1_loss(x, y, beta=0.0), [arr(3, 4), arr(3, 4, seed=1)]),
    ("l1_loss_ties", lambda t, x, y: F(t).l1_loss(x, y), [np.array([1.0, 2.0, 3.0], np.float32),
                                                        np.array([1.0, 0.0, 3.0], np.float32)]),
    ("binary_cross_entropy_edges", lambda t, x, y: F(t).binary_cross_entropy(x, y, reduction="none"),
     [np.array([0.0, 1.0, 0.5, 1e-30], np.float32), np.array([0.5, 0.5, 1.0, 0.0], np.float32)]),
    ("kl_div_batchmean", lambda t, x, y: F(t).kl_div(x, y, reduction="batchmean"), [arr(3, 4), _unit(3, 4)]),
    ("kl_div_zero_target", lambda t, x, y: F(t).kl_div(x, y, reduction="sum"),
     [arr(4), np.array([0.0, 0.2, 0.3, 0.5], np.float32)]),
    ("gaussian_nll_float_var", lambda t, x, y: F(t).gaussian_nll_loss(x, y, 0.5), [arr(3, 4), arr(3, 4, seed=1)]),
    ("gaussian_nll_short_var_clamped", lambda t, x, y, v: F(t).gaussian_nll_loss(x, y, v, eps=0.3),
     [arr(3, 4), arr(3, 4, seed=1), positive(3) * 0.2]),
    ("triplet_margin_p1", lambda t, a, p, n: F(t).triplet_margin_loss(a, p, n, margin=2.0, p=1),
     [arr(4, 5), arr(4, 5, seed=1), arr(4, 5, seed=2)]),
    ("cosine_embedding_1d", lambda t, a, b, y: F(t).cosine_embedding_loss(a, b, y), [arr(5), arr(5, seed=1),
                                                                                   np.array(-1.0, np.float32)]),
    ("multi_margin_unbatched", lambda t, x, y: F(t).multi_margin_loss(x, y), [arr(5), np.array(3)]),
    ("multilabel_margin_unbatched", lambda t, x, y: F(t).multilabel_margin_loss(x, y),
     [arr(4), np.array([2, 0, -1, 1])]),
]


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,fn,inputs", CASES, ids=[c[0] for c in CASES])
def test_loss(name, fn, inputs, mode):
    check(fn, *inputs, mode=mode)


LEGACY = [(None, False), (False, None), (False, True), (True, False), (None, True)]


@pytest.mark.parametrize("size_average,reduce", LEGACY)
@pytest.mark.parametrize("loss", ["mse_loss", "l1_loss", "nll_loss", "cross_entropy", "kl_div", "soft_margin_loss"])
def test_legacy_flags(loss, size_average, reduce):
    if loss in ("nll_loss", "cross_entropy"):
        inputs = [arr(4, 5), _idx(4, high=5)]
    elif loss == "soft_margin_loss":
        inputs = [arr(4, 5), _signs(4, 5)]
    else:
        inputs = [arr(4, 5), _unit(4, 5)]
    check(lambda t, x, y: getattr(F(t), loss)(x, y.detach(), size_average=size_average, reduce=reduce), *inputs)


def _warnings(fn):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        fn()
    return [(w.category, str(w.message)) for w in rec]


@pytest.mark.parametrize("name,call", [
    ("mse_broadcast", lambda t: F(t).mse_loss(t.zeros(3, 1), t.zeros(3, 4))),
    ("l1_broadcast", lambda t: F(t).l1_loss(t.zeros(3), t.zeros(1))),
    ("legacy", lambda t: F(t).mse_loss(t.zeros(3), t.zeros(3), size_average=False)),
    ("kl_mean", lambda t: F(t).kl_div(t.zeros(3), t.zeros(3))),
])
def test_warnings(name, call):
    assert _warnings(lambda: call(jtorch)) == _warnings(lambda: call(torch))


_CTC_LP = np.log(np.random.default_rng(1).dirichlet(np.ones(5), size=(6, 3)))
_CTC_TARGETS = np.array([[1, 1, 3], [2, 4, 4], [3, 2, 1]])


ERRORS = [
    ("ce_batch_size", lambda t, x, y: F(t).cross_entropy(x, y), [arr(3, 5), np.array([1, 0, 4, 2])],
     r"Expected input batch_size \(3\) to match target batch_size \(4\)\."),
    ("ce_target_out_of_range", lambda t, x, y: F(t).cross_entropy(x, y), [arr(3, 5), np.array([1, 0, 5])],
     r"^Target 5 is out of bounds\.$"),
    ("ce_target_negative", lambda t, x, y: F(t).cross_entropy(x, y), [arr(3, 5), np.array([1, -3, 0])],
     r"Target -3 is out of bounds\."),
    ("nll_target_out_of_range", lambda t, x, y: F(t).nll_loss(x, y), [arr(3, 5), np.array([1, 7, 0])],
     r"Target 7 is out of bounds\."),
    ("ce_weight_size", lambda t, x, y, w: F(t).cross_entropy(x, y, w), [arr(3, 5), np.array([1, 0, 4]), arr(3)],
     "weight tensor should be defined either for all 5 classes or no classes"),
    ("ce_float_index_target", lambda t, x, y: F(t).cross_entropy(x, y), [arr(3, 5), arr(3)],
     "expected target dtype to be Long or Byte, but got Float"),
    ("ce_int_prob_target", lambda t, x, y: F(t).cross_entropy(x, y), [arr(3, 5), np.ones((3, 5), np.int64)],
     "Expected floating point type for target with class probabilities, got Long"),
    ("ce_label_smoothing", lambda t, x, y: F(t).cross_entropy(x, y, label_smoothing=1.5),
     [arr(3, 5), np.array([1, 0, 4])], "label_smoothing must be between 0.0 and 1.0. Got: 1.5"),
    ("ce_multi_target", lambda t, x, y: F(t).cross_entropy(x, y), [arr(3, 5), _idx(3, 4, high=3)],
     "0D or 1D target tensor expected, multi-target not supported"),
    ("ce_spatial_target", lambda t, x, y: F(t).cross_entropy(x, y), [arr(2, 5, 3, 4), _idx(2, 3, 5, high=3)],
     "size mismatch"),
    ("nll_target_size", lambda t, x, y: F(t).nll_loss(x, y), [arr(2, 5, 3), _idx(2, high=3)],
     r"Expected target size \[2, 3\], got \[2\]"),
    ("reduction_invalid", lambda t, x, y: F(t).mse_loss(x, y, reduction="foo"), [arr(3), arr(3)],
     "foo is not a valid value for reduction"),
    ("mse_shapes", lambda t, x, y: F(t).mse_loss(x, y), [arr(3, 2), arr(3, 4)], "The size of tensor a"),
    ("mse_int", lambda t, x, y: F(t).mse_loss(x, y), [np.ones(3, np.int64), np.ones(3, np.int64)],
     "not implemented for 'Long'"),
    ("mse_weight_shape", lambda t, x, y, w: F(t).mse_loss(x, y, weight=w), [arr(3), arr(3), arr(2)],
     "Weights and input must have the same size."),
    ("smooth_l1_negative_beta", lambda t, x, y: F(t).smooth_l1_loss(x, y, beta=-1), [arr(3), arr(3)],
     "smooth_l1_loss does not support negative values for beta."),
    ("huber_delta", lambda t, x, y: F(t).huber_loss(x, y, delta=0), [arr(3), arr(3)],
     "huber_loss does not support non-positive values for delta."),
    ("bce_range", lambda t, x, y: F(t).binary_cross_entropy(x, y), [np.array([0.5, 1.5], np.float32),
                                                                  np.array([1.0, 0.0], np.float32)],
     "all elements of input should be between 0 and 1"),
    ("bce_shape", lambda t, x, y: F(t).binary_cross_entropy(x, y), [_unit(3), _unit(3, 1)],
     "Using a target size .* that is different to the input size"),
    ("bce_logits_shape", lambda t, x, y: F(t).binary_cross_entropy_with_logits(x, y), [arr(3), arr(4)],
     r"Target size \(torch.Size\(\[4\]\)\) must be the same as input size \(torch.Size\(\[3\]\)\)"),
    ("kl_reduction", lambda t, x, y: F(t).kl_div(x, y, reduction="foo"), [arr(3), arr(3)],
     "foo is not a valid value for reduction"),
    ("margin_ranking_dims", lambda t, a, b, y: F(t).margin_ranking_loss(a, b, y), [arr(3), arr(3), arr(3, 1)],
     "margin_ranking_loss : All input tensors should have same dimension"),
    ("cosine_embedding_dims", lambda t, a, b, y: F(t).cosine_embedding_loss(a, b, y), [arr(3), arr(3, 4), arr(3)],
     "1D target tensor expects 2D input tensors"),
    ("triplet_dims", lambda t, a, p, n: F(t).triplet_margin_loss(a, p, n), [arr(3, 4), arr(3, 4), arr(4)],
     "The anchor, positive, and negative tensors are expected to have the same number of dimensions"),
    ("triplet_distance_margin", lambda t, a, p, n: F(t).triplet_margin_with_distance_loss(a, p, n, margin=0),
     [arr(3, 4), arr(3, 4), arr(3, 4)], "margin must be greater than 0"),
    ("multi_margin_p", lambda t, x, y: F(t).multi_margin_loss(x, y, p=3), [arr(3, 5), np.array([1, 0, 4])],
     "only p == 1 and p == 2 supported"),
    ("multi_margin_target", lambda t, x, y: F(t).multi_margin_loss(x, y), [arr(3, 5), np.array([1, 2])],
     "multi_margin_loss: target tensor should be 1-D"),
    ("multi_margin_range", lambda t, x, y: F(t).multi_margin_loss(x, y), [arr(3, 5), np.array([1, 2, 5])],
     "target out of range"),
    ("multilabel_margin_shape", lambda t, x, y: F(t).multilabel_margin_loss(x, y), [arr(3, 5), _idx(3, 4, high=3)],
     "inconsistent target size"),
    ("gaussian_negative_var", lambda t, x, y, v: F(t).gaussian_nll_loss(x, y, v), [arr(3), arr(3), -positive(3)],
     "var has negative entry/entries"),
    ("gaussian_var_size", lambda t, x, y, v: F(t).gaussian_nll_loss(x, y, v), [arr(3, 5), arr(3, 5), positive(2, 5)],
     "var is of incorrect size"),
    ("nll_weight_requires_grad", lambda t, x, y, w: F(t).nll_loss(x, y, w.requires_grad_()),
     [arr(3, 5), np.array([1, 0, 4]), positive(5)], "not differentiable with respect to argument 'weight'"),
    ("soft_margin_target_requires_grad", lambda t, x, y: F(t).soft_margin_loss(x, y.requires_grad_()),
     [arr(3), _signs(3)], "not differentiable with respect to argument 'target'"),
    ("ctc_input_lengths", lambda t, lp, y: F(t).ctc_loss(lp, y, (7, 5, 4), (3, 2, 1)), [_CTC_LP, _CTC_TARGETS],
     r"Expected input_lengths to have value at most 6, but got value 7"),
    ("ctc_blank", lambda t, lp, y: F(t).ctc_loss(lp, y, (6, 5, 4), (3, 2, 1), blank=5), [_CTC_LP, _CTC_TARGETS],
     "blank must be in label range"),
    ("gaussian_reduction", lambda t, x, y: F(t).gaussian_nll_loss(x, y, 1.0, reduction="foo"), [arr(3), arr(3)],
     "foo is not valid"),
]


@pytest.mark.parametrize("name,fn,inputs,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(name, fn, inputs, match):
    check_error(fn, *inputs, match=match)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_ctc_loss(reduction, mode):
    check(lambda t, lp, y, il, tl: F(t).ctc_loss(lp, y, il, tl, reduction=reduction), _CTC_LP, _CTC_TARGETS,
          np.array([6, 5, 4]), np.array([3, 2, 0]), mode=mode)


@pytest.mark.parametrize("name,fn,inputs", [
    ("concatenated_targets_blank", lambda t, lp, y: F(t).ctc_loss(lp, y, (6, 5, 4), (3, 2, 1), blank=4),
     [_CTC_LP, np.array([1, 1, 3, 2, 0, 3])]),
    ("zero_infinity", lambda t, lp, y, il, tl: F(t).ctc_loss(lp, y, il, tl, reduction="none", zero_infinity=True),
     [_CTC_LP, np.ones((3, 3), np.int64), np.array([2, 5, 4]), np.array([3, 2, 1])]),
    ("unbatched_float32", lambda t, lp, y: F(t).ctc_loss(lp, y, (6,), (2,)), [_CTC_LP[:, 0].astype(np.float32),
                                                                             np.array([2, 2])]),
], ids=["concatenated_targets_blank", "zero_infinity", "unbatched_float32"])
def test_ctc_loss_forms(name, fn, inputs):
    check(fn, *inputs)
