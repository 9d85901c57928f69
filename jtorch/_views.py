"""Storage and strided views over immutable JAX arrays.

A :class:`Storage` holds the current array of a family of aliasing tensors (a base and its
views) and a data version. Every tensor of the family records its layout in that storage as
PyTorch does (shape, strides, offset, in elements of the base's flattened array), so any view,
of any view, reads as a gather from the base and writes as a scatter into it. Tensors cache
their own array and re-read it only when the storage version moved, so aliasing costs nothing
until an alias is written.
"""
import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

__all__ = ["Storage", "contiguous_strides", "view_strides", "strided_read", "strided_write"]


class Storage:
    """The array behind a base tensor and its views, and its version counters."""

    __slots__ = ("array", "version", "gver", "__weakref__")

    def __init__(self, array):
        self.array = array
        self.version = 0
        self.gver = 0

    def nbytes(self):
        return self.array.size * self.array.dtype.itemsize


def contiguous_strides(shape):
    """Row-major strides, in elements, of ``shape`` (torch's convention for size-1 dims)."""
    strides = []
    acc = 1
    for n in reversed(shape):
        strides.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(strides))


def view_strides(old_shape, old_stride, new_shape):
    """Strides for viewing (shape, stride) as ``new_shape`` without a copy, or None.

    Same algorithm as ATen's ``computeStride``: a view is possible when every run of merged
    dimensions of the old layout is itself contiguous.
    """
    numel = math.prod(old_shape)
    if numel == 0:
        return contiguous_strides(new_shape) if old_shape != new_shape else tuple(old_stride)
    if not old_shape:
        return contiguous_strides(new_shape)
    new_stride = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base_stride = old_stride[-1] if old_stride else 1
    tensor_numel = 1
    view_numel = 1
    for tensor_d in range(len(old_shape) - 1, -1, -1):
        tensor_numel *= old_shape[tensor_d]
        if tensor_d == 0 or (old_shape[tensor_d - 1] != 1
                             and old_stride[tensor_d - 1] != tensor_numel * chunk_base_stride):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_stride[view_d] = view_numel * chunk_base_stride
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if tensor_d > 0:
                chunk_base_stride = old_stride[tensor_d - 1]
                tensor_numel = 1
                view_numel = 1
    if view_d != -1:
        return None
    return tuple(new_stride)


def _flat_index(shape, stride, offset):
    """Traced int array of ``shape``: the flat base index of every element of the view."""
    idx = jnp.full(shape, offset, dtype=jnp.int64)
    for d, (n, s) in enumerate(zip(shape, stride)):
        if n > 1 and s:
            idx = idx + lax.broadcasted_iota(jnp.int64, shape, d) * s
    return idx


@functools.lru_cache(maxsize=4096)
def _reader(shape, stride, offset):
    return jax.jit(lambda base: base.reshape(-1)[_flat_index(shape, stride, offset)])


@functools.lru_cache(maxsize=4096)
def _writer(shape, stride, offset):
    def write(base, value):
        flat = base.reshape(-1)
        idx = _flat_index(shape, stride, offset).reshape(-1)
        return flat.at[idx].set(value.reshape(-1), unique_indices=True).reshape(base.shape)
    return jax.jit(write)


def strided_read(base, shape, stride, offset):
    """The view (shape, stride, offset) of ``base``'s flattened array."""
    return _reader(tuple(shape), tuple(stride), offset)(base)


def strided_write(base, shape, stride, offset, value):
    """``base`` with the view (shape, stride, offset) replaced by ``value``.

    A view in which two elements share a storage slot (``expand``, overlapping ``unfold``
    windows) cannot be written: PyTorch's result then depends on its kernel's loop order, so
    jtorch raises instead.
    """
    if is_overlapping(tuple(shape), tuple(stride)):
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a single "
            "memory location. Please clone() the tensor before performing the operation.")
    return _writer(tuple(shape), tuple(stride), offset)(base, value)


@functools.lru_cache(maxsize=4096)
def is_overlapping(shape, stride):
    """Whether two elements of the view (shape, stride) share a storage slot."""
    dims = sorted((s, n) for n, s in zip(shape, stride) if n > 1)
    if any(s == 0 for s, _ in dims):
        return True
    span = 0
    for s, n in dims:
        if s <= span:
            break
        span += (n - 1) * s
    else:
        return False
    idx = np.zeros((), np.int64)
    for n, s in zip(shape, stride):
        idx = np.add.outer(idx, np.arange(n, dtype=np.int64) * s)
    return np.unique(idx).size != idx.size
