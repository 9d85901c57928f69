"""Recurrent layers: ``RNN``, ``LSTM``, ``GRU`` and their single-step cells.

Constructors, parameter names/shapes/initialisation, ``repr``, input checks and messages follow
PyTorch 2.x's ``torch/nn/modules/rnn.py``. The whole stack (every layer and direction, the
inter-layer dropout, batch-first/unbatched layouts and packed sequences) runs as ONE op whose
kernel is a ``jax.lax.scan`` per layer: the input projection of all time steps is one matmul
hoisted out of the scan, each step does one (direction-batched) matmul for the hidden
projection, and backward is JAX's vjp of the scan. Packed sequences are run padded and masked
by length (outputs past a sequence's end are zero, its final state is the one at its last valid
step; the reverse direction starts at each sequence's own last step), which gives PyTorch's
results. A cell call is one op per step. The inter-layer dropout masks come from jtorch's
generator (PyTorch's random streams are not reproduced).
"""
import math
import numbers
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..._ops.creation import empty, tensor
from ..._ops.dispatch import Op
from ..._ops.linalg import _precision
from ..._ops.random_ops import _bits, _unit, _wide
from ..._tensor import scalar_type_name
from .. import init
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


# ---------------------------------------------------------------------------------------------
# Kernels (pure jnp). Direction-batched arrays carry a leading D axis (1 or 2 directions).
# ---------------------------------------------------------------------------------------------

def _step(mode, xg, h, c, w_hh, b_hh, w_hr, precision):
    """One recurrence step for every direction: ``xg`` (D, B, G) input gates (with b_ih),
    ``h`` (D, B, Hout), ``c`` (D, B, H) for LSTM; returns the new (h, c). The arithmetic follows
    ATen's CPU cells (gate order i, f, g, o for LSTM and r, z, n for GRU)."""
    gh = jnp.einsum("dbh,dgh->dbg", h, w_hh, precision=precision)
    if b_hh is not None:
        gh = gh + b_hh[:, None, :]
    if mode == "LSTM":
        i, f, g, o = jnp.split(gh + xg, 4, axis=-1)
        cy = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        hy = jax.nn.sigmoid(o) * jnp.tanh(cy)
        if w_hr is not None:
            hy = jnp.einsum("dbh,dph->dbp", hy, w_hr, precision=precision)
        return hy, cy
    if mode == "GRU":
        xr, xz, xn = jnp.split(xg, 3, axis=-1)
        hr, hz, hn = jnp.split(gh, 3, axis=-1)
        z = jax.nn.sigmoid(xz + hz)
        n = jnp.tanh(xn + jax.nn.sigmoid(xr + hr) * hn)
        return (h - n) * z + n, None
    pre = gh + xg
    if mode == "RNN_RELU":
        return jnp.where(pre > 0, pre, 0), None
    return jnp.tanh(pre), None


def _reverse(a, rev_index):
    """Reverse time (axis 0) of a (T, B, ...) array, within each sequence's length when packed."""
    if rev_index is None:
        return a[::-1]
    return jnp.take_along_axis(a, rev_index.reshape(rev_index.shape + (1,) * (a.ndim - 2)), axis=0)


