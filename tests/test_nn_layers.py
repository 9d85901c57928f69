"""nn layers against real PyTorch: every layer family through ``check_module`` (weights copied
from torch; outputs, input/parameter gradients and buffers compared, eager and compiled), the
same ``repr`` and ``state_dict`` structure, PyTorch's errors for bad arguments and inputs, and
the default initialisation distributions."""
import math
import warnings

import numpy as np
import pytest

from parity import MODES, arr, check_error, check_module, positive, torch

import jtorch  # noqa: E402


def _perturb(m, lib):
    """Give torch's module non-default parameters (they are copied into jtorch's module)."""
    if lib is torch:
        g = torch.Generator().manual_seed(1)
        with torch.no_grad():
            for p in m.parameters():
                p.add_(torch.randn(p.shape, generator=g, dtype=p.dtype) * 0.3)
    return m


def _train_then_eval(m, x):
    """A training step (updating running stats) followed by an eval-mode call."""
    return m(x), m.eval()(x * 0.5)


def _two_steps(m, x):
    return m(x), m(x * 0.5 + 0.25)


def _nonleaf(m, x):
    return m(x * 1.0)


@pytest.fixture
def skip_jtorch_init(monkeypatch):
    """Skip jtorch's random initialisation (each new parameter shape compiles a random-bits
    program, ~1 s): parity tests overwrite the weights with torch's anyway, and the init
    distributions are tested on their own below."""
    for name in ("uniform_", "normal_", "kaiming_uniform_"):
        monkeypatch.setattr(jtorch.nn.init, name, lambda tensor, *args, **kwargs: tensor)


def nn(name, *args, perturb=False, **kwargs):
    """``make`` for ``lib.nn.<name>(*args, **kwargs)`` (``dtype`` given as a name, e.g. "float64");
    ``perturb`` gives torch's module random parameters (copied into jtorch's)."""

    def make(lib):
        kw = dict(kwargs, dtype=getattr(lib, kwargs["dtype"])) if "dtype" in kwargs else kwargs
        m = getattr(lib.nn, name)(*args, **kw)
        return _perturb(m, lib) if perturb else m

    make.label = name
    return make


def at(i, fn=None):
    """A call that feeds input ``i`` (through ``fn(module, x)`` if given) to the module."""
    return lambda m, *xs: fn(m, xs[i]) if fn else m(xs[i])


# A group is several layers run on the same inputs inside ONE check_module (one module list,
# one forward/backward), so a family costs one compile instead of one per configuration.
# Entries: make, or (make, call) with call(module, *inputs) (default: module(*inputs)).
# Eager mode compiles every op separately (~65 ms each), so configurations that only vary the
# functional's arguments (already covered by the functional tests) are marked ``X`` and run
# compiled only; every layer class, and every module-level path (buffers, in-place, padding
# modes, output_size), runs in both modes.
GROUPS = []


def X(entry):
    """Mark a group entry as compiled-mode only."""
    make, call = entry if isinstance(entry, tuple) else (entry, None)
    return make, call, False


def group(name, inputs, *entries, **opts):
    """Register a group of layer configurations sharing ``inputs``."""
    norm = [e if isinstance(e, tuple) and len(e) == 3 else (*(e if isinstance(e, tuple) else (e, None)), True)
            for e in entries]
    GROUPS.append(pytest.param(norm, inputs, opts, id=name))


def _group_make(entries):
    return lambda lib: lib.nn.ModuleList([make(lib) for make, _, _ in entries])


def _group_call(entries):
    def call(modules, *xs):
        return tuple(c(m, *xs) if c else m(*xs) for m, (_, c, _) in zip(modules, entries))

    return call


group("linear", (arr(4, 5),),
      nn("Linear", 5, 3), nn("Linear", 5, 3, bias=False), nn("Identity", 3, foo=1), nn("Flatten", 0, 1),
      nn("Unflatten", 1, (5, 1)), X(nn("Unflatten", -1, [1, -1])))
group("linear_nd", (arr(2, 3, 5), arr(5, seed=1), arr(2, 3, 4, 5, seed=2)),
      (nn("Linear", 5, 2), at(0)), X((nn("Linear", 5, 4), at(1))), (nn("Flatten"), at(2)),
      X((nn("Flatten", 0, 2), at(2))), X((nn("Unflatten", 1, (3, 1)), at(0))))
group("float64", (arr(3, 4, dtype="float64"),),
      nn("Linear", 4, 3, dtype="float64"), nn("BatchNorm1d", 4, dtype="float64", perturb=True),
      X(nn("LayerNorm", 4, dtype="float64", perturb=True)), X(nn("PReLU", 4, dtype="float64")))
group("bilinear", (arr(5, 3), arr(5, 4, seed=1)),
      nn("Bilinear", 3, 4, 2), X(nn("Bilinear", 3, 4, 3, bias=False)))
