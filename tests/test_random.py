"""Random sampling against real PyTorch. jtorch's streams differ from PyTorch's (DESIGN.md), so
these tests check properties: reproducibility under manual_seed, RNG state round trips, fork_rng,
independent Generators, eager/compiled agreement, distribution statistics (for both libraries),
shapes and dtypes against torch, and PyTorch's errors for bad arguments."""
import math
import re

import jax
import numpy as np
import pytest

from parity import torch
import jtorch
from jtorch._functional import traced

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def values(x):
    if isinstance(x, (tuple, list)):
        return [values(v) for v in x]
    return np.asarray(x.detach().float()._read() if x.dtype == jtorch.bfloat16 else x.detach()._read())


def equal(a, b):
    return all(np.array_equal(x, y, equal_nan=True) for x, y in zip(np.atleast_1d(values(a)), np.atleast_1d(values(b))))


N = 10_000
# (name, draw, expected statistics of the draw or None). Every draw has N elements, so each
# sampler compiles once for the reproducibility, state, generator and statistics tests together.
SAMPLERS = [
    ("rand", lambda t: t.rand(N), dict(mean=0.5, var=1 / 12, lo=0, hi=1)),
    ("rand_float64", lambda t: t.rand(N, dtype=t.float64), dict(mean=0.5, var=1 / 12, lo=0, hi=1)),
    ("rand_half", lambda t: t.rand(N, dtype=t.float16), dict(mean=0.5, lo=0, hi=1)),
    ("rand_complex", lambda t: t.rand(N, dtype=t.complex64), None),
    ("randn", lambda t: t.randn(N), dict(mean=0.0, var=1.0)),
    ("randn_complex", lambda t: t.randn(N, dtype=t.complex64).abs() ** 2, dict(mean=1.0)),
    ("randint", lambda t: t.randint(-3, 7, (N,)), dict(mean=1.5, var=99 / 12, lo=-3, hi=6)),
    ("randperm", lambda t: t.randperm(N), dict(mean=(N - 1) / 2, var=N * N / 12, lo=0, hi=N - 1)),
    ("normal_scalars", lambda t: t.normal(2.0, 3.0, (N,)), dict(mean=2.0, var=9.0)),
    ("normal_tensors", lambda t: t.normal(t.full((N,), -1.0), t.full((N,), 0.5)), dict(mean=-1.0, var=0.25)),
    ("normal_tensor_std", lambda t: t.normal(1.0, t.full((N,), 2.0)), dict(mean=1.0, var=4.0)),
    ("bernoulli", lambda t: t.bernoulli(t.full((N,), 0.3)), dict(mean=0.3, var=0.21, lo=0, hi=1)),
    ("bernoulli_p", lambda t: t.bernoulli(t.zeros(N), 0.8), dict(mean=0.8, lo=0, hi=1)),
    ("multinomial", lambda t: t.multinomial(t.ones(N), N // 2), dict(mean=(N - 1) / 2, var=N * N / 12, lo=0,
                                                                      hi=N - 1)),
    ("multinomial_replacement", lambda t: t.multinomial(t.tensor([0.1, 0.2, 0.7]), N, replacement=True),
     dict(mean=1.6, lo=0, hi=2)),
    ("poisson", lambda t: t.poisson(t.full((N,), 3.0)), dict(mean=3.0, var=3.0, lo=0)),
    ("rand_like", lambda t: t.rand_like(t.zeros(N, dtype=t.float64)), dict(mean=0.5, lo=0, hi=1)),
    ("uniform_", lambda t: t.empty(N).uniform_(-2, 5), dict(mean=1.5, var=49 / 12, lo=-2, hi=5)),
    ("normal_", lambda t: t.empty(N, dtype=t.float64).normal_(3, 0.5), dict(mean=3.0, var=0.25)),
    ("random_", lambda t: t.empty(N, dtype=t.int64).random_(), dict(mean=2 ** 62, var=2 ** 126 / 12, lo=0)),
    ("random_to", lambda t: t.empty(N).random_(10), dict(mean=4.5, lo=0, hi=9)),
    ("random_from_to", lambda t: t.empty(N, dtype=t.int32).random_(-10, 10), dict(mean=-0.5, lo=-10, hi=9)),
    ("random_float", lambda t: t.empty(N).random_(), dict(mean=2 ** 23, var=2 ** 48 / 12, lo=0, hi=2 ** 24)),
    ("exponential_", lambda t: t.empty(N).exponential_(2.0), dict(mean=0.5, var=0.25, lo=0)),
    ("cauchy_", lambda t: t.empty(N).cauchy_(), None),
    ("log_normal_", lambda t: t.empty(N).log_normal_(0.0, 0.5), dict(mean=math.exp(0.125), lo=0)),
    ("geometric_", lambda t: t.empty(N).geometric_(0.25), dict(mean=4.0, var=12.0, lo=1)),
    ("bernoulli_", lambda t: t.empty(N, dtype=t.int64).bernoulli_(0.6), dict(mean=0.6, lo=0, hi=1)),
    ("bernoulli_tensor_p", lambda t: t.empty(N).bernoulli_(t.full((N,), 0.5)), dict(mean=0.5, lo=0, hi=1)),
    ("tensor_bernoulli", lambda t: t.full((N,), 0.5).bernoulli(), dict(mean=0.5, lo=0, hi=1)),
]
IDS = [c[0] for c in SAMPLERS]