def _layer(mode, x, h0, c0, w, mask, rev_index, precision):
    """One layer, all directions: ``x`` (T, B, F) -> (output (T, B, D*Hout), h_n, c_n).

    ``w`` holds the direction-stacked (w_ih, w_hh, b_ih, b_hh, w_hr) (biases/projection may be
    None); ``mask`` (T, B) marks valid steps of packed sequences (None: all valid).
    """
    w_ih, w_hh, b_ih, b_hh, w_hr = w
    d = w_ih.shape[0]
    xg = jnp.einsum("tbf,dgf->dtbg", x, w_ih, precision=precision)
    if b_ih is not None:
        xg = xg + b_ih[:, None, None, :]
    if d == 2:
        xg = jnp.stack([xg[0], _reverse(xg[1], rev_index)])
    xs = jnp.moveaxis(xg, 0, 1)

    def body(carry, inp):
        h, c = carry
        xg_t, m_t = inp
        hy, cy = _step(mode, xg_t, h, c, w_hh, b_hh, w_hr, precision)
        if m_t is None:
            return (hy, cy), hy
        keep = m_t[None, :, None]
        h = jnp.where(keep, hy, h)
        if c is not None:
            c = jnp.where(keep, cy, c)
        return (h, c), jnp.where(keep, hy, 0)

    (h_n, c_n), ys = lax.scan(body, (h0, c0), (xs, mask))
    if d == 2:
        ys = jnp.stack([ys[:, 0], _reverse(ys[:, 1], rev_index)], axis=1)
    steps, batch = x.shape[0], x.shape[1]
    return ys.transpose(0, 2, 1, 3).reshape(steps, batch, -1), h_n, c_n


def _stacked_weights(weights, layer, d, has_bias, has_proj):
    """The direction-stacked (w_ih, w_hh, b_ih, b_hh, w_hr) of ``layer`` from the flat list."""
    n = 2 + 2 * has_bias + has_proj
    per_dir = [weights[(layer * d + k) * n:(layer * d + k + 1) * n] for k in range(d)]
    cols = [jnp.stack([ws[i] for ws in per_dir]) for i in range(n)]
    w_ih, w_hh = cols[0], cols[1]
    b_ih, b_hh = (cols[2], cols[3]) if has_bias else (None, None)
    w_hr = cols[-1] if has_proj else None
    return w_ih, w_hh, b_ih, b_hh, w_hr


def _split_args(args, mode, num_layers, has_hx, layout, dropout):
    """Split the flat positional kernel arguments into their roles."""
    args = list(args)
    x = args.pop(0)
    hx = args.pop(0) if has_hx else None
    cx = args.pop(0) if has_hx and mode == "LSTM" else None
    pack_index = lengths = None
    if layout == "packed":
        pack_index, lengths = args.pop(0), args.pop(0)
    keep_p, bits = None, ()
    if dropout:
        keep_p = args.pop(0)
        bits = [args.pop(0) for _ in range(num_layers - 1)]
    return x, hx, cx, pack_index, lengths, keep_p, bits, args


def _to_time_major(x, layout, pack_index, lengths, steps):
    """The (T, B, F) padded input for each layout."""
    if layout == "batch":
        return jnp.swapaxes(x, 0, 1)
    if layout == "unbatched":
        return x[:, None]
    if layout == "packed":
        flat = jnp.zeros((steps * lengths.shape[0], x.shape[-1]), x.dtype).at[pack_index].set(x)
        return flat.reshape(steps, lengths.shape[0], -1)
    return x


def _from_time_major(out, layout, pack_index):
    """The output in the input's layout."""
    if layout == "batch":
        return jnp.swapaxes(out, 0, 1)
    if layout == "unbatched":
        return out[:, 0]
    if layout == "packed":
        return out.reshape(-1, out.shape[-1])[pack_index]
    return out