group("conv1d", (arr(2, 4, 11), arr(3, 8, seed=1)),
      (nn("Conv1d", 4, 3, 3), at(0)),
      X((nn("Conv1d", 4, 6, 3, stride=2, padding=1, dilation=2, groups=2), at(0))),
      X((nn("Conv1d", 4, 3, 4, padding="same", bias=False), at(0))),
      X((nn("Conv1d", 4, 3, 3, padding="valid"), at(0))),
      (nn("Conv1d", 4, 2, 3, padding=2, padding_mode="reflect"), at(0)),
      X((nn("Conv1d", 3, 2, 3, padding=1, padding_mode="circular"), at(1))),
      X((nn("Conv1d", 3, 2, 2, padding="same", dilation=3, padding_mode="replicate"), at(1))),
      (nn("ConvTranspose1d", 4, 3, 3, stride=2, padding=1, output_padding=1), at(0)),
      X((nn("ConvTranspose1d", 4, 2, 2, groups=2, dilation=2, bias=False), at(0))),
      X((nn("ConvTranspose1d", 3, 2, 3, stride=2), at(1, lambda m, x: m(x, output_size=[18])))))
group("conv2d", (arr(2, 4, 7, 6), arr(2, 6, 5, seed=1)),
      (nn("Conv2d", 4, 3, 3), at(0)),
      X((nn("Conv2d", 4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2, bias=False), at(0))),
      X((nn("Conv2d", 4, 3, (3, 4), padding="same", dilation=(2, 1)), at(0))),
      X((nn("Conv2d", 4, 2, 3, padding=(1, 2), padding_mode="replicate"), at(0))),
      (nn("Conv2d", 4, 2, 3, padding="same", padding_mode="circular"), at(0)),
      X((nn("Conv2d", 4, 8, 3, groups=4, padding=1), at(0))),
      X((nn("Conv2d", 2, 3, 3, padding=1, padding_mode="reflect"), at(1))))
group("conv_transpose2d", (arr(2, 4, 3, 4), arr(2, 3, 3, seed=1)),
      (nn("ConvTranspose2d", 4, 3, 3, stride=2), at(0)),
      X((nn("ConvTranspose2d", 4, 6, (3, 2), stride=(2, 3), padding=(1, 0), output_padding=(1, 2), groups=2,
            dilation=(1, 2)), at(0))),
      (nn("ConvTranspose2d", 4, 3, 3, stride=2, padding=1), at(0, lambda m, x: m(x, output_size=[6, 8]))),
      X((nn("ConvTranspose2d", 4, 2, 3, stride=3), at(0, lambda m, x: m(x, output_size=(2, 2, 10, 13))))),
      X((nn("ConvTranspose2d", 2, 2, 2, stride=2), at(1))))
group("conv3d", (arr(1, 2, 5, 4, 5),),
      nn("Conv3d", 2, 4, 3, padding=1),
      X(nn("Conv3d", 2, 2, (2, 3, 1), stride=2, groups=2, padding=1, padding_mode="replicate")),
      nn("ConvTranspose3d", 2, 2, 2, stride=2, bias=False))
group("pool1d", (arr(2, 3, 9), positive(2, 3, 9, seed=1)),
      (nn("MaxPool1d", 3, stride=2, padding=1), at(0)), X((nn("MaxPool1d", 2, return_indices=True), at(0))),
      X((nn("MaxPool1d", 2, 1, dilation=3, ceil_mode=True), at(0))),
      (nn("AvgPool1d", 3, 2, 1), at(0)), X((nn("AvgPool1d", 2, ceil_mode=True, count_include_pad=False), at(0))),
      (nn("AdaptiveAvgPool1d", 4), at(0)), (nn("AdaptiveMaxPool1d", 3, return_indices=True), at(0)),
      (nn("LPPool1d", 2, 3, 2), at(1)), X((nn("LPPool1d", 1.5, 2), at(1))))
group("pool2d", (arr(2, 2, 7, 8), positive(1, 2, 6, 4, seed=1), arr(3, 4, 4, seed=2)),
      X((nn("MaxPool2d", 2), at(0))), (nn("MaxPool2d", 3, stride=2, padding=1, ceil_mode=True), at(0)),
      (nn("MaxPool2d", (2, 3), dilation=2, return_indices=True), at(0)), X((nn("MaxPool2d", 2, 1), at(2))),
      (nn("AvgPool2d", 3, 2, 1, ceil_mode=True, count_include_pad=False), at(0)),
      X((nn("AvgPool2d", 2, divisor_override=3), at(0))), X((nn("AvgPool2d", (2, 1), padding=(1, 0)), at(2))),
      (nn("AdaptiveAvgPool2d", (3, None)), at(0)), X((nn("AdaptiveAvgPool2d", 1), at(0))),
      (nn("AdaptiveMaxPool2d", (2, 3)), at(0)), X((nn("AdaptiveMaxPool2d", 3, return_indices=True), at(2))),
      (nn("LPPool2d", 1.5, 2), at(1)), X((nn("LPPool2d", 2, (2, 1), stride=(1, 2)), at(1))))
