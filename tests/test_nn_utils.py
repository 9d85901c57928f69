"""nn.utils against real PyTorch: gradient clipping, parameter/vector conversion and the RNN
sequence utilities (values, dtypes, gradients, errors)."""
import warnings

import numpy as np
import pytest

from parity import MODES, arr, check, torch
from test_nn_module import same

import jtorch  # noqa: E402
import jtorch.nn  # noqa: E402,F401


# ---------------------------------------------------------------- gradient clipping
def _params_with_grads(lib, scale=1.0, dtype="float32", skip_grad=(2,)):
    """Five parameters of assorted shapes with gradients set (none on the indices in ``skip_grad``)."""
    shapes = [(3, 4), (4,), (2, 2), (), (5, 1, 2)]
    params = []
    for i, s in enumerate(shapes):
        p = lib.nn.Parameter(lib.tensor(arr(*s, seed=i, dtype=dtype)))
        if i not in skip_grad:
            p.grad = lib.tensor(arr(*s, seed=10 + i, dtype=dtype)) * scale
        params.append(p)
    return params


def _clip_norm(max_norm, norm_type, scale=1.0, dtype="float32", **kw):
    def fn(lib):
        params = _params_with_grads(lib, scale, dtype)
        total = lib.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type, **kw)
        return total, [p.grad for p in params]
    return fn


CLIP_NORM_CASES = [
    ("l2_clips", _clip_norm(1.0, 2.0)),
    ("l2_no_clip", _clip_norm(100.0, 2)),
    ("l1", _clip_norm(0.5, 1)),
    ("inf", _clip_norm(0.3, float("inf"))),
    ("inf_str", _clip_norm(0.3, "inf")),
    ("l3", _clip_norm(2.0, 3.0)),
    ("l_half", _clip_norm(2.0, 0.5)),
    ("l0", _clip_norm(2.0, 0)),
    ("float64", _clip_norm(0.1, 2.0, dtype="float64")),
    ("foreach_true", _clip_norm(1.0, 2.0, foreach=True)),
    ("foreach_false", _clip_norm(1.0, 2.0, foreach=False)),
    ("nonfinite_ok", _clip_norm(1.0, 2.0, scale=float("inf"))),
    ("nonfinite_nan", _clip_norm(1.0, 2.0, scale=float("nan"))),
    ("nonfinite_error", _clip_norm(1.0, 2.0, scale=float("inf"), error_if_nonfinite=True)),
    ("nonfinite_error_nan", _clip_norm(1.0, 1.0, scale=float("nan"), error_if_nonfinite=True)),
    ("finite_error_flag", _clip_norm(1.0, 2.0, error_if_nonfinite=True)),
    ("tensor_max_norm", lambda lib: _clip_norm(lib.tensor(0.5), 2.0)(lib)),
    ("single_tensor", lambda lib: (lib.nn.utils.clip_grad_norm_(_params_with_grads(lib)[0], 0.1),)),
    ("no_grads", lambda lib: lib.nn.utils.clip_grad_norm_(_params_with_grads(lib, skip_grad=range(5)), 1.0)),
    ("empty_list", lambda lib: lib.nn.utils.clip_grad_norm_([], 1.0)),
    ("deprecated_alias", lambda lib: lib.nn.utils.clip_grad_norm(_params_with_grads(lib), 1.0)),
    ("get_total_norm", lambda lib: lib.nn.utils.get_total_norm([p.grad for p in _params_with_grads(lib, skip_grad=())],
                                                                norm_type=3.0)),
    ("clip_grads_with_norm", lambda lib: _clip_with_norm(lib)),
]


def _clip_with_norm(lib):
    params = _params_with_grads(lib)
    lib.nn.utils.clip_grads_with_norm_(params, 1.0, lib.tensor(4.0))
    return [p.grad for p in params]


@pytest.mark.parametrize("name,fn", CLIP_NORM_CASES, ids=[c[0] for c in CLIP_NORM_CASES])
def test_clip_grad_norm(name, fn):
    same(fn)


def _clip_value(clip, dtype="float32"):
    def fn(lib):
        params = _params_with_grads(lib, 1.0, dtype)
        out = lib.nn.utils.clip_grad_value_(params, clip)
        return out, [p.grad for p in params]
    return fn