def _rnn_kernel(*args, mode, num_layers, bidirectional, has_bias, has_proj, hidden_size, has_hx, layout, steps,
                dropout, precision):
    """The whole multi-layer (bi)directional recurrence: (output, h_n) or (output, h_n, c_n)."""
    x, hx, cx, pack_index, lengths, keep_p, bits, weights = _split_args(args, mode, num_layers, has_hx, layout,
                                                                        dropout)
    d = 2 if bidirectional else 1
    x = _to_time_major(x, layout, pack_index, lengths, steps)
    batch = x.shape[1]
    mask = rev_index = None
    if layout == "packed":
        t = jnp.arange(steps)[:, None]
        mask = t < lengths[None, :]
        rev_index = jnp.where(mask, lengths[None, :] - 1 - t, t)
    out_size = weights[-1].shape[0] if has_proj else hidden_size
    if hx is None:
        hx = jnp.zeros((num_layers * d, batch, out_size), x.dtype)
        cx = jnp.zeros((num_layers * d, batch, hidden_size), x.dtype) if mode == "LSTM" else None
    elif layout == "unbatched":
        hx = hx[:, None]
        cx = cx[:, None] if cx is not None else None
    h_ns, c_ns = [], []
    for layer in range(num_layers):
        if layer and dropout:
            keep = _unit(bits[layer - 1]) < keep_p
            x = x * jnp.where(keep, 1 / keep_p, 0).astype(x.dtype)
        w = _stacked_weights(weights, layer, d, has_bias, has_proj)
        c0 = cx[layer * d:(layer + 1) * d] if cx is not None else None
        x, h_n, c_n = _layer(mode, x, hx[layer * d:(layer + 1) * d], c0, w, mask, rev_index, precision)
        h_ns.append(h_n)
        c_ns.append(c_n)
    out = _from_time_major(x, layout, pack_index)
    h_n = jnp.concatenate(h_ns)
    squeeze = (lambda a: a[:, 0]) if layout == "unbatched" else (lambda a: a)
    if mode == "LSTM":
        return out, squeeze(h_n), squeeze(jnp.concatenate(c_ns))
    return out, squeeze(h_n)


_rnn_op = Op("rnn", _rnn_kernel, grad_name="StackBackward0")


def _cell_kernel(x, h, c, w_ih, w_hh, b_ih, b_hh, *, mode, unbatched, precision):
    """One cell step on (B, F) input (or (F,) when ``unbatched``); ``h``/``c`` None means zeros."""
    if unbatched:
        x = x[None]
        h = None if h is None else h[None]
        c = None if c is None else c[None]
    hidden = w_hh.shape[1]
    if h is None:
        h = jnp.zeros((x.shape[0], hidden), x.dtype)
        c = jnp.zeros((x.shape[0], hidden), x.dtype) if mode == "LSTM" else None
    xg = jnp.matmul(x, w_ih.T, precision=precision)
    if b_ih is not None:
        xg = xg + b_ih
    hy, cy = _step(mode, xg[None], h[None], None if c is None else c[None], w_hh[None],
                   None if b_hh is None else b_hh[None], None, precision)
    hy = hy[0, 0] if unbatched else hy[0]
    if mode == "LSTM":
        return hy, cy[0, 0] if unbatched else cy[0]
    return hy


_CELL_OPS = {"RNN_TANH": Op("rnn_tanh_cell", _cell_kernel, grad_name="TanhBackward0"),
             "RNN_RELU": Op("rnn_relu_cell", _cell_kernel, grad_name="ReluBackward0"),
             "LSTM": Op("lstm_cell", _cell_kernel, grad_name="MulBackward0"),
             "GRU": Op("gru_cell", _cell_kernel, grad_name="AddBackward0")}


# ---------------------------------------------------------------------------------------------
# Argument checks and packing helpers
# ---------------------------------------------------------------------------------------------

def _check_same_dtype(a, w):
    """ATen's matmul dtype error (what PyTorch raises for an input/hidden of the wrong dtype)."""
    if a.dtype is not w.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {scalar_type_name(a.dtype)} and "
                           f"{scalar_type_name(w.dtype)}")


def _packed_layout(batch_sizes):
    """(steps, pack_index, lengths) of a packed batch: the flat (time-major, padded) position of
    each packed row, and each sequence's length, from the host ``batch_sizes``."""
    bs = np.asarray(batch_sizes._read()).astype(np.int64)
    batch = int(bs[0])
    rows = np.concatenate([t * batch + np.arange(b) for t, b in enumerate(bs)])
    lengths = (bs[:, None] > np.arange(batch)[None, :]).sum(0)
    return len(bs), tensor(rows.astype(np.int32)), tensor(lengths.astype(np.int32))


def _apply_permutation(tensor, permutation, dim=1):
    return tensor.index_select(dim, permutation)


# ---------------------------------------------------------------------------------------------
# Modules
# ---------------------------------------------------------------------------------------------

