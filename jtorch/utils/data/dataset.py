"""Datasets: ``torch.utils.data``'s Dataset, IterableDataset, TensorDataset, StackDataset,
ConcatDataset, ChainDataset, Subset and random_split.

They behave like PyTorch's (same errors, lengths, indexing). Differences: :class:`TensorDataset`
indexes the host (numpy) values of its tensors, so its samples are new tensors rather than views,
and it fetches whole batches vectorized; :func:`random_split` draws its permutation from jtorch's
host random numbers, so the split differs from PyTorch's for the same seed.
"""
import bisect
import itertools
import math
import warnings
from typing import Generic, Iterable, TypeVar

import numpy as np

from ... import _host_random as hr
from ..._host_tensor import host_array, host_tensor
from ..._tensor import Tensor
from ...random import default_generator
from ._collate import PreCollated

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "StackDataset", "ConcatDataset", "ChainDataset", "Subset",
           "random_split"]

_T_co = TypeVar("_T_co", covariant=True)


class Dataset(Generic[_T_co]):
    """A map from keys to samples: subclasses define ``__getitem__`` (and usually ``__len__``).

    A subclass may define ``__getitems__(indices)`` returning the samples of a whole batch; the
    DataLoader then calls it once per batch instead of ``__getitem__`` per sample.
    """

    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other):
        return ConcatDataset([self, other])


class IterableDataset(Dataset[_T_co], Iterable[_T_co]):
    """A stream of samples: subclasses define ``__iter__``.

    With ``num_workers > 0`` every worker process iterates its own copy; use
    :func:`~jtorch.utils.data.get_worker_info` in ``__iter__`` (or in ``worker_init_fn``) to give
    each copy its own share of the data.
    """

    def __add__(self, other):
        return ChainDataset([self, other])


def _numpy_index(index):
    """An index for numpy: tensors become their host arrays."""
    return host_array(index) if isinstance(index, Tensor) else index


