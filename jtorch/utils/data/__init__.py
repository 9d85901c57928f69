"""``torch.utils.data``: datasets, samplers, the DataLoader and collation.

Everything here works on host numpy and never calls JAX, so it runs in DataLoader worker
processes (forked, where JAX cannot run). See :class:`DataLoader` for how loading and its
randomness work and where they differ from PyTorch.
"""
from ._collate import PreCollated, default_collate, default_convert
from ._fetch import _DatasetKind
from ._worker import get_worker_info
from .dataloader import DataLoader
from .dataset import (ChainDataset, ConcatDataset, Dataset, IterableDataset, StackDataset, Subset, TensorDataset,
                      random_split)
from .distributed import DistributedSampler
from .sampler import (BatchSampler, RandomSampler, Sampler, SequentialSampler, SubsetRandomSampler,
                      WeightedRandomSampler)

__all__ = ["BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset", "DistributedSampler",
           "IterableDataset", "PreCollated", "RandomSampler", "Sampler", "SequentialSampler", "StackDataset", "Subset",
           "SubsetRandomSampler", "TensorDataset", "WeightedRandomSampler", "_DatasetKind", "default_collate",
           "default_convert", "get_worker_info", "random_split"]
