"""torch.utils.checkpoint and the torch.utils.data._utils module paths, against torch."""
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.utils.checkpoint  # noqa: E402

import jtorch  # noqa: E402
import jtorch.utils.checkpoint  # noqa: E402

from parity import copy_state  # noqa: E402


def _model(lib):
    return lib.nn.Sequential(lib.nn.Linear(4, 5), lib.nn.Tanh(), lib.nn.Linear(5, 3), lib.nn.ReLU(), lib.nn.Linear(3, 1))


def _run(lib, model, call, requires_grad):
    x = lib.tensor(np.arange(8, dtype=np.float32).reshape(2, 4) / 8, requires_grad=requires_grad)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = call(lib, model, x)
    return out, sorted(str(w.message) for w in caught)


CALLS = {
    "checkpoint_reentrant": lambda lib, m, x: lib.utils.checkpoint.checkpoint(m, x, use_reentrant=True),
    "checkpoint_non_reentrant": lambda lib, m, x: lib.utils.checkpoint.checkpoint(m, x, use_reentrant=False),
    "checkpoint_default": lambda lib, m, x: lib.utils.checkpoint.checkpoint(m, x),
    "sequential": lambda lib, m, x: lib.utils.checkpoint.checkpoint_sequential(m, 2, x, use_reentrant=False),
    "sequential_default": lambda lib, m, x: lib.utils.checkpoint.checkpoint_sequential(m, 3, x),
}


@pytest.mark.parametrize("name", CALLS)
@pytest.mark.parametrize("requires_grad", [True, False])
def test_checkpoint_matches_torch(name, requires_grad):
    tm, jm = _model(torch), _model(jtorch)
    copy_state(tm, jm)
    tout, twarn = _run(torch, tm, CALLS[name], requires_grad)
    jout, jwarn = _run(jtorch, jm, CALLS[name], requires_grad)
    assert jwarn == twarn
    assert jout.requires_grad == tout.requires_grad
    np.testing.assert_allclose(jout.detach().numpy(), tout.detach().numpy(), rtol=1e-5, atol=1e-6)
    if tout.requires_grad:
        tout.sum().backward()
        jout.sum().backward()
        for (n, tp), jp in zip(tm.named_parameters(), jm.parameters()):
            assert (jp.grad is None) == (tp.grad is None), n
            if tp.grad is not None:
                np.testing.assert_allclose(jp.grad.numpy(), tp.grad.numpy(), rtol=1e-5, atol=1e-6, err_msg=n)


def test_checkpoint_rejects_kwargs_when_reentrant():
    for lib in (torch, jtorch):
        with pytest.raises(ValueError, match="Unexpected keyword arguments: scale"):
            lib.utils.checkpoint.checkpoint(lambda x, scale: x * scale, lib.ones(2), use_reentrant=True, scale=2)


def test_data_utils_module_paths():
    from jtorch.utils.data._utils.collate import default_collate
    from jtorch.utils.data._utils.worker import get_worker_info

    assert default_collate is jtorch.utils.data.default_collate
    assert get_worker_info() is None
