"""jtorch.compile: compiled training equals eager training; graph breaks, recompiles, explain."""
import re
import warnings

import numpy as np
import pytest

import jtorch
import jtorch.nn as nn
import jtorch.nn.functional as F


class SeedCNN(nn.Module):
    """The seed's CNN with BatchNorm and Dropout added (state and randomness in the step)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.bn = nn.BatchNorm2d(6)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.drop = nn.Dropout(0.25)
        self.fc2 = nn.Linear(120, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.bn(self.conv1(x))))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        return self.fc2(self.drop(F.relu(self.fc1(x))))


def _seed_mlp():
    return nn.Sequential(nn.Linear(10, 20))


def _data(kind, steps, batch=4):
    rng = np.random.default_rng(0)
    if kind == "mlp":
        return [(jtorch.tensor(rng.normal(size=(20, 10)).astype(np.float32)),
                 jtorch.tensor(rng.normal(size=(20, 20)).astype(np.float32))) for _ in range(steps)]
    return [(jtorch.tensor(rng.normal(size=(batch, 3, 32, 32)).astype(np.float32)),
             jtorch.tensor(rng.integers(0, 10, batch))) for _ in range(steps)]


CASES = {
    "mlp_adam": ("mlp", _seed_mlp, lambda p: jtorch.optim.Adam(p, lr=0.01), None,
                 lambda out, y: ((out - y) ** 2).mean()),
    "mlp_adamw_cosine": ("mlp", _seed_mlp, lambda p: jtorch.optim.AdamW(p, lr=0.01),
                         lambda o: jtorch.optim.lr_scheduler.CosineAnnealingLR(o, 10),
                         lambda out, y: ((out - y) ** 2).mean()),
    "cnn_sgd_momentum_steplr": ("cnn", SeedCNN, lambda p: jtorch.optim.SGD(p, lr=0.01, momentum=0.9),
                                lambda o: jtorch.optim.lr_scheduler.StepLR(o, 5, 0.5), nn.CrossEntropyLoss()),
}


def _train(case, compiled, steps=20):
    kind, make_model, make_opt, make_sched, crit = CASES[case]
    jtorch.manual_seed(0)
    model = make_model()
    opt = make_opt(model.parameters())
    sched = make_sched(opt) if make_sched else None

    def step(x, y):
        opt.zero_grad()
        loss = crit(model(x), y)
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()
        return loss

    fn = jtorch.compile(step) if compiled else step
    jtorch.manual_seed(1)
    losses = [float(fn(x, y)) for x, y in _data(kind, steps)]
    return losses, model, opt, fn


@pytest.mark.parametrize("case", CASES)
def test_compiled_training_equals_eager(case):
    eager_losses, eager_model, eager_opt, _ = _train(case, False)
    losses, model, opt, fn = _train(case, True)
    np.testing.assert_allclose(losses, eager_losses, rtol=1e-5, atol=1e-6)
    for (name, a), b in zip(eager_model.state_dict().items(), model.state_dict().values()):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-5, atol=1e-6, err_msg=name)
    assert opt.param_groups[0]["lr"] == pytest.approx(eager_opt.param_groups[0]["lr"])
    assert len(fn.programs()) == 1 and fn.recompiles == []


def test_lr_edits_do_not_recompile_and_take_effect():
    losses = {}
    for compiled in (False, True):
        jtorch.manual_seed(0)
        model = nn.Linear(3, 1)
        opt = jtorch.optim.SGD(model.parameters(), lr=0.1)

        def step(x):
            opt.zero_grad()
            loss = model(x).pow(2).mean()
            loss.backward()
            opt.step()
            return loss

        fn = jtorch.compile(step) if compiled else step
        x = jtorch.ones(2, 3)
        out = []
        for lr in (0.1, 0.1, 0.05, 0.01, 0.2):
            opt.param_groups[0]["lr"] = lr
            out.append(float(fn(x)))
        losses[compiled] = out
    np.testing.assert_allclose(losses[True], losses[False], rtol=1e-6)
    assert len(fn.programs()) == 1


def test_new_batch_size_and_training_flag_recompile_with_reasons():
    model = nn.Sequential(nn.Linear(4, 3), nn.Dropout(0.5))

    @jtorch.compile
    def forward(x):
        return model(x)

    for batch in (8, 8, 8, 16, 16):
        forward(jtorch.ones(batch, 4))
    model.eval()
    forward(jtorch.ones(16, 4))
    report = jtorch.compiler.explain(forward)
    assert report.program_count == 3
    assert report.recompile_reasons == [["input 0: shape (8, 4) -> (16, 4)"],
                                        ["model.training changed (True -> False)",
                                         "model.0.training changed (True -> False)",
                                         "model.1.training changed (True -> False)"]]
    assert "recompile 1: input 0: shape (8, 4) -> (16, 4)" in str(report)
    assert all(n > 0 for n in report.op_counts)


def test_random_ops_match_eager_for_the_same_seed():
    def draw(x):
        return x + jtorch.rand(3) + F.dropout(jtorch.ones(6), 0.5).sum()

    compiled = jtorch.compile(draw)
    x = jtorch.zeros(3)
    jtorch.manual_seed(7)
    eager = [draw(x).tolist() for _ in range(4)]
    jtorch.manual_seed(7)
    assert [compiled(x).tolist() for _ in range(4)] == eager


def test_compiled_module_keeps_module_behaviour_and_backward():
    jtorch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    compiled = jtorch.compile(model)
    assert list(compiled.state_dict())[0] == "_orig_mod.0.weight"
    assert compiled._orig_mod is model and compiled.training
    x = jtorch.randn(3, 4, requires_grad=True)
    expected = model(x)
    expected.sum().backward()
    grads = [p.grad.clone() for p in model.parameters()] + [x.grad.clone()]
    for _ in range(3):
        model.zero_grad()
        x.grad = None
        out = compiled(x)
        out.sum().backward()
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=1e-6)
    for g, p in zip(grads, list(model.parameters()) + [x]):
        np.testing.assert_allclose(p.grad.numpy(), g.numpy(), rtol=1e-6)
    compiled.eval()
    assert not model.training


def _branch(x):
    if x.sum() > 0:
        return x * 2
    return x


def _item(x):
    return x * x.sum().item()


def _tolist(x):
    return jtorch.tensor(x.tolist()) + x


def _print(x):
    print(x)
    return x + 1


def _nonzero(x):
    return x[x.nonzero()[:, 0]] + 1


BREAKS = {
    "if_on_tensor": (_branch, "`if x.sum() > 0:` needs a Python `if`/`while`/`bool()` on a tensor value"),
    "item": (_item, "`return x * x.sum().item()` needs `.item()`"),
    "tolist": (_tolist, "needs `.tolist()`"),
    "print": (_print, "`print(x)` needs printing a tensor value"),
    "nonzero": (_nonzero, "needs an op whose output shape depends on the data"),
}


@pytest.mark.parametrize("name", BREAKS)
def test_graph_break_fullgraph_names_the_line(name):
    fn, message = BREAKS[name]
    compiled = jtorch.compile(fn, fullgraph=True)
    x = jtorch.ones(3)
    compiled(x)
    with pytest.raises(jtorch.compiler.GraphBreakError, match=re.escape(message)) as info:
        compiled(x)
    assert "test_compile.py:" in str(info.value) and "jtorch.where" in str(info.value)


@pytest.mark.parametrize("name", BREAKS)
def test_graph_break_falls_back_to_eager_with_one_warning(name, capsys):
    fn, _ = BREAKS[name]
    compiled = jtorch.compile(fn)
    x = jtorch.ones(3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = [compiled(x) for _ in range(3)]
    breaks = [w for w in caught if "graph break" in str(w.message)]
    assert len(breaks) == 1
    expected = fn(x)
    for r in results:
        np.testing.assert_allclose(r.numpy(), expected.numpy())
    assert jtorch.compiler.explain(compiled).graph_breaks


def test_dump_writes_programs(tmp_path):
    @jtorch.compile
    def f(x):
        return (x * 2).sin().sum()

    f(jtorch.ones(3))
    f(jtorch.ones(3))
    paths = jtorch.compiler.dump(f, tmp_path)
    assert sorted(p.rsplit("/", 1)[1] for p in paths) == ["program0.cost.txt", "program0.hlo.txt",
                                                          "program0.jaxpr.txt", "program0.stablehlo.txt"]
    assert "sin" in (tmp_path / "program0.jaxpr.txt").read_text()


def test_reset_and_disable():
    calls = []

    @jtorch.compile
    def f(x):
        calls.append(1)
        return x + 1

    for _ in range(3):
        f(jtorch.ones(2))
    assert len(calls) == 2  # the eager first call, then one trace
    jtorch.compiler.reset()
    assert f.programs() == []
    assert jtorch.compile(lambda x: x * 2, disable=True)(jtorch.ones(2)).tolist() == [2.0, 2.0]


def test_compare_reports_both_modes_from_the_same_state():
    jtorch.manual_seed(0)
    model = SeedCNN()
    opt = jtorch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    crit = nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad()
        loss = crit(model(x), y)
        loss.backward()
        opt.step()
        return loss

    result = jtorch.compiler.compare(step, _data("cnn", 5))
    assert [r["step"] for r in result.rows] == [1, 2, 3, 4, 5]
    for r in result.rows:
        assert r["compiled_loss"] == pytest.approx(r["eager_loss"], rel=1e-5)
        assert r["max_param_diff"] < 1e-5 and r["eager_ms"] > 0 and r["compiled_ms"] > 0
    assert len(result.compile_seconds) == 1 and result.recompiles == [] and result.op_counts[0] > 100
    text = str(result)
    assert text.splitlines()[0].split() == ["step", "eager", "loss", "compiled", "loss", "max", "|dparam|", "eager",
                                            "ms", "compiled", "ms"]
    assert "compile time:" in text and "recompiles: 0" in text


def test_cond_eager_and_compiled():
    def f(x):
        return jtorch.cond(x.sum() > 0, lambda t: t * 2, lambda t: t - 1, (x,))

    compiled = jtorch.compile(f, fullgraph=True)
    for value in (1.0, -1.0, 2.0, -3.0):
        x = jtorch.full((3,), value, requires_grad=True)
        out = compiled(x)
        expected = f(x.detach())
        np.testing.assert_allclose(out.detach().numpy(), expected.numpy())
        out.sum().backward()
        assert x.grad.tolist() == ([2.0] * 3 if value > 0 else [1.0] * 3)
    assert len(compiled.programs()) == 1
    with pytest.raises(RuntimeError, match="single-element tensor"):
        jtorch.cond(jtorch.ones(2), lambda: 1, lambda: 2)


def test_compiled_module_in_an_ordinary_training_loop_equals_eager():
    """``model = jtorch.compile(model)`` with backward and the optimizer outside (BatchNorm, Dropout)."""
    rng = np.random.default_rng(0)
    data = [(jtorch.tensor(rng.normal(size=(8, 3, 12, 12)).astype(np.float32)), jtorch.tensor(rng.integers(0, 10, 8)))
            for _ in range(6)]

    def train(compiled):
        jtorch.manual_seed(0)
        model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Dropout(0.2),
                              nn.Linear(4 * 10 * 10, 10))
        run = jtorch.compile(model) if compiled else model
        opt = jtorch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        crit = nn.CrossEntropyLoss()
        jtorch.manual_seed(1)
        losses = []
        for x, y in data:
            opt.zero_grad()
            loss = crit(run(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        run.eval()
        with jtorch.no_grad():
            predicted = run(data[0][0]).argmax(1).tolist()
        return losses, predicted, model

    eager_losses, eager_pred, eager_model = train(False)
    losses, pred, model = train(True)
    np.testing.assert_allclose(losses, eager_losses, rtol=1e-5, atol=1e-6)
    assert pred == eager_pred
    for (name, a), b in zip(eager_model.state_dict().items(), model.state_dict().values()):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-5, atol=1e-6, err_msg=name)
