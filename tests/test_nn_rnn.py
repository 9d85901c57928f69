"""Parity of the recurrent layers (RNN, LSTM, GRU and cells) with PyTorch: outputs, final states,
input and parameter gradients, in eager and compiled mode; packed sequences; repr, state_dict
keys and errors."""
import numpy as np
import pytest

from parity import MODES, arr, check_error, check_module, torch

import jtorch

T, B, F, H = 4, 3, 5, 6


def _lstm(**kw):
    return lambda lib: lib.nn.LSTM(F, H, **kw)


def _gru(**kw):
    return lambda lib: lib.nn.GRU(F, H, **kw)


def _rnn(**kw):
    return lambda lib: lib.nn.RNN(F, H, **kw)


def _state(kw, batched=True):
    """An initial hidden state array shaped for the module config ``kw``."""
    d = 2 if kw.get("bidirectional") else 1
    n = kw.get("num_layers", 1) * d
    out = kw.get("proj_size") or H
    return (arr(n, B, out, seed=3), arr(n, B, H, seed=4)) if batched else (arr(n, out, seed=3), arr(n, H, seed=4))


KINDS = [("rnn_tanh", _rnn, {}), ("rnn_relu", _rnn, {"nonlinearity": "relu"}), ("gru", _gru, {}), ("lstm", _lstm, {})]

DEEP = {"num_layers": 2, "bidirectional": True, "batch_first": True}


def _input(kw):
    return arr(B, T, F) if kw.get("batch_first") else arr(T, B, F)


def _with_state(make, kind, kw, x, mode, batched=True):
    h0, c0 = _state(kw, batched)
    if kind == "lstm":
        check_module(make, x, h0, c0, mode=mode, call=lambda m, x, h, c: m(x, (h, c)))
    else:
        check_module(make, x, h0, mode=mode)


