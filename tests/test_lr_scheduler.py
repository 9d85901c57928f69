"""jtorch.optim.lr_scheduler against torch.optim.lr_scheduler: the learning-rate (and momentum)
sequences must be identical floats, through state-dict round trips too."""
import copy
import warnings

import numpy as np
import pytest

from parity import check_error, torch
import jtorch

LIBS = (torch, jtorch)


def _optimizer(lib, kind="sgd", groups=1):
    """An optimizer over fresh parameters: SGD with momentum, or Adam (betas), or Adagrad."""
    params = [lib.tensor(np.ones(3, "float32"), requires_grad=True) for _ in range(groups)]
    spec = [{"params": [p], "lr": 0.1 * (i + 1)} for i, p in enumerate(params)]
    if kind == "adam":
        return lib.optim.Adam(spec, lr=0.1)
    if kind == "adagrad":
        return lib.optim.Adagrad(spec, lr=0.1)
    return lib.optim.SGD(spec, lr=0.1, momentum=0.9)


class Decay:
    """A callable object (its ``__dict__`` goes into LambdaLR's state dict)."""

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, epoch):
        return self.rate ** epoch


def _seq(lib, opt):
    s = lib.optim.lr_scheduler
    return s.SequentialLR(opt, [s.LinearLR(opt, start_factor=0.1, total_iters=4),
                                s.ExponentialLR(opt, gamma=0.9)], milestones=[5])


def _seq3(lib, opt):
    s = lib.optim.lr_scheduler
    return s.SequentialLR(opt, [s.ConstantLR(opt, factor=0.5, total_iters=3), s.CosineAnnealingLR(opt, T_max=8),
                                s.StepLR(opt, step_size=3, gamma=0.5)], milestones=[4, 15])


def _chained(lib, opt):
    s = lib.optim.lr_scheduler
    return s.ChainedScheduler([s.ConstantLR(opt, factor=0.5, total_iters=6), s.ExponentialLR(opt, gamma=0.95),
                               s.MultiStepLR(opt, milestones=[10, 20], gamma=0.5)])


CASES = [
    ("LambdaLR", lambda lib, o: lib.optim.lr_scheduler.LambdaLR(o, lambda e: 0.95 ** e), "sgd", 2),
    ("LambdaLR_list", lambda lib, o: lib.optim.lr_scheduler.LambdaLR(o, [lambda e: 1 / (e + 1), Decay(0.9)]),
     "sgd", 2),
    ("MultiplicativeLR", lambda lib, o: lib.optim.lr_scheduler.MultiplicativeLR(o, lambda e: 0.97), "sgd", 1),
    ("StepLR", lambda lib, o: lib.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.5), "sgd", 2),
    ("MultiStepLR", lambda lib, o: lib.optim.lr_scheduler.MultiStepLR(o, milestones=[5, 12, 12, 30], gamma=0.3),
     "sgd", 1),
    ("ConstantLR", lambda lib, o: lib.optim.lr_scheduler.ConstantLR(o, factor=0.5, total_iters=8), "sgd", 1),
    ("LinearLR", lambda lib, o: lib.optim.lr_scheduler.LinearLR(o, start_factor=0.2, end_factor=0.9, total_iters=10),
     "sgd", 2),
    ("ExponentialLR", lambda lib, o: lib.optim.lr_scheduler.ExponentialLR(o, gamma=0.93), "adam", 1),
    ("PolynomialLR", lambda lib, o: lib.optim.lr_scheduler.PolynomialLR(o, total_iters=20, power=2.0), "sgd", 1),
    ("CosineAnnealingLR", lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.001),
     "sgd", 2),
    ("CosineAnnealingLR_T7", lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7), "adam", 1),
    ("CosineAnnealingWarmRestarts", lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(
        o, T_0=5, T_mult=2, eta_min=0.01), "sgd", 2),
    ("CosineAnnealingWarmRestarts_T1", lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=6),
     "sgd", 1),
    ("CyclicLR_triangular", lambda lib, o: lib.optim.lr_scheduler.CyclicLR(o, base_lr=0.01, max_lr=0.1,
                                                                            step_size_up=4), "sgd", 2),
    ("CyclicLR_triangular2", lambda lib, o: lib.optim.lr_scheduler.CyclicLR(
        o, base_lr=[0.01, 0.02], max_lr=0.1, step_size_up=3, step_size_down=5, mode="triangular2"), "sgd", 2),
    ("CyclicLR_exp_range", lambda lib, o: lib.optim.lr_scheduler.CyclicLR(
        o, base_lr=0.01, max_lr=0.1, step_size_up=4, mode="exp_range", gamma=0.95), "adam", 1),
    ("CyclicLR_scale_fn", lambda lib, o: lib.optim.lr_scheduler.CyclicLR(
        o, base_lr=0.01, max_lr=0.1, step_size_up=5, scale_fn=lambda x: 0.5 ** x, scale_mode="iterations",
        cycle_momentum=False), "adagrad", 1),
    ("OneCycleLR_cos", lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=50), "sgd", 2),
    ("OneCycleLR_linear", lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(
        o, max_lr=[0.1, 0.2], epochs=5, steps_per_epoch=10, anneal_strategy="linear", pct_start=0.25), "adam", 2),
    ("OneCycleLR_three_phase", lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.1, total_steps=45, three_phase=True, div_factor=10.0, final_div_factor=100.0), "sgd", 1),
    ("OneCycleLR_no_momentum", lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.1, total_steps=41, cycle_momentum=False), "adagrad", 1),
    ("SequentialLR", _seq, "sgd", 2),
    ("SequentialLR_3", _seq3, "sgd", 1),
    ("ChainedScheduler", _chained, "sgd", 2),
]