@pytest.mark.parametrize("name,fn,expect", SAMPLERS, ids=IDS)
def test_manual_seed_reproduces(name, fn, expect):
    jtorch.manual_seed(1234)
    a, a2 = fn(jtorch), fn(jtorch)
    jtorch.manual_seed(1234)
    b, b2 = fn(jtorch), fn(jtorch)
    jtorch.manual_seed(4321)
    c = fn(jtorch)
    assert equal(a, b) and equal(a2, b2)
    assert not equal(a, a2), "consecutive draws repeat"
    assert not equal(a, c), "different seeds give the same numbers"


@pytest.mark.parametrize("name,fn,expect", SAMPLERS, ids=IDS)
def test_rng_state_roundtrip(name, fn, expect):
    jtorch.manual_seed(7)
    fn(jtorch)
    state = jtorch.get_rng_state()
    a = fn(jtorch)
    jtorch.set_rng_state(state)
    b = fn(jtorch)
    assert equal(a, b)


@pytest.mark.parametrize("name,fn,expect", SAMPLERS, ids=IDS)
def test_fork_rng_restores(name, fn, expect):
    jtorch.manual_seed(3)
    expected = fn(jtorch)
    jtorch.manual_seed(3)
    with jtorch.random.fork_rng():
        fn(jtorch)
        fn(jtorch)
    assert equal(fn(jtorch), expected)


GENERATOR_SAMPLERS = [c for c in SAMPLERS if c[0] in (
    "rand", "randn", "randint", "randperm", "normal_scalars", "normal_tensors", "bernoulli", "multinomial",
    "uniform_", "normal_", "random_", "exponential_", "poisson", "rand_like")]


@pytest.mark.parametrize("name,fn,expect", GENERATOR_SAMPLERS, ids=[c[0] for c in GENERATOR_SAMPLERS])
def test_generator_objects(name, fn, expect):
    """A Generator is its own stream: same seed, same numbers; the global stream is untouched."""
    def with_gen(t, g):
        return fn(_GenLib(t, g))

    jtorch.manual_seed(99)
    global_expected = jtorch.rand(N)
    jtorch.manual_seed(99)
    g1, g2 = jtorch.Generator().manual_seed(5), jtorch.Generator()
    g2.manual_seed(5)
    a, b = with_gen(jtorch, g1), with_gen(jtorch, g2)
    assert equal(a, b)
    assert equal(jtorch.rand(N), global_expected)
    state = g1.get_state()
    c = with_gen(jtorch, g1)
    g1.set_state(state)
    assert equal(with_gen(jtorch, g1), c)


class _GenLib:
    """The library with ``generator=g`` passed to every sampling function and method."""

    def __init__(self, lib, gen):
        self._lib, self._gen = lib, gen

    def __getattr__(self, name):
        attr = getattr(self._lib, name)
        if name in ("rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial", "poisson",
                    "rand_like"):
            return lambda *a, **k: attr(*a, generator=self._gen, **k)
        if name == "empty":
            return lambda *a, **k: _GenTensor(attr(*a, **k), self._gen)
        return attr


