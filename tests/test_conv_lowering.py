"""Convolution lowerings (jtorch/nn/_kernels/conv_lowering.py): every lowering, forced on each
shape, against torch's convolution (forward and input/weight/bias gradients, eager and compiled),
plus the decision rule and double backward through the custom vjp."""
import numpy as np
import pytest

from parity import MODES, arr, check, torch

import jtorch
from jtorch.nn._kernels import conv_lowering as cl


def F(t):
    return t.nn.functional


# (name, fn, inputs[, atol]): stride-1 shapes the direct/fold forms claim, plus strided ones that fall
# back. Weight gradients summing ~1000 products of inputs in [-2, 2] get atol 1e-4: there torch's
# own float32 result is ~4e-5 from the float64 one (ours is closer, see test_accuracy_vs_float64).
CASES = [
    ("conv2d_bias", lambda t, x, w, b: F(t).conv2d(x, w, b), [arr(2, 3, 8, 8), arr(6, 3, 5, 5), arr(6)]),
    ("conv2d_pad_dil_odd", lambda t, x, w: F(t).conv2d(x, w, padding=(1, 2), dilation=(2, 1)),
     [arr(3, 2, 7, 9), arr(3, 2, 3, 2)]),
    ("conv2d_same_even", lambda t, x, w: F(t).conv2d(x, w, padding="same"), [arr(2, 2, 6, 5), arr(3, 2, 4, 2)]),
    ("conv2d_groups", lambda t, x, w, b: F(t).conv2d(x, w, b, padding=1, groups=2),
     [arr(2, 4, 6, 7), arr(6, 2, 3, 3), arr(6)]),
    ("conv2d_depthwise", lambda t, x, w: F(t).conv2d(x, w, padding=1, groups=4), [arr(2, 4, 9, 8), arr(8, 1, 3, 3)]),
    ("conv2d_1x1", lambda t, x, w: F(t).conv2d(x, w), [arr(2, 5, 6, 7), arr(3, 5, 1, 1)]),
    ("conv2d_batch1", lambda t, x, w: F(t).conv2d(x, w, padding=2), [arr(1, 3, 5, 6), arr(2, 3, 5, 3)]),
    ("conv2d_unbatched", lambda t, x, w: F(t).conv2d(x, w, padding=1), [arr(3, 9, 8), arr(4, 3, 3, 3)]),
    ("conv2d_fold_blocks", lambda t, x, w: F(t).conv2d(x, w), [arr(6, 2, 17, 19), arr(3, 2, 3, 3)], 1e-4),
    ("conv2d_fold_batch4", lambda t, x, w: F(t).conv2d(x, w, padding=1), [arr(4, 2, 20, 20), arr(3, 2, 3, 3)],
     1e-4),
    ("conv2d_float64", lambda t, x, w: F(t).conv2d(x, w, padding=1),
     [arr(2, 3, 6, 6, dtype="float64"), arr(4, 3, 3, 3, dtype="float64")]),
    ("conv2d_strided_falls_back", lambda t, x, w: F(t).conv2d(x, w, stride=2, padding=1),
     [arr(2, 3, 9, 9), arr(4, 3, 3, 3)]),
    ("conv1d_dil_pad", lambda t, x, w, b: F(t).conv1d(x, w, b, padding=3, dilation=2),
     [arr(2, 4, 11), arr(3, 4, 3), arr(3)]),
    ("conv1d_unbatched_long", lambda t, x, w: F(t).conv1d(x, w, padding=2), [arr(1, 300), arr(4, 1, 5)]),
    ("conv3d", lambda t, x, w: F(t).conv3d(x, w, padding=1), [arr(2, 2, 5, 4, 5), arr(3, 2, 3, 2, 3)]),
    ("conv_transpose2d_stride1", lambda t, x, w, b: F(t).conv_transpose2d(x, w, b, padding=1, groups=2),
     [arr(2, 4, 5, 6), arr(4, 3, 3, 3), arr(6)]),
    ("conv_transpose1d_dil_outpad", lambda t, x, w: F(t).conv_transpose1d(x, w, padding=1, output_padding=1,
                                                                          dilation=2),
     [arr(2, 3, 7), arr(3, 2, 3)]),
    ("conv_transpose2d_strided_falls_back", lambda t, x, w: F(t).conv_transpose2d(x, w, stride=2),
     [arr(1, 2, 3, 4), arr(2, 3, 3, 3)]),
]
LOWERINGS = [("direct", "direct", "fold"), ("lax", "kn2row", "fold"), ("direct", "lax", "lax")]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("forms", LOWERINGS, ids="/".join)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_lowering_matches_torch(case, forms, mode):
    _, fn, inputs, *atol = case
    with cl.forcing(forms):
        check(fn, *inputs, mode=mode, atol=atol[0] if atol else None)


@pytest.mark.parametrize("mode", MODES)
def test_seed_conv1_batch64_default_rule(mode):
    """The rule's pick (direct/direct/fold) on the seed CNN's conv1; the weight gradient sums 50k
    products (|dW| up to 730), where torch's float32 value is 3e-3 from the float64 one."""
    check(lambda t, x, w, b: F(t).conv2d(x, w, b), arr(64, 3, 32, 32), arr(6, 3, 5, 5), arr(6), mode=mode,
          atol=5e-3)