SINGLE = [k for k in KINDS if k[0] != "rnn_relu"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind,make,extra", SINGLE, ids=[k[0] for k in SINGLE])
def test_single_layer_no_state(kind, make, extra, mode):
    check_module(make(**extra), arr(T, B, F), mode=mode)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind,make,extra", KINDS, ids=[k[0] for k in KINDS])
def test_deep_bidirectional_batch_first_with_state(kind, make, extra, mode):
    _with_state(make(**DEEP, **extra), kind, DEEP, _input(DEEP), mode)


UNBATCHED = [k for k in KINDS if k[0] in ("rnn_relu", "lstm")]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind,make,extra", UNBATCHED, ids=[k[0] for k in UNBATCHED])
def test_unbatched_with_state(kind, make, extra, mode):
    kw = {"num_layers": 2, "bidirectional": True, "bias": False}
    _with_state(make(**kw, **extra), kind, kw, arr(T, F), mode, batched=False)


@pytest.mark.parametrize("mode", MODES)
def test_unbatched_no_state(mode):
    check_module(_gru(bidirectional=True), arr(T, F), mode=mode)


@pytest.mark.parametrize("mode", MODES)
def test_lstm_projection(mode):
    kw = {"proj_size": 3, "num_layers": 2, "bidirectional": True}
    _with_state(_lstm(**kw), "lstm", kw, arr(T, B, F), mode)


def test_float64():
    check_module(lambda lib: lib.nn.GRU(F, H).double(), arr(T, B, F, dtype="float64"))


def _packed_call(batch_first, enforce_sorted, lengths):
    def call(m, x, *state):
        lib = jtorch if isinstance(x, jtorch.Tensor) else torch
        rnn = lib.nn.utils.rnn
        packed = rnn.pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
        hx = None if not state else (state if len(state) == 2 else state[0])
        out, h = m(packed, hx)
        padded, lens = rnn.pad_packed_sequence(out, batch_first=batch_first)
        return padded, lens, h
    return call


@pytest.mark.parametrize("kind,make,extra", UNBATCHED, ids=[k[0] for k in UNBATCHED])
def test_packed_unsorted_with_state(kind, make, extra):
    kw = {"num_layers": 2, "bidirectional": True}
    if kind == "lstm":
        kw["proj_size"] = 2
    h0, c0 = _state(kw)
    state = (h0, c0) if kind == "lstm" else (h0,)
    check_module(make(**kw, **extra), _input(kw), *state, call=_packed_call(False, False, [2, 4, 1]))


def test_packed_sorted_batch_first():
    check_module(_gru(batch_first=True, bidirectional=True), arr(B, T, F), call=_packed_call(True, True, [4, 3, 1]))


CELLS = [("rnn_cell", lambda lib, **kw: lib.nn.RNNCell(F, H, **kw), {}),
         ("rnn_cell_relu", lambda lib, **kw: lib.nn.RNNCell(F, H, nonlinearity="relu", **kw), {}),
         ("gru_cell", lambda lib, **kw: lib.nn.GRUCell(F, H, **kw), {}),
         ("lstm_cell", lambda lib, **kw: lib.nn.LSTMCell(F, H, **kw), {})]


@pytest.mark.parametrize("name,make,_", CELLS, ids=[c[0] for c in CELLS])
def test_cells_batched_with_state(name, make, _):
    if name == "lstm_cell":
        check_module(lambda lib: make(lib), arr(B, F), arr(B, H, seed=1), arr(B, H, seed=2),
                     call=lambda m, x, h, c: m(x, (h, c)))
    else:
        check_module(lambda lib: make(lib), arr(B, F), arr(B, H, seed=1))


@pytest.mark.parametrize("name,make,_", CELLS, ids=[c[0] for c in CELLS])
def test_cells_unbatched_compiled(name, make, _):
    check_module(lambda lib: make(lib, bias=False), arr(F), mode="compiled")
    if name == "lstm_cell":
        check_module(lambda lib: make(lib), arr(F), arr(H, seed=1), arr(H, seed=2), mode="compiled",
                     call=lambda m, x, h, c: m(x, (h, c)))


@pytest.mark.parametrize("mode", MODES)
def test_cell_loop(mode):
    def call(m, x):
        h = c = None
        outs = []
        for t in range(x.shape[0]):
            h, c = m(x[t], None if h is None else (h, c))
            outs.append(h)
        return outs
    check_module(lambda lib: lib.nn.LSTMCell(F, H), arr(T, B, F), mode=mode, call=call)


def test_dropout_train_is_random_and_eval_is_not():
    jtorch.manual_seed(0)
    m = jtorch.nn.GRU(F, H, 2, dropout=0.3)
    x = jtorch.tensor(arr(T, B, F))
    a, b = m(x)[0], m(x)[0]
    assert not bool((a == b).all())
    m.eval()
    assert bool((m(x)[0] == m(x)[0]).all())
    m.dropout = 1.0
    m.train()
    out, h = m(x)
    assert bool((out == m(x)[0]).all())
    out.sum().backward()
    assert m.weight_ih_l0.grad is not None and bool((m.weight_ih_l0.grad == 0).all())
    assert bool(jtorch.isfinite(m.weight_ih_l1.grad).all())


def test_dropout_compiled_matches_eager_draws():
    import jax

    from jtorch._functional import bound_arrays

    m = jtorch.nn.GRU(F, H, 2, dropout=0.3)
    x = jtorch.tensor(arr(T, B, F))
    params = list(m.parameters())
    jtorch.manual_seed(5)
    eager = m(x)[0]

    def run(ps):
        with bound_arrays(params, ps):
            return m(x)[0]._read()
    jtorch.manual_seed(5)
    compiled = jax.jit(run)([p._read() for p in params])
    np.testing.assert_allclose(np.asarray(compiled), eager.detach().numpy(), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.LSTM(F, H, 2, dropout=0.25, bidirectional=True, proj_size=3, batch_first=True, bias=False),
    lambda lib: lib.nn.RNN(F, H, 3, "relu"),
    lambda lib: lib.nn.GRU(F, H, num_layers=2, bidirectional=True),
    lambda lib: lib.nn.RNNCell(F, H, bias=False, nonlinearity="relu"),
    lambda lib: lib.nn.LSTMCell(F, H),
    lambda lib: lib.nn.GRUCell(F, H, bias=False),
])
def test_repr_and_state_dict(make):
    t, j = make(torch), make(jtorch)
    assert repr(t) == repr(j)
    assert list(t.state_dict()) == list(j.state_dict())
    for (kt, vt), (kj, vj) in zip(t.state_dict().items(), j.state_dict().items()):
        assert tuple(vt.shape) == tuple(vj.shape), kt
    if hasattr(t, "all_weights"):
        assert [[tuple(p.shape) for p in w] for w in t.all_weights] == [[tuple(p.shape) for p in w]
                                                                          for w in j.all_weights]
        assert t._flat_weights_names == j._flat_weights_names