class _GenTensor:
    def __init__(self, tensor, gen):
        self._t, self._gen = tensor, gen

    def __getattr__(self, name):
        attr = getattr(self._t, name)
        return lambda *a, **k: attr(*a, generator=self._gen, **k)


def test_seed_functions():
    g = jtorch.manual_seed(42)
    assert isinstance(g, jtorch.Generator) and g is jtorch.random.default_generator
    assert jtorch.initial_seed() == 42
    s = jtorch.seed()
    assert isinstance(s, int) and jtorch.initial_seed() == s
    s2 = jtorch.random.seed()
    assert jtorch.initial_seed() == s2
    for seed, expected in ((1.5, 1), (-1, 2 ** 64 - 1), (jtorch.tensor(3), 3), (2 ** 64 - 1, 2 ** 64 - 1)):
        jtorch.manual_seed(seed)
        torch.manual_seed(seed if not isinstance(seed, jtorch.Tensor) else torch.tensor(3))
        assert jtorch.initial_seed() == torch.initial_seed() == expected
    assert jtorch.Generator().initial_seed() == torch.Generator().initial_seed()
    assert repr(jtorch.Generator().device) == repr(torch.Generator().device)
    assert jtorch.Generator().manual_seed(3).initial_seed() == 3
    state = jtorch.get_rng_state()
    assert state.dtype is jtorch.uint8 and state.ndim == 1
    jtorch.manual_seed(0)
    torch.manual_seed(0)


def test_eager_and_compiled_draw_the_same():
    """Random ops traced into a compiled program draw what the same ops draw eagerly."""
    def draws(t=jtorch):
        return t.rand(N), t.randint(-3, 7, (N,)), t.empty(N).uniform_(-2, 5)

    jtorch.manual_seed(11)
    eager = draws()
    jtorch.manual_seed(11)
    compiled = traced(lambda: draws())()[0]
    for e, c in zip(eager, compiled):
        assert np.array_equal(np.asarray(e._read()), np.asarray(c))


def _stats(x):
    a = np.asarray(x.detach().double().tolist(), np.float64)
    return a.mean(), a.var(), a.min(), a.max()


@pytest.mark.parametrize("name,fn,expect", [c for c in SAMPLERS if c[2]], ids=[c[0] for c in SAMPLERS if c[2]])
def test_distribution(name, fn, expect):
    """Loose statistics on 10k samples, checked for torch too (so the bounds are sound)."""
    for lib in (torch, jtorch):
        lib.manual_seed(0)
        mean, var, lo, hi = _stats(fn(lib))
        if "mean" in expect:
            tol = 6 * math.sqrt(expect.get("var", abs(expect["mean"]) + 1) / N) + 1e-9
            assert abs(mean - expect["mean"]) < tol, (lib.__name__, mean)
        if "var" in expect:
            assert abs(var - expect["var"]) < 0.1 * expect["var"], (lib.__name__, var)
        if "lo" in expect:
            assert lo >= expect["lo"], (lib.__name__, lo)
        if "hi" in expect:
            assert hi <= expect["hi"], (lib.__name__, hi)


def test_cauchy_median():
    for lib in (torch, jtorch):
        lib.manual_seed(0)
        assert abs(float(lib.empty(N).cauchy_(1.0, 2.0).median()) - 1.0) < 0.15


