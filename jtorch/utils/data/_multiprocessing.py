"""The DataLoader iterator that loads in worker processes (PyTorch's design).

Each worker has its own index pipe; tasks ``(idx, index, position)`` go round-robin to the
active workers, at most ``prefetch_factor * num_workers`` at a time, and all workers send
results back through one result pipe (see :mod:`._transport`). Results are handed out in task
order. Waiting for a result also waits on the workers' process sentinels, so a worker that dies
is reported at once instead of hanging. Workers are shut down when the iterator is exhausted
(unless persistent), deleted or garbage collected, and at interpreter exit.
"""
import atexit
import collections
import itertools
import multiprocessing
import time
import warnings
import weakref
from multiprocessing import connection

from ..._host_tensor import WorkerJaxError
from . import _transport
from ._fetch import _DatasetKind
from ._worker import ExceptionWrapper, _IterableDatasetStopIteration, _ResumeIteration, _worker_loop
from .dataloader import _BaseDataLoaderIter

__all__ = []

STATUS_CHECK_INTERVAL = 5.0
"""Seconds between liveness checks while waiting for a result (death is noticed at once anyway)."""

SHUTDOWN_GRACE = 2.0
"""Seconds workers get to finish their current batch and exit before they are terminated."""

_live_iterators = weakref.WeakSet()


