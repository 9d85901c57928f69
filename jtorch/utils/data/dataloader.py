"""``DataLoader``: batches of a dataset, loaded in the main process or in worker processes."""
import math
import multiprocessing
import os
import warnings
from typing import Generic, TypeVar

from ... import _host_random as hr
from ._collate import default_collate, default_convert
from ._fetch import _DatasetKind
from ._worker import get_worker_info
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "default_collate", "default_convert", "get_worker_info"]

_T_co = TypeVar("_T_co", covariant=True)


class _InfiniteConstantSampler(Sampler):
    """``None`` forever: the sampler of an iterable-style dataset."""

    def __iter__(self):
        while True:
            yield None


class DataLoader(Generic[_T_co]):
    """Iterates over ``dataset`` in batches, like ``torch.utils.data.DataLoader``: same arguments,
    argument errors, ``len()``, sampling, collation and worker semantics.

    Workers (``num_workers > 0``) are forked processes (the dataset is inherited, not pickled,
    so scripts need no ``if __name__ == '__main__'`` guard); they never run JAX. A worker's
    exception is re-raised here with its traceback; a worker that dies raises RuntimeError
    instead of hanging. Batches come back in sampler order.

    Randomness: each iterator (epoch) draws a base seed from ``generator`` (else jtorch's
    generator), and sample ``k`` of the epoch is fetched under its own host random stream
    ``(base_seed, k)`` (a ``__getitems__`` batch under ``hr.use_batch``), so random transforms give
    the same batches whatever ``num_workers`` is, and ``jtorch.manual_seed`` reproduces them.
    Workers also seed Python's ``random`` and numpy from ``base_seed + worker_id`` like PyTorch.

    Differs from PyTorch:

    * No worker processes start when the dataset says its batches need no user code
      (``dataset._batched_without_user_code()`` is true: built-in in-memory datasets with
      built-in transforms, :class:`TensorDataset`), ``worker_init_fn`` is None and ``collate_fn``
      is the default: such batches are vectorized numpy, faster in this process than any
      inter-process transfer, and the results are identical.
    * A worker that runs a jtorch op (JAX cannot run in a forked process) makes the loader warn
      and load in the main process from then on (same batches); for an iterable-style dataset
      the error is raised instead.
    * Only the 'fork' start method is supported; ``pin_memory`` is accepted and does nothing;
      ``in_order=False`` is accepted and batches still come in order; with
      ``persistent_workers`` each epoch still gets a new base seed.
    * The random orders (shuffle, random transforms) are jtorch's numbers, not PyTorch's.
    """

    __initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None, persistent_workers=False,
                 pin_memory_device="", in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 "
                             "to enable multiprocessing, otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order

        if isinstance(dataset, IterableDataset):
            self._dataset_kind = _DatasetKind.Iterable
            if shuffle not in {False, None}:
                raise ValueError(
                    f"DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError(
                    f"DataLoader with IterableDataset: expected unspecified sampler option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified batch_sampler option, but got "
                                 f"batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
            self._dataset_kind = _DatasetKind.Map

        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
                                 "drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with drop_last")

        if sampler is None:
            if self._dataset_kind == _DatasetKind.Iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self.__initialized = True
        self._IterableDataset_len_called = None
        self._iterator = None
        self._workers_usable = True
        self.check_worker_number_rationality()

    @property
    def multiprocessing_context(self):
        """The multiprocessing context workers start from (None: 'fork')."""
        return self.__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, context):
        if context is not None:
            if self.num_workers <= 0:
                raise ValueError("multiprocessing_context can only be used with multi-process loading "
                                 f"(num_workers > 0), but got num_workers={self.num_workers}")
            if isinstance(context, str):
                valid_start_methods = multiprocessing.get_all_start_methods()
                if context not in valid_start_methods:
                    raise ValueError(f"multiprocessing_context option should specify a valid start method in "
                                     f"{valid_start_methods!r}, but got multiprocessing_context={context!r}")
                context = multiprocessing.get_context(context)
            if not isinstance(context, multiprocessing.context.BaseContext):
                raise TypeError("multiprocessing_context option should be a valid context object or a string "
                                f"specifying the start method, but got multiprocessing_context={context}")
            method = context.get_start_method()
            if method != "fork":
                raise ValueError(f"multiprocessing_context={method!r} is not supported: jtorch's DataLoader starts its "
                                 "workers with 'fork' (a worker inherits the dataset and never starts JAX); use "
                                 "multiprocessing_context='fork' or None")
        self.__multiprocessing_context = context

    def __setattr__(self, attr, val):
        if self.__initialized and attr in ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                                           "persistent_workers"):
            raise ValueError(f"{attr} attribute should not be set after {self.__class__.__name__} is initialized")
        super().__setattr__(attr, val)

    def _loads_in_main(self):
        """Whether iterators load in this process: no workers asked for, workers unusable (one ran
        a jtorch op), or batches that run no user code (see the class docstring)."""
        if self.num_workers == 0 or not self._workers_usable:
            return True
        check = getattr(self.dataset, "_batched_without_user_code", None)
        return (callable(check) and self.worker_init_fn is None and self.collate_fn is default_collate
                and bool(check()))

    def _get_iterator(self):
        if self._loads_in_main():
            return _SingleProcessDataLoaderIter(self)
        from ._multiprocessing import _MultiProcessingDataLoaderIter

        self.check_worker_number_rationality()
        return _MultiProcessingDataLoaderIter(self)

    def __iter__(self):
        if self.persistent_workers and self.num_workers > 0:
            if self._iterator is None:
                self._iterator = self._get_iterator()
            else:
                self._iterator._reset(self)
            return self._iterator
        return self._get_iterator()

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self):
        if self._dataset_kind == _DatasetKind.Iterable:
            length = self._IterableDataset_len_called = len(self.dataset)
            if self.batch_size is not None:
                length = length // self.batch_size if self.drop_last else math.ceil(length / self.batch_size)
            return length
        return len(self._index_sampler)

    def check_worker_number_rationality(self):
        """Warn (like PyTorch) when ``num_workers`` exceeds the CPUs this process may use."""
        if not self.num_workers:
            return
        cpuset_checked = hasattr(os, "sched_getaffinity")
        max_num_worker_suggest = len(os.sched_getaffinity(0)) if cpuset_checked else os.cpu_count()
        if max_num_worker_suggest is None or self.num_workers > max_num_worker_suggest:
            if max_num_worker_suggest is None:
                suggestion = "DataLoader is not able to compute a suggested max number of worker in current system."
            else:
                suggestion = (f"Our suggested max number of worker in current system is {max_num_worker_suggest}"
                              f"{'' if cpuset_checked else ' (`cpuset` is not taken into account)'}, which is smaller "
                              "than what this DataLoader is going to create.")
            warnings.warn(f"This DataLoader will create {self.num_workers} worker processes in total. {suggestion} "
                          "Please be aware that excessive worker creation might get DataLoader running slow or even "
                          "freeze, lower the worker number to avoid potential slowness/freeze if necessary.",
                          stacklevel=2)