group("pool3d", (arr(1, 2, 5, 4, 5), positive(1, 2, 4, 4, 4, seed=1)),
      (nn("MaxPool3d", 2, return_indices=True, ceil_mode=True), at(0)),
      X((nn("MaxPool3d", (1, 2, 2), padding=(0, 1, 1)), at(0))),
      (nn("AvgPool3d", (1, 2, 2)), at(0)), X((nn("AvgPool3d", 2, 1, 1, count_include_pad=False), at(0))),
      (nn("AdaptiveAvgPool3d", (2, 3, 1)), at(0)), (nn("AdaptiveMaxPool3d", 2), at(0)),
      (nn("LPPool3d", 2, 2), at(1)))
group("batchnorm", (arr(5, 4), arr(4, 3, 6, seed=1), arr(4, 3, 5, 5, seed=2), arr(2, 2, 3, 3, 3, seed=3)),
      (nn("BatchNorm1d", 4, perturb=True), at(0, _train_then_eval)),
      X((nn("BatchNorm1d", 3, momentum=0.3, perturb=True), at(1, _two_steps))),
      (nn("BatchNorm1d", 3, momentum=None), at(1, _two_steps)),
      (nn("BatchNorm2d", 3, perturb=True), at(2, _train_then_eval)),
      X((nn("BatchNorm2d", 3, affine=False, eps=1e-3), at(2, _train_then_eval))),
      X((nn("BatchNorm2d", 3, bias=False, perturb=True), at(2))),
      (nn("BatchNorm2d", 3, track_running_stats=False), at(2, _train_then_eval)),
      (nn("BatchNorm3d", 2, perturb=True), at(3, _train_then_eval)),
      X((nn("SyncBatchNorm", 3, perturb=True), at(2, _train_then_eval))))
group("batchnorm_eval", (arr(2, 3, 4, 4),), nn("BatchNorm2d", 3, perturb=True),
      nn("InstanceNorm2d", 3, affine=True, track_running_stats=True, perturb=True), train=False)
group("instancenorm", (arr(2, 3, 6), arr(2, 3, 4, 4, seed=1), arr(3, 4, 5, seed=2), arr(2, 2, 3, 3, 3, seed=3)),
      (nn("InstanceNorm1d", 3), at(0)),
      X((nn("InstanceNorm1d", 3, affine=True, perturb=True), at(0))),
      (nn("InstanceNorm2d", 3, affine=True, track_running_stats=True, perturb=True), at(1, _train_then_eval)),
      (nn("InstanceNorm2d", 3), at(2)),
      (nn("InstanceNorm3d", 2, momentum=0.5, track_running_stats=True), at(3, _two_steps)))
group("norm", (arr(2, 3, 4), arr(3, 4, 5, seed=1), arr(2, 6, 2, 2, seed=2)),
      (nn("LayerNorm", 4, perturb=True), at(0)),
      X((nn("LayerNorm", [3, 4], elementwise_affine=False, eps=1e-3), at(0))),
      X((nn("LayerNorm", (4,), bias=False, perturb=True), at(0))),
      (nn("GroupNorm", 2, 4, perturb=True), at(1)), X((nn("GroupNorm", 3, 6, affine=False), at(2))),
      X((nn("GroupNorm", 1, 6, bias=False, perturb=True), at(2))),
      (nn("RMSNorm", [4], perturb=True), at(0)),
      X((nn("RMSNorm", (3, 4), eps=1e-3, elementwise_affine=False), at(0))),
      (nn("LocalResponseNorm", 3), at(2)), X((nn("LocalResponseNorm", 2, alpha=1e-2, beta=0.5, k=2.0), at(1))))
group("dropout_train", (arr(4, 5), arr(2, 3, 4, seed=1)),
      (nn("Dropout", 0.0), at(0)), (nn("Dropout", 1.0), at(0)), X((nn("Dropout1d", 0.0), at(1))),
      X((nn("Dropout2d", 1.0), at(1, lambda m, x: m(x.unsqueeze(-1))))), X((nn("AlphaDropout", 0.0), at(0))))
group("dropout_eval", (arr(4, 5), arr(2, 3, 4, 4, seed=1), arr(2, 3, 2, 2, 2, seed=2)),
      (nn("Dropout", 0.5), at(0)), (nn("Dropout1d", 0.5), at(1, lambda m, x: m(x[0]))),
      (nn("Dropout2d", 0.3), at(1)), (nn("Dropout3d"), at(2)), (nn("AlphaDropout", 0.2), at(0)),
      (nn("FeatureAlphaDropout", 0.2), at(1)), (nn("RReLU", 0.1, 0.3), at(0)), train=False)
IDX = arr(4, 5, dtype="int64", low=0, high=9)
group("embedding", (IDX, arr(8, dtype="int64", low=0, high=9), np.array([0, 3, 3, 5]), np.array([0, 3, 3, 8])),
      (nn("Embedding", 10, 3), at(0)), (nn("Embedding", 10, 3, padding_idx=-1), at(0)),
      (nn("Embedding", 10, 4, max_norm=1.0), at(0)), X((nn("Embedding", 10, 2, scale_grad_by_freq=True), at(0))),
      X((nn("Embedding", 10, 2, padding_idx=3), at(1))),
      X((nn("EmbeddingBag", 10, 3, mode="sum"), at(0))), X((nn("EmbeddingBag", 10, 3, mode="max"), at(0))),
      (nn("EmbeddingBag", 10, 3, padding_idx=2), lambda m, x, y, o, o2: m(y, o)),
      X((nn("EmbeddingBag", 10, 2, include_last_offset=True), lambda m, x, y, o, o2: m(y, o2))))