@atexit.register
def _shutdown_live_iterators():
    for it in list(_live_iterators):
        it._shutdown_workers()


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    """Loads batches in ``num_workers`` forked worker processes."""

    def __init__(self, loader):
        super().__init__(loader)
        self._shutdown = True
        self._loader_ref = weakref.ref(loader)
        self._prefetch_factor = loader.prefetch_factor
        if self._prefetch_factor <= 0:
            raise AssertionError("prefetch_factor must be greater than 0 for MultiProcessingDataLoaderIter")
        self._main_fetcher = None
        self._pending = collections.deque()
        self._abandon_workers = False
        ctx = loader.multiprocessing_context or multiprocessing.get_context("fork")
        self._result_reader, result_writer = ctx.Pipe(duplex=False)
        result_lock = ctx.Lock()
        self._workers_done_event = ctx.Event()
        self._index_conns = []
        self._workers = []
        self._shutdown = False
        _live_iterators.add(self)
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=r"os\.fork\(\) was called", category=RuntimeWarning)
                for i in range(self._num_workers):
                    index_reader, index_writer = ctx.Pipe(duplex=False)
                    w = ctx.Process(target=_worker_loop, daemon=True, args=(
                        self._dataset_kind, self._dataset, index_reader, self._result_reader, result_writer,
                        result_lock, self._workers_done_event, self._auto_collation, self._collate_fn, self._drop_last,
                        self._base_seed, loader.worker_init_fn, i, self._num_workers))
                    w.start()
                    index_reader.close()
                    self._index_conns.append(index_writer)
                    self._workers.append(w)
        except BaseException:
            self._shutdown_workers()
            raise
        finally:
            result_writer.close()
        self._reset(loader, first_iter=True)

    def _reset(self, loader, first_iter=False):
        super()._reset(loader, first_iter)
        if self._main_fetcher is not None:
            self._pending.clear()
            self._main_fetcher = self._create_fetcher()
            return
        self._send_idx = 0
        self._rcvd_idx = 0
        self._task_info = {}
        self._workers_status = [True] * self._num_workers
        self._worker_queue_idx_cycle = itertools.cycle(range(self._num_workers))
        if not first_iter:
            for worker_id in range(self._num_workers):
                self._put(worker_id, _ResumeIteration(self._base_seed))
            remaining = self._num_workers
            while remaining > 0:
                return_idx, _ = self._get_data()
                if isinstance(return_idx, _ResumeIteration):
                    remaining -= 1
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _create_fetcher(self):
        return _DatasetKind.create_fetcher(self._dataset_kind, self._dataset, self._auto_collation,
                                           self._collate_fn, self._drop_last)

    def _put(self, worker_id, message):
        try:
            self._index_conns[worker_id].send(message)
        except (BrokenPipeError, OSError):
            pass

    def _try_get_data(self, timeout):
        """(True, message) when a result arrives within ``timeout`` seconds, else (False, None);
        raises when a worker has exited unexpectedly."""
        workers = self._workers
        active = [w.sentinel for i, w in enumerate(workers) if self._workers_status[i]]
        ready = connection.wait([self._result_reader] + active, timeout)
        if self._result_reader in ready:
            try:
                return True, _transport.recv(self._result_reader)
            except EOFError:
                pass
        failed = [i for i, w in enumerate(workers) if self._workers_status[i] and not w.is_alive()]
        if failed:
            self._abandon_workers = True
            for worker_id in failed:
                self._mark_worker_as_unavailable(worker_id)
            pids = ", ".join(str(workers[i].pid) for i in failed)
            raise RuntimeError(f"DataLoader worker (pid(s) {pids}) exited unexpectedly")
        return False, None

    def _get_data(self):
        if self._timeout > 0:
            success, data = self._try_get_data(self._timeout)
            if success:
                return data
            self._abandon_workers = True
            raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")
        while True:
            success, data = self._try_get_data(STATUS_CHECK_INTERVAL)
            if success:
                return data

    def _next_data(self):
        if self._main_fetcher is not None:
            return self._next_in_main()
        while True:
            while self._rcvd_idx < self._send_idx:
                info = self._task_info.get(self._rcvd_idx)
                if info:
                    if len(info) == 4 or self._workers_status[info[0]]:
                        break
                    del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
            else:
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            if len(self._task_info[self._rcvd_idx]) == 4:
                info = self._task_info.pop(self._rcvd_idx)
                self._rcvd_idx += 1
                return self._process_data(info)
            idx, data = self._get_data()
            if self._dataset_kind == _DatasetKind.Iterable and isinstance(data, _IterableDatasetStopIteration):
                if self._persistent_workers:
                    self._workers_status[data.worker_id] = False
                else:
                    self._mark_worker_as_unavailable(data.worker_id)
                self._try_put_index()
                continue
            if idx != self._rcvd_idx:
                self._task_info[idx] += (data,)
            else:
                info = self._task_info.pop(idx) + (data,)
                self._rcvd_idx += 1
                return self._process_data(info)

    def _try_put_index(self):
        try:
            index, position = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):
            worker_id = next(self._worker_queue_idx_cycle)
            if self._workers_status[worker_id]:
                break
        else:
            return
        self._put(worker_id, (self._send_idx, index, position))
        self._task_info[self._send_idx] = (worker_id, index, position)
        self._send_idx += 1

    def _process_data(self, info):
        _, index, position, data = info
        self._try_put_index()
        if isinstance(data, ExceptionWrapper):
            if issubclass(data.exc_type, WorkerJaxError) and self._dataset_kind == _DatasetKind.Map:
                return self._fall_back_to_main(index, position, data)
            data.reraise()
        return data

    def _fall_back_to_main(self, index, position, error):
        """A worker ran a jtorch op: stop the workers and load this batch, the batches already
        handed to workers and all later ones in this process (the same batches)."""
        warnings.warn("A DataLoader worker process called a jtorch op (JAX cannot run in forked worker processes), "
                      "so this DataLoader now loads in the main process (num_workers is ignored; the batches are "
                      "the same). To use workers, keep the dataset's __getitem__, its transforms and collate_fn on "
                      "numpy arrays or PIL images (jtorch.tensor, jtorch.from_numpy and the jtorch.vision transforms "
                      f"are fine there). The worker's error:\n{error.exc_msg}", RuntimeWarning, stacklevel=5)
        self._pending.append((index, position))
        self._pending.extend((info[1], info[2]) for _, info in sorted(self._task_info.items()))
        self._task_info.clear()
        self._shutdown_workers()
        loader = self._loader_ref()
        if loader is not None:
            loader._workers_usable = False
        self._main_fetcher = self._create_fetcher()
        return self._next_in_main()

    def _next_in_main(self):
        if self._pending:
            index, position = self._pending.popleft()
        else:
            index, position = self._next_index()
        return self._main_fetcher.fetch(index, self._base_seed, position)

    def _mark_worker_as_unavailable(self, worker_id):
        self._put(worker_id, None)
        self._workers_status[worker_id] = False

    def _wait_for_exit(self, deadline):
        """Wait until the workers exit or ``deadline``, reading (and dropping) results meanwhile so
        that no worker stays blocked writing one (not after a worker died or timed out: the
        result pipe may hold a partial message)."""
        while True:
            alive = [w.sentinel for w in self._workers if w.exitcode is None]
            remaining = deadline - time.monotonic()
            if not alive or remaining <= 0:
                return
            if self._abandon_workers:
                connection.wait(alive, remaining)
                continue
            if self._result_reader in connection.wait([self._result_reader] + alive, remaining):
                try:
                    _transport.recv(self._result_reader)
                except (EOFError, OSError):
                    self._abandon_workers = True

    def _shutdown_workers(self):
        """Stop the workers: ask them to exit, give them :data:`SHUTDOWN_GRACE` seconds (none after
        a worker died or timed out), then terminate the rest and reap them all."""
        if self._shutdown:
            return
        self._shutdown = True
        _live_iterators.discard(self)
        try:
            self._workers_done_event.set()
            for worker_id in range(len(self._workers)):
                self._put(worker_id, None)
            self._wait_for_exit(time.monotonic() + (0.0 if self._abandon_workers else SHUTDOWN_GRACE))
        finally:
            for w in self._workers:
                if w.is_alive():
                    w.terminate()
            for w in self._workers:
                w.join(SHUTDOWN_GRACE)
                if w.is_alive():
                    w.kill()
                    w.join()
            for conn in self._index_conns:
                conn.close()
            self._result_reader.close()

    def __del__(self):
        if not getattr(self, "_shutdown", True):
            self._shutdown_workers()
