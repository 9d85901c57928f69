"""Autograd semantics against PyTorch: leaves, accumulation, retain_graph, hooks, grad(),
create_graph, custom Functions, grad modes, in-place checks, and the fused backward path."""
import numpy as np
import pytest

from parity import arr, assert_same, check_error, torch

import jtorch


def both(fn):
    """Run ``fn(lib)`` on torch and jtorch and compare what it returns."""
    assert_same(fn(torch), fn(jtorch))


SCENARIOS = {
    "accumulate_twice": lambda t: _accumulate(t),
    "retain_graph": lambda t: _retain(t),
    "leaf_flags": lambda t: _leaf_flags(t),
    "hooks": lambda t: _hooks(t),
    "retain_grad": lambda t: _retain_grad(t),
    "autograd_grad": lambda t: _autograd_grad(t),
    "double_backward": lambda t: _double_backward(t),
    "grad_of_grad_sum": lambda t: _grad_of_grad(t),
    "backward_inputs": lambda t: _backward_inputs(t),
    "detach_and_data": lambda t: _detach(t),
    "inplace_rebase": lambda t: _inplace_rebase(t),
    "view_inplace_grad": lambda t: _view_inplace_grad(t),
    "setitem_grad": lambda t: _setitem_grad(t),
    "no_grad_modes": lambda t: _modes(t),
    "custom_function": lambda t: _custom(t),
    "nonscalar_gradient": lambda t: _nonscalar(t),
    "shared_subgraph": lambda t: _shared(t),
    "int_inputs_no_grad": lambda t: _int_inputs(t),
    "zero_grad_set_none": lambda t: _zero_grad(t),
    "fused_repeat": lambda t: _fused_repeat(t),
}


def _x(t, *shape, seed=0):
    return t.tensor(arr(*shape, seed=seed), requires_grad=True)


def _accumulate(t):
    x = _x(t, 3)
    (x * 2).sum().backward()
    (x * x).sum().backward()
    return x.grad


def _retain(t):
    x = _x(t, 3)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    return x.grad


def _leaf_flags(t):
    x = _x(t, 2)
    y = x * 2
    z = t.ones(2)
    return (x.is_leaf, y.is_leaf, z.is_leaf, x.requires_grad, y.requires_grad, z.requires_grad,
            (z + 1).requires_grad, (x ** 2).requires_grad, x.grad_fn is None, y.grad_fn is not None,
            type(y.grad_fn.next_functions) is tuple, len(y.grad_fn.next_functions))


def _hooks(t):
    x = _x(t, 3)
    seen = []
    y = x * 3
    y.register_hook(lambda g: seen.append(g.clone()) or g * 2)
    x.register_hook(lambda g: g + 1)
    (y * y).sum().backward()
    return x.grad, seen[0]


def _retain_grad(t):
    x = _x(t, 3)
    y = x * 2
    y.retain_grad()
    z = (y ** 2).sum()
    z.backward()
    return x.grad, y.grad, y.retains_grad, x.retains_grad


def _autograd_grad(t):
    x, w = _x(t, 3), _x(t, 3, seed=1)
    y = (x * w).sin().sum()
    gx, gw = t.autograd.grad(y, (x, w))
    unused = _x(t, 2, seed=2)
    (gu,) = t.autograd.grad((x * 2).sum(), unused, allow_unused=True)
    (gm,) = t.autograd.grad((x * 2).sum(), unused, materialize_grads=True)
    return gx, gw, x.grad, gu, gm


def _double_backward(t):
    x = _x(t, 4)
    y = (x ** 3).sum()
    (g,) = t.autograd.grad(y, x, create_graph=True)
    g.sum().backward()
    return g.detach(), x.grad


def _grad_of_grad(t):
    x = _x(t, 3)
    y = (x.sin() * x).sum()
    (g,) = t.autograd.grad(y, x, create_graph=True)
    (h,) = t.autograd.grad((g * g).sum(), x)
    return h


def _backward_inputs(t):
    x, w = _x(t, 3), _x(t, 3, seed=1)
    (x * w).sum().backward(inputs=[w])
    return x.grad, w.grad


def _detach(t):
    x = _x(t, 3)
    d = x.detach()
    d2 = x.data
    with t.no_grad():
        d.mul_(2)
    return x.detach(), d.requires_grad, d2.requires_grad, x._version, d._version


def _inplace_rebase(t):
    x = _x(t, 3)
    y = x * 1
    y.mul_(x)
    y.add_(1)
    z = t.zeros(3)
    z.add_(x)
    (y.sum() + (z * 2).sum()).backward()
    return x.grad, y.grad_fn is not None, z.requires_grad


def _view_inplace_grad(t):
    x = _x(t, 2, 3)
    y = x * 1
    v = y[0]
    v.mul_(3)
    col = y[:, 1]
    col.add_(x[:, 2])
    y.sum().backward()
    return x.grad, y


def _setitem_grad(t):
    w = _x(t, 3)
    buf = t.zeros(2, 3)
    buf[1] = w * 2
    buf[0, 1:] = w[:2]
    (buf ** 2).sum().backward()
    return buf, w.grad


def _modes(t):
    x = _x(t, 2)
    with t.no_grad():
        a = x * 2
        with t.enable_grad():
            b = x * 2
    with t.set_grad_enabled(False):
        c = x * 2
    with t.inference_mode():
        d = x * 2

    @t.no_grad()
    def f(v):
        return v * 2
    return (a.requires_grad, b.requires_grad, c.requires_grad, d.requires_grad, f(x).requires_grad,
            t.is_grad_enabled())