CLIP_VALUE_CASES = [
    ("half", _clip_value(0.5)),
    ("int_value", _clip_value(1)),
    ("float64", _clip_value(0.25, "float64")),
    ("large", _clip_value(100.0)),
    ("single_tensor", lambda lib: _single_clip_value(lib)),
    ("foreach", lambda lib: lib.nn.utils.clip_grad_value_(_params_with_grads(lib), 0.1, foreach=True)),
]


def _single_clip_value(lib):
    p = _params_with_grads(lib)[0]
    lib.nn.utils.clip_grad_value_(p, 0.3)
    return p.grad


@pytest.mark.parametrize("name,fn", CLIP_VALUE_CASES, ids=[c[0] for c in CLIP_VALUE_CASES])
def test_clip_grad_value(name, fn):
    same(fn)


def test_clip_grad_norm_empty_generator_warns():
    with pytest.warns(UserWarning, match="`parameters` is an empty generator"):
        jtorch.nn.utils.clip_grad_norm_((p for p in []), 1.0)


def test_clip_grad_norm_keeps_grad_identity_and_records_no_graph():
    params = _params_with_grads(jtorch)
    grads = [p.grad for p in params]
    total = jtorch.nn.utils.clip_grad_norm_(params, 0.1)
    assert [p.grad for p in params] == grads and total.grad_fn is None and not total.requires_grad


def test_clip_grad_norm_in_training_step():
    """clip_grad_norm_ between backward and a manual SGD step matches PyTorch step for step."""
    results = []
    for lib in (torch, jtorch):
        w = lib.nn.Parameter(lib.tensor(arr(4, 3, seed=1)))
        b = lib.nn.Parameter(lib.tensor(arr(4, seed=2)))
        x = lib.tensor(arr(8, 3, seed=3))
        norms = []
        for _ in range(3):
            loss = ((x @ w.t() + b) ** 2).mean()
            w.grad = b.grad = None
            loss.backward()
            norms.append(float(lib.nn.utils.clip_grad_norm_([w, b], 0.5)))
            with lib.no_grad():
                for p in (w, b):
                    p.sub_(0.1 * p.grad)
        results.append((norms, w.detach().numpy(), b.detach().numpy()))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-5)
    np.testing.assert_allclose(results[1][1], results[0][1], rtol=1e-5)
    np.testing.assert_allclose(results[1][2], results[0][2], rtol=1e-5)


# ---------------------------------------------------------------- parameters <-> vector
def _p2v(lib):
    params = _params_with_grads(lib)
    vec = lib.nn.utils.parameters_to_vector(params)
    (vec * lib.arange(vec.numel(), dtype=vec.dtype)).sum().backward()
    return vec, [p.grad for p in params]


def _v2p(lib):
    params = _params_with_grads(lib)
    n = sum(p.numel() for p in params)
    vec = lib.arange(n, dtype=lib.float32) / 10
    lib.nn.utils.vector_to_parameters(vec, params)
    vec.mul_(2)
    return params, [type(p).__name__ for p in params], [p.requires_grad for p in params]


CONVERT_CASES = [
    ("parameters_to_vector", _p2v),
    ("vector_to_parameters", _v2p),
    ("v2p_not_tensor", lambda lib: lib.nn.utils.vector_to_parameters([1.0], _params_with_grads(lib))),
    ("p2v_empty", lambda lib: lib.nn.utils.parameters_to_vector([])),
]


@pytest.mark.parametrize("name,fn", CONVERT_CASES, ids=[c[0] for c in CONVERT_CASES])
def test_convert_parameters(name, fn):
    same(fn)


# ---------------------------------------------------------------- rnn utilities
def _seqs(lib, lengths, feat=(2,), dtype="float32"):
    return [lib.tensor(arr(n, *feat, seed=i, dtype=dtype)) for i, n in enumerate(lengths)]


def _packed(p):
    return p.data, p.batch_sizes, p.sorted_indices, p.unsorted_indices, type(p).__name__



def _rnn(lib):
    return lib.nn.utils.rnn


