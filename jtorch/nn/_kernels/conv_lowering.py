"""How a convolution is lowered to XLA, chosen per shape.

XLA:CPU's convolution (``lax.conv_general_dilated``, Eigen's spatial convolution) runs wide
channel counts near matmul speed but is several times slower than PyTorch's oneDNN when channels
are few: the seed CNN's conv1 (3->6 channels, 5x5, 32x32, batch 64) takes ~3 ms forward and
~3 ms for its weight gradient, against ~0.4 and ~0.7 ms in torch. Materialising patches (im2col)
does not help there: XLA:CPU writes gathered/concatenated data at ~1 ns per element, slower than
the convolution itself. What wins is keeping everything inside one XLA loop fusion:

- ``"direct"`` (forward, and input gradient as the forward of the flipped kernel on the padded
  output gradient): the input's spatial dims are flattened, so each kernel tap is ONE contiguous
  slice at a fixed offset; the output is a balanced sum of ``Cin/groups * prod(kernel)`` shifted
  slices times weight scalars. XLA vectorises it along the long flat axis. It computes a "wide"
  output whose rows run the full input width (the extra columns are discarded); that output is
  fenced (see :func:`_fenced`) so the crop cannot fuse into, and slow down, the sum.
- ``"kn2row"`` (input gradient): one matmul over output channels gives every tap's contribution
  at every position, then a fused sum of the taps' shifted slices scatters them onto the input.
- ``"fold"`` (weight gradient): per tap, a fused sum over a chunk of the batch and a few
  position blocks of ``dy * shifted x`` leaves a short partial-sum array that one reduction
  finishes; the zero-padded wide ``dy`` makes the discarded columns contribute nothing.
- ``"lax"``: ``lax.conv_general_dilated`` and JAX's transposes of it, for everything else
  (many channels, strides, input dilation, half precision, complex, integers).

:func:`choose` is the decision rule, derived from measurements (benchmarks/conv_lowering.py);
:func:`conv` applies a choice through one ``jax.custom_vjp``, so the backward uses the chosen
input- and weight-gradient forms, in eager and compiled mode alike. The direct forms add the
products in another order than oneDNN, so results differ from torch's by float rounding only
(measured against float64, they are closer than torch's float32 results).

What bounds them: XLA:CPU emits a separate multiply and add per product (no FMA contraction
without fast-math), so the direct forward of conv1 runs at ~2 float ops per product, about
1.2-1.5x torch's time; the fold weight gradient also loads both operands of every product.
"""
import contextlib
import functools
import itertools
import math

import jax
import jax.numpy as jnp
from jax import lax

__all__ = ["conv", "choose", "forcing", "FORMS"]

FORMS = {"forward": ("lax", "direct"), "input_grad": ("lax", "direct", "kn2row"), "weight_grad": ("lax", "fold")}
_LAX3 = ("lax", "lax", "lax")
_LAYOUTS = {1: ("NCH", "OIH", "NCH"), 2: ("NCHW", "OIHW", "NCHW"), 3: ("NCDHW", "OIDHW", "NCDHW")}
_FLOATS = ("float32", "float64")
_forced = [None]


# ---- the decision rule ----
def choose(x_shape, w_shape, stride, padding, dilation, groups, dtype, lhs_dilation=None):
    """``(forward, input_grad, weight_grad)`` forms for a batched convolution of these shapes.

    ``padding`` holds ``(lo, hi)`` pairs. Inside :func:`forcing` the forced forms are returned
    wherever they apply; forms that do not apply to a shape (strided, input-dilated, not float32 or
    float64, empty) always fall back to ``"lax"``.
    """
    if _forced[0] is not None:
        return _applicable(_forced[0], x_shape, w_shape, stride, lhs_dilation, str(dtype))
    return _rule(tuple(x_shape), tuple(w_shape), tuple(stride), tuple(padding), tuple(dilation), groups, str(dtype),
                 None if lhs_dilation is None else tuple(lhs_dilation))


def _supported(x_shape, w_shape, stride, lhs_dilation, dtype):
    """Whether the direct/kn2row/fold forms can express the convolution (else lax.conv does)."""
    unit = all(s == 1 for s in stride) and (lhs_dilation is None or all(s == 1 for s in lhs_dilation))
    return unit and dtype in _FLOATS and 0 not in x_shape and 0 not in w_shape


def _applicable(forms, x_shape, w_shape, stride, lhs_dilation, dtype):
    return forms if _supported(x_shape, w_shape, stride, lhs_dilation, dtype) else _LAX3