class RNNBase(Module):
    """Base class of ``RNN``, ``LSTM`` and ``GRU``: parameters, checks, ``repr``.

    ``flatten_parameters`` is a no-op (there is no cuDNN weight buffer).
    """

    __constants__ = ["mode", "input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
                     "bidirectional", "proj_size"]
    __jit_unused_properties__ = ["all_weights"]

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        factory_kwargs = {"device": device, "dtype": dtype}
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        num_directions = 2 if bidirectional else 1
        _check_config(input_size, hidden_size, num_layers, bias, batch_first, dropout, proj_size)
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size = _GATES[mode] * hidden_size
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                real_hidden_size = proj_size if proj_size > 0 else hidden_size
                layer_input_size = input_size if layer == 0 else real_hidden_size * num_directions
                shapes = [(gate_size, layer_input_size), (gate_size, real_hidden_size)]
                if bias:
                    shapes += [(gate_size,), (gate_size,)]
                if proj_size > 0:
                    shapes.append((proj_size, hidden_size))
                names = _layer_names(layer, "_reverse" if direction == 1 else "", bias, proj_size)
                for name, shape in zip(names, shapes):
                    setattr(self, name, Parameter(empty(shape, **factory_kwargs)))
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self._init_flat_weights()
        self.reset_parameters()

    def _init_flat_weights(self):
        self._flat_weights = [getattr(self, wn) if hasattr(self, wn) else None for wn in self._flat_weights_names]

    def __setattr__(self, attr, value):
        if hasattr(self, "_flat_weights_names") and attr in self._flat_weights_names:
            self._flat_weights[self._flat_weights_names.index(attr)] = value
        super().__setattr__(attr, value)

    def flatten_parameters(self):
        """A no-op (PyTorch compacts weights for cuDNN here)."""

    def _apply(self, fn, recurse=True):
        ret = super()._apply(fn, recurse)
        self._init_flat_weights()
        return ret

    def reset_parameters(self):
        """Draw every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def check_input(self, input, batch_sizes):
        """PyTorch's checks of the input's dtype, rank and feature size."""
        weight_dtype = self._flat_weights[0].dtype
        if input.dtype != weight_dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype ({weight_dtype}). "
                             f"Convert input: input.to({weight_dtype}), or convert model: model.to({input.dtype})")
        expected_input_dim = 2 if batch_sizes is not None else 3
        if input.dim() != expected_input_dim:
            raise RuntimeError(f"input must have {expected_input_dim} dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.size(-1)}")

    def get_expected_hidden_size(self, input, batch_sizes):
        """(num_layers * num_directions, batch, H_out) for ``input``."""
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        out = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * num_directions, mini_batch, out)

    def check_hidden_size(self, hx, expected_hidden_size, msg="Expected hidden size {}, got {}"):
        """RuntimeError ``msg`` unless ``hx`` has ``expected_hidden_size``."""
        if tuple(hx.size()) != tuple(expected_hidden_size):
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.size())))

    def check_forward_args(self, input, hidden, batch_sizes):
        """Check the input and the initial hidden state."""
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx, permutation):
        """``hx`` with its batch (dim 1) reordered by ``permutation`` (None: unchanged)."""
        if permutation is None:
            return hx
        return _apply_permutation(hx, permutation)

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    def __setstate__(self, d):
        super().__setstate__(d)
        if "all_weights" in d:
            self._all_weights = d["all_weights"]
        if "proj_size" not in d:
            self.proj_size = 0
        if not isinstance(self._all_weights[0][0], str):
            self._all_weights = [_layer_names(layer, suffix, self.bias, self.proj_size)
                                 for layer in range(self.num_layers)
                                 for suffix in (("", "_reverse") if self.bidirectional else ("",))]
            self._flat_weights_names = [n for names in self._all_weights for n in names]
        self._init_flat_weights()

    @property
    def all_weights(self):
        """The parameters, one list per layer and direction."""
        return [[getattr(self, weight) for weight in weights] for weights in self._all_weights]

    # ---- the shared forward ----
    def _hidden_dims(self, hx, is_batched):
        """PyTorch's rank checks of the initial state (RNN/GRU form; LSTM overrides)."""
        if hx is None:
            return
        if is_batched and hx.dim() != 3:
            raise RuntimeError(f"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor")
        if not is_batched and hx.dim() != 2:
            raise RuntimeError(f"For unbatched 2-D input, hx should also be 2-D but got {hx.dim()}-D tensor")

    def _check_state(self, input, hx, batch_sizes, is_batched):
        """Check input and state as PyTorch does, with an unbatched input seen with its batch dim."""
        view = input if is_batched else _Unsqueezed(input, 0 if self.batch_first else 1)
        state = hx
        if hx is not None and not is_batched:
            state = _unsqueeze_state(hx)
        if state is None:
            self.check_input(view, batch_sizes)
        else:
            self.check_forward_args(view, state, batch_sizes)

    def _run(self, input, hx):
        """Checks, then the one fused op; returns (output, hidden) in PyTorch's forms."""
        lstm = self.mode == "LSTM"
        sorted_indices = unsorted_indices = None
        if isinstance(input, PackedSequence):
            input, batch_sizes, sorted_indices, unsorted_indices = input
            if hx is not None:
                hx = self.permute_hidden(hx, sorted_indices)
            self._check_state(input, hx, batch_sizes, True)
            steps, pack_index, lengths = _packed_layout(batch_sizes)
            batch, layout, extra = int(lengths.shape[0]), "packed", [pack_index, lengths]
        else:
            batch_sizes = None
            if input.dim() not in (2, 3):
                raise ValueError(self._dim_message.format(input.dim()))
            is_batched = input.dim() == 3
            self._hidden_dims(hx, is_batched)
            self._check_state(input, hx, None, is_batched)
            if not is_batched:
                steps, batch, layout = input.size(0), 1, "unbatched"
            elif self.batch_first:
                steps, batch, layout = input.size(1), input.size(0), "batch"
            else:
                steps, batch, layout = input.size(0), input.size(1), "time"
            if steps == 0:
                raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
            extra = []
        weights = self._flat_weights
        args = [input]
        if hx is not None:
            states = hx if lstm else (hx,)
            for s in states:
                _check_same_dtype(s, weights[1])
            args += list(states)
        args += extra
        dropout = self.training and self.dropout > 0 and self.num_layers > 1
        if dropout:
            shape = (steps, batch, (2 if self.bidirectional else 1) * (self.proj_size or self.hidden_size))
            wide = _wide(input.dtype.np)
            args += [1.0 - self.dropout] + [_bits(None, shape, wide) for _ in range(self.num_layers - 1)]
        res = _rnn_op(*args, *weights, mode=self.mode, num_layers=self.num_layers,
                      bidirectional=bool(self.bidirectional), has_bias=bool(self.bias),
                      has_proj=self.proj_size > 0, hidden_size=self.hidden_size, has_hx=hx is not None,
                      layout=layout, steps=steps, dropout=dropout, precision=_precision())
        output, hidden = res[0], (res[1], res[2]) if lstm else res[1]
        if batch_sizes is not None:
            return (PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices),
                    self.permute_hidden(hidden, unsorted_indices))
        return output, hidden