RNN_CASES = [
    ("pad_default", lambda lib: _rnn(lib).pad_sequence(_seqs(lib, [3, 5, 1]))),
    ("pad_batch_first", lambda lib: _rnn(lib).pad_sequence(_seqs(lib, [3, 5, 1]), batch_first=True,
                                                           padding_value=-1.5)),
    ("pad_left", lambda lib: _rnn(lib).pad_sequence(_seqs(lib, [2, 4], (3, 2)), batch_first=True,
                                                    padding_side="left")),
    ("pad_left_time_major", lambda lib: _rnn(lib).pad_sequence(_seqs(lib, [2, 4, 4], ()), padding_side="left")),
    ("pad_int", lambda lib: _rnn(lib).pad_sequence(_seqs(lib, [2, 3], (), "int64"), padding_value=7)),
    ("pad_mixed_dtype", lambda lib: _rnn(lib).pad_sequence(_seqs(lib, [2, 3], (), "int32") +
                                                           _seqs(lib, [1], (), "float32"))),
    ("pad_tensor_input", lambda lib: _rnn(lib).pad_sequence(lib.tensor(arr(3, 2)))),
    ("pad_equal_lengths", lambda lib: _rnn(lib).pad_sequence(_seqs(lib, [2, 2]))),
    ("pad_zero_length", lambda lib: _rnn(lib).pad_sequence(_seqs(lib, [0, 2]))),
    ("pad_empty_list", lambda lib: _rnn(lib).pad_sequence([])),
    ("pad_bad_side", lambda lib: _rnn(lib).pad_sequence(_seqs(lib, [2]), padding_side="up")),
    ("pad_mismatch", lambda lib: _rnn(lib).pad_sequence(_seqs(lib, [2], (3,)) + _seqs(lib, [2], (4,)))),
    ("pack_sorted", lambda lib: _packed(_rnn(lib).pack_padded_sequence(lib.tensor(arr(5, 3, 2)), [5, 3, 1]))),
    ("pack_tensor_lengths", lambda lib: _packed(_rnn(lib).pack_padded_sequence(
        lib.tensor(arr(4, 3)), lib.tensor([4, 4, 2])))),
    ("pack_int32_lengths", lambda lib: _packed(_rnn(lib).pack_padded_sequence(
        lib.tensor(arr(4, 3)), lib.tensor([4, 2, 2], dtype=lib.int32)))),
    ("pack_batch_first", lambda lib: _packed(_rnn(lib).pack_padded_sequence(
        lib.tensor(arr(3, 5, 2)), [5, 2, 2], batch_first=True))),
    ("pack_unsorted", lambda lib: _packed(_rnn(lib).pack_padded_sequence(
        lib.tensor(arr(5, 4, 2)), [2, 5, 1, 3], enforce_sorted=False))),
    ("pack_unsorted_ties", lambda lib: _packed(_rnn(lib).pack_padded_sequence(
        lib.tensor(arr(5, 6)), [2, 5, 2, 3, 5, 1], enforce_sorted=False))),
    ("pack_float_lengths", lambda lib: _packed(_rnn(lib).pack_padded_sequence(
        lib.tensor(arr(5, 3)), lib.tensor([5.7, 3.2, 1.0])))),
    ("pack_unsorted_batch_first", lambda lib: _packed(_rnn(lib).pack_padded_sequence(
        lib.tensor(arr(4, 5)), lib.tensor([2, 5, 1, 3]), batch_first=True, enforce_sorted=False))),
    ("pack_not_sorted_error", lambda lib: _rnn(lib).pack_padded_sequence(lib.tensor(arr(5, 3)), [2, 5, 1])),
    ("pack_zero_length_error", lambda lib: _rnn(lib).pack_padded_sequence(lib.tensor(arr(5, 3)), [5, 3, 0])),
    ("pack_len_mismatch", lambda lib: _rnn(lib).pack_padded_sequence(lib.tensor(arr(5, 3)), [5, 3])),
    ("pack_empty", lambda lib: _rnn(lib).pack_padded_sequence(lib.zeros(0, 3), [1, 1, 1])),
    ("pack_2d_lengths", lambda lib: _rnn(lib).pack_padded_sequence(lib.tensor(arr(5, 3)), lib.tensor([[5, 3, 1]]))),
    ("pack_sequence", lambda lib: _packed(_rnn(lib).pack_sequence(_seqs(lib, [4, 3, 3, 1])))),
    ("pack_sequence_unsorted", lambda lib: _packed(_rnn(lib).pack_sequence(_seqs(lib, [2, 4, 3]),
                                                                           enforce_sorted=False))),
    ("pad_packed", lambda lib: _rnn(lib).pad_packed_sequence(_rnn(lib).pack_sequence(_seqs(lib, [4, 2, 1])))),
    ("pad_packed_batch_first_total", lambda lib: _rnn(lib).pad_packed_sequence(
        _rnn(lib).pack_sequence(_seqs(lib, [3, 1], (2, 2))), batch_first=True, padding_value=9.0, total_length=5)),
    ("pad_packed_unsorted", lambda lib: _rnn(lib).pad_packed_sequence(
        _rnn(lib).pack_sequence(_seqs(lib, [1, 4, 2]), enforce_sorted=False), batch_first=True)),
    ("pad_packed_total_too_small", lambda lib: _rnn(lib).pad_packed_sequence(
        _rnn(lib).pack_sequence(_seqs(lib, [4, 2])), total_length=3)),
    ("unpack_sequence", lambda lib: _rnn(lib).unpack_sequence(
        _rnn(lib).pack_sequence(_seqs(lib, [2, 5, 3]), enforce_sorted=False))),
    ("unpad_sequence", lambda lib: _rnn(lib).unpad_sequence(
        _rnn(lib).pad_sequence(_seqs(lib, [2, 5, 3])), lib.tensor([2, 5, 3]))),
    ("unpad_sequence_batch_first", lambda lib: _rnn(lib).unpad_sequence(
        _rnn(lib).pad_sequence(_seqs(lib, [2, 5]), batch_first=True), lib.tensor([2, 5]), batch_first=True)),
    ("invert_permutation", lambda lib: (_rnn(lib).invert_permutation(lib.tensor([2, 0, 3, 1])),
                                        _rnn(lib).invert_permutation(None))),
    ("packed_to_double", lambda lib: _packed(_rnn(lib).pack_sequence(_seqs(lib, [3, 1]), enforce_sorted=False)
                                             .double())),
    ("packed_fields", lambda lib: (_rnn(lib).PackedSequence._fields, _rnn(lib).pack_sequence(
        _seqs(lib, [2, 1])).is_cuda)),
    ("packed_from_tuple", lambda lib: _packed(_rnn(lib).PackedSequence(
        (lib.ones(3, 2), lib.tensor([2, 1]))))),
]


