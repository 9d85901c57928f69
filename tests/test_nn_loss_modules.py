"""Loss modules against real PyTorch: every loss through ``check_module`` (outputs, input
gradients and the ``weight``/``pos_weight`` buffers compared, eager and compiled) for each
reduction and option, the same ``repr``/``state_dict``, the legacy ``size_average``/``reduce``
arguments, and PyTorch's constructor errors."""
import warnings

import numpy as np
import pytest

from parity import MODES, arr, check_error, check_module, positive, torch
from test_nn_layers import X, _group_call, _group_make

import jtorch  # noqa: E402

GROUPS = []


def group(name, inputs, *entries, **opts):
    """Register losses sharing ``inputs`` (see test_nn_layers.group)."""
    norm = [e if isinstance(e, tuple) and len(e) == 3 else (*(e if isinstance(e, tuple) else (e, None)), True)
            for e in entries]
    GROUPS.append(pytest.param(norm, inputs, opts, id=name))


def loss(name, *args, weight=None, pos_weight=None, **kwargs):
    """``make`` for ``lib.nn.<name>`` with ``weight``/``pos_weight`` numpy arrays turned into tensors."""

    def make(lib):
        kw = dict(kwargs)
        if weight is not None:
            kw["weight"] = lib.tensor(weight)
        if pos_weight is not None:
            kw["pos_weight"] = lib.tensor(pos_weight)
        return getattr(lib.nn, name)(*args, **kw)

    make.label = name
    return make


def each_reduction(name, *args, call=None, **kwargs):
    """The loss under reduction 'mean' (both modes), 'sum' and 'none' (compiled only)."""
    return [(loss(name, *args, **kwargs), call, True)] + [
        X((loss(name, *args, reduction=r, **kwargs), call)) for r in ("sum", "none")]


def _detached_target(m, x, t, *rest):
    return m(x, t.detach())


W4 = positive(4, seed=5)
N, C = 5, 4
LOGITS = arr(N, C)
LABELS = arr(N, dtype="int64", low=0, high=C - 1)
LABELS_IGNORE = np.array([0, 3, -100, 1, 2])
PROBS_TARGET = np.random.default_rng(3).dirichlet(np.ones(C), N).astype("float32")
LOGITS_3D = arr(2, C, 3, seed=1)
LABELS_3D = arr(2, 3, dtype="int64", low=0, high=C - 1, seed=1)

group("regression", (arr(3, 4), arr(3, 4, seed=1)),
      *each_reduction("L1Loss"), *each_reduction("MSELoss"), *each_reduction("SmoothL1Loss", beta=0.5),
      X(loss("SmoothL1Loss", beta=0.0)), *each_reduction("HuberLoss", delta=0.7), X(loss("HuberLoss")))
group("classification", (LOGITS, LABELS, LABELS_IGNORE, PROBS_TARGET, LOGITS_3D, LABELS_3D),
      *each_reduction("CrossEntropyLoss", call=lambda m, x, y, *r: m(x, y)),
      (loss("CrossEntropyLoss", weight=W4, ignore_index=3), lambda m, x, y, *r: m(x, y)),
      X((loss("CrossEntropyLoss", weight=W4, reduction="sum"), lambda m, x, y, yi, *r: m(x, yi))),
      (loss("CrossEntropyLoss", label_smoothing=0.2), lambda m, x, y, *r: m(x, y)),
      X((loss("CrossEntropyLoss", weight=W4, label_smoothing=0.1), lambda m, x, y, yi, *r: m(x, yi))),
      (loss("CrossEntropyLoss"), lambda m, x, y, yi, p, *r: m(x, p)),
      X((loss("CrossEntropyLoss", label_smoothing=0.3, reduction="none"), lambda m, x, y, yi, p, *r: m(x, p))),
      (loss("CrossEntropyLoss", weight=W4), lambda m, x, y, yi, p, x3, y3: m(x3, y3)),
      (loss("CrossEntropyLoss"), lambda m, x, *r: m(x[0], r[0][0])),
      *each_reduction("NLLLoss", call=lambda m, x, y, *r: m(x.log_softmax(1), y)),
      (loss("NLLLoss", weight=W4), lambda m, x, y, yi, *r: m(x.log_softmax(1), yi)),
      X((loss("NLLLoss", ignore_index=1, reduction="sum"), lambda m, x, y, *r: m(x, y))),
      X((loss("NLLLoss", weight=W4, reduction="none"), lambda m, x, y, yi, p, x3, y3: m(x3, y3))),
      *each_reduction("MultiMarginLoss", call=lambda m, x, y, *r: m(x, y)),
      X((loss("MultiMarginLoss", p=2, margin=0.5, weight=W4), lambda m, x, y, *r: m(x, y))))
