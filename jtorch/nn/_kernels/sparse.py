"""Lookups: ``embedding`` (padding_idx, max_norm renorm, scale_grad_by_freq), ``embedding_bag``
(sum/mean/max bags over offsets) and ``one_hot``.

Index-range checks need the index values, so they run in eager mode only (a traced index is not
inspected). ``sparse=True`` is accepted but the weight gradient is dense.
"""
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ... import _dtype as D
from ..._ops.dispatch import Op
from ..._tensor import legacy_type_name
from ._util import check_tensor

__all__ = ["embedding", "embedding_bag", "one_hot"]


def _traced(t):
    return isinstance(t._read(), jax.core.Tracer)


def _freq_scaled(rows, idx, num):
    """``rows`` whose gradient is divided by how often each index occurs (``scale_grad_by_freq``)."""
    flat = idx.reshape(-1)
    counts = jnp.zeros((num,), rows.dtype).at[flat].add(1)
    scale = lax.stop_gradient(1 / counts[idx])[..., None]
    frozen = lax.stop_gradient(rows)
    return frozen + (rows - frozen) * scale


def _embedding_kernel(w, idx, *, padding_idx, scale_grad_by_freq):
    rows = jnp.take(w, idx, axis=0)
    if scale_grad_by_freq:
        rows = _freq_scaled(rows, idx, w.shape[0])
    if padding_idx is not None:
        rows = jnp.where((idx == padding_idx)[..., None], lax.stop_gradient(rows), rows)
    return rows


def _renorm_kernel(w, idx, max_norm, *, p):
    """PyTorch's ``embedding_renorm_``: rows used by ``idx`` with norm above ``max_norm`` scaled down to it."""
    used = jnp.zeros((w.shape[0],), bool).at[idx.reshape(-1)].set(True)
    a = jnp.abs(w)
    if p == np.inf:
        norms = jnp.max(a, axis=1)
    elif p == 1:
        norms = jnp.sum(a, axis=1)
    else:
        norms = jnp.sum(a ** p, axis=1) ** (1.0 / p)
    scale = jnp.where(used & (norms > max_norm), max_norm / (norms + 1e-7), 1).astype(w.dtype)
    return w * scale[:, None]


def _bag_segments(idx, offsets, *, num_bags, padding_idx):
    """Each element's bag (``num_bags`` for dropped elements: padding or past the last bag)."""
    pos = jnp.arange(idx.shape[0])
    seg = jnp.searchsorted(offsets, pos, side="right") - 1
    keep = seg < num_bags
    if padding_idx is not None:
        keep = keep & (idx != padding_idx)
    return jnp.where(keep, seg, num_bags), keep


def _embedding_bag_kernel(w, idx, offsets, psw, *, mode, num_bags, padding_idx, scale_grad_by_freq):
    seg, keep = _bag_segments(idx, offsets, num_bags=num_bags, padding_idx=padding_idx)
    rows = jnp.take(w, idx, axis=0)
    if scale_grad_by_freq:
        rows = _freq_scaled(rows, idx, w.shape[0])
    if psw is not None:
        rows = rows * psw[:, None]
    n_seg = num_bags + 1
    if mode == "max":
        low = jnp.full((), -jnp.inf, rows.dtype)
        best = jax.ops.segment_max(jnp.where(keep[:, None], lax.stop_gradient(rows), low), seg, n_seg)
        n = rows.shape[0]
        hit = (lax.stop_gradient(rows) == best[seg]) & keep[:, None]
        first = jax.ops.segment_min(jnp.where(hit, jnp.arange(n)[:, None], n), seg, n_seg)[:num_bags]
        padded = jnp.concatenate([rows, jnp.zeros((1, rows.shape[1]), rows.dtype)], axis=0)
        return jnp.take_along_axis(padded, first, axis=0)
    total = jax.ops.segment_sum(jnp.where(keep[:, None], rows, 0), seg, n_seg)[:num_bags]
    if mode == "sum":
        return total
    counts = jax.ops.segment_sum(keep.astype(rows.dtype), seg, n_seg)[:num_bags]
    return total / jnp.maximum(counts, 1)[:, None]


def _one_hot_kernel(idx, *, num_classes):
    return (idx[..., None] == jnp.arange(num_classes)).astype(jnp.int64)


_embedding_op = Op("embedding", _embedding_kernel, saves=(), grad_name="EmbeddingBackward0")
_renorm_op = Op("embedding_renorm", _renorm_kernel, differentiable=False)
_embedding_bag_op = Op("embedding_bag", _embedding_bag_kernel, saves=(), grad_name="EmbeddingBagBackward0")
_one_hot_op = Op("one_hot", _one_hot_kernel, differentiable=False)
_minmax_op = Op("index_range", lambda a: (jnp.min(a), jnp.max(a)), differentiable=False)


