"""Collation: ``default_collate`` and ``default_convert``, as in PyTorch, on host numpy.

Collation runs in DataLoader worker processes, where no jtorch op (a JAX call) may run, so
batches are stacked with numpy and returned as host tensors (:func:`~jtorch._host_tensor.host_tensor`).
The rules are PyTorch's: tensors and numpy arrays are stacked (with PyTorch's type promotion and
its "stack expects each tensor to be equal size" error), Python ints become int64, floats
float64 and bools bool tensors, numpy scalars keep their dtype, strings and bytes stay lists, and
mappings, namedtuples and sequences are collated element-wise (tuples become lists).
``collate(batch, collate_fn_map=...)`` and ``default_collate_fn_map`` extend it as in PyTorch.

Differs from PyTorch: numpy arrays with negative strides or non-native byte order are accepted
(PyTorch's ``as_tensor`` rejects them), and results are host tensors on the CPU (a batch of
tensors that require grad, or that live on an accelerator, is stacked with ``jtorch.stack`` in
the main process, so it keeps its autograd history and device).
"""
import collections.abc
import copy
import operator
import re

import numpy as np

from ... import _dtype as D
from ..._host_tensor import host_array, host_tensor, in_worker
from ..._ops.creation import _data_array
from ..._tensor import Tensor

__all__ = ["PreCollated", "collate", "default_collate", "default_collate_fn_map", "default_convert"]

np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}")


class PreCollated(collections.abc.Sequence):
    """A batch whose default collation is already known: a read-only sequence of ``length``
    samples (``sample_fn(k)`` builds sample ``k``) and ``collated``, exactly what
    ``default_collate`` returns for those samples.

    A dataset's ``__getitems__`` may return one when it can build the collated batch faster than
    sample by sample (vectorized numpy); ``default_collate`` returns ``collated`` as is, and a
    DataLoader with any other ``collate_fn`` hands it the samples as a list.
    """

    __slots__ = ("collated", "_sample_fn", "_length")

    def __init__(self, collated, sample_fn, length):
        self.collated = collated
        self._sample_fn = sample_fn
        self._length = length

    def __len__(self):
        return self._length

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self._sample_fn(i) for i in range(*k.indices(self._length))]
        k = operator.index(k)
        if k < 0:
            k += self._length
        if not 0 <= k < self._length:
            raise IndexError("PreCollated index out of range")
        return self._sample_fn(k)

    def __repr__(self):
        return f"PreCollated(length={self._length})"


def _stack(arrays):
    """``torch.stack`` of host arrays: equal shapes required, dtypes promoted like PyTorch."""
    try:
        out = np.stack(arrays)
    except ValueError:
        shape = np.shape(arrays[0])
        for i, a in enumerate(arrays):
            if np.shape(a) != shape:
                raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(shape)} at entry 0 "
                                   f"and {list(np.shape(a))} at entry {i}") from None
        raise
    if out.dtype != arrays[0].dtype:
        target = D.from_np(arrays[0].dtype)
        for a in arrays:
            target = D.promote_types(target, D.from_np(a.dtype))
        out = out.astype(target.np)
    return out


def collate_tensor_fn(batch, *, collate_fn_map=None):
    """Stack a batch of tensors along a new first dimension."""
    elem = batch[0]
    if not in_worker() and (elem.device.type != "cpu" or any(t.requires_grad for t in batch)):
        from ..._ops.shape import stack

        return stack(batch, 0)
    return host_tensor(_stack([host_array(t) for t in batch]))


def collate_numpy_array_fn(batch, *, collate_fn_map=None):
    """Stack a batch of numpy arrays into a tensor (string and object arrays are rejected)."""
    elem = batch[0]
    if np_str_obj_array_pattern.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    return host_tensor(_stack([np.asarray(b) for b in batch]))


def collate_numpy_scalar_fn(batch, *, collate_fn_map=None):
    """A 1-d tensor of numpy scalars (``torch.as_tensor(batch)``: their dtype, promoted)."""
    first = type(batch[0])
    if all(type(x) is first for x in batch):
        return host_tensor(np.array(batch))
    return host_tensor(_data_array(batch, None)[0])


def collate_float_fn(batch, *, collate_fn_map=None):
    """A float64 tensor of Python floats."""
    if all(type(x) is float for x in batch):
        return host_tensor(np.array(batch, dtype=np.float64))
    return host_tensor(_data_array(batch, D.float64)[0])


def collate_int_fn(batch, *, collate_fn_map=None):
    """``torch.tensor(batch)`` of Python ints (int64) or bools (bool)."""
    if all(type(x) is int for x in batch):
        try:
            return host_tensor(np.array(batch, dtype=np.int64))
        except OverflowError:
            pass
    elif all(type(x) is bool for x in batch):
        return host_tensor(np.array(batch, dtype=np.bool_))
    return host_tensor(_data_array(batch, None)[0])


def collate_str_fn(batch, *, collate_fn_map=None):
    """Strings and bytes stay a list."""
    return batch


default_collate_fn_map = {
    Tensor: collate_tensor_fn,
    np.ndarray: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def collate(batch, *, collate_fn_map=None):
    """Collate ``batch`` (a sequence of samples) by the type of its first element:
    ``collate_fn_map`` maps element types to functions ``fn(batch, *, collate_fn_map)`` (exact
    type first, then the first key it is an instance of); mappings, namedtuples and sequences are
    collated element-wise; anything else raises PyTorch's TypeError."""
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, collections.abc.Mapping):
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                clone = copy.copy(elem)
                clone.update({key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map) for key in elem})
                return clone
            return elem_type({key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map) for key in elem})
        except TypeError:
            return {key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return elem_type(*(collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        it = iter(batch)
        elem_size = len(next(it))
        if not all(len(e) == elem_size for e in it):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))
        if isinstance(elem, tuple):
            return [collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                for i, samples in enumerate(transposed):
                    clone[i] = collate(samples, collate_fn_map=collate_fn_map)
                return clone
            return elem_type([collate(samples, collate_fn_map=collate_fn_map) for samples in transposed])
        except TypeError:
            return [collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]
    raise TypeError(default_collate_err_msg_format.format(elem_type))


def default_collate(batch):
    """Merge a list of samples into a batch, like PyTorch's ``default_collate`` (see the module
    docstring for the rules); a :class:`PreCollated` batch returns its ``collated`` value."""
    if type(batch) is PreCollated:
        return batch.collated
    return collate(batch, collate_fn_map=default_collate_fn_map)


def default_convert(data):
    """Convert numpy arrays and numpy scalars (at any depth of mappings, namedtuples and
    sequences) into tensors; everything else is returned unchanged. Used when automatic
    batching is off (``batch_size=None``). Differs from PyTorch: arrays are copied, not shared."""
    elem_type = type(data)
    if isinstance(data, Tensor):
        return data
    if elem_type.__module__ == "numpy" and elem_type.__name__ not in ("str_", "string_"):
        if elem_type.__name__ == "ndarray" and np_str_obj_array_pattern.search(data.dtype.str) is not None:
            return data
        return host_tensor(np.array(data))
    if isinstance(data, collections.abc.Mapping):
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update({key: default_convert(data[key]) for key in data})
                return clone
            return elem_type({key: default_convert(data[key]) for key in data})
        except TypeError:
            return {key: default_convert(data[key]) for key in data}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return elem_type(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                for i, d in enumerate(data):
                    clone[i] = default_convert(d)
                return clone
            return elem_type([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data
