"""The parity helper: run the same code on real PyTorch and on jtorch and compare.

A case is ``fn(lib, *tensors)`` where ``lib`` is the ``torch`` or ``jtorch`` module and the
tensors are built from the same numpy inputs. ``check`` compares every output's shape, dtype
and values (rtol 1e-5 for float32 by default), then backpropagates the same random cotangent
through the float outputs and compares the gradients of every float input.

``mode="compiled"`` runs the jtorch side, backward included, inside ``jax.jit`` through
``jtorch._functional.traced``, so the same op and autograd code is checked on tracers.
"""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
import jtorch  # noqa: E402
from jtorch._functional import traced  # noqa: E402
from jtorch._tensor import wrap  # noqa: E402

MODES = ("eager", "compiled")

_TOL = {"float16": (1e-2, 1e-2), "bfloat16": (5e-2, 5e-2), "float32": (1e-5, 1e-5), "float64": (1e-10, 1e-12),
        "complex64": (1e-5, 1e-5), "complex128": (1e-10, 1e-12)}


def arr(*shape, dtype="float32", low=-2.0, high=2.0, seed=0):
    """Deterministic random input of ``shape`` and numpy ``dtype``."""
    rng = np.random.default_rng(seed + 7919 * len(shape) + sum(shape))
    if dtype == "bool":
        return rng.random(shape) > 0.5
    if np.dtype(dtype).kind in "iu":
        return rng.integers(int(low), int(high) + 1, size=shape).astype(dtype)
    if np.dtype(dtype).kind == "c":
        return (rng.uniform(low, high, shape) + 1j * rng.uniform(low, high, shape)).astype(dtype)
    return rng.uniform(low, high, shape).astype(dtype)


def positive(*shape, dtype="float32", seed=0):
    """Input in [0.5, 2] (for log, sqrt, ...)."""
    return arr(*shape, dtype=dtype, low=0.5, high=2.0, seed=seed)


def _is_float(a):
    return isinstance(a, np.ndarray) and a.dtype.kind in "fc"


def _make(lib, inputs, grad):
    out = []
    for a in inputs:
        if isinstance(a, np.ndarray):
            t = lib.tensor(a) if lib is jtorch else torch.from_numpy(a.copy())
            if grad and _is_float(a):
                t.requires_grad_(True)
            out.append(t)
        else:
            out.append(a)
    return out


def _flatten(x):
    if isinstance(x, (tuple, list)):
        return [y for v in x for y in _flatten(v)]
    return [x]


def _np(x):
    if isinstance(x, torch.Tensor):
        return x.detach().resolve_conj().numpy() if x.dtype != torch.bfloat16 else x.detach().float().numpy()
    if isinstance(x, jtorch.Tensor):
        a = np.asarray(x.detach()._read())
        return a.astype(np.float32) if a.dtype.name == "bfloat16" else a
    return np.asarray(x)


def _dtype_name(x):
    if isinstance(x, (torch.Tensor, jtorch.Tensor)):
        return str(x.dtype).replace("torch.", "")
    return type(x).__name__


def assert_same(expected, actual, rtol=None, atol=None, what="output"):
    """Compare torch results with jtorch results (tensors, numbers, nested tuples)."""
    exp, act = _flatten(expected), _flatten(actual)
    assert len(exp) == len(act), f"{what}: torch gave {len(exp)} values, jtorch {len(act)}"
    for i, (e, a) in enumerate(zip(exp, act)):
        label = f"{what}[{i}]"
        if e is None or a is None:
            assert e is None and a is None, f"{label}: torch {e!r}, jtorch {a!r}"
            continue
        if isinstance(e, torch.Tensor):
            assert isinstance(a, jtorch.Tensor), f"{label}: expected a Tensor, got {type(a).__name__}"
            assert tuple(e.shape) == tuple(a.shape), f"{label}: shape {tuple(e.shape)} vs {tuple(a.shape)}"
            assert _dtype_name(e) == _dtype_name(a), f"{label}: dtype {e.dtype} vs {a.dtype}"
        elif isinstance(e, (bool, int, float, complex)):
            assert type(e) is type(a), f"{label}: type {type(e).__name__} vs {type(a).__name__}"
        en, an = _np(e), _np(a)
        if en.dtype.kind in "fc":
            r, t = _TOL.get(_dtype_name(e), (1e-5, 1e-5))
            np.testing.assert_allclose(an, en, rtol=rtol or r, atol=atol if atol is not None else t,
                                       equal_nan=True, err_msg=label)
        else:
            np.testing.assert_array_equal(an, en, err_msg=label)