@functools.lru_cache(maxsize=4096)
def _rule(x_shape, w_shape, stride, padding, dilation, groups, dtype, lhs_dilation):
    if not _supported(x_shape, w_shape, stride, lhs_dilation, dtype):
        return _LAX3
    cin_g, cout_g = x_shape[1] // groups, w_shape[0] // groups
    taps = math.prod(w_shape[2:])
    positions = x_shape[0] * math.prod(s + lo + hi - d * (k - 1)
                                       for s, (lo, hi), d, k in zip(x_shape[2:], padding, dilation, w_shape[2:]))
    forward = "direct" if _direct_wins(cin_g * taps, cout_g) else "lax"
    input_grad = "direct" if _direct_wins(cout_g * taps, cin_g) else (
        "kn2row" if cin_g <= _KN2ROW_CIN and taps >= _KN2ROW_TAPS else "lax")
    pairs = cin_g * cout_g
    few = pairs <= _FOLD_PAIRS or taps == 1 and pairs <= _FOLD_PAIRS_1X1
    weight_grad = "fold" if few and positions >= _FOLD_MIN_POSITIONS else "lax"
    return (forward, input_grad, weight_grad)


def _direct_wins(terms, outputs):
    """The direct sum beats lax.conv while each output sums few terms and few outputs share them
    (lax.conv's efficiency grows with the contraction length and the output channel count)."""
    return terms <= _DIRECT_TERMS and terms * outputs <= _DIRECT_WORK


# Thresholds measured with benchmarks/conv_lowering.py on a 2-core AVX2 CPU: direct forward wins
# 2-3x at 75 terms x 6 outputs (conv1) and 16 terms x 16 outputs (1x1), 2x at 144 x 4, 1.1x at
# 108 x 12, loses at 150 x 16 (conv2), 27 x 64, and at 288 terms; fold wins 1.7-3x for
# conv1 (18 channel pairs), depthwise (1 pair) and 1x1 16->16 (256 pairs, one tap), loses from 48
# pairs of a 3x3 kernel or below 8192 positions;
# kn2row's input gradient wins 1.45x for conv2 (6 input channels, 5x5), ties at 6 channels 3x3,
# loses at 8 and 16 channels.
_DIRECT_TERMS = 160
_DIRECT_WORK = 1200
_KN2ROW_CIN = 6
_KN2ROW_TAPS = 25
_FOLD_PAIRS = 24
_FOLD_PAIRS_1X1 = 256
_FOLD_MIN_POSITIONS = 8192


@contextlib.contextmanager
def forcing(forms):
    """Within the block every convolution these forms can express uses ``forms``
    (``(forward, input_grad, weight_grad)``, see ``FORMS``) instead of :func:`choose`'s rule."""
    for kind, form in zip(("forward", "input_grad", "weight_grad"), forms):
        if form not in FORMS[kind]:
            raise ValueError(f"unknown {kind} form {form!r}; expected one of {FORMS[kind]}")
    previous, _forced[0] = _forced[0], tuple(forms)
    try:
        yield
    finally:
        _forced[0] = previous


# ---- the convolution ----
def conv(x, w, *, stride, padding, dilation, groups, precision, lhs_dilation=None, forms=_LAX3):
    """Batched NC* input, OI* weight, ``(lo, hi)`` padding pairs, lowered with ``forms``
    (lax.conv wherever the other forms do not apply)."""
    if forms == _LAX3 or not _supported(x.shape, w.shape, stride, lhs_dilation, str(x.dtype)):
        return _lax_conv(x, w, stride, padding, dilation, groups, precision, lhs_dilation)
    return _planned(x, w, (forms, tuple(padding), tuple(dilation), groups, precision))


def _lax_conv(x, w, stride, padding, dilation, groups, precision, lhs_dilation=None):
    return lax.conv_general_dilated(x, w, stride, padding, lhs_dilation=lhs_dilation, rhs_dilation=dilation,
                                    feature_group_count=groups, dimension_numbers=_LAYOUTS[w.ndim - 2],
                                    precision=precision)


@functools.partial(jax.custom_vjp, nondiff_argnums=(2,))
def _planned(x, w, plan):
    return _forward(x, w, plan)


def _planned_fwd(x, w, plan):
    return _forward(x, w, plan), (x, w)


def _planned_bwd(plan, res, dy):
    x, w = res
    return _input_grad(dy, w, x, plan), _weight_grad(x, dy, w, plan)


_planned.defvjp(_planned_fwd, _planned_bwd)


