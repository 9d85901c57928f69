"""Samplers: ``torch.utils.data``'s Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler,
WeightedRandomSampler and BatchSampler.

Same arguments, lengths, errors and distributions as PyTorch. Randomness is host-side numpy
(never JAX, so samplers work anywhere): each pass draws one value from jtorch's generator (or
the sampler's ``generator``) and seeds a numpy generator with it. So ``jtorch.manual_seed`` or a
seeded generator reproduces the order, and each pass gives a new one; the orders differ from
PyTorch's for the same seed.
"""
import itertools
from typing import Generic, TypeVar

import numpy as np

from ... import _dtype as D
from ... import _host_random as hr
from ..._host_tensor import host_array, host_tensor
from ..._ops.creation import _data_array
from ..._tensor import Tensor

__all__ = ["BatchSampler", "RandomSampler", "Sampler", "SequentialSampler", "SubsetRandomSampler",
           "WeightedRandomSampler"]


_T_co = TypeVar("_T_co", covariant=True)


class Sampler(Generic[_T_co]):
    """Base class of samplers: ``__iter__`` yields indices (or lists of indices for batch
    samplers); ``__len__`` is optional, as in PyTorch."""

    def __iter__(self):
        raise NotImplementedError


def _iter_epoch(self):
    """One pass of a built-in sampler: the list :meth:`_epoch_indices` draws, drawn lazily (at
    the first ``next``, as PyTorch's generator-based samplers draw)."""
    yield from self._epoch_indices()


class SequentialSampler(Sampler):
    """``0, 1, ..., len(data_source) - 1``."""

    def __init__(self, data_source):
        self.data_source = data_source

    def _epoch_indices(self):
        return list(range(len(self.data_source)))

    __iter__ = _iter_epoch

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler):
    """A random permutation of the dataset's indices (repeated and cut to ``num_samples``), or
    ``num_samples`` indices drawn uniformly with ``replacement``."""

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={self.replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got num_samples={self.num_samples}")

    @property
    def num_samples(self):
        """``num_samples`` as given, else the dataset's current length."""
        if self._num_samples is None:
            return len(self.data_source)
        return self._num_samples

    def _epoch_indices(self):
        n = len(self.data_source)
        rng = hr.numpy_generator(hr.current(self.generator))
        count = self.num_samples
        if self.replacement:
            return rng.integers(0, n, size=count).tolist()
        perms = [rng.permutation(n) for _ in range(count // n)]
        perms.append(rng.permutation(n)[:count % n])
        return np.concatenate(perms).tolist()

    __iter__ = _iter_epoch

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given ``indices`` in a random order (a new one each pass)."""

    def __init__(self, indices, generator=None):
        self.indices = indices
        self.generator = generator

    def _epoch_indices(self):
        indices = self.indices
        return [indices[i] for i in hr.randperm(len(indices), hr.current(self.generator)).tolist()]

    __iter__ = _iter_epoch

    def __len__(self):
        return len(self.indices)


def _multinomial(weights, num_samples, replacement, rng):
    """``torch.multinomial`` of a 1-d float64 weight array, with its errors, on numpy."""
    n = weights.shape[0]
    if n > 1 << 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    if not (weights >= 0).all():
        raise RuntimeError("invalid multinomial distribution (encountering probability entry < 0)")
    if not np.isfinite(weights).all():
        raise RuntimeError("invalid multinomial distribution (encountering probability entry = infinity or NaN)")
    if not weights.sum() > 0:
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    if replacement:
        cdf = np.cumsum(weights)
        picks = np.searchsorted(cdf, rng.random(num_samples) * cdf[-1], side="right")
        return np.minimum(picks, n - 1)
    if num_samples > n:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    with np.errstate(divide="ignore"):
        keys = rng.standard_exponential(n) / weights
    return np.argsort(keys, kind="stable")[:num_samples]


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices of ``range(len(weights))`` drawn with probabilities proportional to
    ``weights`` (without ``replacement``: each index at most once)."""

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got num_samples={num_samples}")
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got replacement={replacement}")
        if isinstance(weights, Tensor):
            array = host_array(weights).astype(np.float64)
        else:
            array = np.asarray(_data_array(weights, D.float64)[0], dtype=np.float64)
        if array.ndim != 1:
            raise ValueError(f"weights should be a 1d sequence but given weights have shape {tuple(array.shape)}")
        self.weights = host_tensor(array)
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def _epoch_indices(self):
        rng = hr.numpy_generator(hr.current(self.generator))
        return _multinomial(host_array(self.weights), self.num_samples, self.replacement, rng).tolist()

    __iter__ = _iter_epoch

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler):
    """Groups the indices of ``sampler`` (any iterable) into lists of ``batch_size``; the last,
    shorter list is dropped when ``drop_last``. Built-in samplers are batched by slicing their
    whole pass at once."""

    def __init__(self, sampler, batch_size, drop_last):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        size = self.batch_size
        if getattr(type(self.sampler), "__iter__", None) is _iter_epoch:
            indices = self.sampler._epoch_indices()
            n = len(indices)
            stop = n - n % size if self.drop_last else n
            for i in range(0, stop, size):
                yield indices[i:i + size]
            return
        sampler_iter = iter(self.sampler)
        if self.drop_last:
            for batch in zip(*[sampler_iter] * size):
                yield [*batch]
        else:
            batch = [*itertools.islice(sampler_iter, size)]
            while batch:
                yield batch
                batch = [*itertools.islice(sampler_iter, size)]

    def __len__(self):
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size