def _cotangents(outputs):
    rng = np.random.default_rng(1234)
    return [rng.uniform(0.5, 1.5, tuple(o.shape)).astype(_np(o).dtype) if _is_float_tensor(o) else None
            for o in outputs]


def _is_float_tensor(o):
    return isinstance(o, torch.Tensor) and (o.dtype.is_floating_point or o.dtype.is_complex) and o.requires_grad


def _loss(lib, outputs, cts):
    total = None
    for o, c in zip(outputs, cts):
        if c is None:
            continue
        ct = torch.from_numpy(c) if lib is torch else jtorch.tensor(c)
        term = (o * ct).sum()
        if term.dtype.is_complex:
            term = term.real
        total = term if total is None else total + term
    return total


def check(fn, *inputs, mode="eager", grad=True, rtol=None, atol=None):
    """Run ``fn`` on torch and jtorch with the same inputs; compare outputs and gradients."""
    t_in = _make(torch, inputs, grad)
    expected = fn(torch, *t_in)
    t_outs = _flatten(expected)
    cts = _cotangents(t_outs)
    want_grad = grad and any(c is not None for c in cts)
    t_grads = None
    if want_grad:
        _loss(torch, t_outs, cts).backward()
        t_grads = [t.grad if isinstance(t, torch.Tensor) and t.requires_grad else None for t in t_in]

    if mode == "eager":
        j_in = _make(jtorch, inputs, grad)
        actual = fn(jtorch, *j_in)
        if want_grad:
            _loss(jtorch, _flatten(actual), cts).backward()
            j_grads = [t.grad if isinstance(t, jtorch.Tensor) and t.requires_grad else None for t in j_in]
    else:
        arrays = [jtorch.tensor(a)._read() if isinstance(a, np.ndarray) else a for a in inputs]
        positions = [i for i, a in enumerate(inputs) if isinstance(a, np.ndarray)]
        statics = {i: a for i, a in enumerate(inputs) if not isinstance(a, np.ndarray)}
        req = [grad and _is_float(inputs[i]) for i in positions]

        def run(*ts):
            it = iter(ts)
            args = [statics[i] if i in statics else next(it) for i in range(len(inputs))]
            out = fn(jtorch, *args)
            if want_grad:
                _loss(jtorch, _flatten(out), cts).backward()
            return out

        out_arrays, grad_arrays = traced(run, req)(*[arrays[i] for i in positions])
        actual = _rewrap(expected, out_arrays)
        j_grads = [None] * len(inputs)
        for k, i in enumerate(positions):
            if grad_arrays[k] is not None:
                j_grads[i] = jtorch.tensor(np.asarray(grad_arrays[k]))
    assert_same(expected, actual, rtol, atol, "output")
    if want_grad:
        act_g = [j_grads[i] if t_grads[i] is not None else None for i in range(len(inputs))]
        assert_same(t_grads, act_g, rtol, atol, "grad")


def _rewrap(template, arrays):
    """Turn the arrays a traced run returned into jtorch values shaped like torch's result."""
    if isinstance(template, (tuple, list)):
        return type(template)(_rewrap(t, a) for t, a in zip(template, arrays)) if not hasattr(
            template, "_fields") else tuple(_rewrap(t, a) for t, a in zip(template, arrays))
    if isinstance(template, torch.Tensor):
        return wrap(arrays)
    return arrays


def check_error(fn, *inputs, match=None):
    """Both libraries raise the same exception type on ``fn``; jtorch's message matches ``match``."""
    t_in = _make(torch, inputs, False)
    with pytest.raises(Exception) as t_err:
        fn(torch, *t_in)
    j_in = _make(jtorch, inputs, False)
    with pytest.raises(Exception) as j_err:
        fn(jtorch, *j_in)
    assert type(j_err.value) is type(t_err.value) or isinstance(j_err.value, type(t_err.value)), (
        f"torch raised {type(t_err.value).__name__}: {t_err.value}; jtorch raised "
        f"{type(j_err.value).__name__}: {j_err.value}")
    if match:
        import re

        assert re.search(match, str(j_err.value)), f"jtorch's message {str(j_err.value)!r} lacks {match!r}"
    return t_err.value, j_err.value


