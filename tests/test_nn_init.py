"""nn.init against real PyTorch: gains, fans, errors and exact fills are compared value for
value; random initialisers (whose streams differ from PyTorch's) are compared by their
statistics on large tensors, and checked for shape, dtype, identity and reproducibility."""
import math
import warnings

import numpy as np
import pytest

from parity import torch
from test_nn_module import same

import jtorch  # noqa: E402
import jtorch.nn  # noqa: E402,F401

NONLINEARITIES = [("linear", None), ("conv1d", None), ("conv2d", None), ("conv3d", None),
                  ("conv_transpose1d", None), ("conv_transpose2d", None), ("conv_transpose3d", None),
                  ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2),
                  ("leaky_relu", 3), ("leaky_relu", 0), ("selu", None), ("leaky_relu", True), ("leaky_relu", "x"),
                  ("gelu", None)]


@pytest.mark.parametrize("nonlinearity,param", NONLINEARITIES, ids=[f"{n}-{p}" for n, p in NONLINEARITIES])
def test_calculate_gain(nonlinearity, param):
    same(lambda lib: lib.nn.init.calculate_gain(nonlinearity, param))


FAN_SHAPES = [(3,), (), (4, 5), (8, 3, 5), (6, 2, 3, 3), (4, 2, 3, 2, 2), (0, 3), (5, 0, 2)]


@pytest.mark.parametrize("shape", FAN_SHAPES, ids=str)
def test_fans(shape):
    same(lambda lib: lib.nn.init._calculate_fan_in_and_fan_out(lib.empty(shape)))
    for mode in ("fan_in", "fan_out", "FAN_IN", "bad"):
        same(lambda lib: lib.nn.init._calculate_correct_fan(lib.empty(shape), mode))


def _fill(name, shape, dtype="float32", **kw):
    return lambda lib: getattr(lib.nn.init, name)(lib.full(shape, 7.0, dtype=getattr(lib, dtype)), **kw)


EXACT_CASES = [
    ("constant", _fill("constant_", (3, 4), val=2.5)),
    ("constant_int", lambda lib: lib.nn.init.constant_(lib.zeros(3, dtype=lib.int64), 4)),
    ("ones", _fill("ones_", (2, 3, 4), "float64")),
    ("zeros", _fill("zeros_", (5,))),
    ("zeros_0d", _fill("zeros_", ())),
    ("eye_square", _fill("eye_", (3, 3))),
    ("eye_wide", _fill("eye_", (2, 5), "float64")),
    ("eye_tall", _fill("eye_", (4, 2))),
    ("eye_3d", _fill("eye_", (2, 2, 2))),
    ("dirac_3d", _fill("dirac_", (4, 3, 5))),
    ("dirac_4d", _fill("dirac_", (3, 5, 3, 2))),
    ("dirac_5d", _fill("dirac_", (2, 2, 3, 3, 3))),
    ("dirac_groups", _fill("dirac_", (6, 2, 3, 3), groups=3)),
    ("dirac_bad_groups", _fill("dirac_", (5, 2, 3), groups=2)),
    ("dirac_2d", _fill("dirac_", (3, 3))),
    ("orthogonal_1d", _fill("orthogonal_", (3,))),
    ("sparse_3d", _fill("sparse_", (3, 3, 3), sparsity=0.1)),
    ("xavier_1d", _fill("xavier_uniform_", (3,))),
    ("kaiming_bad_mode", _fill("kaiming_uniform_", (3, 3), mode="fan_avg")),
    ("kaiming_bad_nonlinearity", _fill("kaiming_normal_", (3, 3), nonlinearity="swish")),
    ("kaiming_empty", _fill("kaiming_uniform_", (0, 3))),
    ("kaiming_normal_empty", _fill("kaiming_normal_", (4, 0))),
    ("orthogonal_empty", _fill("orthogonal_", (0, 3))),
    ("uniform_bad_range", _fill("uniform_", (3,), a=2.0, b=1.0)),
    ("normal_bad_std", _fill("normal_", (3,), std=-1.0)),
]


@pytest.mark.parametrize("name,fn", EXACT_CASES, ids=[c[0] for c in EXACT_CASES])
def test_exact(name, fn):
    same(fn)


def _stats(a):
    a = np.asarray(a, dtype=np.float64)
    return a.mean(), a.std(), a.min(), a.max()


def _draw(lib, name, shape, dtype, kw):
    t = lib.empty(shape, dtype=getattr(lib, dtype))
    out = getattr(lib.nn.init, name)(t, **kw)
    assert out is t
    return out