class TensorDataset(Dataset):
    """Samples are ``tuple(t[index] for t in tensors)``; all tensors share the first dimension.

    Differs from PyTorch: samples are taken from the tensors' host (numpy) values, so they are new
    tensors (not views of the stored ones) and carry no autograd history. A batch is fetched with
    one numpy gather per tensor, and the DataLoader needs no worker processes for it.
    """

    def __init__(self, *tensors):
        if any(tensors[0].size(0) != tensor.size(0) for tensor in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        index = _numpy_index(index)
        return tuple(host_tensor(np.asarray(host_array(t)[index])) for t in self.tensors)

    def __getitems__(self, indices):
        """The samples at ``indices``, already collated for ``default_collate`` (a
        :class:`~jtorch.utils.data.PreCollated`): one numpy gather per tensor."""
        if type(self).__getitem__ is not TensorDataset.__getitem__:
            return [self[i] for i in indices]
        if not len(indices):
            return []
        rows = np.asarray(_numpy_index(indices))
        collated = [host_tensor(host_array(t)[rows]) for t in self.tensors]
        return PreCollated(collated, lambda k: self[indices[k]], len(indices))

    def _batched_without_user_code(self):
        """Whether a batch fetch runs only this class's numpy code (the DataLoader then loads in
        the main process, with no workers)."""
        cls = type(self)
        return cls.__getitem__ is TensorDataset.__getitem__ and cls.__getitems__ is TensorDataset.__getitems__

    def __len__(self):
        return self.tensors[0].size(0)


class StackDataset(Dataset):
    """Samples of several equally long datasets side by side: ``StackDataset(a, b)[i]`` is
    ``(a[i], b[i])`` and ``StackDataset(x=a, y=b)[i]`` is ``{"x": a[i], "y": b[i]}``."""

    def __init__(self, *args, **kwargs):
        if args:
            if kwargs:
                raise ValueError(
                    "Supported either ``tuple``- (via ``args``) or"
                    "``dict``- (via ``kwargs``) like input/output, but both types are given.")
            self._length = len(args[0])
            if any(self._length != len(dataset) for dataset in args):
                raise ValueError("Size mismatch between datasets")
            self.datasets = args
        elif kwargs:
            tmp = list(kwargs.values())
            self._length = len(tmp[0])
            if any(self._length != len(dataset) for dataset in tmp):
                raise ValueError("Size mismatch between datasets")
            self.datasets = kwargs
        else:
            raise ValueError("At least one dataset should be passed")

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {k: dataset[index] for k, dataset in self.datasets.items()}
        return tuple(dataset[index] for dataset in self.datasets)

    @staticmethod
    def _column(dataset, indices):
        """The samples of one stacked dataset at ``indices`` (batched when it supports it)."""
        getitems = getattr(dataset, "__getitems__", None)
        if not callable(getitems):
            return [dataset[idx] for idx in indices]
        items = getitems(indices)
        if len(items) != len(indices):
            raise ValueError(f"Nested dataset's output size mismatch. Expected {len(indices)}, got {len(items)}")
        return items

    def __getitems__(self, indices):
        if isinstance(self.datasets, dict):
            batch = [{} for _ in indices]
            for k, dataset in self.datasets.items():
                for data, sample in zip(self._column(dataset, indices), batch):
                    sample[k] = data
            return batch
        columns = [self._column(dataset, indices) for dataset in self.datasets]
        return [tuple(sample) for sample in zip(*columns)]

    def __len__(self):
        return self._length


class ConcatDataset(Dataset):
    """The concatenation of map-style datasets (negative indices count from the end)."""

    @staticmethod
    def cumsum(sequence):
        """Running totals of the datasets' lengths."""
        r, s = [], 0
        for e in sequence:
            n = len(e)
            r.append(n + s)
            s += n
        return r

    def __init__(self, datasets):
        super().__init__()
        self.datasets = list(datasets)
        if len(self.datasets) == 0:
            raise AssertionError("datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        dataset_idx = bisect.bisect_right(self.cumulative_sizes, idx)
        sample_idx = idx if dataset_idx == 0 else idx - self.cumulative_sizes[dataset_idx - 1]
        return self.datasets[dataset_idx][sample_idx]

    @property
    def cummulative_sizes(self):
        """Deprecated spelling of :attr:`cumulative_sizes` (warns, like PyTorch)."""
        warnings.warn("`cummulative_sizes` attribute is renamed to `cumulative_sizes`", FutureWarning, stacklevel=2)
        return self.cumulative_sizes


class ChainDataset(IterableDataset):
    """The concatenation of iterable datasets, chained lazily."""

    def __init__(self, datasets):
        super().__init__()
        self.datasets = datasets

    def __iter__(self):
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            yield from d

    def __len__(self):
        total = 0
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            total += len(d)
        return total


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``. A subclass that overrides ``__getitem__``
    must override ``__getitems__`` too (PyTorch's rule)."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices
        if type(self).__getitem__ is not Subset.__getitem__ and type(self).__getitems__ is Subset.__getitems__:
            raise NotImplementedError(
                f"{type(self).__name__} overrides __getitem__ but not __getitems__. "
                "When subclassing Subset and overriding __getitem__, you must also override "
                "__getitems__ to ensure DataLoader works correctly with your custom logic. "
                "A simple implementation:\n\n"
                "def __getitems__(self, indices):\n"
                "    return [self.__getitem__(idx) for idx in indices]")

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices):
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__([self.indices[idx] for idx in indices])
        return [self.dataset[self.indices[idx]] for idx in indices]

    def _batched_without_user_code(self):
        """Whether a batch fetch runs no user code: the wrapped dataset's check (see
        :meth:`TensorDataset._batched_without_user_code`), when this is a plain Subset."""
        check = getattr(self.dataset, "_batched_without_user_code", None)
        return type(self).__getitems__ is Subset.__getitems__ and callable(check) and bool(check())

    def __len__(self):
        return len(self.indices)


def random_split(dataset, lengths, generator=default_generator):
    """Split ``dataset`` into non-overlapping :class:`Subset` s of the given ``lengths``, or of
    fractions of its length summing to 1 (the remainder goes round-robin to the first splits; an
    empty split warns). Differs from PyTorch: the permutation comes from jtorch's host random
    numbers (reproducible for a seed or ``generator``, but not PyTorch's numbers)."""
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        subset_lengths = []
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
            subset_lengths.append(math.floor(len(dataset) * frac))
        remainder = len(dataset) - sum(subset_lengths)
        for i in range(remainder):
            subset_lengths[i % len(subset_lengths)] += 1
        lengths = subset_lengths
        for i, length in enumerate(lengths):
            if length == 0:
                warnings.warn(f"Length of split at index {i} is 0. This might result in an empty dataset.",
                              stacklevel=2)
    if sum(lengths) != len(dataset):
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    indices = hr.randperm(sum(lengths), hr.current(generator)).tolist()
    return [Subset(dataset, indices[offset - length:offset])
            for offset, length in zip(itertools.accumulate(lengths), lengths)]

