"""The seed's models train exactly as in PyTorch: from the same weights and data, the loss
sequences of the MLP (Adam) and the CNN (SGD with momentum) match torch's step by step, in
eager mode and with the whole training step traced by jax.jit."""
import io

import numpy as np
import pytest

from parity import copy_state, torch

import jtorch

STEPS = 20


def _mlp(lib):
    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = lib.nn.Linear(in_features=10, out_features=20)

        def forward(self, x):
            return self.fc1(x)
    return Net()


def _cnn(lib):
    F = lib.nn.functional

    class CNN(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = lib.nn.Conv2d(3, 6, 5)
            self.pool = lib.nn.MaxPool2d(2, 2)
            self.conv2 = lib.nn.Conv2d(6, 16, 5)
            self.fc1 = lib.nn.Linear(16 * 5 * 5, 120)
            self.fc2 = lib.nn.Linear(120, 84)
            self.fc3 = lib.nn.Linear(84, 10)

        def forward(self, x):
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = x.view(-1, 16 * 5 * 5)
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return self.fc3(x)
    return CNN()


def _mlp_batches():
    rng = np.random.default_rng(0)
    return [(rng.standard_normal((20, 10)).astype(np.float32), rng.standard_normal((20, 20)).astype(np.float32))
            for _ in range(STEPS)]


def _cnn_batches():
    rng = np.random.default_rng(1)
    return [(rng.uniform(0, 1, (4, 3, 32, 32)).astype(np.float32), rng.integers(0, 10, 4).astype(np.int64))
            for _ in range(STEPS)]


def _mlp_step(lib, model, opt, x, y):
    inputs = lib.tensor(x, requires_grad=True)
    opt.zero_grad()
    loss = ((model(inputs) - lib.tensor(y)) ** 2).mean()
    loss.backward()
    opt.step()
    return loss


def _cnn_step(lib, model, opt, x, y, criterion):
    opt.zero_grad()
    loss = criterion(model(lib.tensor(x)), lib.tensor(y))
    loss.backward()
    opt.step()
    return loss


def _train(lib, make, opt_fn, step, batches, model=None, **kw):
    model = model or make(lib)
    opt = opt_fn(lib, model)
    losses = [step(lib, model, opt, x, y, **kw).item() for x, y in batches]
    return model, losses


CASES = {
    "mlp_adam": (_mlp, lambda lib, m: lib.optim.Adam(m.parameters(), lr=0.01), _mlp_step, _mlp_batches, {}),
    "cnn_sgd_momentum": (_cnn, lambda lib, m: lib.optim.SGD(m.parameters(), lr=0.001, momentum=0.9), _cnn_step,
                         _cnn_batches, {"criterion": None}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_seed_model_losses_match_torch(name):
    make, opt_fn, step, batches, kw = CASES[name]
    data = batches()
    torch.manual_seed(0)
    t_model = make(torch)
    j_model = make(jtorch)
    copy_state(t_model, j_model)
    t_kw = {k: torch.nn.CrossEntropyLoss() for k in kw}
    j_kw = {k: jtorch.nn.CrossEntropyLoss() for k in kw}
    _, t_losses = _train(torch, make, opt_fn, step, data, t_model, **t_kw)
    _, j_losses = _train(jtorch, make, opt_fn, step, data, j_model, **j_kw)
    np.testing.assert_allclose(j_losses, t_losses, rtol=1e-5, atol=1e-6)
    for (tn, tp), (jn, jp) in zip(t_model.state_dict().items(), j_model.state_dict().items()):
        assert tn == jn
        np.testing.assert_allclose(jp.numpy(), tp.numpy(), rtol=1e-4, atol=1e-5, err_msg=tn)


def test_seed_cnn_checkpoint_loads_in_torch(tmp_path):
    """The seed saves {'state_dict': net.state_dict()} with torch.save; real torch loads it."""
    net = _cnn(jtorch)
    path = tmp_path / "cnn.pth"
    jtorch.save({"state_dict": net.state_dict()}, str(path))
    loaded = torch.load(str(path), weights_only=True)
    t_net = _cnn(torch)
    t_net.load_state_dict(loaded["state_dict"])
    x = np.random.default_rng(2).uniform(0, 1, (2, 3, 32, 32)).astype(np.float32)
    with torch.no_grad(), jtorch.no_grad():
        np.testing.assert_allclose(net(jtorch.tensor(x)).numpy(), t_net(torch.from_numpy(x)).numpy(), rtol=1e-5,
                                   atol=1e-6)
    buf = io.BytesIO()
    torch.save(t_net.state_dict(), buf)
    buf.seek(0)
    back = _cnn(jtorch)
    back.load_state_dict(jtorch.load(buf))
    with jtorch.no_grad():
        np.testing.assert_allclose(back(jtorch.tensor(x)).numpy(), net(jtorch.tensor(x)).numpy(), rtol=1e-6)