def _layer_names(layer, suffix, bias, proj_size):
    names = ["weight_ih_l{}{}", "weight_hh_l{}{}"]
    if bias:
        names += ["bias_ih_l{}{}", "bias_hh_l{}{}"]
    if proj_size > 0:
        names.append("weight_hr_l{}{}")
    return [n.format(layer, suffix) for n in names]


def _check_config(input_size, hidden_size, num_layers, bias, batch_first, dropout, proj_size):
    """PyTorch's constructor argument checks (and its warning for dropout with one layer)."""
    if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or isinstance(dropout, bool):
        raise ValueError("dropout should be a number in range [0, 1] representing the probability of an element "
                         "being zeroed")
    if dropout > 0 and num_layers == 1:
        warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects "
                      f"num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                      stacklevel=4)
    if not isinstance(bias, bool):
        raise TypeError(f"bias should be of type bool, got: {type(bias).__name__}")
    if not isinstance(batch_first, bool):
        raise TypeError(f"batch_first should be of type bool, got: {type(batch_first).__name__}")
    if not isinstance(input_size, int):
        raise TypeError(f"input_size should be of type int, got: {type(input_size).__name__}")
    if input_size <= 0:
        raise ValueError("input_size must be greater than zero")
    if not isinstance(hidden_size, int):
        raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
    if hidden_size <= 0:
        raise ValueError("hidden_size must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")
    if proj_size < 0:
        raise ValueError("proj_size should be a positive integer or zero to disable projections")
    if proj_size >= hidden_size:
        raise ValueError("proj_size has to be smaller than hidden_size")