def _snapshot(sched, opt):
    groups = [(g["lr"], g.get("momentum"), g.get("betas")) for g in opt.param_groups]
    return list(sched.get_last_lr()), groups


def _run(lib, make, kind, groups, steps, start=None):
    """Build optimizer + scheduler (optionally resuming from ``start`` state dicts) and step them."""
    opt = _optimizer(lib, kind, groups)
    sched = make(lib, opt)
    if start is not None:
        sched.load_state_dict(start[0])
        opt.load_state_dict(start[1])
    history = [_snapshot(sched, opt)] if start is None else []
    for _ in range(steps):
        opt.step()
        sched.step()
        history.append(_snapshot(sched, opt))
    return history, sched, opt


def _plain(obj):
    """A scheduler state dict without callables (compared by presence only)."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_plain(v) for v in obj)
    if callable(obj):
        return "<callable>"
    return obj


@pytest.mark.parametrize("name,make,kind,groups", CASES, ids=[c[0] for c in CASES])
def test_schedule_matches_torch(name, make, kind, groups):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        expected, t_sched, _ = _run(torch, make, kind, groups, 40)
        actual, j_sched, _ = _run(jtorch, make, kind, groups, 40)
    assert actual == expected
    assert _plain(j_sched.state_dict()) == _plain(t_sched.state_dict())


@pytest.mark.parametrize("name,make,kind,groups", CASES, ids=[c[0] for c in CASES])
def test_schedule_state_dict_round_trip(name, make, kind, groups):
    expected, _, _ = _run(torch, make, kind, groups, 40)
    first, sched, opt = _run(jtorch, make, kind, groups, 15)
    saved = copy.deepcopy((sched.state_dict(), opt.state_dict()))
    rest, _, _ = _run(jtorch, make, kind, groups, 25, start=saved)
    assert first + rest == expected


@pytest.mark.parametrize("mode,threshold_mode,kw", [
    ("min", "rel", dict(patience=2)),
    ("min", "abs", dict(patience=1, threshold=0.05, cooldown=2, factor=0.5)),
    ("max", "rel", dict(patience=2, min_lr=0.004)),
    ("max", "abs", dict(patience=0, threshold=0.01, min_lr=[0.02, 0.001], eps=1e-3)),
])
def test_reduce_lr_on_plateau(mode, threshold_mode, kw):
    metrics = [1.0, 0.9, 0.95, 0.95, 0.94, 0.96, 0.8, 0.81, 0.82, 0.83, 0.79, 0.85, 0.7, 0.7, 0.71, 0.69, 0.9, 1.2,
               1.1, 1.3, 1.3, 1.29, 1.31, 1.32, 1.0, 0.5, 0.4, 0.41, 0.42, 0.43]
    results = []
    for lib in LIBS:
        opt = _optimizer(lib, "sgd", 2)
        sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, mode=mode, threshold_mode=threshold_mode, **kw)
        history = []
        for i, m in enumerate(metrics):
            opt.step()
            sched.step(lib.tensor(m) if i % 2 else m)
            history.append((sched.get_last_lr(), sched.num_bad_epochs, sched.cooldown_counter, sched.best))
            if i == 12:
                saved = copy.deepcopy(sched.state_dict())
                sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt)
                sched.load_state_dict(saved)
        results.append((history, _plain(sched.state_dict())))
    assert results[1] == results[0]


def test_step_before_optimizer_step_warns():
    for lib in LIBS:
        opt = _optimizer(lib)
        sched = lib.optim.lr_scheduler.StepLR(opt, step_size=2)
        with pytest.warns(UserWarning, match=r"Detected call of `lr_scheduler.step\(\)` before `optimizer.step\(\)`"):
            sched.step()


def test_get_lr_outside_step_warns():
    for lib in LIBS:
        sched = lib.optim.lr_scheduler.StepLR(_optimizer(lib), step_size=2)
        with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
            sched.get_lr()


def test_epoch_argument_uses_closed_form():
    results = []
    for lib in LIBS:
        opt = _optimizer(lib, "sgd", 2)
        sched = lib.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for epoch in (3, 7, 4, 15):
                opt.step()
                sched.step(epoch)
        warm = lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(_optimizer(lib), T_0=3, T_mult=2)
        for epoch in (0.5, 4.25, 11, 2):
            warm.step(epoch)
        results.append((sched.get_last_lr(), warm.get_last_lr(), warm.T_cur, warm.T_i))
    assert results[1] == results[0]


def test_tensor_lr_is_updated_in_place():
    results = []
    for lib in LIBS:
        opt = lib.optim.Adam([lib.tensor(np.ones(2, "float32"), requires_grad=True)], lr=lib.tensor(0.1))
        lr = opt.param_groups[0]["lr"]
        sched = lib.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        values = []
        for _ in range(5):
            opt.step()
            sched.step()
            values.append(float(opt.param_groups[0]["lr"]))
        assert opt.param_groups[0]["lr"] is lr
        results.append(values)
    assert results[1] == results[0]


def test_lambda_state_dict_saves_callable_objects():
    sds = []
    for lib in LIBS:
        opt = _optimizer(lib, "sgd", 2)
        sched = lib.optim.lr_scheduler.LambdaLR(opt, [lambda e: 1.0, Decay(0.5)])
        sds.append(sched.state_dict()["lr_lambdas"])
    assert sds[0] == sds[1] == [None, {"rate": 0.5}]


def test_resume_requires_initial_lr():
    for lib in LIBS:
        with pytest.raises(KeyError, match="initial_lr"):
            lib.optim.lr_scheduler.StepLR(_optimizer(lib), step_size=2, last_epoch=3)


def _opt_sgd(t):
    return _optimizer(t)


ERRORS = [
    ("not_optimizer", lambda t: t.optim.lr_scheduler.StepLR(object(), step_size=2), "is not an Optimizer"),
    ("constant_factor", lambda t: t.optim.lr_scheduler.ConstantLR(_opt_sgd(t), factor=2.0), "between 0 and 1"),
    ("linear_start", lambda t: t.optim.lr_scheduler.LinearLR(_opt_sgd(t), start_factor=0), "Starting multiplicative"),
    ("linear_end", lambda t: t.optim.lr_scheduler.LinearLR(_opt_sgd(t), end_factor=1.5), "Ending multiplicative"),
    ("lambda_count", lambda t: t.optim.lr_scheduler.LambdaLR(_opt_sgd(t), [lambda e: 1, lambda e: 1]),
     "Expected 1 lr_lambdas, but got 2"),
    ("multiplicative_not_callable", lambda t: t.optim.lr_scheduler.MultiplicativeLR(_opt_sgd(t), 0.5),
     "lr_lambda should be a function"),
    ("warm_T0", lambda t: t.optim.lr_scheduler.CosineAnnealingWarmRestarts(_opt_sgd(t), T_0=0),
     "Expected positive integer T_0"),
    ("warm_Tmult", lambda t: t.optim.lr_scheduler.CosineAnnealingWarmRestarts(_opt_sgd(t), T_0=2, T_mult=0),
     "Expected integer T_mult >= 1"),
    ("warm_eta", lambda t: t.optim.lr_scheduler.CosineAnnealingWarmRestarts(_opt_sgd(t), T_0=2, eta_min="x"),
     "Expected float or int eta_min"),
    ("cyclic_mode", lambda t: t.optim.lr_scheduler.CyclicLR(_opt_sgd(t), 0.01, 0.1, mode="foo"), "mode is invalid"),
    ("cyclic_momentum", lambda t: t.optim.lr_scheduler.CyclicLR(_optimizer(t, "adagrad"), 0.01, 0.1),
     "optimizer must support momentum or beta1"),
    ("cyclic_len", lambda t: t.optim.lr_scheduler.CyclicLR(_opt_sgd(t), [0.01, 0.02], 0.1),
     "base_lr must have the same length as optimizer.param_groups"),
    ("onecycle_total", lambda t: t.optim.lr_scheduler.OneCycleLR(_opt_sgd(t), 0.1), "You must define either"),
    ("onecycle_total_neg", lambda t: t.optim.lr_scheduler.OneCycleLR(_opt_sgd(t), 0.1, total_steps=0),
     "Expected positive integer total_steps"),
    ("onecycle_epochs", lambda t: t.optim.lr_scheduler.OneCycleLR(_opt_sgd(t), 0.1, epochs=0, steps_per_epoch=2),
     "Expected positive integer epochs"),
    ("onecycle_pct", lambda t: t.optim.lr_scheduler.OneCycleLR(_opt_sgd(t), 0.1, total_steps=10, pct_start=1),
     "Expected float between 0 and 1 pct_start"),
    ("onecycle_anneal", lambda t: t.optim.lr_scheduler.OneCycleLR(_opt_sgd(t), 0.1, total_steps=10,
                                                                  anneal_strategy="exp"), "anneal_strategy must be"),
    ("onecycle_overstep", lambda t: [s.step() for s in [t.optim.lr_scheduler.OneCycleLR(_opt_sgd(t), 0.1,
                                                                                         total_steps=3)] * 4],
     "Tried to step 4 times"),
    ("plateau_factor", lambda t: t.optim.lr_scheduler.ReduceLROnPlateau(_opt_sgd(t), factor=1.0), "Factor should be"),
    ("plateau_mode", lambda t: t.optim.lr_scheduler.ReduceLROnPlateau(_opt_sgd(t), mode="avg"), "mode avg is unknown"),
    ("plateau_threshold_mode", lambda t: t.optim.lr_scheduler.ReduceLROnPlateau(_opt_sgd(t), threshold_mode="x"),
     "threshold mode x is unknown"),
    ("plateau_min_lrs", lambda t: t.optim.lr_scheduler.ReduceLROnPlateau(_opt_sgd(t), min_lr=[0.1, 0.2]),
     "expected 1 min_lrs, got 2"),
    ("sequential_empty", lambda t: t.optim.lr_scheduler.SequentialLR(_opt_sgd(t), [], []), "at least one scheduler"),
    ("sequential_milestones", lambda t: (lambda o: t.optim.lr_scheduler.SequentialLR(
        o, [t.optim.lr_scheduler.StepLR(o, 2)], milestones=[3]))(_opt_sgd(t)), "one more than the number of milestone"),
    ("sequential_other_optimizer", lambda t: t.optim.lr_scheduler.SequentialLR(
        _opt_sgd(t), [t.optim.lr_scheduler.StepLR(_opt_sgd(t), 2)], milestones=[]), "belong to the same optimizer"),
    ("sequential_plateau", lambda t: (lambda o: t.optim.lr_scheduler.SequentialLR(
        o, [t.optim.lr_scheduler.ReduceLROnPlateau(o)], milestones=[]))(_opt_sgd(t)),
     "does not support `ReduceLROnPlateau`"),
    ("chained_empty", lambda t: t.optim.lr_scheduler.ChainedScheduler([]), "at least one scheduler to be chained"),
    ("abstract_get_lr", lambda t: t.optim.lr_scheduler.LRScheduler(_opt_sgd(t)), ""),
]


@pytest.mark.parametrize("name,fn,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(name, fn, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_error(fn, match=match or None)