group("activation", (arr(3, 4), arr(3, 4, low=-4, high=8, seed=1), arr(2, 3, 4, seed=2), arr(2, 3, 4, 4, seed=3)),
      (nn("ReLU"), at(0)), (nn("ReLU", inplace=True), at(0, _nonleaf)), (nn("ReLU6"), at(1)),
      X((nn("ReLU6", inplace=True), at(1, _nonleaf))), (nn("Hardtanh", -0.5, 1.5), at(0)),
      X((nn("Hardtanh", inplace=True), at(0, _nonleaf))), (nn("LeakyReLU", 0.2), at(0)),
      X((nn("LeakyReLU", inplace=True), at(0, _nonleaf))), X((nn("PReLU"), at(2))),
      (nn("PReLU", 3, init=0.1, perturb=True), at(2)), (nn("ELU", 0.5), at(0)),
      X((nn("ELU", inplace=True), at(0, _nonleaf))), (nn("SELU"), at(0)),
      X((nn("SELU", inplace=True), at(0, _nonleaf))), (nn("CELU", 1.5), at(0)), (nn("GELU"), at(0)),
      X((nn("GELU", approximate="tanh"), at(0))), (nn("SiLU"), at(0)), X((nn("SiLU", inplace=True), at(0, _nonleaf))),
      (nn("Mish"), at(0)), (nn("Sigmoid"), at(0)), (nn("Tanh"), at(0)), (nn("Softmax", dim=1), at(0)),
      (nn("LogSoftmax", -1), at(2)), (nn("Softmin", 0), at(0)), (nn("Softmax2d"), at(3)),
      (nn("Softplus", 2.0, 1.0), at(0)), X((nn("Softplus"), at(1))), (nn("Softsign"), at(0)),
      (nn("Hardsigmoid"), at(1)), (nn("Hardswish"), at(1)), (nn("Hardshrink", 0.3), at(0)),
      (nn("Softshrink", 0.7), at(0)), (nn("Tanhshrink"), at(0)), (nn("Threshold", 0.1, 20.0), at(0)),
      X((nn("Threshold", 0.5, -1.0, inplace=True), at(0, _nonleaf))), (nn("GLU"), at(0)), X((nn("GLU", 0), at(2))),
      (nn("LogSigmoid"), at(0)))
group("resample", (arr(1, 2, 3, 4), arr(1, 2, 4, seed=1), arr(1, 1, 2, 3, 2, seed=2), arr(1, 8, 3, 4, seed=3)),
      (nn("Upsample", scale_factor=2), at(0)),
      (nn("Upsample", size=(5, 7), mode="bilinear", align_corners=False), at(0)),
      X((nn("Upsample", scale_factor=1.5, mode="linear", align_corners=True), at(1))),
      X((nn("Upsample", size=7, mode="nearest"), at(1))),
      X((nn("Upsample", scale_factor=(2, 1, 2), mode="trilinear"), at(2))),
      (nn("UpsamplingNearest2d", scale_factor=2), at(0)), (nn("UpsamplingBilinear2d", size=(6, 6)), at(0)),
      (nn("PixelShuffle", 2), at(3)), (nn("PixelUnshuffle", 2), at(1, lambda m, x: m(x.reshape(1, 2, 2, 2)))),
      (nn("ChannelShuffle", 2), at(3)), X((nn("ChannelShuffle", 4), at(3))))
group("padding", (arr(2, 3, 4), arr(1, 2, 3, 4, seed=1), arr(1, 1, 3, 3, 3, seed=2)),
      (nn("ZeroPad1d", 2), at(0)), (nn("ZeroPad2d", (1, 0, 2, 1)), at(1)), (nn("ZeroPad3d", 1), at(2)),
      (nn("ConstantPad1d", (1, 2), 3.5), at(0)), X((nn("ConstantPad2d", 1, -1.0), at(1))),
      X((nn("ConstantPad3d", (1, 0, 0, 1, 1, 0), 2.0), at(2))), (nn("ReflectionPad1d", 2), at(0)),
      X((nn("ReflectionPad2d", (1, 2, 0, 1)), at(1))), X((nn("ReflectionPad3d", 1), at(2))),
      (nn("ReplicationPad1d", (0, 3)), at(0)), X((nn("ReplicationPad2d", 2), at(1))),
      X((nn("ReplicationPad3d", (1, 0, 1, 0, 0, 2)), at(2))), (nn("CircularPad1d", 2), at(0)),
      X((nn("CircularPad2d", (1, 0, 2, 1)), at(1))), X((nn("CircularPad3d", 1), at(2))),
      X((nn("ZeroPad2d", (-1, 1, 0, 1)), at(1))))