def _custom(t):
    class Cube(t.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.save_for_backward(x)
            ctx.k = k
            return x ** 3 * k

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x ** 2 * ctx.k * g, None

    x = _x(t, 4)
    y = Cube.apply(x, 2.0)
    (y * y).sum().backward()
    return y, x.grad


def _nonscalar(t):
    x = _x(t, 2, 2)
    y = x * x
    y.backward(t.ones(2, 2) * 0.5)
    return x.grad


def _shared(t):
    x = _x(t, 3)
    a = x.exp()
    b = a * a + a.sin()
    c = (b * a).sum() + b.mean()
    c.backward()
    return x.grad


def _int_inputs(t):
    x = _x(t, 3)
    idx = t.tensor([2, 0, 1])
    y = (x * idx).sum()
    y.backward()
    return x.grad, idx.requires_grad


def _zero_grad(t):
    x = _x(t, 3)
    (x * 2).sum().backward()
    g = x.grad
    x.grad.zero_()
    (x * 3).sum().backward()
    return g, x.grad


def _fused_repeat(t):
    w = _x(t, 4, 3)
    b = _x(t, 3, seed=1)
    data = t.tensor(arr(5, 4, seed=2))
    losses = []
    for _ in range(4):
        loss = ((data @ w + b).tanh() ** 2).mean()
        loss.backward()
        losses.append(loss.detach())
        with t.no_grad():
            w -= 0.1 * w.grad
            b -= 0.1 * b.grad
        w.grad = None
        b.grad = None
    return losses, w, b


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_autograd_scenario(name):
    both(SCENARIOS[name])


def test_grad_fn_names_match_torch():
    def names(t):
        x = _x(t, 2, 3)
        outs = [x + 1, x * 2, x - 1, x / 2, x ** 2, x.exp(), x.sum(), x.mean(), x.view(6), x.t(), -x,
                x.tanh(), x.sigmoid(), x[0], x[:, 1:], x.unsqueeze(0), x.expand(2, 2, 3), x.permute(1, 0)]
        return [o.grad_fn.name() for o in outs]
    assert names(jtorch) == names(torch)


def test_repr_with_grad_fn_matches_torch():
    def show(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        return [repr(x), repr(x * 2), str(x.sum()), repr(x.detach())]
    assert show(jtorch) == show(torch)


ERRORS = [
    ("second_backward", lambda t: _second_backward(t), r"backward through the graph a second time"),
    ("nonscalar_backward", lambda t: (_x(t, 3) * 2).backward(), r"only for scalar outputs"),
    ("leaf_inplace", lambda t: _x(t, 3).add_(1), r"leaf Variable that requires grad"),
    ("view_of_leaf_inplace", lambda t: _x(t, 3)[0].mul_(2), r"view of a leaf Variable"),
    ("saved_modified", lambda t: _saved_modified(t), r"modified by an inplace operation"),
    ("no_grad_backward", lambda t: t.ones(2).sum().backward(), r"does not require grad"),
    ("requires_grad_int", lambda t: t.tensor([1, 2]).requires_grad_(), r"floating point"),
    ("nonleaf_requires_grad", lambda t: _nonleaf_flag(t), r"leaf variables"),
    ("grad_unused", lambda t: t.autograd.grad((_x(t, 2) * 2).sum(), _x(t, 2, seed=3)), r"not have been used"),
    ("hook_no_grad", lambda t: t.ones(2).register_hook(lambda g: g), r"doesn't require gradient"),
    ("numpy_requires_grad", lambda t: _x(t, 2).numpy(), r"requires grad"),
    ("grad_shape", lambda t: (_x(t, 2) * 2).backward(t.ones(3)), r"Mismatch in shape"),
]


def _second_backward(t):
    x = _x(t, 3)
    y = (x.exp()).sum()
    y.backward()
    y.backward()


def _saved_modified(t):
    x = _x(t, 3)
    y = x.exp()
    y.add_(1)
    y.sum().backward()


def _nonleaf_flag(t):
    y = _x(t, 2) * 2
    y.requires_grad = False


@pytest.mark.parametrize("name,fn,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_autograd_errors(name, fn, match):
    check_error(fn, match=match)


def test_backward_inside_jit_matches_eager():
    """The core runs on tracers: ops and .backward() inside jax.jit equal eager."""
    import jax

    from jtorch._functional import traced

    def step(w, b, x):
        loss = ((x * w).sum(1) + b).tanh().pow(2).mean()
        loss.backward()
        return loss

    w0, b0, x0 = arr(3), arr(1, seed=1), arr(4, 3, seed=2)
    eager_in = [jtorch.tensor(a) for a in (w0, b0)]
    for t in eager_in:
        t.requires_grad_(True)
    eager_loss = step(*eager_in, jtorch.tensor(x0))
    fn = traced(step, (True, True, False))
    loss, grads = fn(jtorch.tensor(w0)._read(), jtorch.tensor(b0)._read(), jtorch.tensor(x0)._read())
    assert len(jax.make_jaxpr(fn)(w0, b0, x0).eqns) > 0
    np.testing.assert_allclose(np.asarray(loss), eager_loss.item(), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(grads[0]), eager_in[0].grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(grads[1]), eager_in[1].grad.numpy(), rtol=1e-6)
    assert grads[2] is None


def test_fused_backward_equals_node_by_node():
    """The second and later backward of the same graph structure run fused; results agree."""
    results = []
    for _ in range(3):
        x = jtorch.tensor(arr(5), requires_grad=True)
        y = (x.exp() * x.sin() + x / 3).sum()
        y.backward()
        results.append(x.grad.numpy())
    np.testing.assert_allclose(results[1], results[0], rtol=1e-6)
    np.testing.assert_allclose(results[2], results[0], rtol=1e-6)
