"""Fetchers: one batch (or one sample, without automatic batching) from a dataset, each sample
under its own host random stream.

Sample ``k`` of an epoch (its position in the epoch's sampling order) is fetched under
``hr.Stream(seed, k)``, and a batch fetched through ``__getitems__`` under
``hr.use_batch(seed, positions)``, so random transforms give the same result whichever process
fetches the sample. Samples of an iterable dataset are numbered in the order this copy of the
dataset yields them.
"""
import numpy as np

from ... import _host_random as hr
from ._collate import PreCollated, default_collate

__all__ = ["_DatasetKind"]

# The stack ``hr.use`` pushes onto, pushed directly: a ``with`` block per sample would cost more
# than fetching a small sample.
_active = hr._active
_Stream = hr.Stream


class _MapDatasetFetcher:
    """Fetches from a map-style dataset: ``__getitems__`` for a whole batch when the dataset has
    it, else ``dataset[i]`` per index (``drop_last`` is the batch sampler's business here)."""

    def __init__(self, dataset, auto_collation, collate_fn, drop_last):
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        getitems = getattr(dataset, "__getitems__", None)
        self._getitems = getitems if getitems else None

    def fetch(self, index, seed, position):
        """The collated samples at ``index`` (a list of keys, or one key without automatic
        batching); the first is at ``position`` in the epoch."""
        if not self.auto_collation:
            _active.append(_Stream(seed, position))
            try:
                data = self.dataset[index]
            finally:
                _active.pop()
            return self.collate_fn(data)
        if self._getitems is not None:
            with hr.use_batch(seed, np.arange(position, position + len(index), dtype=np.int64)):
                data = self._getitems(index)
                if type(data) is PreCollated and self.collate_fn is not default_collate:
                    data = list(data)
            return self.collate_fn(data)
        dataset = self.dataset
        data = []
        append = data.append
        for k, idx in enumerate(index, position):
            _active.append(_Stream(seed, k))
            try:
                append(dataset[idx])
            finally:
                _active.pop()
        return self.collate_fn(data)


class _IterableDatasetFetcher:
    """Fetches from one iterator over an iterable dataset; raises StopIteration at its end (or
    at a short last batch with ``drop_last``)."""

    def __init__(self, dataset, auto_collation, collate_fn, drop_last):
        self.dataset_iter = iter(dataset)
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last
        self.ended = False
        self._count = 0

    def _next(self, seed):
        k = self._count
        self._count = k + 1
        _active.append(_Stream(seed, k))
        try:
            return next(self.dataset_iter)
        finally:
            _active.pop()

    def fetch(self, index, seed, position):
        """The next ``len(index)`` samples, collated (the next sample without automatic batching);
        ``position`` is unused (samples are numbered by this iterator)."""
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(self._next(seed))
        data = []
        for _ in index:
            try:
                data.append(self._next(seed))
            except StopIteration:
                self.ended = True
                break
        if len(data) == 0 or (self.drop_last and len(data) < len(index)):
            raise StopIteration
        return self.collate_fn(data)


class _DatasetKind:
    """Map-style or iterable-style dataset, and the fetcher for each."""

    Map = 0
    Iterable = 1

    @staticmethod
    def create_fetcher(kind, dataset, auto_collation, collate_fn, drop_last):
        """A fetcher for ``dataset`` of ``kind``."""
        cls = _MapDatasetFetcher if kind == _DatasetKind.Map else _IterableDatasetFetcher
        return cls(dataset, auto_collation, collate_fn, drop_last)