group("distance", (arr(3, 4), arr(3, 4, seed=1)),
      nn("CosineSimilarity"), X(nn("CosineSimilarity", 0, eps=1e-3)), nn("PairwiseDistance"),
      X(nn("PairwiseDistance", p=1, keepdim=True)), X(nn("PairwiseDistance", p=3.0, eps=0.0)))
group("fold", (arr(1, 12, 12), arr(2, 6, 9, seed=1), arr(2, 3, 4, 5, seed=2), arr(1, 2, 5, 6, seed=3)),
      (nn("Fold", output_size=(4, 5), kernel_size=2), at(0)),
      X((nn("Fold", (5, 5), (2, 3), padding=1, stride=2), at(1))),
      (nn("Unfold", 2), at(2)), X((nn("Unfold", (2, 3), dilation=(1, 2), padding=1, stride=2), at(3))))

ENTRIES = [pytest.param(make, id=f"{g.id}-{i}-{getattr(make, 'label', '')}")
           for g in GROUPS for i, (make, _, _) in enumerate(g.values[0])]


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("entries,inputs,opts", GROUPS)
def test_layers(entries, inputs, opts, mode, skip_jtorch_init):
    if mode == "eager":
        entries = [e for e in entries if e[2]]
    check_module(_group_make(entries), *inputs, mode=mode, call=_group_call(entries), **opts)


@pytest.mark.parametrize("make", ENTRIES)
def test_repr_and_state_dict(make, skip_jtorch_init):
    t_mod, j_mod = make(torch), make(jtorch)
    assert repr(j_mod) == repr(t_mod)
    t_sd, j_sd = t_mod.state_dict(), j_mod.state_dict()
    assert list(j_sd) == list(t_sd)
    for k in t_sd:
        assert tuple(j_sd[k].shape) == tuple(t_sd[k].shape), k
        assert str(j_sd[k].dtype) == str(t_sd[k].dtype), k


def _unpool_pair(lib, n):
    pool = getattr(lib.nn, f"MaxPool{n}d")(2, return_indices=True)
    unpool = getattr(lib.nn, f"MaxUnpool{n}d")(2)
    return pool, unpool


def _unpool_all(m, x1, x2, x3, x5):
    return (m[1](*m[0](x1)), m[3](*m[2](x2)), m[5](*m[4](x3)), m[3](*m[2](x5), output_size=[5, 5]))


@pytest.mark.parametrize("mode", MODES)
def test_max_unpool(mode):
    """MaxPool -> MaxUnpool round trips in 1/2/3-D, and with an explicit output_size."""
    def make(lib):
        return lib.nn.ModuleList([m for n in (1, 2, 3) for m in _unpool_pair(lib, n)])

    check_module(make, arr(2, 3, 8), arr(1, 2, 4, 6), arr(1, 1, 4, 2, 4), arr(1, 2, 5, 5), mode=mode,
                 call=_unpool_all)


def test_unpool_repr():
    for n in (1, 2, 3):
        assert [repr(m) for m in _unpool_pair(jtorch, n)] == [repr(m) for m in _unpool_pair(torch, n)]


# ---- running statistics and modes ----

def test_batchnorm_counts_batches_and_eval_uses_running_stats():
    t_bn, j_bn = torch.nn.BatchNorm1d(3, momentum=None), jtorch.nn.BatchNorm1d(3, momentum=None)
    for i in range(3):
        x = arr(6, 3, seed=i)
        t_bn(torch.from_numpy(x))
        j_bn(jtorch.tensor(x))
    assert int(j_bn.num_batches_tracked) == 3 and j_bn.num_batches_tracked.dtype == jtorch.int64
    np.testing.assert_allclose(j_bn.running_mean.numpy(), t_bn.running_mean.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(j_bn.running_var.numpy(), t_bn.running_var.numpy(), rtol=1e-5, atol=1e-6)
    t_bn.eval()
    j_bn.eval()
    x = arr(2, 3, seed=9)
    np.testing.assert_allclose(j_bn(jtorch.tensor(x)).detach().numpy(), t_bn(torch.from_numpy(x)).detach().numpy(),
                               rtol=1e-5, atol=1e-6)
    assert int(j_bn.num_batches_tracked) == 3


def test_batchnorm_loads_old_checkpoint_without_num_batches_tracked():
    bn = jtorch.nn.BatchNorm2d(2)
    sd = {k: v for k, v in bn.state_dict().items() if k != "num_batches_tracked"}
    from collections import OrderedDict

    old = OrderedDict(sd)
    old._metadata = {"": {"version": 1}}
    assert repr(bn.load_state_dict(old)) == "<All keys matched successfully>"
    new = OrderedDict(sd)
    new._metadata = {"": {"version": 2}}
    with pytest.raises(RuntimeError, match="Missing key"):
        jtorch.nn.BatchNorm2d(2).load_state_dict(new)


def test_sync_batchnorm_convert():
    for lib in (torch, jtorch):
        m = lib.nn.Sequential(lib.nn.Conv2d(2, 3, 1), lib.nn.BatchNorm2d(3))
        s = lib.nn.SyncBatchNorm.convert_sync_batchnorm(m)
        assert type(s[1]).__name__ == "SyncBatchNorm"
        assert s[1].weight is m[1].weight and s[1].running_mean is m[1].running_mean
    assert repr(jtorch.nn.SyncBatchNorm.convert_sync_batchnorm(jtorch.nn.BatchNorm1d(4))) == repr(
        torch.nn.SyncBatchNorm.convert_sync_batchnorm(torch.nn.BatchNorm1d(4)))


@pytest.mark.parametrize("name,shape,p", [("Dropout", (200, 50), 0.3), ("Dropout1d", (40, 50, 4), 0.4),
                                          ("Dropout2d", (40, 50, 3, 3), 0.5), ("Dropout3d", (20, 50, 2, 2, 2), 0.2)])
def test_dropout_train_statistics(name, shape, p):
    jtorch.manual_seed(0)
    m = getattr(jtorch.nn, name)(p)
    x = jtorch.ones(shape)
    y = m(x).numpy()
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / (1 - p), rtol=1e-6)
    assert abs(1 - kept.mean() - p) < 0.05
    if name != "Dropout":
        per_channel = kept.reshape(shape[0], shape[1], -1)
        assert (per_channel.all(-1) | ~per_channel.any(-1)).all()
    m.eval()
    assert (m(x).numpy() == 1).all()