@pytest.mark.parametrize("forms", [None, ("direct", "direct", "fold"), ("lax", "lax", "lax")],
                         ids=lambda f: "rule" if f is None else "/".join(f))
def test_accuracy_vs_float64(forms):
    """Our float32 gradients are at least as close to the float64 ones as torch's float32 ones."""
    x, w = arr(64, 3, 32, 32), arr(6, 3, 5, 5)
    ct = np.random.default_rng(1).uniform(0.5, 1.5, (64, 6, 28, 28)).astype(np.float32)

    def grads(lib, dtype=None):
        tx, tw = lib.tensor(x), lib.tensor(w)
        if dtype is not None:
            tx, tw = tx.to(dtype), tw.to(dtype)
        tx.requires_grad_(True)
        tw.requires_grad_(True)
        lib.nn.functional.conv2d(tx, tw).backward(lib.tensor(ct).to(tx.dtype))
        return [np.asarray(g.detach().numpy(), np.float64) for g in (tx.grad, tw.grad)]

    truth = grads(torch, torch.float64)
    ref = grads(torch)
    if forms is None:
        got = grads(jtorch)
    else:
        with cl.forcing(forms):
            got = grads(jtorch)
    for t, r, g in zip(truth, ref, got):
        assert np.max(np.abs(g - t)) <= np.max(np.abs(r - t))


@pytest.mark.parametrize("forms", [None] + LOWERINGS, ids=lambda f: "rule" if f is None else "/".join(f))
def test_double_backward(forms):
    xa, wa = arr(2, 3, 8, 8, dtype="float64"), arr(4, 3, 3, 3, dtype="float64", seed=1)

    def run(lib):
        x, w = lib.tensor(xa).requires_grad_(True), lib.tensor(wa).requires_grad_(True)
        y = lib.nn.functional.conv2d(x, w, padding=1)
        gx, gw = lib.autograd.grad((y ** 2).sum(), (x, w), create_graph=True)
        ((gx ** 2).sum() + (gw ** 3).sum()).backward()
        return [np.asarray(t.detach().numpy()) for t in (gx, gw, x.grad, w.grad)]

    expected = run(torch)
    if forms is None:
        got = run(jtorch)
    else:
        with cl.forcing(forms):
            got = run(jtorch)
    for e, g in zip(expected, got):
        np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-9)


@pytest.mark.parametrize("x_shape,w_shape,stride,padding,groups,dtype,expected", [
    ((64, 3, 32, 32), (6, 3, 5, 5), (1, 1), 0, 1, "float32", ("direct", "direct", "fold")),
    ((4, 3, 32, 32), (6, 3, 5, 5), (1, 1), 0, 1, "float32", ("direct", "direct", "lax")),
    ((64, 6, 14, 14), (16, 6, 5, 5), (1, 1), 0, 1, "float32", ("lax", "kn2row", "lax")),
    ((64, 16, 14, 14), (16, 16, 5, 5), (1, 1), 0, 1, "float32", ("lax", "lax", "lax")),
    ((32, 64, 16, 16), (64, 64, 3, 3), (1, 1), 1, 1, "float32", ("lax", "lax", "lax")),
    ((32, 32, 16, 16), (32, 1, 3, 3), (1, 1), 1, 32, "float32", ("direct", "direct", "fold")),
    ((32, 16, 32, 32), (16, 16, 1, 1), (1, 1), 0, 1, "float32", ("direct", "direct", "fold")),
    ((32, 64, 16, 16), (128, 64, 1, 1), (1, 1), 0, 1, "float32", ("lax", "lax", "lax")),
    ((64, 3, 32, 32), (6, 3, 5, 5), (2, 2), 0, 1, "float32", ("lax", "lax", "lax")),
    ((64, 3, 32, 32), (6, 3, 5, 5), (1, 1), 0, 1, "float16", ("lax", "lax", "lax")),
    ((0, 3, 32, 32), (6, 3, 5, 5), (1, 1), 0, 1, "float32", ("lax", "lax", "lax")),
])
def test_rule(x_shape, w_shape, stride, padding, groups, dtype, expected):
    n = len(x_shape) - 2
    assert cl.choose(x_shape, w_shape, stride, ((padding, padding),) * n, (1,) * n, groups, dtype) == expected


def test_forcing_validates_and_restores():
    with pytest.raises(ValueError, match="unknown weight_grad form 'direct'"):
        with cl.forcing(("direct", "direct", "direct")):
            pass
    with cl.forcing(("lax", "lax", "lax")):
        assert cl.choose((64, 3, 32, 32), (6, 3, 5, 5), (1, 1), ((0, 0),) * 2, (1, 1), 1, "float32") == ("lax",) * 3
    assert cl.choose((64, 3, 32, 32), (6, 3, 5, 5), (1, 1), ((0, 0),) * 2, (1, 1), 1, "float32")[0] == "direct"