def test_init_bounds_and_flatten():
    m = jtorch.nn.GRU(F, 16)
    m.flatten_parameters()
    for p in m.parameters():
        assert float(p.abs().max()) <= 0.25
    m.double()
    assert m._flat_weights[0].dtype is jtorch.float64
    assert m._flat_weights[0] is m.weight_ih_l0


ERRORS = [
    ("input_size", lambda t: t.nn.LSTM(10, 4)(t.zeros(3, 2, 5)), r"input.size\(-1\) must be equal to input_size. "
                                                                 r"Expected 10, got 5"),
    ("rank_rnn", lambda t: t.nn.RNN(5, 4)(t.zeros(3, 2, 5, 1)), "RNN: Expected input to be 2D or 3D, got 4D tensor"),
    ("rank_lstm", lambda t: t.nn.LSTM(5, 4)(t.zeros(5)), "LSTM: Expected input to be 2D or 3D, got 1D instead"),
    ("rank_gru", lambda t: t.nn.GRU(5, 4)(t.zeros(5)), "GRU: Expected input to be 2D or 3D, got 1D instead"),
    ("hidden_size", lambda t: t.nn.GRU(5, 4)(t.zeros(3, 2, 5), t.zeros(1, 3, 4)),
     r"Expected hidden size \(1, 2, 4\), got \[1, 3, 4\]"),
    ("hidden_unbatched", lambda t: t.nn.RNN(5, 4)(t.zeros(3, 5), t.zeros(1, 5)),
     r"Expected hidden size \(1, 1, 4\), got \[1, 1, 5\]"),
    ("hidden_rank", lambda t: t.nn.RNN(5, 4)(t.zeros(3, 2, 5), t.zeros(2, 4)),
     "For batched 3-D input, hx should also be 3-D but got 2-D tensor"),
    ("hidden_rank_unbatched", lambda t: t.nn.GRU(5, 4)(t.zeros(3, 5), t.zeros(1, 1, 4)),
     "For unbatched 2-D input, hx should also be 2-D but got 3-D tensor"),
    ("lstm_h", lambda t: t.nn.LSTM(5, 4, proj_size=2)(t.zeros(3, 2, 5), (t.zeros(1, 2, 4), t.zeros(1, 2, 4))),
     r"Expected hidden\[0\] size \(1, 2, 2\), got \[1, 2, 4\]"),
    ("lstm_c", lambda t: t.nn.LSTM(5, 4)(t.zeros(3, 2, 5), (t.zeros(1, 2, 4), t.zeros(1, 2, 3))),
     r"Expected hidden\[1\] size \(1, 2, 4\), got \[1, 2, 3\]"),
    ("lstm_rank", lambda t: t.nn.LSTM(5, 4)(t.zeros(3, 2, 5), (t.zeros(2, 4), t.zeros(1, 2, 4))),
     r"For batched 3-D input, hx and cx should also be 3-D but got \(2-D, 3-D\) tensors"),
    ("lstm_rank_unbatched", lambda t: t.nn.LSTM(5, 4)(t.zeros(3, 5), (t.zeros(1, 4), t.zeros(1, 1, 4))),
     r"For unbatched 2-D input, hx and cx should also be 2-D but got \(2-D, 3-D\) tensors"),
    ("dtype", lambda t: t.nn.GRU(5, 4)(t.zeros(3, 2, 5, dtype=t.float64)),
     r"RNN input dtype \(torch.float64\) does not match weight dtype \(torch.float32\)"),
    ("hidden_dtype", lambda t: t.nn.GRU(5, 4)(t.zeros(3, 2, 5), t.zeros(1, 2, 4, dtype=t.float64)),
     "mat1 and mat2 must have the same dtype, but got Double and Float"),
    ("empty_sequence", lambda t: t.nn.LSTM(5, 4)(t.zeros(0, 2, 5)), "Expected sequence length to be larger than 0"),
    ("proj_for_gru", lambda t: t.nn.GRU(5, 4, proj_size=2), "proj_size argument is only supported for LSTM"),
    ("proj_too_big", lambda t: t.nn.LSTM(5, 4, proj_size=4), "proj_size has to be smaller than hidden_size"),
    ("proj_negative", lambda t: t.nn.LSTM(5, 4, proj_size=-1), "proj_size should be a positive integer or zero"),
    ("nonlinearity", lambda t: t.nn.RNN(5, 4, nonlinearity="sigmoid"),
     "Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'."),
    ("dropout_range", lambda t: t.nn.LSTM(5, 4, dropout=1.5), "dropout should be a number in range"),
    ("bias_type", lambda t: t.nn.LSTM(5, 4, bias=1), "bias should be of type bool, got: int"),
    ("batch_first_type", lambda t: t.nn.LSTM(5, 4, batch_first=None), "batch_first should be of type bool"),
    ("input_size_type", lambda t: t.nn.LSTM(5.0, 4), "input_size should be of type int, got: float"),
    ("hidden_size_zero", lambda t: t.nn.LSTM(5, 0), "hidden_size must be greater than zero"),
    ("num_layers_zero", lambda t: t.nn.LSTM(5, 4, 0), "num_layers must be greater than zero"),
    ("cell_input_size", lambda t: t.nn.LSTMCell(10, 20)(t.zeros(3, 5)),
     "input has inconsistent input_size: got 5 expected 10"),
    ("cell_batch", lambda t: t.nn.GRUCell(10, 20)(t.zeros(3, 10), t.zeros(2, 20)),
     "Input batch size 3 doesn't match hidden0 batch size 2"),
    ("cell_hidden", lambda t: t.nn.LSTMCell(10, 20)(t.zeros(3, 10), (t.zeros(3, 20), t.zeros(3, 4))),
     "hidden1 has inconsistent hidden_size: got 4, expected 20"),
    ("cell_unbatched_hidden", lambda t: t.nn.GRUCell(10, 20)(t.zeros(10), t.zeros(3, 20)),
     "hidden0 has inconsistent hidden_size: got 3, expected 20"),
    ("cell_rank", lambda t: t.nn.RNNCell(10, 20)(t.zeros(1, 3, 10)), "RNNCell: Expected input to be 1D or 2D, got 3D"),
    ("cell_hidden_rank", lambda t: t.nn.GRUCell(10, 20)(t.zeros(3, 10), t.zeros(1, 3, 20)),
     "GRUCell: Expected hidden to be 1D or 2D, got 3D instead"),
    ("lstm_cell_hidden_rank", lambda t: t.nn.LSTMCell(10, 20)(t.zeros(3, 10), (t.zeros(3, 20), t.zeros(1, 3, 20))),
     r"LSTMCell: Expected hx\[1\] to be 1D or 2D, got 3D instead"),
    ("cell_dtype", lambda t: t.nn.RNNCell(10, 20)(t.zeros(3, 10, dtype=t.float64)),
     "mat1 and mat2 must have the same dtype, but got Double and Float"),
    ("cell_nonlinearity", lambda t: t.nn.RNNCell(10, 20, nonlinearity="sig")(t.zeros(3, 10)),
     "Unknown nonlinearity: sig"),
]


@pytest.mark.parametrize("name,fn,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(name, fn, match):
    check_error(fn, match=match)


def test_dropout_single_layer_warns():
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        jtorch.nn.GRU(5, 4, dropout=0.5)