def test_alpha_dropout_train_keeps_moments():
    jtorch.manual_seed(0)
    x = jtorch.randn(400, 400)
    y = jtorch.nn.AlphaDropout(0.2)(x)
    assert abs(float(y.mean())) < 0.02 and abs(float(y.std()) - 1) < 0.02


def test_embedding_padding_row_and_from_pretrained():
    e = jtorch.nn.Embedding(6, 3, padding_idx=2)
    assert (e.weight[2].detach().numpy() == 0).all() and (e.weight[0].detach().numpy() != 0).all()
    w = jtorch.tensor(arr(4, 3))
    for lib, weights in ((torch, torch.from_numpy(arr(4, 3))), (jtorch, w)):
        p = lib.nn.Embedding.from_pretrained(weights, padding_idx=1)
        assert not p.weight.requires_grad and p.padding_idx == 1
        assert lib.nn.Embedding.from_pretrained(weights, freeze=False).weight.requires_grad
        bag = lib.nn.EmbeddingBag.from_pretrained(weights, mode="sum")
        assert not bag.weight.requires_grad and bag.mode == "sum"
    np.testing.assert_array_equal(jtorch.nn.Embedding.from_pretrained(w).weight.detach().numpy(), w.numpy())


def test_embedding_sparse_flag_gives_dense_grad():
    """``sparse=True`` is accepted; jtorch's gradient is the dense form of torch's sparse one."""
    t_e, j_e = torch.nn.Embedding(6, 2, sparse=True), jtorch.nn.Embedding(6, 2, sparse=True)
    j_e.load_state_dict({"weight": jtorch.tensor(t_e.weight.detach().numpy())})
    idx = np.array([[0, 2], [2, 5]])
    (t_e(torch.from_numpy(idx)) * 3).sum().backward()
    (j_e(jtorch.tensor(idx)) * 3).sum().backward()
    assert repr(j_e) == repr(t_e) == "Embedding(6, 2, sparse=True)"
    np.testing.assert_array_equal(j_e.weight.grad.numpy(), t_e.weight.grad.to_dense().numpy())