class _BaseDataLoaderIter:
    """What every DataLoader iterator holds: the index sampler's iterator, the epoch's base seed
    and the position of the next sample in the epoch."""

    def __init__(self, loader):
        self._dataset = loader.dataset
        self._dataset_kind = loader._dataset_kind
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        self._timeout = loader.timeout
        self._collate_fn = loader.collate_fn
        self._persistent_workers = loader.persistent_workers
        self._sampler_iter = iter(self._index_sampler)
        self._base_seed = hr.draw_seed(loader.generator)
        self._position = 0
        self._num_yielded = 0

    def __iter__(self):
        return self

    def _reset(self, loader, first_iter=False):
        """Start a new epoch (persistent iterators): new sampler pass and base seed."""
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._position = 0
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        if not first_iter:
            self._base_seed = hr.draw_seed(loader.generator)

    def _next_index(self):
        """The next index (batch of keys) and the epoch position of its first sample."""
        index = next(self._sampler_iter)
        position = self._position
        self._position = position + (len(index) if self._auto_collation else 1)
        return index, position

    def _next_data(self):
        raise NotImplementedError

    def __next__(self):
        data = self._next_data()
        self._num_yielded += 1
        if self._IterableDataset_len_called is not None:
            self._check_iterable_length()
        return data

    def _check_iterable_length(self):
        """Warn, like PyTorch, when an iterable dataset yields more than ``len(dataloader)``."""
        if self._dataset_kind == _DatasetKind.Iterable and self._num_yielded > self._IterableDataset_len_called:
            msg = (f"Length of IterableDataset {self._dataset} was reported to be {self._IterableDataset_len_called}"
                   f"(when accessing len(dataloader)), but {self._num_yielded} samples have been fetched. ")
            if self._num_workers > 0:
                msg += ("For multiprocessing data-loading, this could be caused by not properly configuring the "
                        "IterableDataset replica at each worker. Please see "
                        "https://pytorch.org/docs/stable/data.html#torch.utils.data.IterableDataset for examples.")
            warnings.warn(msg, stacklevel=3)

    def __len__(self):
        return len(self._index_sampler)

    def __getstate__(self):
        raise NotImplementedError(f"{self.__class__.__name__} cannot be pickled")


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    """Loads each batch in this process when it is asked for."""

    def __init__(self, loader):
        super().__init__(loader)
        if self._timeout != 0 and self._num_workers == 0:
            raise AssertionError("_SingleProcessDataLoaderIter requires timeout == 0")
        self._fetch = _DatasetKind.create_fetcher(self._dataset_kind, self._dataset, self._auto_collation,
                                                  self._collate_fn, self._drop_last).fetch

    def _reset(self, loader, first_iter=False):
        super()._reset(loader, first_iter)
        self._fetch = _DatasetKind.create_fetcher(self._dataset_kind, self._dataset, self._auto_collation,
                                                  self._collate_fn, self._drop_last).fetch

    def __next__(self):
        index = next(self._sampler_iter)
        position = self._position
        self._position = position + (len(index) if self._auto_collation else 1)
        data = self._fetch(index, self._base_seed, position)
        self._num_yielded += 1
        if self._IterableDataset_len_called is not None:
            self._check_iterable_length()
        return data