def _forward(x, w, plan):
    (form, _, _), padding, dilation, groups, precision = plan
    if form == "direct":
        return _direct(x, w, padding, dilation, groups)
    return _lax_conv(x, w, (1,) * (w.ndim - 2), padding, dilation, groups, precision)


def _input_grad(dy, w, x, plan):
    (_, form, _), padding, dilation, groups, precision = plan
    if form == "direct":
        wt = _flipped_transposed(w, groups)
        pads = tuple((d * (k - 1) - lo, d * (k - 1) - hi) for (lo, hi), d, k in zip(padding, dilation, w.shape[2:]))
        return _direct(dy, wt, pads, dilation, groups)
    if form == "kn2row":
        return _kn2row_input_grad(dy, w, x.shape, padding, dilation, groups, precision)
    n = w.ndim - 2
    return jax.linear_transpose(lambda x_: _lax_conv(x_, w, (1,) * n, padding, dilation, groups, precision),
                                jax.ShapeDtypeStruct(x.shape, x.dtype))(dy)[0]


def _weight_grad(x, dy, w, plan):
    (_, _, form), padding, dilation, groups, precision = plan
    if form == "fold":
        return _fold_weight_grad(x, dy, w.shape[2:], padding, dilation, groups)
    n = w.ndim - 2
    return jax.linear_transpose(lambda w_: _lax_conv(x, w_, (1,) * n, padding, dilation, groups, precision),
                                jax.ShapeDtypeStruct(w.shape, w.dtype))(dy)[0]


# ---- the flat layout ----
def _geometry(space, kernel, dilation):
    """Tap offsets, output sizes, wide output length and tail padding of a stride-1 convolution
    on a padded input of spatial shape ``space`` flattened row-major."""
    steps = [math.prod(space[i + 1:]) for i in range(len(space))]
    outs = tuple(s - d * (k - 1) for s, d, k in zip(space, dilation, kernel))
    offsets = tuple(sum(t * d * st for t, d, st in zip(tap, dilation, steps))
                    for tap in itertools.product(*(range(k) for k in kernel)))
    tail = sum(d * (k - 1) * st for d, k, st in list(zip(dilation, kernel, steps))[1:])
    return offsets, outs, outs[0] * steps[0], tail


def _pad(x, padding):
    if all(p == (0, 0) for p in padding):
        return x
    return lax.pad(x, jnp.zeros((), x.dtype), ((0, 0, 0), (0, 0, 0)) + tuple((lo, hi, 0) for lo, hi in padding))


def _flat(x, extra):
    """``(N, C, *space)`` as ``(N, C, prod(space) + extra)``, zero-padded at the end."""
    xf = x.reshape(x.shape[0], x.shape[1], -1)
    return jnp.pad(xf, ((0, 0), (0, 0), (0, extra))) if extra else xf


def _tree_sum(terms):
    """Balanced sum: independent partial sums instead of one long dependency chain."""
    while len(terms) > 1:
        pairs = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
        terms = pairs + terms[len(pairs) * 2:]
    return terms[0]


_UINT = {2: jnp.uint16, 4: jnp.uint32, 8: jnp.uint64}


def _fenced(fn, *args):
    """``fn(*args)`` as its own XLA computation, so XLA cannot fuse the consumers into it.

    A crop or reduction fused into the direct sum would make XLA iterate over the consumer's
    short rows (2x slower for conv1). XLA:CPU drops ``optimization_barrier`` before fusion; a
    conditional whose two branches are both ``fn`` is kept. Its predicate is always true but
    depends on the first element of every array argument, so XLA cannot fold it unless all of
    them are constants (an input closed over by a jitted function is one); either branch gives
    the same value.
    """
    bits = 1
    for a in args:
        if jnp.issubdtype(a.dtype, jnp.floating):
            first = a.reshape(-1)[0]
            bits = bits | lax.bitcast_convert_type(first, _UINT[first.dtype.itemsize]).astype(jnp.uint64)
    return lax.cond(bits != 0, fn, fn, *args)