class _Unsqueezed:
    """Shape-only stand-in for ``t.unsqueeze(dim)`` (what PyTorch checks unbatched inputs as)."""

    def __init__(self, t, dim):
        shape = list(t.shape)
        shape.insert(dim, 1)
        self.shape = tuple(shape)
        self.dtype = t.dtype

    def dim(self):
        return len(self.shape)

    def size(self, d=None):
        return self.shape if d is None else self.shape[d]


def _unsqueeze_state(hx):
    if isinstance(hx, tuple):
        return tuple(_Unsqueezed(h, 1) for h in hx)
    return _Unsqueezed(hx, 1)


class RNN(RNNBase):
    """Elman RNN: ``h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)`` (or relu), stacked
    ``num_layers`` deep, optionally bidirectional, with dropout between layers in training.

    ``RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, batch_first=False,
    dropout=0.0, bidirectional=False, device=None, dtype=None)``; ``forward(input, hx=None)`` returns
    ``(output, h_n)``; a PackedSequence input gives a PackedSequence output.
    """

    _dim_message = "RNN: Expected input to be 2D or 3D, got {}D tensor instead"

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__(mode, *args, **kwargs)

    def forward(self, input, hx=None):
        """Run the recurrence over ``input`` from ``hx`` (zeros if None)."""
        return self._run(input, hx)