def copy_state(torch_module, jt_module):
    """Copy every parameter and buffer of a torch module into the jtorch module (by name)."""
    state = {k: jtorch.tensor(v.detach().numpy()) for k, v in torch_module.state_dict().items()}
    jt_module.load_state_dict(state)


def check_module(make, *inputs, mode="eager", train=True, grad=True, rtol=None, atol=None, call=None):
    """Build the same module in torch and jtorch (``make(lib)``), copy torch's weights into
    jtorch's, run ``call(module, *inputs)`` (default ``module(*inputs)``) and compare outputs,
    input gradients, parameter gradients and buffers after the call (e.g. BatchNorm stats).

    In ``mode="compiled"`` jtorch's forward and backward run inside ``jax.jit`` with the
    parameters and inputs as traced arrays.
    """
    import jax

    call = call or (lambda m, *xs: m(*xs))
    torch.manual_seed(0)
    t_mod = make(torch)
    j_mod = make(jtorch)
    copy_state(t_mod, j_mod)
    t_mod.train(train)
    j_mod.train(train)
    t_in = _make(torch, inputs, grad)
    expected = call(t_mod, *t_in)
    t_outs = _flatten(expected)
    cts = _cotangents(t_outs)
    want_grad = grad and any(c is not None for c in cts)
    if want_grad:
        _loss(torch, t_outs, cts).backward()
    t_params = dict(t_mod.named_parameters())
    j_params = dict(j_mod.named_parameters())
    assert list(t_params) == list(j_params), f"parameter names {list(t_params)} vs {list(j_params)}"

    if mode == "eager":
        j_in = _make(jtorch, inputs, grad)
        actual = call(j_mod, *j_in)
        if want_grad:
            _loss(jtorch, _flatten(actual), cts).backward()
        j_in_grads = [t.grad if isinstance(t, jtorch.Tensor) and t.requires_grad else None for t in j_in]
        j_param_grads = [p.grad for p in j_params.values()]
        j_buffers = [b.detach() for b in j_mod.buffers()]
    else:
        from jtorch._functional import bound_arrays

        params = list(j_params.values())
        buffers = list(j_mod.buffers())
        positions = [i for i, a in enumerate(inputs) if isinstance(a, np.ndarray)]

        def run(p_arrays, b_arrays, in_arrays):
            with bound_arrays(params + buffers, list(p_arrays) + list(b_arrays)):
                ts = []
                it = iter(in_arrays)
                for i, a in enumerate(inputs):
                    if i in positions:
                        t = wrap(next(it))
                        if grad and _is_float(a):
                            t.requires_grad_(True)
                        ts.append(t)
                    else:
                        ts.append(a)
                out = call(j_mod, *ts)
                if want_grad:
                    _loss(jtorch, _flatten(out), cts).backward()
                return (_to_arrays(out), [t._grad._read() if isinstance(t, jtorch.Tensor) and t._grad is not None
                                         else None for t in ts],
                        [p._grad._read() if p._grad is not None else None for p in params],
                        [b._read() for b in buffers])

        out_a, in_g, p_g, b_a = jax.jit(run)([p._read() for p in params], [b._read() for b in buffers],
                                             [jtorch.tensor(inputs[i])._read() for i in positions])
        actual = _rewrap(expected, out_a)
        j_in_grads = [wrap(g) if g is not None else None for g in in_g]
        j_param_grads = [wrap(g) if g is not None else None for g in p_g]
        j_buffers = [wrap(b) for b in b_a]
    assert_same(expected, actual, rtol, atol, "output")
    if want_grad:
        t_in_grads = [t.grad if isinstance(t, torch.Tensor) and t.requires_grad else None for t in t_in]
        assert_same(t_in_grads, j_in_grads, rtol, atol, "input grad")
        assert_same([p.grad for p in t_params.values()], j_param_grads, rtol, atol, "param grad")
    assert_same([b.detach() for b in t_mod.buffers()], j_buffers, rtol, atol, "buffer")


def _to_arrays(x):
    if isinstance(x, jtorch.Tensor):
        return x._read()
    if isinstance(x, (tuple, list)):
        return type(x)(_to_arrays(v) for v in x) if not hasattr(x, "_fields") else tuple(_to_arrays(v) for v in x)
    return x
