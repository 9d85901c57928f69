"""Parity of MultiheadAttention and the Transformer layers with PyTorch: outputs, attention
weights, input and parameter gradients (eager and compiled), masks, the inference fast path,
repr, state_dict keys and errors."""
import numpy as np
import pytest

from parity import MODES, arr, check_error, check_module, torch

import jtorch

E, NH, L, S, N = 8, 2, 4, 5, 3


def _lib(x):
    return jtorch if isinstance(x, jtorch.Tensor) else torch


def _kpm(n, s, pads):
    """A bool key padding mask (True = ignore) padding the last ``pads[i]`` keys of row i."""
    m = np.zeros((n, s), bool)
    for i, p in enumerate(pads):
        if p:
            m[i, s - p:] = True
    return m


def _causal(n):
    return np.triu(np.full((n, n), -np.inf, np.float32), 1)


MHA = [
    ("self", lambda lib: lib.nn.MultiheadAttention(E, NH), (arr(L, N, E),),
     lambda m, x: m(x, x, x)),
    ("self_masks_per_head_weights", lambda lib: lib.nn.MultiheadAttention(E, NH), (arr(L, N, E), _kpm(N, L, [0, 1, 2]),
                                                                                  _causal(L)),
     lambda m, x, kpm, am: m(x, x, x, key_padding_mask=kpm, attn_mask=am, average_attn_weights=False)),
    ("cross_kdim_vdim_batch_first", lambda lib: lib.nn.MultiheadAttention(E, NH, kdim=3, vdim=6, batch_first=True),
     (arr(N, L, E), arr(N, S, 3), arr(N, S, 6), _kpm(N, S, [1, 0, 2])),
     lambda m, q, k, v, kpm: m(q, k, v, key_padding_mask=kpm)),
    ("cross_no_weights_bool_mask", lambda lib: lib.nn.MultiheadAttention(E, NH),
     (arr(L, N, E), arr(S, N, E), arr(S, N, E), np.triu(np.ones((L, S), bool), 2)),
     lambda m, q, k, v, am: m(q, k, v, attn_mask=am, need_weights=False)),
    ("bias_kv_zero_attn", lambda lib: lib.nn.MultiheadAttention(E, NH, add_bias_kv=True, add_zero_attn=True),
     (arr(L, N, E), arr(S, N, E), _kpm(N, S, [0, 2, 1])),
     lambda m, q, kv, kpm: m(q, kv, kv, key_padding_mask=kpm)),
    ("no_bias_3d_mask", lambda lib: lib.nn.MultiheadAttention(E, NH, bias=False),
     (arr(L, N, E), arr(S, N, E), arr(N * NH, L, S, low=-1, high=0)),
     lambda m, q, kv, am: m(q, kv, kv, attn_mask=am)),
    ("unbatched", lambda lib: lib.nn.MultiheadAttention(E, NH, batch_first=True), (arr(L, E), arr(S, E)),
     lambda m, q, kv: m(q, kv, kv)),
    ("is_causal", lambda lib: lib.nn.MultiheadAttention(E, NH, batch_first=True), (arr(N, L, E), _causal(L)),
     lambda m, x, am: m(x, x, x, attn_mask=am, need_weights=False, is_causal=True)),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,make,inputs,call", MHA, ids=[c[0] for c in MHA])
def test_multihead_attention(name, make, inputs, call, mode):
    check_module(make, *inputs, mode=mode, call=call)


def test_multihead_attention_eval_no_grad():
    def call(m, x, kpm):
        with _lib(x).no_grad():
            return m(x, x, x, key_padding_mask=kpm)
    check_module(lambda lib: lib.nn.MultiheadAttention(E, NH, batch_first=True), arr(N, L, E), _kpm(N, L, [0, 1, 2]),
                 train=False, call=call)


def _encoder_layer(**kw):
    return lambda lib: lib.nn.TransformerEncoderLayer(E, NH, 16, **kw)


def _decoder_layer(**kw):
    return lambda lib: lib.nn.TransformerDecoderLayer(E, NH, 16, **kw)


LAYERS = [
    ("encoder_post_norm", _encoder_layer(), (arr(L, N, E), _causal(L), _kpm(N, L, [0, 1, 0])),
     lambda m, x, am, kpm: m(x, src_mask=am, src_key_padding_mask=kpm)),
    ("encoder_pre_norm_gelu_batch_first", _encoder_layer(norm_first=True, activation="gelu", batch_first=True),
     (arr(N, L, E), _kpm(N, L, [1, 0, 2])), lambda m, x, kpm: m(x, src_key_padding_mask=kpm)),
    ("decoder_post_norm", _decoder_layer(),
     (arr(L, N, E), arr(S, N, E), _causal(L), _kpm(N, S, [0, 2, 1])),
     lambda m, t, mem, tm, mkpm: m(t, mem, tgt_mask=tm, memory_key_padding_mask=mkpm)),
    ("decoder_pre_norm_causal_batch_first", _decoder_layer(norm_first=True, batch_first=True, bias=False),
     (arr(N, L, E), arr(N, S, E), _causal(L)),
     lambda m, t, mem, tm: m(t, mem, tgt_mask=tm, tgt_is_causal=True)),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,make,inputs,call", LAYERS, ids=[c[0] for c in LAYERS])
def test_transformer_layers(name, make, inputs, call, mode):
    check_module(make, *inputs, mode=mode, train=False, call=call)


def test_stacks_and_transformer_eager():
    check_module(lambda lib: lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(E, NH, 16), 2,
                                                       lib.nn.LayerNorm(E), enable_nested_tensor=False),
                 arr(L, N, E), train=False,
                 call=lambda m, x: m(x, mask=_lib(x).nn.Transformer.generate_square_subsequent_mask(L)))
    check_module(lambda lib: lib.nn.TransformerDecoder(lib.nn.TransformerDecoderLayer(E, NH, 16, norm_first=True), 2),
                 arr(L, N, E), arr(S, N, E), _kpm(N, L, [0, 1, 1]), train=False,
                 call=lambda m, t, mem, kpm: m(t, mem, tgt_key_padding_mask=kpm))


def _transformer(lib):
    return lib.nn.Transformer(E, NH, 1, 2, 16, batch_first=True, norm_first=True)


def _transformer_call(m, src, tgt, skpm):
    mask = type(m).generate_square_subsequent_mask(tgt.shape[1])
    return m(src, tgt, tgt_mask=mask, src_key_padding_mask=skpm, memory_key_padding_mask=skpm)


@pytest.mark.parametrize("mode", MODES)
def test_transformer(mode):
    check_module(_transformer, arr(N, S, E), arr(N, L, E), _kpm(N, S, [0, 1, 2]), mode=mode, train=False,
                 call=_transformer_call)


@pytest.mark.parametrize("pads", [[0, 1, 3], [0, 0, 0]], ids=["left_aligned", "no_padding"])
def test_encoder_inference_fast_path(pads):
    """PyTorch runs this on nested tensors and returns zeros at padded positions (before the norm)."""
    def call(m, x, kpm):
        with _lib(x).no_grad():
            return m(x, src_key_padding_mask=kpm)
    check_module(lambda lib: lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(E, NH, 16, batch_first=True),
                                                       2),
                 arr(N, S, E), _kpm(N, S, pads), train=False, call=call)