def test_discrete_properties():
    for lib in (torch, jtorch):
        lib.manual_seed(0)
        assert sorted(lib.randperm(N).tolist()) == list(range(N))
        assert set(lib.randint(-3, 7, (N,)).tolist()) == set(range(-3, 7))
        assert set(lib.empty(N, dtype=lib.int32).random_(-10, 10).tolist()) == set(range(-10, 10))
        half = lib.multinomial(lib.ones(N), N // 2).tolist()
        assert len(set(half)) == N // 2
        p = lib.tensor([0.5, 0.1, 0.1, 0.3, 0.0])
        for _ in range(3):
            assert sorted(lib.multinomial(p, 4).tolist()) == [0, 1, 2, 3]
        assert set(lib.multinomial(lib.tensor([0.0, 1.0, 0.0]), N, replacement=True).tolist()) == {1}
        assert lib.bernoulli(lib.full((N,), 1.0)).min().item() == 1.0
        assert lib.bernoulli(lib.zeros(N), 0.0).max().item() == 0.0


def meta(x):
    if isinstance(x, (tuple, list)):
        return [meta(v) for v in x]
    if isinstance(x, (torch.Tensor, jtorch.Tensor)):
        return (str(x.dtype), tuple(x.shape), x.requires_grad, x.is_leaf)
    return repr(x)


SHAPES = [
    ("rand_varargs", lambda t: t.rand(2, 3)),
    ("rand_tuple", lambda t: t.rand((2, 3))),
    ("rand_size_kw", lambda t: t.rand(size=(2,))),
    ("rand_0d", lambda t: t.rand(())),
    ("rand_empty", lambda t: t.rand(0, 3)),
    ("rand_5d", lambda t: t.rand(1, 2, 1, 2, 1)),
    ("rand_dtypes", lambda t: [t.rand(2, dtype=getattr(t, d)) for d in ("float64", "float16", "bfloat16",
                                                                        "complex64", "complex128")]),
    ("rand_requires_grad", lambda t: t.rand(2, requires_grad=True)),
    ("randn_dtypes", lambda t: [t.randn(2, 1, dtype=getattr(t, d)) for d in ("float64", "float16", "complex64")]),
    ("randn_requires_grad", lambda t: t.randn(2, requires_grad=True, dtype=t.float64)),
    ("randint_high", lambda t: t.randint(5, (3,))),
    ("randint_low_high", lambda t: t.randint(2, 5, (3, 2))),
    ("randint_keywords", lambda t: (t.randint(high=5, size=(3,)), t.randint(low=1, high=5, size=(3,)),
                                    t.randint(5, size=(3,)))),
    ("randint_dtypes", lambda t: (t.randint(5, (3,), dtype=t.float32), t.randint(2, (3,), dtype=t.bool),
                                  t.randint(100, (3,), dtype=t.uint8), t.randint(-5, 5, (3,), dtype=t.int8),
                                  t.randint(2 ** 25, (3,), dtype=t.float32))),
    ("randint_extremes", lambda t: t.randint(-2 ** 63, 2 ** 63 - 1, (3,))),
    ("randint_like", lambda t: (t.randint_like(t.ones(2), 10), t.randint_like(t.ones(2, dtype=t.int32), 3, 10))),
    ("randperm", lambda t: (t.randperm(5), t.randperm(0), t.randperm(5, dtype=t.float32),
                            t.randperm(256, dtype=t.uint8))),
    ("normal_overloads", lambda t: (t.normal(0.0, 1.0, (3,)), t.normal(0, 1, (2,)), t.normal(t.ones(3), 1.0),
                                    t.normal(0.0, t.ones(3)), t.normal(t.ones(3), t.ones(3)),
                                    t.normal(t.zeros(2, 1), t.ones(3)), t.normal(mean=t.zeros(2), std=t.ones(2)),
                                    t.normal(mean=t.zeros(2)), t.normal(0.0, 1.0, size=(2,), dtype=t.float64),
                                    t.normal(2.0, 3.0, (2, 3), dtype=t.float16))),
    ("normal_dtypes", lambda t: (t.normal(t.ones(2, dtype=t.float64), t.ones(2)),
                                 t.normal(t.ones(2), t.ones(2, dtype=t.float64)),
                                 t.normal(t.ones(2), t.ones(2).long()))),
    ("normal_grad", lambda t: (t.normal(t.zeros(2, requires_grad=True), 1.0),
                               t.normal(t.zeros(2), t.ones(2, requires_grad=True)),
                               t.normal(0.0, 1.0, (2,), requires_grad=True))),
    ("bernoulli", lambda t: (t.bernoulli(t.full((2, 2), 0.5)), t.bernoulli(t.full((2,), 0.5, dtype=t.float64)),
                             t.bernoulli(t.ones(3), 0.5), t.bernoulli(t.zeros(3, dtype=t.int64), 0.5),
                             t.bernoulli(t.zeros(3, dtype=t.bool), 0.5))),
    ("multinomial", lambda t: (t.multinomial(t.ones(3), 2), t.multinomial(t.ones(2, 3), 2),
                               t.multinomial(t.ones(3), 5, True), t.multinomial(t.ones(0, 3), 1),
                               t.multinomial(t.ones(3, dtype=t.float64), 2),
                               t.multinomial(t.ones(3, dtype=t.float16), 2))),
    ("poisson", lambda t: (t.poisson(t.ones(2)), t.poisson(t.ones(2, dtype=t.float64)))),
    ("like", lambda t: (t.rand_like(t.ones(2, dtype=t.float64)), t.randn_like(t.ones(2, 3)),
                        t.rand_like(t.ones(2), dtype=t.float16), t.randn_like(t.ones(2), requires_grad=True))),
    ("inplace_dtypes", lambda t: [getattr(t.zeros(3, dtype=getattr(t, d)), m)(*args) for d, m, args in (
        ("float64", "uniform_", ()), ("float16", "normal_", ()), ("int64", "random_", ()), ("bool", "random_", ()),
        ("int64", "bernoulli_", (0.5,)), ("bool", "bernoulli_", (0.5,)), ("float64", "exponential_", ()),
        ("int64", "geometric_", (0.5,)), ("float64", "cauchy_", ()), ("float64", "log_normal_", ()),
        ("int32", "random_", (-5, 5)))]),
    ("inplace_returns_self", lambda t: (lambda x: [getattr(x, m)(*a) is x for m, a in (
        ("uniform_", ()), ("normal_", ()), ("random_", (3,)), ("bernoulli_", ()), ("exponential_", ()),
        ("cauchy_", ()), ("log_normal_", ()), ("geometric_", (0.5,)))])(t.zeros(3))),
]


def traced_meta(fn):
    """jtorch's result metadata from tracing ``fn`` (shapes and dtypes need no compilation)."""
    found = []
    jax.make_jaxpr(lambda: found.append(meta(fn(jtorch))) or 0)()
    return found[0]


@pytest.mark.parametrize("name,fn", SHAPES, ids=[c[0] for c in SHAPES])
def test_shapes_and_dtypes(name, fn):
    assert traced_meta(fn) == meta(fn(torch))


def test_normal_gradients():
    """torch records normal(tensor, tensor) as NormalBackward3 but gives mean and std zero gradients."""
    for lib in (torch, jtorch):
        mean = lib.zeros(3, requires_grad=True)
        std = lib.ones(3, requires_grad=True)
        out = lib.normal(mean, std)
        out.sum().backward()
        assert mean.grad.tolist() == std.grad.tolist() == [0.0, 0.0, 0.0]  # torch: normal is not differentiable
        name = type(out.grad_fn).__name__ if lib is torch else out.grad_fn.name()
        assert name == "NormalBackward3"


def first_line(e):
    return str(e).split("\n")[0]


ERRORS = [
    ("randint_low_ge_high", lambda t: t.randint(5, 5, (3,)), None),
    ("randint_low_gt_high", lambda t: t.randint(5, 2, (3,)), None),
    ("randint_zero_high", lambda t: t.randint(0, (3,)), None),
    ("randint_negative_high", lambda t: t.randint(-1, (3,)), None),
    ("randint_int_size", lambda t: t.randint(5, 3), None),
    ("randint_float_high", lambda t: t.randint(2.5, (3,)), None),
    ("randint_float_args", lambda t: t.randint(0.5, 2.5, (3,)), r"invalid combination of arguments"),
    ("randint_one_arg", lambda t: t.randint(5), None),
    ("randint_three_ints", lambda t: t.randint(5, 3, 4), r"invalid combination of arguments"),
    ("randint_bool_range", lambda t: t.randint(5, (3,), dtype=t.bool), None),
    ("randint_uint8_range", lambda t: t.randint(300, (3,), dtype=t.uint8), None),
    ("randint_int8_range", lambda t: t.randint(200, (3,), dtype=t.int8), None),
    ("randint_int8_low", lambda t: t.randint(-200, 2, (3,), dtype=t.int8), None),
    ("randint_uint8_negative", lambda t: t.randint(-2, 2, (3,), dtype=t.uint8), None),
    ("randint_int16_range", lambda t: t.randint(2 ** 40, (3,), dtype=t.int16), None),
    ("randint_int32_range", lambda t: t.randint(2 ** 40, (3,), dtype=t.int32), None),
    ("randint_overflow", lambda t: t.randint(0, 2 ** 63, (3,)), None),
    ("randint_requires_grad", lambda t: t.randint(3, (2,), requires_grad=True), None),
    ("randint_like_zero", lambda t: t.randint_like(t.ones(2), 0), None),
    ("rand_int", lambda t: t.rand(3, dtype=t.int64), None),
    ("rand_bool", lambda t: t.rand(3, dtype=t.bool), None),
    ("randn_int", lambda t: t.randn(3, dtype=t.int64), None),
    ("rand_like_int", lambda t: t.rand_like(t.tensor([1, 2])), None),
    ("randn_like_int", lambda t: t.randn_like(t.tensor([1, 2])), None),
    ("rand_float_size", lambda t: t.rand(2, 3.0), None),
    ("rand_negative", lambda t: t.rand(-1), None),
    ("randn_negative", lambda t: t.randn(2, -1), None),
    ("rand_bad_generator", lambda t: t.rand(2, generator=3), r""),
    ("randperm_negative", lambda t: t.randperm(-1), None),
    ("randperm_float", lambda t: t.randperm(5.0), None),
    ("randperm_bool", lambda t: t.randperm(5, dtype=t.bool), None),
    ("randperm_uint8_overflow", lambda t: t.randperm(300, dtype=t.uint8), None),
    ("randperm_requires_grad", lambda t: t.randperm(3, requires_grad=True), None),
    ("normal_negative_std", lambda t: t.normal(0.0, -1.0, (3,)), None),
    ("normal_no_size", lambda t: t.normal(0.0, 1.0), r"invalid combination of arguments"),
    ("normal_tensor_negative_std", lambda t: t.normal(t.ones(3), -1.0), None),
    ("normal_negative_std_tensor", lambda t: t.normal(0.0, -t.ones(3)), None),
    ("normal_tensors_negative_std", lambda t: t.normal(t.zeros(2), t.tensor([1.0, -1.0])), None),
    ("normal_broadcast", lambda t: t.normal(t.ones(3), t.ones(2)), None),
    ("normal_int_mean", lambda t: t.normal(t.tensor([1, 2]), 1.0), None),
    ("normal_int_std", lambda t: t.normal(0.0, t.tensor([1, 1])), None),
    ("normal_tensor_and_size", lambda t: t.normal(t.ones(3), 1.0, (5,)), r"invalid combination of arguments"),
    ("normal_int_dtype", lambda t: t.normal(0.0, 1.0, (2,), dtype=t.int64), None),
    ("bernoulli_p_above_one", lambda t: t.bernoulli(t.tensor([0.5, 1.5])), None),
    ("bernoulli_p_negative", lambda t: t.bernoulli(t.tensor([0.5, -0.5])), None),
    ("bernoulli_p_nan", lambda t: t.bernoulli(t.tensor([math.nan])), None),
    ("bernoulli_int", lambda t: t.bernoulli(t.tensor([1, 2])), None),
    ("bernoulli_scalar_p", lambda t: t.bernoulli(t.ones(3), 1.5), None),
    ("bernoulli_scalar_p_negative", lambda t: t.bernoulli(t.ones(3), -0.1), None),
    ("bernoulli_int_p", lambda t: t.bernoulli(t.zeros(3), p=2), None),
    ("bernoulli__p", lambda t: t.zeros(3).bernoulli_(1.5), None),
    ("bernoulli__tensor_p", lambda t: t.zeros(3).bernoulli_(t.tensor([0.5, 2.0, 0.5])), None),
    ("multinomial_too_many", lambda t: t.multinomial(t.tensor([0.2, 0.8]), 3), None),
    ("multinomial_zero", lambda t: t.multinomial(t.tensor([0.2, 0.8]), 0), None),
    ("multinomial_negative_n", lambda t: t.multinomial(t.tensor([0.2, 0.8]), -1), None),
    ("multinomial_negative_p", lambda t: t.multinomial(t.tensor([-0.2, 0.8]), 1), None),
    ("multinomial_zero_sum", lambda t: t.multinomial(t.tensor([0.0, 0.0]), 1), None),
    ("multinomial_nan", lambda t: t.multinomial(t.tensor([math.nan, 0.8]), 1), None),
    ("multinomial_inf", lambda t: t.multinomial(t.tensor([math.inf, 0.8]), 1), None),
    ("multinomial_int", lambda t: t.multinomial(t.tensor([1, 2]), 1), None),
    ("multinomial_3d", lambda t: t.multinomial(t.ones(2, 2, 2), 1), None),
    ("multinomial_0d", lambda t: t.multinomial(t.ones(()), 1), None),
    ("multinomial_empty", lambda t: t.multinomial(t.ones(0), 1), None),
    ("multinomial_no_categories", lambda t: t.multinomial(t.ones(3, 0), 1), None),
    ("multinomial_float_n", lambda t: t.multinomial(t.ones(3), 2.0), None),
    ("uniform_reversed", lambda t: t.zeros(3).uniform_(2, 1), None),
    ("uniform_inf", lambda t: t.zeros(3).uniform_(0, math.inf), None),
    ("uniform_from_out_of_bounds", lambda t: t.zeros(3).uniform_(-1e39, 0), None),
    ("uniform_int", lambda t: t.zeros(3, dtype=t.int64).uniform_(), None),
    ("uniform_leaf", lambda t: t.ones(2, requires_grad=True).uniform_(), None),
    ("normal__negative_std", lambda t: t.zeros(3).normal_(0, -1), None),
    ("normal__int", lambda t: t.zeros(3, dtype=t.int64).normal_(), None),
    ("exponential_negative", lambda t: t.zeros(3).exponential_(-1), None),
    ("exponential_zero", lambda t: t.zeros(3).exponential_(0), None),
    ("exponential_int", lambda t: t.zeros(3, dtype=t.int64).exponential_(), None),
    ("random_reversed", lambda t: t.zeros(3).random_(5, 2), None),
    ("random_equal", lambda t: t.zeros(3).random_(5, 5), None),
    ("random_zero", lambda t: t.zeros(3).random_(0), None),
    ("random_negative", lambda t: t.zeros(3).random_(-1), None),
    ("random_uint8_range", lambda t: t.zeros(3, dtype=t.uint8).random_(300), None),
    ("random_int8_range", lambda t: t.zeros(3, dtype=t.int8).random_(200), None),
    ("random_float_arg", lambda t: t.zeros(3).random_(1.5), None),
    ("geometric_zero", lambda t: t.zeros(3).geometric_(0), None),
    ("geometric_one", lambda t: t.zeros(3).geometric_(1), None),
    ("geometric_above_one", lambda t: t.zeros(3).geometric_(1.5), None),
    ("cauchy_negative_sigma", lambda t: t.zeros(3).cauchy_(0, -1), None),
    ("cauchy_int", lambda t: t.zeros(3, dtype=t.int64).cauchy_(), None),
    ("log_normal_negative_std", lambda t: t.zeros(3).log_normal_(0, -1), None),
    ("log_normal_zero_std", lambda t: t.zeros(3).log_normal_(0, 0), None),
    ("log_normal_int", lambda t: t.zeros(3, dtype=t.int64).log_normal_(), None),
    ("poisson_negative", lambda t: t.poisson(t.tensor([-1.0])), None),
    ("poisson_int", lambda t: t.poisson(t.tensor([1, 2])), None),
    ("manual_seed_overflow", lambda t: t.manual_seed(2 ** 64), None),
    ("manual_seed_str", lambda t: t.manual_seed("a"), None),
    ("set_rng_state_size", lambda t: t.set_rng_state(t.zeros(3, dtype=t.uint8)),
     r"^Expected a CPUGeneratorImplState of size \d+ but found the input RNG state size to be 3$"),
    ("set_rng_state_dtype", lambda t: t.set_rng_state(t.zeros(16, dtype=t.float32)), None),
    ("set_rng_state_list", lambda t: t.set_rng_state([1, 2]), None),
]


@pytest.mark.parametrize("name,fn,match", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors(name, fn, match):
    state = torch.get_rng_state()
    with pytest.raises(Exception) as t_err:
        fn(torch)
    torch.set_rng_state(state)
    with pytest.raises(Exception) as j_err:
        fn(jtorch)
    assert type(j_err.value) is type(t_err.value), (t_err.value, j_err.value)
    if match is None:
        assert first_line(j_err.value) == first_line(t_err.value)
    else:
        assert re.search(match, str(j_err.value)), (str(j_err.value), match)