group("binary", (arr(3, 4, low=0.05, high=0.95), arr(3, 4, low=0, high=1, seed=1), arr(3, 4, low=-3, high=3, seed=2)),
      *each_reduction("BCELoss", call=_detached_target),
      (loss("BCELoss", weight=W4), _detached_target),
      *each_reduction("BCEWithLogitsLoss", call=lambda m, p, t, x: m(x, t)),
      (loss("BCEWithLogitsLoss", weight=W4, pos_weight=positive(4, seed=6)), lambda m, p, t, x: m(x, t)),
      X((loss("BCEWithLogitsLoss", pos_weight=positive(4, seed=6), reduction="none"), lambda m, p, t, x: m(x, t))),
      *each_reduction("MultiLabelSoftMarginLoss", call=lambda m, p, t, x: m(x, t)),
      X((loss("MultiLabelSoftMarginLoss", weight=W4), lambda m, p, t, x: m(x, t))))
SIGNS = np.where(arr(6, seed=4) > 0, 1.0, -1.0).astype("float32")
group("margin", (arr(6), arr(6, seed=1), SIGNS, arr(6, 3, seed=2), arr(6, 3, seed=3), arr(6, 3, seed=4)),
      *each_reduction("MarginRankingLoss", margin=0.3, call=lambda m, a, b, y, *r: m(a, b, y.detach())),
      *each_reduction("HingeEmbeddingLoss", call=lambda m, a, b, y, *r: m(a, y.detach())),
      X((loss("HingeEmbeddingLoss", margin=0.5), lambda m, a, b, y, *r: m(a, y.detach()))),
      *each_reduction("SoftMarginLoss", call=lambda m, a, b, y, *r: m(a, y.detach())),
      *each_reduction("CosineEmbeddingLoss", call=lambda m, a, b, y, p, q, n: m(p, q, y.detach())),
      X((loss("CosineEmbeddingLoss", margin=0.2), lambda m, a, b, y, p, q, n: m(p, q, y.detach()))),
      *each_reduction("TripletMarginLoss", call=lambda m, a, b, y, p, q, n: m(p, q, n)),
      X((loss("TripletMarginLoss", margin=0.5, p=1.0, swap=True), lambda m, a, b, y, p, q, n: m(p, q, n))),
      *each_reduction("TripletMarginWithDistanceLoss", call=lambda m, a, b, y, p, q, n: m(p, q, n)),
      (lambda lib: lib.nn.TripletMarginWithDistanceLoss(
          distance_function=lambda u, v: 1 - lib.nn.functional.cosine_similarity(u, v), margin=0.4, swap=True),
       lambda m, a, b, y, p, q, n: m(p, q, n)))
group("likelihood", (arr(3, 4), positive(3, 4, seed=1), arr(3, 4, low=0, high=5, seed=2),
                     arr(3, 4, low=-2, high=0, seed=3)),
      *each_reduction("KLDivLoss", call=lambda m, x, p, k, lt: m(x.log_softmax(1), p.detach().softmax(1))),
      (loss("KLDivLoss", reduction="batchmean"), lambda m, x, p, k, lt: m(x.log_softmax(1), p.softmax(1))),
      X((loss("KLDivLoss", log_target=True), lambda m, x, p, k, lt: m(x.log_softmax(1), lt))),
      *each_reduction("PoissonNLLLoss", call=lambda m, x, p, k, lt: m(x, k)),
      (loss("PoissonNLLLoss", log_input=False, full=True), lambda m, x, p, k, lt: m(p, k)),
      X((loss("PoissonNLLLoss", full=True, eps=1e-4, reduction="sum"), lambda m, x, p, k, lt: m(x, k))),
      *each_reduction("GaussianNLLLoss", call=lambda m, x, p, k, lt: m(x, lt, p)),
      (loss("GaussianNLLLoss", full=True, eps=1e-3), lambda m, x, p, k, lt: m(x, lt, p[:, :1])),
      X((loss("GaussianNLLLoss"), lambda m, x, p, k, lt: m(x, lt, 0.5))))
group("multilabel_margin", (arr(2, 4), np.array([[3, 0, -1, 1], [1, 2, 3, -1]])),
      *each_reduction("MultiLabelMarginLoss"))


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides the total loss")
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("entries,inputs,opts", GROUPS)
def test_losses(entries, inputs, opts, mode):
    if mode == "eager":
        entries = [e for e in entries if e[2]]
    check_module(_group_make(entries), *inputs, mode=mode, call=_group_call(entries), **opts)


ENTRIES = [pytest.param(make, id=f"{g.id}-{i}-{getattr(make, 'label', '')}")
           for g in GROUPS for i, (make, _, _) in enumerate(g.values[0])]


@pytest.mark.parametrize("make", ENTRIES)
def test_repr_and_state_dict(make):
    t_mod, j_mod = make(torch), make(jtorch)
    assert repr(j_mod) == repr(t_mod)
    assert j_mod.reduction == t_mod.reduction
    t_sd, j_sd = t_mod.state_dict(), j_mod.state_dict()
    assert list(j_sd) == list(t_sd)
    assert list(dict(j_mod.named_buffers())) == list(dict(t_mod.named_buffers()))


