"""DataLoader worker processes: the worker loop, :class:`WorkerInfo` / :func:`get_worker_info`,
and carrying a worker's exception (with its traceback) to the main process.

A worker is a forked process that never runs JAX: it first calls
:func:`jtorch._host_tensor.enter_worker` (after which jtorch ops raise ``WorkerJaxError`` and
creation functions return host tensors), then seeds Python's ``random``, numpy's global RNG and
jtorch's default generator from ``base_seed + worker_id`` as PyTorch's workers do, runs
``worker_init_fn(worker_id)``, and fetches the batches the main process asks for.
"""
import os
import random
import sys
import traceback
from dataclasses import dataclass

import numpy as np

from ... import _host_tensor
from ...random import default_generator
from . import _transport
from ._fetch import _DatasetKind

__all__ = ["WorkerInfo", "get_worker_info"]

POLL_INTERVAL = 1.0
"""Seconds a worker waits for a task before checking that the main process is still alive."""

_worker_info = None


@dataclass(frozen=True)
class WorkerInfo:
    """About the current DataLoader worker: ``id`` (0 to ``num_workers - 1``), ``num_workers``,
    ``seed`` (``base_seed + id``; Python's ``random``, numpy and jtorch's generator are seeded
    from it) and ``dataset`` (this process's copy)."""

    id: int
    num_workers: int
    seed: int
    dataset: object


def get_worker_info():
    """The :class:`WorkerInfo` of this DataLoader worker process; None in the main process."""
    return _worker_info


class KeyErrorMessage(str):
    """A str whose repr is itself, so a re-raised KeyError shows its traceback readably."""

    def __repr__(self):
        return self


class ExceptionWrapper:
    """An exception caught in a worker: its type and formatted traceback, picklable."""

    def __init__(self, exc_info=None, where="in background"):
        if exc_info is None:
            exc_info = sys.exc_info()
        self.exc_type = exc_info[0]
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self):
        """Raise the exception again: ``Caught <Type> <where>.\\nOriginal Traceback ...``, of the
        same type when that type can be built from a message (else RuntimeError)."""
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        elif getattr(self.exc_type, "message", None):
            raise self.exc_type(message=msg)
        try:
            exception = self.exc_type(msg)
        except Exception:
            raise RuntimeError(msg) from None
        raise exception


@dataclass(frozen=True)
class _IterableDatasetStopIteration:
    """A worker's copy of an iterable dataset is exhausted."""

    worker_id: int


@dataclass(frozen=True)
class _ResumeIteration:
    """Start a new epoch (persistent workers) with this base seed."""

    seed: int


def _generate_state(base_seed, worker_id):
    """PyTorch's seed for numpy's global RNG in a worker (numpy's SeedSequence mixing of
    ``worker_id`` and ``base_seed``), so numpy draws in workers do not repeat Python's."""
    init_a, mult_a, init_b, mult_b = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
    mix_mult_l, mix_mult_r, xshift, mask32 = 0xCA01F9DD, 0x4973F715, 16, 0xFFFFFFFF
    entropy = [worker_id, base_seed & mask32, base_seed >> 32, 0]
    pool = [0] * 4
    hash_const_a = init_a

    def hash_(value):
        nonlocal hash_const_a
        value = (value ^ hash_const_a) & mask32
        hash_const_a = (hash_const_a * mult_a) & mask32
        value = (value * hash_const_a) & mask32
        return (value ^ (value >> xshift)) & mask32

    def mix(x, y):
        result = ((mix_mult_l * x) & mask32) - ((mix_mult_r * y) & mask32)
        result &= mask32
        return (result ^ (result >> xshift)) & mask32

    for i in range(4):
        pool[i] = hash_(entropy[i])
    for i_src in range(4):
        for i_dst in range(4):
            if i_src != i_dst:
                pool[i_dst] = mix(pool[i_dst], hash_(pool[i_src]))
    hash_const_b = init_b
    state = []
    for i_dst in range(4):
        data_val = (pool[i_dst] ^ hash_const_b) & mask32
        hash_const_b = (hash_const_b * mult_b) & mask32
        data_val = (data_val * hash_const_b) & mask32
        state.append((data_val ^ (data_val >> xshift)) & mask32)
    return state


def _send(conn, lock, idx, data, where):
    """Send ``(idx, data)``; what cannot be pickled is sent as the pickling error instead."""
    try:
        encoded = _transport.encode((idx, data))
    except Exception:
        if not isinstance(data, ExceptionWrapper):
            data = ExceptionWrapper(where=where)
        try:
            encoded = _transport.encode((idx, data))
        except Exception:
            data.exc_type = RuntimeError
            encoded = _transport.encode((idx, data))
    _transport.send(conn, lock, encoded)


def _worker_loop(kind, dataset, index_conn, result_reader, result_conn, result_lock, done_event, auto_collation,
                 collate_fn, drop_last, base_seed, init_fn, worker_id, num_workers):
    """Body of a worker process: fetch the tasks ``(idx, index, position)`` read from
    ``index_conn`` and send ``(idx, batch)`` back through ``result_conn``, until told to stop
    (``None``) or the main process is gone. ``result_reader`` (the main process's end, inherited
    by the fork) is closed, so a write fails instead of blocking once the main process is gone."""
    global _worker_info
    result_reader.close()
    try:
        _host_tensor.enter_worker()
        seed = base_seed + worker_id
        random.seed(seed)
        default_generator.manual_seed(seed)
        np.random.seed(_generate_state(base_seed, worker_id))
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)
        where = f"in DataLoader worker process {worker_id}"
        iterable = kind == _DatasetKind.Iterable
        init_exception = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
            fetcher = _DatasetKind.create_fetcher(kind, dataset, auto_collation, collate_fn, drop_last)
        except Exception:
            init_exception = ExceptionWrapper(where=where)
        iteration_end = False
        manager_pid = os.getppid()
        while os.getppid() == manager_pid:
            if not index_conn.poll(POLL_INTERVAL):
                continue
            r = index_conn.recv()
            if isinstance(r, _ResumeIteration):
                base_seed = r.seed
                iteration_end = False
                try:
                    fetcher = _DatasetKind.create_fetcher(kind, dataset, auto_collation, collate_fn, drop_last)
                except Exception:
                    init_exception = ExceptionWrapper(where=where)
                _send(result_conn, result_lock, r, None, where)
                continue
            if r is None:
                break
            if done_event.is_set() or iteration_end:
                continue
            idx, index, position = r
            if init_exception is not None:
                data, init_exception = init_exception, None
            else:
                try:
                    data = fetcher.fetch(index, base_seed + worker_id if iterable else base_seed, position)
                except StopIteration:
                    if not iterable:
                        data = ExceptionWrapper(where=where)
                    else:
                        data = _IterableDatasetStopIteration(worker_id)
                        iteration_end = True
                except Exception:
                    data = ExceptionWrapper(where=where)
            _send(result_conn, result_lock, idx, data, where)
            del data, idx, index, r
    except (KeyboardInterrupt, BrokenPipeError, EOFError):
        pass