@pytest.mark.parametrize("name,fn", RNN_CASES, ids=[c[0] for c in RNN_CASES])
def test_rnn_utils(name, fn):
    same(fn)


def _pack_pad_roundtrip(lib, x, batch_first, sorted_):
    rnn = lib.nn.utils.rnn
    lengths = [5, 4, 2] if sorted_ else [2, 5, 4]
    packed = rnn.pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=sorted_)
    out, lens = rnn.pad_packed_sequence(packed, batch_first=batch_first, padding_value=0.5, total_length=6)
    return packed.data * 2, out.tanh(), lens


GRAD_CASES = [
    ("pack_pad_time_major", lambda t, x: _pack_pad_roundtrip(t, x, False, True), (5, 3, 2)),
    ("pack_pad_batch_first", lambda t, x: _pack_pad_roundtrip(t, x, True, True), (3, 5, 2)),
    ("pack_pad_unsorted", lambda t, x: _pack_pad_roundtrip(t, x, False, False), (5, 3, 2)),
    ("pad_sequence", lambda t, x: t.nn.utils.rnn.pad_sequence([x[0, :3], x[1], x[2, :1]], batch_first=True), (3, 4, 2)),
    ("pad_sequence_left", lambda t, x: t.nn.utils.rnn.pad_sequence([x[0, :3], x[1]], padding_side="left",
                                                                   padding_value=1.0), (2, 4)),
    ("parameters_to_vector", lambda t, x: t.nn.utils.parameters_to_vector([x[0], x[1:] * 3]) ** 2, (3, 4)),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,fn,shape", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_rnn_utils_gradients(name, fn, shape, mode):
    check(fn, arr(*shape), mode=mode)


def test_packed_sequence_feeds_a_loop_like_an_rnn():
    """Walking PackedSequence.data by batch_sizes (what recurrent layers do) sees the same rows as in PyTorch."""
    outs = []
    for lib in (torch, jtorch):
        p = lib.nn.utils.rnn.pack_sequence(_seqs(lib, [2, 4, 3]), enforce_sorted=False)
        rows, start = [], 0
        for b in p.batch_sizes.tolist():
            rows.append(p.data[start:start + b].sum().item())
            start += b
        outs.append(rows)
    np.testing.assert_allclose(outs[1], outs[0], rtol=1e-6)


def test_batch_sizes_are_cpu_int64():
    p = jtorch.nn.utils.rnn.pack_sequence(_seqs(jtorch, [3, 1]))
    assert p.batch_sizes.dtype == jtorch.int64 and p.batch_sizes.device.type == "cpu"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert p.to(jtorch.float64).data.dtype == jtorch.float64
