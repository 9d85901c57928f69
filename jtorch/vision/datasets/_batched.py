"""The batched fetch (``__getitems__``) of the built-in datasets.

A DataLoader fetches a batch through ``dataset.__getitems__(indices)`` inside
``_host_random.use_batch(seed, positions)``. When the dataset runs no user code per sample (its
own ``__getitem__``, no ``target_transform``, a transform that :func:`supports_batch`), the whole
batch is transformed at once and returned as a :class:`PreCollated` whose collation is already
done; its samples equal what ``__getitem__`` gives under each sample's own random stream.
Otherwise each sample is built on its own, under its own stream.
"""
from functools import partial

import numpy as np

from ... import _host_random as hr
from ..._host_tensor import host_tensor
from ...utils.data import PreCollated
from ..transforms._batched import apply_batch, supports_batch

__all__ = ["BatchedFetch", "fetch_each", "collated_batch"]


def fetch_each(getters, batch):
    """``[g() for g in getters]``, getter ``k`` drawing from stream ``positions[k]`` of ``batch``
    (``(seed, positions)`` from :func:`hr.batch_positions`, or None outside a batched fetch)."""
    if batch is None:
        return [g() for g in getters]
    seed, positions = batch
    samples = []
    active = hr._active  # the stack hr.use pushes onto, pushed directly (cheaper than a with block)
    for g, position in zip(getters, positions.tolist()):
        active.append(hr.Stream(seed, position))
        try:
            samples.append(g())
        finally:
            active.pop()
    return samples


def collated_batch(transform, images, targets, batch):
    """The :class:`PreCollated` batch of uint8 ``images`` (stacked as ``np.asarray(pil_image)``
    gives them) through ``transform``, with ``targets`` (a list, as ``__getitem__`` returns them)."""
    seed, positions = batch
    out = apply_batch(transform, images, hr.Stream(seed, positions))

    def sample(k):
        return host_tensor(out[k]), targets[k]

    return PreCollated([host_tensor(out), host_tensor(np.asarray(targets, dtype=np.int64))], sample, len(targets))


class BatchedFetch:
    """Mixin giving a dataset whose images are uint8 numpy arrays the batched ``__getitems__``.

    A subclass sets ``_builtin_getitem`` to its own ``__getitem__`` and defines
    ``_batch_arrays(indices) -> (images, targets)``: the stacked uint8 images, and a list of the
    targets exactly as ``__getitem__`` returns them.
    """

    _builtin_getitem = None

    def _batched_without_user_code(self):
        """Whether a batch can be fetched vectorized: no user code runs per sample."""
        cls = type(self)
        return (cls.__getitem__ is cls._builtin_getitem and self.target_transform is None
                and self.transform is not None and supports_batch(self.transform))

    def __getitems__(self, indices):
        """The samples at ``indices``: a :class:`PreCollated` batch on the fast path, else a list."""
        batch = hr.batch_positions()
        if batch is None:
            return [self[i] for i in indices]
        if len(indices) and self._batched_without_user_code():
            images, targets = self._batch_arrays(indices)
            return collated_batch(self.transform, images, targets, batch)
        getitem = self.__getitem__
        return fetch_each([partial(getitem, i) for i in indices], batch)