RANDOM_CASES = [
    ("uniform_", (256, 512), {"a": -2.0, "b": 3.0}),
    ("normal_", (256, 512), {"mean": 1.0, "std": 2.0}),
    ("xavier_uniform_", (256, 512), {}),
    ("xavier_uniform_", (64, 32, 3, 3), {"gain": 2.0}),
    ("xavier_normal_", (256, 512), {"gain": 0.5}),
    ("kaiming_uniform_", (256, 512), {"a": math.sqrt(5)}),
    ("kaiming_uniform_", (64, 32, 3, 3), {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal_", (256, 512), {}),
    ("kaiming_normal_", (64, 16, 5, 5), {"mode": "fan_out", "nonlinearity": "leaky_relu", "a": 0.1}),
    ("trunc_normal_", (256, 512), {"std": 0.02}),
    ("trunc_normal_", (256, 512), {"mean": 1.0, "std": 3.0, "a": 0.0, "b": 2.0}),
    ("trunc_normal_", (256, 512), {"mean": 0.0, "std": 1.0, "a": 0.5, "b": 4.0}),
    ("orthogonal_", (256, 512), {}),
    ("orthogonal_", (512, 128), {"gain": 2.0}),
    ("sparse_", (512, 64), {"sparsity": 0.25, "std": 0.5}),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,shape,kw", RANDOM_CASES, ids=[f"{c[0]}{list(c[1])}{c[2]}" for c in RANDOM_CASES])
def test_random_statistics(name, shape, kw, dtype):
    torch.manual_seed(0)
    jtorch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = _draw(torch, name, shape, dtype, kw)
        actual = _draw(jtorch, name, shape, dtype, kw)
    assert str(actual.dtype) == str(expected.dtype) and tuple(actual.shape) == tuple(expected.shape)
    em, es, emin, emax = _stats(expected.numpy())
    am, as_, amin, amax = _stats(actual.numpy())
    n = expected.numel()
    assert abs(am - em) < 6 * max(es, 1e-12) / math.sqrt(n), (am, em)
    assert as_ == pytest.approx(es, rel=0.02)
    if name in ("uniform_", "xavier_uniform_", "kaiming_uniform_", "trunc_normal_"):
        lo, hi = (kw.get("a", -2.0), kw.get("b", 2.0)) if name == "trunc_normal_" else (emin, emax)
        assert amin >= lo - 1e-3 * es and amax <= hi + 1e-3 * es
        if name != "trunc_normal_":
            assert amin == pytest.approx(emin, abs=0.01 * es) and amax == pytest.approx(emax, abs=0.01 * es)
    if name == "sparse_":
        zeros = (actual.numpy() == 0).sum(0)
        np.testing.assert_array_equal(zeros, (expected.numpy() == 0).sum(0))


@pytest.mark.parametrize("shape,gain", [((4, 9), 1.0), ((9, 4), 1.5), ((3, 2, 2, 2), 1.0), ((5, 5), 0.5)])
def test_orthogonal_is_orthogonal(shape, gain):
    w = jtorch.nn.init.orthogonal_(jtorch.empty(shape, dtype=jtorch.float64), gain=gain).numpy()
    flat = w.reshape(shape[0], -1)
    gram = flat @ flat.T if flat.shape[0] <= flat.shape[1] else flat.T @ flat
    np.testing.assert_allclose(gram, gain ** 2 * np.eye(gram.shape[0]), atol=1e-10)


INIT_CALLS = [("uniform_", {}), ("normal_", {}), ("trunc_normal_", {}), ("xavier_uniform_", {}),
              ("xavier_normal_", {}), ("kaiming_uniform_", {}), ("kaiming_normal_", {}), ("orthogonal_", {}),
              ("sparse_", {"sparsity": 0.5})]


@pytest.mark.parametrize("name,kw", INIT_CALLS, ids=[c[0] for c in INIT_CALLS])
def test_generator_reproducible(name, kw):
    """The same generator seed gives the same values; the global stream is untouched."""
    init = getattr(jtorch.nn.init, name)
    jtorch.manual_seed(5)
    before = jtorch.rand(3)
    jtorch.manual_seed(5)
    a = init(jtorch.empty(6, 4), generator=jtorch.Generator().manual_seed(1), **kw)
    b = init(jtorch.empty(6, 4), generator=jtorch.Generator().manual_seed(1), **kw)
    c = init(jtorch.empty(6, 4), generator=jtorch.Generator().manual_seed(2), **kw)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), c.numpy())
    np.testing.assert_array_equal(jtorch.rand(3).numpy(), before.numpy())


@pytest.mark.parametrize("name,kw", INIT_CALLS + [("constant_", {"val": 1.0}), ("ones_", {}), ("zeros_", {}),
                                                  ("eye_", {})], ids=lambda c: str(c))
def test_parameter_stays_leaf(name, kw):
    """Initialising a Parameter works (under no_grad), keeps it a leaf requiring grad, and records no graph."""
    p = jtorch.nn.Parameter(jtorch.empty(6, 4))
    v = p._version
    out = getattr(jtorch.nn.init, name)(p, **kw)
    assert out is p and p.is_leaf and p.requires_grad and p.grad_fn is None
    assert type(p) is jtorch.nn.Parameter and p._version > v


@pytest.mark.parametrize("name", ["uniform", "normal", "constant", "eye", "dirac", "xavier_uniform",
                                  "xavier_normal", "kaiming_uniform", "kaiming_normal", "orthogonal", "sparse"])
def test_deprecated_aliases(name):
    shape = (3, 2, 3) if name == "dirac" else (4, 3)
    args = {"constant": (1.0,), "sparse": (0.5,)}.get(name, ())
    with pytest.warns(FutureWarning, match=f"nn.init.{name}` is now deprecated in favor of `nn.init.{name}_"):
        out = getattr(jtorch.nn.init, name)(jtorch.empty(shape), *args)
    assert tuple(out.shape) == shape


def test_zero_element_warning():
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        jtorch.nn.init.kaiming_uniform_(jtorch.empty(0, 3))


def test_trunc_normal_far_mean_warns():
    with pytest.warns(UserWarning, match="mean is more than 2 std from"):
        jtorch.nn.init.trunc_normal_(jtorch.empty(10), mean=10.0, std=1.0, a=-1.0, b=1.0)