def test_embedding_renorm_modifies_weight():
    t_e, j_e = torch.nn.Embedding(5, 4, max_norm=0.5), jtorch.nn.Embedding(5, 4, max_norm=0.5)
    j_e.load_state_dict({"weight": jtorch.tensor(t_e.weight.detach().numpy())})
    idx = np.array([0, 2, 2, 4])
    t_e(torch.from_numpy(idx))
    j_e(jtorch.tensor(idx))
    np.testing.assert_allclose(j_e.weight.detach().numpy(), t_e.weight.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_layers_in_sequential_train_step(skip_jtorch_init):
    """A small CNN: same loss and gradients as torch after copying weights."""
    def make(lib):
        return lib.nn.Sequential(lib.nn.Conv2d(3, 4, 3, padding=1), lib.nn.BatchNorm2d(4), lib.nn.ReLU(),
                                 lib.nn.MaxPool2d(2), lib.nn.Flatten(), lib.nn.Linear(16, 5), lib.nn.LogSoftmax(1))

    check_module(make, arr(2, 3, 4, 4), mode="eager")


# ---- initialisation ----

def _uniform_ok(t, bound):
    a = t.detach().numpy().ravel().astype(np.float64)
    assert a.min() >= -bound and a.max() <= bound
    assert abs(a.mean()) < 0.05 * bound
    assert abs(a.std() - bound / math.sqrt(3)) < 0.03 * bound
    assert a.min() < -0.95 * bound and a.max() > 0.95 * bound


@pytest.mark.parametrize("make,fan_in", [
    (lambda lib: lib.nn.Linear(400, 300), 400),
    (lambda lib: lib.nn.Conv1d(12, 64, 5), 60),
    (lambda lib: lib.nn.Conv2d(16, 64, 3, groups=4), 36),
    (lambda lib: lib.nn.Conv3d(4, 16, (2, 3, 3)), 72),
    (lambda lib: lib.nn.ConvTranspose2d(16, 48, 3, groups=2), 216),
], ids=["Linear", "Conv1d", "Conv2d_groups", "Conv3d", "ConvTranspose2d"])
def test_default_init_distribution(make, fan_in):
    jtorch.manual_seed(0)
    j_mod, t_mod = make(jtorch), make(torch)
    bound = 1 / math.sqrt(fan_in)
    _uniform_ok(j_mod.weight, bound)
    _uniform_ok(t_mod.weight, bound)
    b = j_mod.bias.detach().numpy()
    assert b.min() >= -bound and b.max() <= bound and b.std() > 0.3 * bound
    jtorch.manual_seed(0)
    np.testing.assert_array_equal(make(jtorch).weight.detach().numpy(), j_mod.weight.detach().numpy())


def test_other_default_inits():
    jtorch.manual_seed(0)
    _uniform_ok(jtorch.nn.Bilinear(100, 30, 40).weight, 0.1)
    e = jtorch.nn.Embedding(300, 200).weight.detach().numpy()
    assert abs(e.mean()) < 0.01 and abs(e.std() - 1) < 0.01
    assert (jtorch.nn.PReLU(4, init=0.3).weight.detach().numpy() == np.float32(0.3)).all()
    for m in (jtorch.nn.BatchNorm2d(3), jtorch.nn.LayerNorm(3), jtorch.nn.GroupNorm(1, 3),
              jtorch.nn.InstanceNorm1d(3, affine=True)):
        assert (m.weight.detach().numpy() == 1).all() and (m.bias.detach().numpy() == 0).all()
    bn = jtorch.nn.BatchNorm1d(3)
    assert (bn.running_var.numpy() == 1).all() and int(bn.num_batches_tracked) == 0
    lin = jtorch.nn.Linear(3, 2)
    before = lin.weight
    lin.reset_parameters()
    assert lin.weight is before and isinstance(lin.weight, jtorch.nn.Parameter)


def test_factory_kwargs_dtype():
    for m in (jtorch.nn.Linear(2, 3, dtype=jtorch.float64), jtorch.nn.Conv2d(1, 2, 3, dtype=jtorch.float64),
              jtorch.nn.BatchNorm1d(2, dtype=jtorch.float64), jtorch.nn.Embedding(3, 2, dtype=jtorch.float64)):
        assert all(p.dtype == jtorch.float64 for p in m.parameters())
    assert jtorch.nn.BatchNorm1d(2, dtype=jtorch.float64).num_batches_tracked.dtype == jtorch.int64


# ---- errors ----

ERRORS = [
    ("conv_in_groups", lambda lib: lib.nn.Conv2d(3, 4, 3, groups=2), "in_channels must be divisible by groups"),
    ("conv_out_groups", lambda lib: lib.nn.Conv2d(4, 3, 3, groups=2), "out_channels must be divisible by groups"),
    ("conv_groups_zero", lambda lib: lib.nn.Conv1d(3, 3, 3, groups=0), "groups must be a positive integer"),
    ("conv_padding_string", lambda lib: lib.nn.Conv2d(3, 3, 3, padding="full"), "Invalid padding string 'full'"),
    ("conv_same_strided", lambda lib: lib.nn.Conv2d(3, 3, 3, stride=2, padding="same"), "strided convolutions"),
    ("conv_padding_mode", lambda lib: lib.nn.Conv3d(3, 3, 3, padding_mode="mirror"), "padding_mode must be one of"),
    ("convT_padding_mode", lambda lib: lib.nn.ConvTranspose2d(3, 3, 3, padding_mode="reflect"),
     'Only "zeros" padding mode is supported for ConvTranspose2d'),
    ("groupnorm_divisible", lambda lib: lib.nn.GroupNorm(3, 4), r"num_channels \(4\) must be divisible by"),
    ("dropout_p", lambda lib: lib.nn.Dropout(1.5), "dropout probability has to be between 0 and 1, but got 1.5"),
    ("dropout2d_p", lambda lib: lib.nn.Dropout2d(-0.1), "between 0 and 1"),
    ("embedding_padding_idx", lambda lib: lib.nn.Embedding(5, 2, padding_idx=5), "Padding_idx must be within"),
    ("embedding_padding_idx_neg", lambda lib: lib.nn.Embedding(5, 2, padding_idx=-6), "Padding_idx must be within"),
    ("embedding_bag_padding_idx", lambda lib: lib.nn.EmbeddingBag(5, 2, padding_idx=7), "padding_idx must be"),
    ("embedding_weight_shape", lambda lib: lib.nn.Embedding(5, 2, _weight=lib.zeros(4, 2)), "Shape of weight"),
    ("embedding_pretrained_1d", lambda lib: lib.nn.Embedding.from_pretrained(lib.zeros(4)), "2-dimensional"),
    ("hardtanh_range", lambda lib: lib.nn.Hardtanh(1.0, 0.0), r"max_val \(0.0\) must be greater than min_val"),
    ("unflatten_type", lambda lib: lib.nn.Unflatten(1, 3), "unflattened_size must be a tuple of ints"),
    ("unflatten_elem", lambda lib: lib.nn.Unflatten(1, (2, 1.5)), "found element of type float at pos 1"),
    ("bilinear_in1", lambda lib: lib.nn.Bilinear(0, 2, 3), r"in1_features must be > 0"),
    ("linear_negative", lambda lib: lib.nn.Linear(3, -1), "negative dimension"),
]


@pytest.mark.parametrize("fn,match", [pytest.param(f, m, id=n) for n, f, m in ERRORS])
def test_constructor_errors(fn, match):
    check_error(fn, match=match)


INPUT_ERRORS = [
    ("batchnorm1d_4d", lambda lib, x: lib.nn.BatchNorm1d(3)(x), arr(2, 3, 2, 2),
     r"expected 2D or 3D input \(got 4D input\)"),
    ("batchnorm2d_3d", lambda lib, x: lib.nn.BatchNorm2d(3)(x), arr(2, 3, 2), r"expected 4D input \(got 3D input\)"),
    ("batchnorm3d_4d", lambda lib, x: lib.nn.BatchNorm3d(3)(x), arr(2, 3, 2, 2), r"expected 5D input \(got 4D"),
    ("batchnorm_one_value", lambda lib, x: lib.nn.BatchNorm1d(3)(x), arr(1, 3), "Expected more than 1 value"),
    ("syncbn_1d", lambda lib, x: lib.nn.SyncBatchNorm(3)(x), arr(3), r"expected at least 2D input \(got 1D"),
    ("instancenorm1d_4d", lambda lib, x: lib.nn.InstanceNorm1d(3)(x), arr(2, 3, 2, 2),
     r"expected 2D or 3D input \(got 4D input\)"),
    ("instancenorm2d_channels", lambda lib, x: lib.nn.InstanceNorm2d(4, affine=True)(x), arr(2, 3, 2, 2),
     r"expected input's size at dim=1 to match num_features \(4\), but got: 3."),
    ("softmax2d_2d", lambda lib, x: lib.nn.Softmax2d()(x), arr(3, 4), "Softmax2d: expected input to be 3D or 4D"),
    ("circularpad2d_2d", lambda lib, x: lib.nn.CircularPad2d(1)(x), arr(3, 4), r"expected 3D or 4D input"),
    ("convT_output_size", lambda lib, x: lib.nn.ConvTranspose2d(2, 2, 3, stride=2)(x, output_size=[20, 20]),
     arr(1, 2, 4, 4), "requested an output size of"),
    ("convT_output_size_len", lambda lib, x: lib.nn.ConvTranspose1d(2, 2, 3)(x, output_size=[1, 2, 3, 4]),
     arr(1, 2, 4), "output_size must have 1 or 3 elements"),
    ("linear_in_features", lambda lib, x: lib.nn.Linear(4, 2)(x), arr(3, 5), None),
    ("conv2d_channels", lambda lib, x: lib.nn.Conv2d(4, 2, 3)(x), arr(1, 3, 5, 5), None),
    ("layernorm_shape", lambda lib, x: lib.nn.LayerNorm(4)(x), arr(3, 5), None),
    ("groupnorm_channels", lambda lib, x: lib.nn.GroupNorm(2, 4)(x), arr(2, 6, 3), None),
    ("embedding_out_of_range", lambda lib, x: lib.nn.Embedding(5, 2)(x), np.array([1, 5]), "index out of range"),
    ("convT_nonzero_mode", lambda lib, x: _set_mode(lib.nn.ConvTranspose1d(2, 2, 3))(x), arr(1, 2, 4),
     "Only `zeros` padding mode is supported for ConvTranspose1d"),
]


def _set_mode(m):
    m.padding_mode = "reflect"
    return m


@pytest.mark.parametrize("fn,x,match", [pytest.param(f, x, m, id=n) for n, f, x, m in INPUT_ERRORS])
def test_input_errors(fn, x, match):
    check_error(fn, x, match=match)


def test_rrelu_train_mode_unsupported():
    """Random slopes (F.rrelu training=True) are not supported; the eval-mode parity is above."""
    with pytest.raises(NotImplementedError, match="rrelu"):
        jtorch.nn.RReLU()(jtorch.tensor(arr(2, 3)))


def test_instancenorm_channel_mismatch_warns():
    with pytest.warns(UserWarning, match="does not match num_features"):
        jtorch.nn.InstanceNorm1d(4)(jtorch.tensor(arr(2, 3, 5)))


def test_hardtanh_deprecated_kwargs():
    for lib in (torch, jtorch):
        with pytest.warns(FutureWarning, match="min_value"):
            m = lib.nn.Hardtanh(min_value=-2.0)
        assert m.min_val == -2.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jtorch.nn.Hardtanh(-2.0)