def test_weight_is_a_buffer():
    for lib in (torch, jtorch):
        m = lib.nn.CrossEntropyLoss(weight=lib.ones(3))
        assert "weight" in m._buffers and list(m.state_dict()) == ["weight"]
        m = lib.nn.BCEWithLogitsLoss(pos_weight=lib.ones(3))
        assert list(m.state_dict()) == ["pos_weight"] and m.weight is None
        assert list(lib.nn.NLLLoss().state_dict()) == []
    m = jtorch.nn.CrossEntropyLoss(weight=jtorch.ones(3)).double()
    assert m.weight.dtype == jtorch.float64


LEGACY = [
    ("MSELoss", {"size_average": False}, "sum"),
    ("L1Loss", {"reduce": False}, "none"),
    ("CrossEntropyLoss", {"size_average": True, "reduce": True}, "mean"),
    ("NLLLoss", {"size_average": False, "reduce": False}, "none"),
    ("BCEWithLogitsLoss", {"reduce": True}, "mean"),
    ("KLDivLoss", {"size_average": False}, "sum"),
    ("PoissonNLLLoss", {"size_average": False}, "sum"),
    ("MultiMarginLoss", {"reduce": False}, "none"),
    ("TripletMarginLoss", {"size_average": False}, "sum"),
]


@pytest.mark.parametrize("name,kwargs,expected", LEGACY, ids=[c[0] for c in LEGACY])
def test_legacy_size_average_reduce(name, kwargs, expected):
    for lib in (torch, jtorch):
        with pytest.warns(UserWarning, match=f"size_average and reduce args will be deprecated, please use "
                                             f"reduction='{expected}' instead."):
            m = getattr(lib.nn, name)(reduction="mean", **kwargs)
        assert m.reduction == expected


@pytest.mark.filterwarnings("ignore:size_average and reduce args")
def test_legacy_reduction_applies():
    check_module(lambda lib: lib.nn.MSELoss(size_average=False), arr(3, 2), arr(3, 2, seed=1))


def test_nll_loss2d_deprecated():
    for lib in (torch, jtorch):
        with pytest.warns(FutureWarning, match="`NLLLoss2d` has been deprecated"):
            m = lib.nn.NLLLoss2d(ignore_index=2)
        assert isinstance(m, lib.nn.NLLLoss) and m.ignore_index == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jtorch.nn.NLLLoss()


CTC_INPUTS = (arr(6, 2, 4), np.array([[1, 2, 2], [3, 1, 0]]), np.array([6, 5]), np.array([3, 2]))


@pytest.mark.parametrize("mode", MODES)
def test_ctc_loss_module(mode):
    def make(lib):
        return lib.nn.ModuleList([lib.nn.CTCLoss(), lib.nn.CTCLoss(blank=3, reduction="sum", zero_infinity=True)])

    def call(m, x, targets, in_lens, tgt_lens):
        lp = x.log_softmax(2)
        return m[0](lp, targets, in_lens, tgt_lens), m[1](lp, targets, in_lens, tgt_lens)

    check_module(make, *CTC_INPUTS, mode=mode, call=call)
    assert repr(jtorch.nn.CTCLoss(blank=1, zero_infinity=True)) == repr(torch.nn.CTCLoss(blank=1, zero_infinity=True))


ERRORS = [
    ("multimargin_p", lambda lib: lib.nn.MultiMarginLoss(p=3), "only p == 1 and p == 2 supported"),
    ("multimargin_weight_2d", lambda lib: lib.nn.MultiMarginLoss(weight=lib.ones(2, 2)),
     "expected weight to be None or 1D tensor, got 2D instead"),
    ("triplet_margin", lambda lib: lib.nn.TripletMarginLoss(margin=0.0),
     "TripletMarginLoss: expected margin to be greater than 0, got 0.0 instead"),
    ("triplet_distance_margin", lambda lib: lib.nn.TripletMarginWithDistanceLoss(margin=-1),
     "expected margin to be greater than 0"),
    ("huber_delta", lambda lib: lib.nn.HuberLoss(delta="1"), "delta must be a float or int, got: <class 'str'>"),
    ("bad_reduction", lambda lib: lib.nn.MSELoss(reduction="avg")(lib.ones(2), lib.ones(2)),
     "avg is not a valid value for reduction"),
    ("ce_bad_target", lambda lib: lib.nn.CrossEntropyLoss()(lib.ones(2, 3), lib.ones(3, dtype=lib.int64)), None),
    ("gaussian_positional_kwargs", lambda lib: lib.nn.GaussianNLLLoss(True), None),
]


@pytest.mark.parametrize("fn,match", [pytest.param(f, m, id=n) for n, f, m in ERRORS])
def test_loss_errors(fn, match):
    check_error(fn, match=match)