def test_encoder_fast_path_not_taken_for_unaligned_mask():
    def call(m, x, kpm):
        with _lib(x).no_grad():
            return m(x, src_key_padding_mask=kpm)
    kpm = np.zeros((N, S), bool)
    kpm[1, 0] = True
    check_module(lambda lib: lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(E, NH, 16, batch_first=True),
                                                       1),
                 arr(N, S, E), kpm, train=False, call=call)


def test_training_dropout_runs():
    jtorch.manual_seed(0)
    m = jtorch.nn.Transformer(E, NH, 1, 1, 16, dropout=0.5)
    src, tgt = jtorch.randn(S, N, E), jtorch.randn(L, N, E)
    a = m(src, tgt)
    assert not bool((a == m(src, tgt)).all())
    a.sum().backward()
    assert all(p.grad is not None for p in m.parameters())
    m.eval()
    assert bool((m(src, tgt) == m(src, tgt)).all())


def test_generate_square_subsequent_mask():
    t = torch.nn.Transformer.generate_square_subsequent_mask(4)
    j = jtorch.nn.Transformer.generate_square_subsequent_mask(4)
    assert j.dtype is jtorch.float32
    np.testing.assert_array_equal(j.numpy(), t.numpy())
    assert jtorch.nn.Transformer.generate_square_subsequent_mask(3, dtype=jtorch.float64).dtype is jtorch.float64


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.MultiheadAttention(E, NH, dropout=0.1, add_bias_kv=True, kdim=3, vdim=5),
    lambda lib: lib.nn.MultiheadAttention(E, NH, bias=False, batch_first=True),
    lambda lib: lib.nn.Transformer(E, NH, 2, 1, 16, activation="gelu", bias=False),
    lambda lib: lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(E, NH, 16, batch_first=True), 2,
                                          enable_nested_tensor=False),
])
def test_repr_and_state_dict(make):
    t, j = make(torch), make(jtorch)
    assert repr(t) == repr(j)
    assert list(t.state_dict()) == list(j.state_dict())
    for (k, vt), vj in zip(t.state_dict().items(), j.state_dict().values()):
        assert tuple(vt.shape) == tuple(vj.shape), k
    j.load_state_dict({k: jtorch.tensor(v.numpy()) for k, v in t.state_dict().items()})