class LSTM(RNNBase):
    """Long short-term memory, stacked ``num_layers`` deep, optionally bidirectional, with an
    optional output projection (``proj_size``) and dropout between layers in training.

    ``forward(input, (h_0, c_0)=None)`` returns ``(output, (h_n, c_n))``; a PackedSequence input
    gives a PackedSequence output.
    """

    _dim_message = "LSTM: Expected input to be 2D or 3D, got {}D instead"

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def get_expected_cell_size(self, input, batch_sizes):
        """(num_layers * num_directions, batch, hidden_size) for ``input``."""
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        return (self.num_layers * num_directions, mini_batch, self.hidden_size)

    def check_forward_args(self, input, hidden, batch_sizes):
        """Check the input, h_0 and c_0."""
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden[0], self.get_expected_hidden_size(input, batch_sizes),
                               "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hidden[1], self.get_expected_cell_size(input, batch_sizes),
                               "Expected hidden[1] size {}, got {}")

    def permute_hidden(self, hx, permutation):
        """``(h, c)`` with their batch reordered by ``permutation`` (None: unchanged)."""
        if permutation is None:
            return hx
        return _apply_permutation(hx[0], permutation), _apply_permutation(hx[1], permutation)

    def _hidden_dims(self, hx, is_batched):
        if hx is None:
            return
        if is_batched and (hx[0].dim() != 3 or hx[1].dim() != 3):
            raise RuntimeError("For batched 3-D input, hx and cx should also be 3-D but got "
                               f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
        if not is_batched and (hx[0].dim() != 2 or hx[1].dim() != 2):
            raise RuntimeError("For unbatched 2-D input, hx and cx should also be 2-D but got "
                               f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")

    def forward(self, input, hx=None):
        """Run the LSTM over ``input`` from ``hx = (h_0, c_0)`` (zeros if None)."""
        if hx is not None:
            hx = tuple(hx)
        return self._run(input, hx)


class GRU(RNNBase):
    """Gated recurrent unit, stacked ``num_layers`` deep, optionally bidirectional, with dropout
    between layers in training. ``forward(input, hx=None)`` returns ``(output, h_n)``."""

    _dim_message = "GRU: Expected input to be 2D or 3D, got {}D instead"

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input, hx=None):
        """Run the GRU over ``input`` from ``hx`` (zeros if None)."""
        return self._run(input, hx)


class RNNCellBase(Module):
    """Base class of the single-step cells: ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``."""

    __constants__ = ["input_size", "hidden_size", "bias"]

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        factory_kwargs = {"device": device, "dtype": dtype}
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(empty((num_chunks * hidden_size, input_size), **factory_kwargs))
        self.weight_hh = Parameter(empty((num_chunks * hidden_size, hidden_size), **factory_kwargs))
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, **factory_kwargs))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, **factory_kwargs))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self):
        """Draw every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _cell(self, mode, input, hx, states):
        """Size and dtype checks (PyTorch's messages; ranks are checked by the callers), then one op."""
        is_batched = input.dim() == 2
        shape = tuple(input.shape) if is_batched else (1,) + tuple(input.shape)
        if shape[1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {shape[1]} expected {self.input_size}")
        for i, h in enumerate(states):
            hs = tuple(h.shape) if is_batched else (1,) + tuple(h.shape)
            if hs[0] != shape[0]:
                raise RuntimeError(f"Input batch size {shape[0]} doesn't match hidden{i} batch size {hs[0]}")
            if len(hs) < 2 or hs[1] != self.hidden_size:
                raise RuntimeError(f"hidden{i} has inconsistent hidden_size: got {hs[1] if len(hs) > 1 else 1}, "
                                   f"expected {self.hidden_size}")
            if len(hs) != 2:
                raise RuntimeError(f"{type(self).__name__}: a {h.dim()}-D hidden state needs a "
                                   f"{h.dim()}-D input, got {input.dim()}-D")
        _check_same_dtype(input, self.weight_ih)
        for h in states:
            _check_same_dtype(h, self.weight_hh)
        h, c = (states + [None, None])[:2]
        return _CELL_OPS[mode](input, h, c, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh, mode=mode,
                               unbatched=not is_batched, precision=_precision())


class RNNCell(RNNCellBase):
    """One Elman RNN step: ``h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)`` (or relu)."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        """The next hidden state from ``input`` (B, F) or (F,) and ``hx`` (zeros if None)."""
        if input.dim() not in (1, 2):
            raise ValueError(f"RNNCell: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None and hx.dim() not in (1, 2):
            raise ValueError(f"RNNCell: Expected hidden to be 1D or 2D, got {hx.dim()}D instead")
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        mode = "RNN_TANH" if self.nonlinearity == "tanh" else "RNN_RELU"
        return self._cell(mode, input, hx, [] if hx is None else [hx])


class LSTMCell(RNNCellBase):
    """One LSTM step: returns ``(h', c')`` from ``input`` and ``hx = (h, c)`` (zeros if None)."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        """The next ``(h, c)``."""
        if input.dim() not in (1, 2):
            raise ValueError(f"LSTMCell: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None:
            for idx, value in enumerate(hx):
                if value.dim() not in (1, 2):
                    raise ValueError(f"LSTMCell: Expected hx[{idx}] to be 1D or 2D, got {value.dim()}D instead")
        return self._cell("LSTM", input, hx, [] if hx is None else list(hx))


class GRUCell(RNNCellBase):
    """One GRU step: the next hidden state from ``input`` and ``hx`` (zeros if None)."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        """The next hidden state."""
        if input.dim() not in (1, 2):
            raise ValueError(f"GRUCell: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None and hx.dim() not in (1, 2):
            raise ValueError(f"GRUCell: Expected hidden to be 1D or 2D, got {hx.dim()}D instead")
        return self._cell("GRU", input, hx, [] if hx is None else [hx])