# ---- forms ----
def _direct(x, w, padding, dilation, groups):
    """Stride-1 convolution as one fused sum of shifted flat slices times weight scalars."""
    x = _pad(x, padding)
    n, c = x.shape[:2]
    space, o = x.shape[2:], w.shape[0]
    offsets, outs, length, tail = _geometry(space, w.shape[2:], dilation)
    cg = c // groups
    xf = _flat(x, tail).reshape(n, groups, cg, -1)
    wf = w.reshape(groups, o // groups, cg, len(offsets))

    def wide(xf, wf):
        return _tree_sum([xf[:, :, ci:ci + 1, off:off + length] * wf[None, :, :, ci, t, None]
                          for ci in range(cg) for t, off in enumerate(offsets)])

    cropped = outs[1:] != space[1:]
    y = (_fenced(wide, xf, wf) if cropped else wide(xf, wf)).reshape((n, o, outs[0]) + space[1:])
    if not cropped:
        return y
    return y[(slice(None),) * 3 + tuple(slice(0, s) for s in outs[1:])]


def _flipped_transposed(w, groups):
    """``(O, C/g, *k)`` weight as the ``(C, O/g, *k)`` flipped weight of its input gradient."""
    o, cg, k = w.shape[0], w.shape[1], w.shape[2:]
    wt = jnp.swapaxes(w.reshape((groups, o // groups, cg) + k), 1, 2).reshape((groups * cg, o // groups) + k)
    return jnp.flip(wt, axis=tuple(range(2, wt.ndim)))


def _kn2row_input_grad(dy, w, x_shape, padding, dilation, groups, precision):
    """Input gradient as ONE matmul over output channels, ``Z = W^T dy`` (every tap's
    contribution at every output position), then a fused sum of the taps' shifted (zero-padded)
    slices of ``Z`` on the flat padded input grid, cropped back to the input."""
    n, o = dy.shape[:2]
    c, kernel = x_shape[1], w.shape[2:]
    space = tuple(s + lo + hi for s, (lo, hi) in zip(x_shape[2:], padding))
    offsets, outs, length, tail = _geometry(space, kernel, dilation)
    og, cg, taps = o // groups, c // groups, len(offsets)
    dyw = jnp.pad(dy, ((0, 0), (0, 0), (0, 0)) + tuple((0, s - so) for s, so in zip(space[1:], outs[1:])))
    dyw = jnp.moveaxis(dyw.reshape(n, groups, og, length), 0, 2).reshape(groups, og, n * length)
    wm = jnp.swapaxes(w.reshape(groups, og, cg * taps), 1, 2)
    z = lax.dot_general(wm, dyw, (((2,), (1,)), ((0,), (0,))), precision=precision)
    z = z.reshape(groups * cg, taps, n, length)
    total = math.prod(space) + tail

    def scatter(z):
        return _tree_sum([jnp.pad(jnp.swapaxes(z[:, t], 0, 1), ((0, 0), (0, 0), (off, total - length - off)))
                          for t, off in enumerate(offsets)])

    dxp = scatter(z)[:, :, :total - tail].reshape((n, c) + space)
    return lax.pad(dxp, jnp.zeros((), dxp.dtype), ((0, 0, 0), (0, 0, 0)) + tuple((-lo, -hi, 0) for lo, hi in padding))


_FOLD_TERMS = 32
_FOLD_BATCH = 4
_FOLD_BLOCK = 96


def _fold_weight_grad(x, dy, kernel, padding, dilation, groups):
    """Weight gradient: per tap, fused partial sums over (batch chunk x position blocks), then a reduction.

    The taps run as a ``lax.scan`` (the tap's offset is a dynamic slice start): unrolled, the 25
    taps x 32 terms of a 5x5 kernel took XLA 2 s to compile, the loop 0.2 s, at the same speed.
    """
    x = _pad(x, padding)
    n, c = x.shape[:2]
    space, o = x.shape[2:], dy.shape[1]
    offsets, outs, length, tail = _geometry(space, kernel, dilation)
    b = max(d for d in range(1, min(n, _FOLD_BATCH) + 1) if n % d == 0)
    f = max(1, min(_FOLD_TERMS // b, length // _FOLD_BLOCK))
    block = -(-length // f)
    extra = block * f - length
    dyw = jnp.pad(dy, ((0, 0), (0, 0), (0, 0)) + tuple((0, s - so) for s, so in zip(space[1:], outs[1:])))
    dyw = _flat(dyw, extra).reshape(n // b, b, groups, o // groups, 1, -1)
    xf = _flat(x, tail + extra).reshape(n // b, b, groups, 1, c // groups, -1)

    def partial_sums(dyw, xf, off):
        return _tree_sum([dyw[:, k, ..., s * block:(s + 1) * block]
                          * lax.dynamic_slice_in_dim(xf[:, k], off + s * block, block, axis=-1)
                          for k in range(b) for s in range(f)])

    def tap(carry, off):
        return carry, jnp.sum(_fenced(partial_sums, dyw, xf, off), axis=(0, 4))

    _, grads = lax.scan(tap, 0, jnp.asarray(offsets, jnp.int32))
    return jnp.moveaxis(grads, 0, -1).reshape((o, c // groups) + tuple(kernel))