def test_nested_tensor_warning():
    with pytest.warns(UserWarning, match="enable_nested_tensor is True, but self.use_nested_tensor is False because "
                                         r"encoder_layer.self_attn.batch_first was not True"):
        jtorch.nn.TransformerEncoder(jtorch.nn.TransformerEncoderLayer(E, NH, 16), 1)


def test_init_statistics():
    m = jtorch.nn.MultiheadAttention(E, NH)
    assert float(m.in_proj_bias.abs().sum()) == 0.0 and float(m.out_proj.bias.abs().sum()) == 0.0
    bound = (6.0 / (E + 3 * E)) ** 0.5
    assert float(m.in_proj_weight.abs().max()) <= bound


ERRORS = [
    ("heads_divide", lambda t: t.nn.MultiheadAttention(10, 3), "embed_dim must be divisible by num_heads"),
    ("heads_positive", lambda t: t.nn.MultiheadAttention(8, 0), "embed_dim and num_heads must be greater than 0"),
    ("embed_dim", lambda t: t.nn.MultiheadAttention(8, 2)(t.zeros(4, 3, 6), t.zeros(4, 3, 6), t.zeros(4, 3, 6)),
     "was expecting embedding dimension of 8, but got 6"),
    ("causal_without_mask", lambda t: t.nn.MultiheadAttention(8, 2)(t.zeros(4, 3, 8), t.zeros(4, 3, 8),
                                                                    t.zeros(4, 3, 8), is_causal=True),
     "Need attn_mask if specifying the is_causal hint"),
    ("int_mask", lambda t: t.nn.MultiheadAttention(8, 2)(t.zeros(4, 3, 8), t.zeros(4, 3, 8), t.zeros(4, 3, 8),
                                                         attn_mask=t.zeros(4, 4, dtype=t.int64)),
     "only bool and floating types of attn_mask are supported"),
    ("mask_shape", lambda t: t.nn.MultiheadAttention(8, 2)(t.zeros(4, 3, 8), t.zeros(5, 3, 8), t.zeros(5, 3, 8),
                                                           attn_mask=t.zeros(4, 4)),
     r"The shape of the 2D attn_mask is torch.Size\(\[4, 4\]\), but should be \(4, 5\)."),
    ("activation", lambda t: t.nn.TransformerEncoderLayer(8, 2, activation="tanh"),
     "activation should be relu/gelu, not tanh"),
    ("batch_mismatch", lambda t: t.nn.Transformer(8, 2, 1, 1, 16)(t.zeros(4, 3, 8), t.zeros(4, 2, 8)),
     "the batch number of src and tgt must be equal"),
    ("feature_mismatch", lambda t: t.nn.Transformer(8, 2, 1, 1, 16)(t.zeros(4, 3, 8), t.zeros(4, 3, 6)),
     "the feature number of src and tgt must be equal to d_model"),
]


@pytest.mark.parametrize("name,fn,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(name, fn, match):
    check_error(fn, match=match)