def _index_range(t):
    """(min, max) of a concrete non-empty index tensor, else None."""
    if t.numel() == 0 or _traced(t):
        return None
    lo, hi = _minmax_op.raw(t._read())
    return int(lo), int(hi)


def _check_indices(input, num, fn):
    if input.dtype not in (D.int64, D.int32):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {legacy_type_name(input.dtype.np)} instead (while checking arguments "
                           f"for {fn})")
    rng = _index_range(input)
    if rng is not None and (rng[0] < 0 or rng[1] >= num):
        raise IndexError("index out of range in self")


def _renorm(weight, input, max_norm, norm_type):
    """In-place, outside autograd (PyTorch runs it under no_grad on ``weight.detach()``)."""
    weight._write_inplace(_renorm_op.raw(weight._read(), input._read(), float(max_norm), p=float(norm_type)))


def _padding_index(padding_idx, num):
    if padding_idx is None:
        return None
    if padding_idx > 0 and padding_idx >= num:
        raise AssertionError("Padding_idx must be within num_embeddings")
    if padding_idx < 0:
        if padding_idx < -num:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx += num
    return int(padding_idx)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Rows of ``weight`` at the indices in ``input``; row ``padding_idx`` gets no gradient.

    ``max_norm`` renormalizes the looked-up rows of ``weight`` in place first; ``sparse=True`` still
    produces a dense gradient.
    """
    check_tensor(input, "embedding")
    check_tensor(weight, "embedding", "weight", 2)
    num = weight.shape[0]
    pad = _padding_index(padding_idx, num)
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    _check_indices(input, num, "embedding")
    if max_norm is not None:
        _renorm(weight, input, max_norm, norm_type)
    return _embedding_op(weight, input, padding_idx=pad, scale_grad_by_freq=bool(scale_grad_by_freq))


def _bag_inputs(input, offsets, per_sample_weights, include_last_offset):
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             "fixed length sequences. However, found offsets of type <class 'torch.Tensor'>")
        from ..._ops.creation import arange

        offsets = arange(0, input.numel(), input.shape[1], dtype=input.dtype)
        psw = per_sample_weights.reshape(-1) if per_sample_weights is not None else None
        return input.reshape(-1), offsets, psw, False
    if input.ndim == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.ndim != 1:
            raise ValueError("offsets has to be a 1D Tensor")
        return input, offsets, per_sample_weights, include_last_offset
    raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.ndim}")


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean",
                  sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
    """Sum, mean or max of the embedding rows in each bag (bags given by ``offsets`` or by the rows of a 2-D
    ``input``). Empty bags give zeros; ``padding_idx`` entries are skipped (and not counted in means)."""
    check_tensor(input, "embedding_bag")
    if weight.dtype is D.int64 and input.is_floating_point():
        weight, input = input, weight
    if per_sample_weights is not None and tuple(input.shape) != tuple(per_sample_weights.shape):
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it "
                         f"must have the same shape as the input ({input.shape})")
    if weight.ndim != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.ndim}")
    flat, offsets, psw, include_last = _bag_inputs(input, offsets, per_sample_weights, include_last_offset)
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    if max_norm is not None:
        _renorm(weight, flat, max_norm, norm_type)
    if psw is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                                  "GitHub.")
    num = weight.shape[0]
    _check_indices(flat, num, "embedding_bag")
    if offsets.numel() and not _traced(offsets):
        first = offsets[0].item()
        if first != 0:
            raise RuntimeError(f"offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                               f"position 0. However, got {first}")
    pad = None
    if padding_idx is not None:
        if not -num <= padding_idx < num:
            raise RuntimeError(f"padding_idx must be within the number of embeddings, -{num} through {num - 1}, but "
                               f"got {padding_idx}")
        pad = int(padding_idx) % num
    num_bags = offsets.shape[0] - 1 if include_last else offsets.shape[0]
    return _embedding_bag_op(weight, flat, offsets, psw, mode=mode, num_bags=int(num_bags), padding_idx=pad,
                             scale_grad_by_freq=bool(scale_grad_by_freq))


def one_hot(tensor, num_classes=-1):
    """int64 one-hot encoding with a new last dim; ``num_classes=-1`` infers ``max + 1`` (eager only)."""
    check_tensor(tensor, "one_hot", "self")
    if tensor.dtype is not D.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    rng = _index_range(tensor)
    if num_classes == -1:
        if tensor.numel() == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        if rng is None:
            raise RuntimeError("one_hot with num_classes=-1 needs the values of its input, which a compiled program "
                               "does not have; pass num_classes")
        num_classes = rng[1] + 1
    if rng is not None and rng[0] < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes < 0 or (rng is not None and rng[1] >= num_classes):
        raise RuntimeError("Class values must be smaller than num_classes.")
    return _one_hot_op(tensor, num_classes=int(num_classes))
