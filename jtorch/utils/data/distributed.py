"""``DistributedSampler``: each of ``num_replicas`` processes reads its own share of a dataset."""
import math

from ... import _host_random as hr
from ...random import Generator
from .sampler import Sampler, _iter_epoch

__all__ = ["DistributedSampler"]


class DistributedSampler(Sampler):
    """The indices of replica ``rank``: every ``num_replicas``-th index of the (shuffled with
    ``seed + epoch``, when ``shuffle``) index list, padded by repeating its start to a multiple
    of ``num_replicas``, or cut to one when ``drop_last``. Call :meth:`set_epoch` each epoch to
    reshuffle.

    Differs from PyTorch: ``num_replicas`` and ``rank`` must be given (jtorch has no default
    process group yet; omitting them raises PyTorch's error for an uninitialized group), and the
    shuffled order is jtorch's host permutation for ``seed + epoch``, not PyTorch's (it is the same
    in every process, which is what matters).
    """

    def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0, drop_last=False):
        if num_replicas is None or rank is None:
            raise ValueError("Default process group has not been initialized, please make sure to call "
                             "init_process_group.")
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        if self.drop_last and len(self.dataset) % self.num_replicas != 0:
            self.num_samples = math.ceil((len(self.dataset) - self.num_replicas) / self.num_replicas)
        else:
            self.num_samples = math.ceil(len(self.dataset) / self.num_replicas)
        self.total_size = self.num_samples * self.num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def _epoch_indices(self):
        n = len(self.dataset)
        if self.shuffle:
            g = Generator().manual_seed(self.seed + self.epoch)
            indices = hr.randperm(n, hr.current(g)).tolist()
        else:
            indices = list(range(n))
        if not self.drop_last:
            padding_size = self.total_size - len(indices)
            if padding_size <= len(indices):
                indices += indices[:padding_size]
            else:
                indices += (indices * math.ceil(padding_size / len(indices)))[:padding_size]
        else:
            indices = indices[:self.total_size]
        return indices[self.rank:self.total_size:self.num_replicas]

    __iter__ = _iter_epoch

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch):
        """Set the epoch: with ``shuffle``, each epoch gets its own order (the same in every
        replica)."""
        self.epoch = epoch
