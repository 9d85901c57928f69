"""jtorch.optim against torch.optim: every optimizer and option, step by step from the same weights.

The model is built from raw tensors (``tanh(x @ w + b)`` regressed onto ``y``), so these tests do
not depend on nn layers. Each library computes its own loss and gradients; parameters must agree
after every step (float32: rtol 1e-5 with a 1e-6 floor for entries near zero; float64: 1e-10).
"""
import copy
import warnings

import numpy as np
import pytest

from parity import check_error, torch
import jtorch

LIBS = (torch, jtorch)
_RNG = np.random.default_rng(0)
_W = _RNG.standard_normal((4, 3))
_B = _RNG.standard_normal(3)
_X = _RNG.standard_normal((16, 4))
_Y = _RNG.standard_normal((16, 3))

TOL = {"float32": dict(rtol=1e-5, atol=1e-6), "float64": dict(rtol=1e-10, atol=1e-12)}

CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.3)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.1, weight_decay=0.1, maximize=True)),
    ("SGD", dict(lr=0.05, momentum=0.5, weight_decay=0.01, nesterov=True, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("Adam", dict(lr=0.01, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, maximize=True)),
    ("Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    ("AdamW", dict(lr=0.01, maximize=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9)),
    ("RMSprop", dict(lr=0.01, centered=True)),
    ("RMSprop", dict(lr=0.01, momentum=0.5)),
    ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5, weight_decay=0.1, maximize=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01)),
    ("Adagrad", dict(lr=0.1, initial_accumulator_value=0.1)),
    ("Adagrad", dict(lr=0.1, weight_decay=0.1, eps=1e-6, maximize=True)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.5, eps=1e-4)),
    ("Adadelta", dict(weight_decay=0.1, maximize=True)),
    ("Adamax", dict(lr=0.01)),
    ("Adamax", dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1)),
    ("Adamax", dict(lr=0.01, maximize=True)),
    ("NAdam", dict(lr=0.01)),
    ("NAdam", dict(lr=0.01, momentum_decay=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("RAdam", dict(lr=0.01)),
    ("RAdam", dict(lr=0.01, weight_decay=0.1)),
    ("RAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
]


def _case_id(case):
    name, kw = case
    return name + "-" + ",".join(f"{k}={v}" for k, v in kw.items())


def _np(t):
    """A tensor of either library as numpy (complex kept)."""
    if isinstance(t, torch.Tensor):
        return t.detach().numpy().copy()
    return np.asarray(t.detach()._read()).copy()


def _to_jtorch(obj):
    """A torch state dict (nested) with every tensor converted to a jtorch tensor."""
    if isinstance(obj, torch.Tensor):
        return jtorch.tensor(obj.detach().numpy())
    if isinstance(obj, dict):
        return {k: _to_jtorch(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_to_jtorch(v) for v in obj)
    return obj


def _model(lib, dtype="float32"):
    w = lib.tensor(_W.astype(dtype), requires_grad=True)
    b = lib.tensor(_B.astype(dtype), requires_grad=True)
    return w, b


def _loss(lib, w, b, dtype="float32"):
    x, y = lib.tensor(_X.astype(dtype)), lib.tensor(_Y.astype(dtype))
    return ((lib.tanh(x @ w + b) - y) ** 2).mean()


def _train(lib, opt, params, steps, dtype="float32", before_step=None):
    """Run ``steps`` optimizer steps; return the parameters (numpy) after each."""
    w, b = params[:2]
    history = []
    for i in range(steps):
        if before_step is not None:
            before_step(i, opt)
        opt.zero_grad()
        _loss(lib, w, b, dtype).backward()
        opt.step()
        history.append([_np(p) for p in params])
    return history


def _assert_history(expected, actual, dtype="float32"):
    for step, (e_params, a_params) in enumerate(zip(expected, actual)):
        for i, (e, a) in enumerate(zip(e_params, a_params)):
            np.testing.assert_allclose(a, e, err_msg=f"step {step + 1}, param {i}", **TOL[dtype])


def assert_same_state(t_sd, j_sd, dtype="float32", values=True):
    """Same state-dict structure (keys, nesting, tensor shapes and dtypes) and, with ``values``,
    close tensor values."""
    if isinstance(t_sd, torch.Tensor):
        assert isinstance(j_sd, jtorch.Tensor), f"expected a tensor, got {type(j_sd).__name__}"
        assert tuple(t_sd.shape) == tuple(j_sd.shape)
        assert str(t_sd.dtype) == str(j_sd.dtype)
        if values:
            np.testing.assert_allclose(_np(j_sd), _np(t_sd), **TOL[dtype])
    elif isinstance(t_sd, dict):
        assert isinstance(j_sd, dict)
        assert list(t_sd) == list(j_sd), f"keys {list(t_sd)} vs {list(j_sd)}"
        for k in t_sd:
            assert_same_state(t_sd[k], j_sd[k], dtype, values)
    elif isinstance(t_sd, (list, tuple)):
        assert type(t_sd) is type(j_sd) and len(t_sd) == len(j_sd)
        for t, j in zip(t_sd, j_sd):
            assert_same_state(t, j, dtype, values)
    else:
        assert type(t_sd) is type(j_sd) and t_sd == j_sd, f"{t_sd!r} vs {j_sd!r}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_optimizer_matches_torch(case):
    """Each library trains on its own gradients: parameters agree after every step, and the state
    dicts have the same structure. (State values are compared in the next test: some, like a
    centered RMSprop's momentum buffer, magnify the last-bit differences between the gradients.)"""
    name, kw = case
    results = []
    for lib in LIBS:
        params = _model(lib)
        opt = getattr(lib.optim, name)(params, **kw)
        results.append((_train(lib, opt, params, 20), opt))
    _assert_history(results[0][0], results[1][0])
    assert_same_state(results[0][1].state_dict(), results[1][1].state_dict(), values=False)


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_optimizer_state_same_gradients(case):
    """Both optimizers get torch's gradients at every step: parameters and state values agree."""
    name, kw = case
    t_params, j_params = _model(torch), _model(jtorch)
    t_opt = getattr(torch.optim, name)(t_params, **kw)
    j_opt = getattr(jtorch.optim, name)(j_params, **kw)
    for _ in range(20):
        t_opt.zero_grad()
        _loss(torch, *t_params).backward()
        for t, j in zip(t_params, j_params):
            j.grad = jtorch.tensor(_np(t.grad))
        t_opt.step()
        j_opt.step()
        _assert_history([[_np(p) for p in t_params]], [[_np(p) for p in j_params]])
    assert_same_state(t_opt.state_dict(), j_opt.state_dict())


@pytest.mark.parametrize("name", sorted({c[0] for c in CASES}))
def test_optimizer_float64(name):
    kw = next(c[1] for c in CASES[::-1] if c[0] == name)
    results = []
    for lib in LIBS:
        params = _model(lib, "float64")
        opt = getattr(lib.optim, name)(params, **kw)
        results.append(_train(lib, opt, params, 20, "float64"))
    _assert_history(*results, dtype="float64")


@pytest.mark.parametrize("name,kw", [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(lr=0.01, amsgrad=True)),
                                     ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
                                     ("Adagrad", dict(lr=0.1, initial_accumulator_value=0.1)),
                                     ("NAdam", dict(lr=0.01))])
def test_complex_parameters(name, kw):
    rng = np.random.default_rng(3)
    z0 = (rng.standard_normal((3, 2)) + 1j * rng.standard_normal((3, 2))).astype("complex64")
    grads = [(rng.standard_normal((3, 2)) + 1j * rng.standard_normal((3, 2))).astype("complex64") for _ in range(8)]
    results = []
    for lib in LIBS:
        z = lib.tensor(z0, requires_grad=True)
        opt = getattr(lib.optim, name)([z], **kw)
        hist = []
        for g in grads:
            z.grad = lib.tensor(g)
            opt.step()
            hist.append([_np(z)])
        results.append((hist, opt.state_dict()))
    _assert_history(results[0][0], results[1][0])
    assert_same_state(results[0][1], results[1][1])


@pytest.mark.parametrize("name,kw,change", [
    ("SGD", dict(lr=0.1, momentum=0.9), dict(lr=0.03, momentum=0.5)),
    ("Adam", dict(lr=0.01), dict(lr=0.002, betas=(0.8, 0.99), eps=1e-5)),
    ("RMSprop", dict(lr=0.01, momentum=0.5), dict(lr=0.05, alpha=0.9)),
    ("NAdam", dict(lr=0.01), dict(lr=0.05, momentum_decay=0.01)),
])
def test_hyperparameter_change_mid_run_no_recompile(name, kw, change):
    from jtorch.optim.optimizer import _COMPILED

    def before_step(i, opt):
        if i == 10:
            opt.param_groups[0].update(change)

    results = []
    for lib in LIBS:
        params = _model(lib)
        opt = getattr(lib.optim, name)(params, **kw)
        results.append(_train(lib, opt, params, 20, before_step=before_step))
    _assert_history(*results)
    sizes = {k: f._cache_size() for k, f in _COMPILED.items()}
    params = _model(jtorch)
    opt = getattr(jtorch.optim, name)(params, **kw)
    _train(jtorch, opt, params, 12, before_step=before_step)
    assert {k: f._cache_size() for k, f in _COMPILED.items()} == sizes


@pytest.mark.parametrize("name,groups", [
    ("SGD", lambda w, b: [{"params": [w], "momentum": 0.9, "nesterov": True}, {"params": [b], "lr": 0.02,
                                                                                 "weight_decay": 0.1}]),
    ("Adam", lambda w, b: [{"params": [w], "amsgrad": True}, {"params": [b], "lr": 0.05, "betas": (0.5, 0.9)}]),
    ("RMSprop", lambda w, b: [{"params": [w], "centered": True}, {"params": [b], "momentum": 0.3}]),
])
def test_param_groups_with_different_options(name, groups):
    results = []
    for lib in LIBS:
        params = _model(lib)
        opt = getattr(lib.optim, name)(groups(*params), lr=0.01)
        results.append((_train(lib, opt, params, 15), opt.state_dict()))
    _assert_history(results[0][0], results[1][0])
    assert_same_state(results[0][1], results[1][1])


def test_add_param_group_later():
    results = []
    for lib in LIBS:
        params = _model(lib)
        opt = lib.optim.Adam([params[0]], lr=0.01)

        def before_step(i, opt, b=params[1]):
            if i == 5:
                opt.add_param_group({"params": [b], "lr": 0.1})

        results.append((_train(lib, opt, params, 12, before_step=before_step), opt.state_dict()))
    _assert_history(results[0][0], results[1][0])
    assert_same_state(results[0][1], results[1][1])


def test_parameter_without_grad_is_skipped():
    results = []
    for lib in LIBS:
        params = _model(lib)
        unused = lib.tensor(np.ones(2, "float32"), requires_grad=True)
        opt = lib.optim.Adam([params[0], unused, params[1]], lr=0.01)
        results.append((_train(lib, opt, list(params) + [unused], 5), opt.state_dict()))
        assert unused.grad is None
    _assert_history(results[0][0], results[1][0])
    assert_same_state(results[0][1], results[1][1])
    assert list(results[1][1]["state"]) == [0, 2]


ROUND_TRIP = [("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)), ("Adam", dict(lr=0.01, amsgrad=True)),
              ("AdamW", dict(lr=0.01)), ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
              ("Adagrad", dict(lr=0.1, lr_decay=0.01)), ("Adadelta", dict()), ("Adamax", dict(lr=0.01)),
              ("NAdam", dict(lr=0.01)), ("RAdam", dict(lr=0.01))]


@pytest.mark.parametrize("name,kw", ROUND_TRIP, ids=[c[0] for c in ROUND_TRIP])
def test_state_dict_round_trip(name, kw):
    t_params = _model(torch)
    t_opt = getattr(torch.optim, name)(t_params, **kw)
    expected = _train(torch, t_opt, t_params, 10)

    params = _model(jtorch)
    opt = getattr(jtorch.optim, name)(params, **kw)
    first = _train(jtorch, opt, params, 5)
    saved = copy.deepcopy(opt.state_dict())
    fresh = getattr(jtorch.optim, name)(params, lr=0.5)
    fresh.load_state_dict(saved)
    assert fresh.param_groups[0]["lr"] == opt.param_groups[0]["lr"] != 0.5
    assert fresh.param_groups[0]["params"] == list(params)
    _assert_history(expected, first + _train(jtorch, fresh, params, 5))


@pytest.mark.parametrize("name,kw", ROUND_TRIP[:3], ids=[c[0] for c in ROUND_TRIP[:3]])
def test_load_torch_state_dict(name, kw):
    """A torch optimizer checkpoint (tensors converted) resumes in jtorch exactly where torch goes on."""
    t_params = _model(torch)
    t_opt = getattr(torch.optim, name)(t_params, **kw)
    _train(torch, t_opt, t_params, 5)
    saved = _to_jtorch(copy.deepcopy(t_opt.state_dict()))
    params = [jtorch.tensor(_np(p), requires_grad=True) for p in t_params]
    opt = getattr(jtorch.optim, name)(params, **kw)
    opt.load_state_dict(saved)
    _assert_history(_train(torch, t_opt, t_params, 5), _train(jtorch, opt, params, 5))
    assert_same_state(t_opt.state_dict(), opt.state_dict())


def test_load_state_dict_casts_state_to_param_dtype():
    results = []
    for lib in LIBS:
        w = lib.tensor(np.ones(3, "float32"), requires_grad=True)
        opt = lib.optim.Adam([w])
        sd = {"state": {0: {"step": lib.tensor(3.0, dtype=lib.float64),
                            "exp_avg": lib.tensor(np.full(3, 0.5), dtype=lib.float64),
                            "exp_avg_sq": lib.tensor(np.full(3, 0.25), dtype=lib.float64)}},
              "param_groups": opt.state_dict()["param_groups"]}
        opt.load_state_dict(sd)
        results.append(opt.state_dict())
    assert_same_state(*results)
    assert results[1]["state"][0]["exp_avg"].dtype is jtorch.float32
    assert results[1]["state"][0]["step"].dtype is jtorch.float64


@pytest.mark.parametrize("mutate,match", [
    (lambda sd: sd["param_groups"].append(dict(sd["param_groups"][0])), "different number of parameter groups"),
    (lambda sd: sd["param_groups"][0]["params"].append(7), "doesn't match the size of optimizer's group"),
])
def test_load_state_dict_errors(mutate, match):
    for lib in LIBS:
        opt = lib.optim.SGD(_model(lib), lr=0.1)
        sd = copy.deepcopy(opt.state_dict())
        mutate(sd)
        with pytest.raises(ValueError, match=match):
            opt.load_state_dict(sd)


def test_state_dict_names_and_param_groups():
    sds = []
    for lib in LIBS:
        w, b = _model(lib)
        opt = lib.optim.SGD([("w", w), ("b", b)], lr=0.1, momentum=0.9)
        _train(lib, opt, (w, b), 2)
        sds.append(opt.state_dict())
    assert_same_state(*sds)
    assert sds[1]["param_groups"][0]["param_names"] == ["w", "b"]


def test_zero_grad():
    for lib in LIBS:
        w, b = _model(lib)
        opt = lib.optim.SGD([w, b], lr=0.1)
        _loss(lib, w, b).backward()
        grad = w.grad
        opt.zero_grad(set_to_none=False)
        assert w.grad is grad and not w.grad.requires_grad
        np.testing.assert_array_equal(_np(w.grad), np.zeros((4, 3), "float32"))
        opt.zero_grad()
        assert w.grad is None and b.grad is None


def test_closure_returns_loss():
    losses, hist = [], []
    for lib in LIBS:
        w, b = _model(lib)
        opt = lib.optim.SGD([w, b], lr=0.1, momentum=0.9)

        def closure():
            opt.zero_grad()
            loss = _loss(lib, w, b)
            loss.backward()
            return loss

        with lib.no_grad():
            out = [float(opt.step(closure)) for _ in range(5)]
        losses.append(out)
        hist.append([[_np(w), _np(b)]])
    np.testing.assert_allclose(losses[1], losses[0], rtol=1e-5)
    _assert_history(*hist)


def test_tensor_lr():
    results = []
    for lib in LIBS:
        params = _model(lib)
        opt = lib.optim.Adam(params, lr=lib.tensor(0.01))
        results.append(_train(lib, opt, params, 10))
    _assert_history(*results)


@pytest.mark.parametrize("ls", [None, "strong_wolfe"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_lbfgs(ls, dtype):
    """LBFGS's data-dependent iterations amplify last-bit differences (in float32 a line search
    takes another branch by the third step), so float64 runs 4 steps at rtol 1e-8 and float32
    the first 2 at rtol 1e-4."""
    steps, tol = (4, dict(rtol=1e-8, atol=1e-10)) if dtype == "float64" else (2, dict(rtol=1e-4, atol=1e-5))
    results = []
    for lib in LIBS:
        w, b = _model(lib, dtype)
        opt = lib.optim.LBFGS([w, b], lr=0.5 if ls is None else 1, max_iter=5, history_size=3, line_search_fn=ls)

        def closure():
            opt.zero_grad()
            loss = _loss(lib, w, b, dtype)
            loss.backward()
            return loss

        losses, hist = [], []
        for _ in range(steps):
            losses.append(float(opt.step(closure).detach()))
            hist.append([_np(w), _np(b)])
        state = opt.state_dict()["state"][0]
        results.append((losses, hist, {k: v for k, v in state.items() if isinstance(v, int)}, list(state)))
    np.testing.assert_allclose(results[1][0], results[0][0], **tol)
    for e, a in zip(results[0][1], results[1][1]):
        for ep, ap in zip(e, a):
            np.testing.assert_allclose(ap, ep, **tol)
    assert results[0][2] == results[1][2]
    assert results[0][3] == results[1][3]


def test_defaults_and_repr():
    for name in sorted({c[0] for c in CASES}) + ["LBFGS"]:
        t_opt = getattr(torch.optim, name)(_model(torch))
        j_opt = getattr(jtorch.optim, name)(_model(jtorch))
        assert j_opt.defaults == t_opt.defaults, name
        assert repr(j_opt) == repr(t_opt), name


def test_step_hooks():
    calls = []
    for lib in LIBS:
        w, b = _model(lib)
        opt = lib.optim.SGD([w, b], lr=0.1)
        pre = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append(("pre", lib.__name__)))
        post = opt.register_step_post_hook(lambda o, args, kwargs: calls.append(("post", lib.__name__)))
        _train(lib, opt, (w, b), 1)
        pre.remove()
        post.remove()
        _train(lib, opt, (w, b), 1)
    assert calls == [("pre", "torch"), ("post", "torch"), ("pre", "jtorch"), ("post", "jtorch")]


def test_duplicate_parameter_warns():
    for lib in LIBS:
        w, _ = _model(lib)
        with pytest.warns(UserWarning, match="duplicate parameters"):
            lib.optim.SGD([w, w], lr=0.1)


def test_custom_optimizer_subclass():
    """A user optimizer written against the public API (param_groups, state, in-place tensor ops)."""
    hist = []
    for lib in LIBS:
        class SignSGD(lib.optim.Optimizer):
            def __init__(self, params, lr=0.01):
                super().__init__(params, dict(lr=lr))

            @lib.no_grad()
            def step(self, closure=None):
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is not None:
                            self.state[p]["n"] = self.state[p].get("n", 0) + 1
                            p.add_(p.grad.sign(), alpha=-group["lr"])

        params = _model(lib)
        opt = SignSGD(params)
        hist.append(_train(lib, opt, params, 5))
        assert opt.state_dict()["state"][0] == {"n": 5}
    _assert_history(*hist)


def _same_w(t):
    return t.tensor(_W.astype("float32"), requires_grad=True)


ERRORS = [
    ("sgd_lr", lambda t: t.optim.SGD([_same_w(t)], lr=-1), "Invalid learning rate: -1"),
    ("sgd_momentum", lambda t: t.optim.SGD([_same_w(t)], momentum=-0.5), "Invalid momentum value: -0.5"),
    ("sgd_wd", lambda t: t.optim.SGD([_same_w(t)], weight_decay=-1), "Invalid weight_decay value: -1"),
    ("sgd_nesterov", lambda t: t.optim.SGD([_same_w(t)], nesterov=True), "Nesterov momentum requires"),
    ("sgd_nesterov_damp", lambda t: t.optim.SGD([_same_w(t)], momentum=0.9, dampening=0.1, nesterov=True),
     "zero dampening"),
    ("sgd_fused_foreach", lambda t: t.optim.SGD([_same_w(t)], fused=True, foreach=True), "cannot be `True`"),
    ("tensor_lr_numel", lambda t: t.optim.SGD([_same_w(t)], lr=t.tensor([0.1, 0.2])), "Tensor lr must be 1-element"),
    ("adam_lr", lambda t: t.optim.Adam([_same_w(t)], lr=-0.5), "Invalid learning rate: -0.5"),
    ("adam_eps", lambda t: t.optim.Adam([_same_w(t)], eps=-1e-8), "Invalid epsilon value: -1e-08"),
    ("adam_beta0", lambda t: t.optim.Adam([_same_w(t)], betas=(1.0, 0.9)), "Invalid beta parameter at index 0: 1.0"),
    ("adam_beta1", lambda t: t.optim.Adam([_same_w(t)], betas=(0.9, -0.1)), "Invalid beta parameter at index 1"),
    ("adam_wd", lambda t: t.optim.Adam([_same_w(t)], weight_decay=-1), "Invalid weight_decay value: -1"),
    ("adam_beta_types", lambda t: t.optim.Adam([_same_w(t)], betas=(0.9, t.tensor(0.99))), "both floats or both"),
    ("adam_fused_diff", lambda t: t.optim.Adam([_same_w(t)], fused=True, differentiable=True),
     "`fused` does not support `differentiable`"),
    ("adamw_beta", lambda t: t.optim.AdamW([_same_w(t)], betas=(0.9, 1.0)), "Invalid beta parameter at index 1"),
    ("rmsprop_alpha", lambda t: t.optim.RMSprop([_same_w(t)], alpha=-1), "Invalid alpha value: -1"),
    ("rmsprop_momentum", lambda t: t.optim.RMSprop([_same_w(t)], momentum=-1), "Invalid momentum value: -1"),
    ("rmsprop_eps", lambda t: t.optim.RMSprop([_same_w(t)], eps=-1), "Invalid epsilon value: -1"),
    ("adagrad_lr_decay", lambda t: t.optim.Adagrad([_same_w(t)], lr_decay=-1), "Invalid lr_decay value: -1"),
    ("adagrad_init", lambda t: t.optim.Adagrad([_same_w(t)], initial_accumulator_value=-1),
     "Invalid initial_accumulator_value value: -1"),
    ("adadelta_rho", lambda t: t.optim.Adadelta([_same_w(t)], rho=1.5), "Invalid rho value: 1.5"),
    ("adamax_beta", lambda t: t.optim.Adamax([_same_w(t)], betas=(2.0, 0.9)), "Invalid beta parameter at index 0"),
    ("nadam_momentum_decay", lambda t: t.optim.NAdam([_same_w(t)], momentum_decay=-1),
     "Invalid momentum_decay value: -1"),
    ("radam_eps", lambda t: t.optim.RAdam([_same_w(t)], eps=-1), "Invalid epsilon value: -1"),
    ("lbfgs_lr", lambda t: t.optim.LBFGS([_same_w(t)], lr=-1), "Invalid learning rate: -1"),
    ("lbfgs_groups", lambda t: t.optim.LBFGS([{"params": [_same_w(t)]}, {"params": [_same_w(t)]}]),
     "doesn't support per-parameter options"),
    ("tensor_params", lambda t: t.optim.SGD(_same_w(t), lr=0.1), "should be an iterable of Tensors or dicts"),
    ("empty", lambda t: t.optim.Adam([]), "optimizer got an empty parameter list"),
    ("set_params", lambda t: t.optim.SGD([{"params": {_same_w(t)}}], lr=0.1), "ordered collections"),
    ("not_tensor", lambda t: t.optim.SGD([1.0], lr=0.1), "optimizer can only optimize Tensors"),
    ("non_leaf", lambda t: t.optim.SGD([_same_w(t) * 2], lr=0.1), "can't optimize a non-leaf Tensor"),
    ("two_groups", lambda t: (lambda w: t.optim.SGD([{"params": [w]}, {"params": [w]}], lr=0.1))(_same_w(t)),
     "some parameters appear in more than one parameter group"),
    ("group_not_dict", lambda t: t.optim.SGD([_same_w(t)], lr=0.1).add_param_group([_same_w(t)]),
     "param_group must be a dict"),
    ("names_mixed", lambda t: t.optim.SGD([("w", _same_w(t))], lr=0.1).add_param_group({"params": [_same_w(t)]}),
     "all optimizer param groups should be with/without names"),
    ("step_abstract", lambda t: t.optim.Optimizer([_same_w(t)], {}).step(), ""),
]


@pytest.mark.parametrize("name,fn,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(name, fn, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_error(fn, match=match or None)


def test_required_default():
    from jtorch.optim.optimizer import required as j_required
    from torch.optim.optimizer import required as t_required

    for lib, req in ((torch, t_required), (jtorch, j_required)):
        with pytest.raises(ValueError, match="didn't specify a value of required optimization parameter lr"):
            lib.optim.Optimizer([_same_w(lib)], {"lr": req})


@pytest.mark.parametrize("name,kw", [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(lr=0.01, amsgrad=True)),
                                     ("NAdam", dict(lr=0.01)), ("RAdam", dict(lr=0.01))])
def test_step_traced_in_jit(name, kw):
    """The same step code runs inside ``jax.jit`` with parameters, state and lr traced (as the
    compiled mode will run it) and gives the eager results."""
    import jax

    from jtorch._functional import bound_arrays

    params = _model(jtorch)
    opt = getattr(jtorch.optim, name)(params, **kw)
    _train(jtorch, opt, params, 2)
    tensors = list(params) + [t for st in opt.state.values() for t in st.values()]

    def step(arrays, lr):
        with bound_arrays(tensors, arrays):
            opt.param_groups[0]["lr"] = lr
            opt.zero_grad()
            _loss(jtorch, *params).backward()
            opt.step()
            return [t._read() for t in tensors]

    traced_out = jax.jit(step)([t._read() for t in tensors], kw["lr"] / 2)
    opt.param_groups[0]["lr"] = kw["lr"] / 2
    _train(jtorch, opt, params, 1)
    for t, a in zip(tensors, traced_out):
        np.testing.assert_allclose(np.asarray(a), _np(t), rtol=1e-6, atol=1e-7)
