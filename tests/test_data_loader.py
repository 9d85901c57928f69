"""jtorch.utils.data.DataLoader and collation against torch.utils.data.

torch runs single-process only (forking it here would fork JAX's threads too); jtorch's workers
are compared with its own single-process loading, which is compared with torch.
"""
import collections
import os
import re
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.utils.data as tdata  # noqa: E402

import jtorch  # noqa: E402
import jtorch._host_random as hr  # noqa: E402
import jtorch.utils.data as jdata  # noqa: E402
from jtorch._host_tensor import WorkerJaxError, in_worker  # noqa: E402
from jtorch.utils.data.dataloader import _SingleProcessDataLoaderIter  # noqa: E402
from test_data_datasets import check_same_error  # noqa: E402


def stable_repr(value):
    """A test id without memory addresses (xdist workers must collect the same ids)."""
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))

LIBS = {"torch": (torch, tdata), "jtorch": (jtorch, jdata)}
Point = collections.namedtuple("Point", "x y")


def assert_same(t, j, path="batch"):
    """A torch result and a jtorch result have the same structure, types, dtypes and values."""
    if isinstance(t, torch.Tensor):
        assert isinstance(j, jtorch.Tensor), f"{path}: {type(j).__name__}"
        assert str(j.dtype) == str(t.dtype), f"{path}: {j.dtype} vs {t.dtype}"
        assert tuple(j.shape) == tuple(t.shape), f"{path}: {tuple(j.shape)} vs {tuple(t.shape)}"
        if t.dtype == torch.bfloat16:
            t, j = t.float(), j.float()
        np.testing.assert_array_equal(np.asarray(j), t.numpy(), err_msg=path)
        return
    assert type(j) is type(t), f"{path}: {type(j).__name__} vs {type(t).__name__}"
    if isinstance(t, dict):
        assert list(j) == list(t), path
        for k in t:
            assert_same(t[k], j[k], f"{path}[{k!r}]")
    elif isinstance(t, (list, tuple)):
        assert len(j) == len(t), path
        for i, (a, b) in enumerate(zip(t, j)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(t, np.ndarray):
        np.testing.assert_array_equal(j, t, err_msg=path)
    else:
        assert j == t, path


# ---- default_collate / default_convert --------------------------------------------------------

BATCHES = [
    [1, 2, 3], [1.5, 2.0], [True, False], [1, 2.5], [True, 2], [1.0, 2], [2 ** 40, -1],
    [np.float32(1), np.float32(2)], [np.int32(1), np.int32(5)], [np.float32(1), np.float64(2)],
    [np.uint8(1), np.int8(2)], [np.bool_(True), np.bool_(False)], [np.float32(1), 2],
    [np.array([1, 2]), np.array([3, 4])], [np.array(1.0), np.array(2.0)],
    [np.zeros((2, 3), np.uint8), np.ones((2, 3), np.uint8)], [np.zeros(2, np.float16), np.ones(2, np.float16)],
    [np.arange(6, dtype=np.int16).reshape(2, 3).T, np.ones((3, 2), np.int16)],
    ["a", "b"], [b"a", b"b"],
    [(1, "a", np.zeros(2)), (2, "b", np.ones(2))], [[1, 2], [3, 4]],
    [{"a": 1, "b": [1.0, 2.0]}, {"a": 2, "b": [3.0, 4.0]}],
    [Point(1, np.zeros(2)), Point(2, np.ones(2))], [{"p": Point(1, 2.0)}, {"p": Point(3, 4.0)}],
    [collections.OrderedDict(a=1, b="x"), collections.OrderedDict(a=2, b="y")],
    [(np.array([1, 2]), 3.0)] * 3,
]

TENSOR_BATCHES = [
    lambda lib: [lib.tensor([1, 2]), lib.tensor([3, 4])],
    lambda lib: [lib.tensor([1.0, 2.0]), lib.tensor([3, 4])],
    lambda lib: [lib.tensor([1, 2], dtype=lib.int32), lib.tensor([3, 4])],
    lambda lib: [lib.tensor([1, 2], dtype=lib.uint8), lib.tensor([3, 4], dtype=lib.int8)],
    lambda lib: [(lib.tensor(1.5), 1), (lib.tensor(2.5), 2)],
    lambda lib: [lib.zeros(2, 3, dtype=lib.bfloat16), lib.ones(2, 3, dtype=lib.bfloat16)],
    lambda lib: [{"img": lib.ones(2, 2), "label": 3}, {"img": lib.zeros(2, 2), "label": 4}],
]


@pytest.mark.parametrize("batch", BATCHES, ids=lambda b: type(b[0]).__name__)
def test_default_collate_and_convert_match_torch(batch):
    assert_same(tdata.default_collate(batch), jdata.default_collate(batch))
    assert_same(tdata.default_convert(batch), jdata.default_convert(batch))
    assert_same(tdata.default_convert(batch[0]), jdata.default_convert(batch[0]))


@pytest.mark.parametrize("make", TENSOR_BATCHES)
def test_default_collate_tensors_match_torch(make):
    assert_same(tdata.default_collate(make(torch)), jdata.default_collate(make(jtorch)))
    assert_same(tdata.default_convert(make(torch)), jdata.default_convert(make(jtorch)))


def test_default_collate_keeps_autograd_in_main_process():
    a = jtorch.ones(2, requires_grad=True)
    out = jdata.default_collate([a, a * 2])
    assert out.requires_grad and out.grad_fn is not None
    out.sum().backward()
    assert a.grad.tolist() == [3.0, 3.0]


@pytest.mark.parametrize("batch", [
    [[1, 2], [1]], [np.zeros(2), np.zeros(3)], [np.zeros(2), np.zeros((2, 1))], [object(), object()],
    [np.array(["a"]), np.array(["b"])], [1 + 2j, 3], [None, None], [], [2 ** 64, 1], [1.0, "a"], [1, "a"],
], ids=stable_repr)
def test_default_collate_errors_match_torch(batch):
    check_same_error(lambda lib, d: d.default_collate(batch))


def test_default_collate_tensor_size_error_matches_torch():
    check_same_error(lambda lib, d: d.default_collate([lib.zeros(2), lib.zeros(3)]))


def test_collate_fn_map_extension():
    from jtorch.utils.data._collate import collate, default_collate_fn_map

    def collate_str(batch, *, collate_fn_map=None):
        return "+".join(batch)

    fn_map = {**default_collate_fn_map, str: collate_str}
    out = collate([("a", 1), ("b", 2)], collate_fn_map=fn_map)
    assert out[0] == "a+b" and out[1].tolist() == [1, 2]


def test_precollated_sequence():
    samples = [(i, float(i)) for i in range(3)]
    pre = jdata.PreCollated("collated", lambda k: samples[k], 3)
    assert jdata.default_collate(pre) == "collated"
    assert len(pre) == 3 and pre[-1] == samples[2] and pre[0:2] == samples[:2] and list(pre) == samples
    with pytest.raises(IndexError):
        pre[3]


# ---- DataLoader vs torch ----------------------------------------------------------------------

class Records:
    """A map-style dataset of nested samples (plain Python: the same object works for both)."""

    def __init__(self, n=11):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return {"x": np.full((2, 3), i, np.float32), "y": i, "w": i / 2, "name": f"s{i}",
                "pair": (np.int64(i), np.array([i, -i], np.int16))}


def loader_pair(dataset, **kw):
    return tdata.DataLoader(dataset, **kw), jdata.DataLoader(dataset, **kw)


@pytest.mark.parametrize("kw", [
    {}, {"batch_size": 4}, {"batch_size": 4, "drop_last": True}, {"batch_size": 11}, {"batch_size": 20},
    {"batch_size": 20, "drop_last": True}, {"batch_size": None}, {"batch_size": 3, "sampler": [10, 0, 5, 5, 2]},
    {"batch_size": None, "sampler": [4, 1]}, {"batch_sampler": [[3, 1], [0], [10, 9, 8]]},
    {"batch_size": 2, "collate_fn": lambda b: [s["y"] for s in b]},
], ids=stable_repr)
def test_loader_batches_and_len_match_torch(kw):
    t, j = loader_pair(Records(), **kw)
    assert len(j) == len(t)
    t_batches, j_batches = list(t), list(j)
    assert len(j_batches) == len(t_batches)
    for a, b in zip(t_batches, j_batches):
        assert_same(a, b)


def test_loader_tensor_dataset_matches_torch():
    x = np.random.default_rng(0).normal(size=(10, 3)).astype(np.float32)
    y = np.arange(10)
    t = tdata.DataLoader(tdata.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=4)
    j = jdata.DataLoader(jdata.TensorDataset(jtorch.from_numpy(x), jtorch.from_numpy(y)), batch_size=4)
    for a, b in zip(t, j):
        assert_same(a, b)
    t1 = tdata.DataLoader(tdata.TensorDataset(torch.from_numpy(x)), batch_size=None)
    j1 = jdata.DataLoader(jdata.TensorDataset(jtorch.from_numpy(x)), batch_size=None)
    assert_same(list(t1), list(j1))


def test_loader_uses_getitems():
    calls = []

    class Batched(jdata.Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            raise AssertionError("__getitem__ should not be called")

        def __getitems__(self, indices):
            calls.append(list(indices))
            return [i * 10 for i in indices]

    assert [b.tolist() for b in jdata.DataLoader(Batched(), batch_size=2)] == [[0, 10], [20, 30], [40]]
    assert calls == [[0, 1], [2, 3], [4]]


def test_precollated_goes_to_custom_collate_as_list():
    seen = []
    ds = jdata.TensorDataset(jtorch.arange(6))

    def collate(batch):
        seen.append(type(batch))
        batch.sort(key=lambda s: -s[0].item())
        return [s[0].item() for s in batch]

    assert list(jdata.DataLoader(ds, batch_size=3, collate_fn=collate)) == [[2, 1, 0], [5, 4, 3]]
    assert seen == [list, list]


class Stream(jdata.IterableDataset):
    """0..n-1, split between workers by get_worker_info (PyTorch's documented pattern)."""

    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = jdata.get_worker_info()
        if info is None:
            return iter(range(self.n))
        return iter(range(info.id, self.n, info.num_workers))

    def __len__(self):
        return self.n


class TorchStream(tdata.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


@pytest.mark.parametrize("kw", [{}, {"batch_size": 3}, {"batch_size": 3, "drop_last": True},
                                {"batch_size": None}], ids=stable_repr)
def test_iterable_dataset_matches_torch(kw):
    t, j = tdata.DataLoader(TorchStream(7), **kw), jdata.DataLoader(Stream(7), **kw)
    assert len(j) == len(t)
    assert_same(list(t), list(j))


def test_iterable_dataset_len_warning_matches_torch():
    messages = []
    for lib, d in LIBS.values():
        class Liar(d.IterableDataset):
            def __iter__(self):
                return iter(range(5))

            def __len__(self):
                return 2

            def __repr__(self):
                return "Liar"

        loader = d.DataLoader(Liar(), batch_size=None)
        assert len(loader) == 2
        with pytest.warns(UserWarning) as record:
            assert len(list(loader)) == 5
        messages.append([str(w.message) for w in record])
    assert messages[0] == messages[1] and len(messages[0]) == 3


@pytest.mark.parametrize("kw", [
    {"batch_size": None, "drop_last": True}, {"sampler": [0], "shuffle": True},
    {"batch_sampler": [[0]], "batch_size": 2}, {"batch_sampler": [[0]], "shuffle": True},
    {"batch_sampler": [[0]], "sampler": [0]}, {"batch_sampler": [[0]], "drop_last": True},
    {"num_workers": -1}, {"timeout": -1}, {"prefetch_factor": 2}, {"persistent_workers": True},
    {"multiprocessing_context": "fork"}, {"num_workers": 1, "multiprocessing_context": "bogus"},
    {"num_workers": 1, "multiprocessing_context": 3}, {"num_workers": 1, "prefetch_factor": -1},
    {"batch_size": 0}, {"batch_size": 2, "drop_last": 1},
], ids=stable_repr)
def test_loader_argument_errors_match_torch(kw):
    check_same_error(lambda lib, d: d.DataLoader(Records(), **kw))


@pytest.mark.parametrize("kw", [{"shuffle": True}, {"sampler": [0]}, {"batch_sampler": [[0]]}], ids=stable_repr)
def test_iterable_dataset_argument_errors_match_torch(kw):
    check_same_error(lambda lib, d: d.DataLoader(type("S", (d.IterableDataset,), {"__iter__": lambda s: iter([])})(),
                                                 **kw))


def test_loader_misc_errors_match_torch():
    check_same_error(lambda lib, d: setattr(d.DataLoader(Records()), "batch_size", 3))
    check_same_error(lambda lib, d: iter(d.DataLoader(Records(), timeout=1)))


def test_loader_start_methods():
    with pytest.raises(ValueError, match="'spawn' is not supported"):
        jdata.DataLoader(Records(), num_workers=1, multiprocessing_context="spawn")
    import multiprocessing

    with pytest.raises(ValueError, match="'forkserver' is not supported"):
        jdata.DataLoader(Records(), num_workers=1, multiprocessing_context=multiprocessing.get_context("forkserver"))
    loader = jdata.DataLoader(Records(4), batch_size=2, num_workers=1, multiprocessing_context="fork",
                              pin_memory=True, in_order=False)
    assert [b["y"].tolist() for b in loader] == [[0, 1], [2, 3]]


def test_shuffle_reproducible_and_complete():
    def epoch(loader):
        return [i for b in loader for i in b.tolist()]

    jtorch.manual_seed(7)
    loader = jdata.DataLoader(range(20), batch_size=6, shuffle=True)
    first, second = epoch(loader), epoch(loader)
    assert sorted(first) == list(range(20)) and first != second
    jtorch.manual_seed(7)
    assert epoch(loader) == first
    g = jdata.DataLoader(range(20), batch_size=6, shuffle=True, generator=jtorch.Generator().manual_seed(1))
    h = jdata.DataLoader(range(20), batch_size=6, shuffle=True, generator=jtorch.Generator().manual_seed(1))
    assert epoch(g) == epoch(h)


def test_random_streams_per_sample():
    """Sample k of an epoch draws from stream (base_seed, k): the same values in every run with
    the same seed, wherever the sample sits in its batch."""
    class Noisy(jdata.Dataset):
        def __len__(self):
            return 6

        def __getitem__(self, i):
            return hr.random()

    def run(batch_size):
        jtorch.manual_seed(0)
        return [v for b in jdata.DataLoader(Noisy(), batch_size=batch_size) for v in b.tolist()]

    assert run(2) == run(4) == run(1)
    assert len(set(run(2))) == 6


# ---- worker processes -------------------------------------------------------------------------

class Noisy(jdata.Dataset):
    """Samples that draw host random numbers and build tensors with jtorch's creation functions."""

    def __len__(self):
        return 13

    def __getitem__(self, i):
        return {"i": i, "u": hr.random(), "t": jtorch.tensor([i, 2 * i]),
                "f": jtorch.from_numpy(np.full(2, i / 4, np.float32)), "worker": in_worker()}


class NoisyBatched(Noisy):
    """The same, with a batch fetch that records the positions it was given."""

    def __getitems__(self, indices):
        seed, positions = hr.batch_positions()
        out = []
        for k, i in enumerate(indices):
            with hr.use(hr.Stream(seed, int(positions[k]))):
                out.append(self[i])
        return out


@pytest.mark.parametrize("cls", [Noisy, NoisyBatched])
def test_workers_give_the_same_batches(cls):
    def run(num_workers):
        jtorch.manual_seed(3)
        loader = jdata.DataLoader(cls(), batch_size=4, shuffle=True, num_workers=num_workers)
        return list(loader)

    single, multi = run(0), run(2)
    assert len(single) == len(multi) == 4
    for a, b in zip(single, multi):
        for key in ("i", "u", "t", "f"):
            assert str(a[key].dtype) == str(b[key].dtype)
            np.testing.assert_array_equal(np.asarray(a[key]), np.asarray(b[key]))
        assert not a["worker"].any() and b["worker"].all()
    assert (multi[0]["t"] + 1).tolist() == (single[0]["t"] + 1).tolist()


class Failing(jdata.Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            raise ValueError(f"cannot load sample {i}")
        return i


def test_worker_exception_surfaces_with_traceback():
    with pytest.raises(ValueError) as err:
        list(jdata.DataLoader(Failing(), batch_size=2, num_workers=2))
    msg = str(err.value)
    assert msg.startswith("Caught ValueError in DataLoader worker process 0.\n"
                          "Original Traceback (most recent call last):")
    assert "cannot load sample 5" in msg and 'raise ValueError(f"cannot load sample {i}")' in msg


def test_worker_key_error_and_unbuildable_exception():
    class Keyed(jdata.Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return {}["missing"]

    with pytest.raises(KeyError, match="Caught KeyError in DataLoader worker process 0"):
        list(jdata.DataLoader(Keyed(), num_workers=1))

    with pytest.raises(RuntimeError, match="Caught UnicodeDecodeError in DataLoader worker process 0"):
        list(jdata.DataLoader(Decoding(), num_workers=1))


class Decoding(jdata.Dataset):
    def __len__(self):
        return 1

    def __getitem__(self, i):
        return b"\xff".decode()


class Dying(jdata.Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if jdata.get_worker_info() is not None and i == 3:
            os._exit(7)
        return i


def test_dead_worker_is_reported():
    loader = jdata.DataLoader(Dying(), batch_size=2, num_workers=2)
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited unexpectedly"):
        list(loader)


class Sleepy(jdata.Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        if i == 2:
            import time

            time.sleep(30)
        return i


def test_timeout():
    with pytest.raises(RuntimeError, match=r"DataLoader timed out after 0.5 seconds"):
        list(jdata.DataLoader(Sleepy(), batch_size=2, num_workers=1, timeout=0.5))


class WhoAmI(jdata.Dataset):
    tag = "main"

    def __len__(self):
        return 6

    def __getitem__(self, i):
        info = jdata.get_worker_info()
        return info.id, info.num_workers, info.seed, self.tag, info.dataset is self, os.getpid()


def tag_worker(worker_id):
    info = jdata.get_worker_info()
    info.dataset.tag = f"w{worker_id}"


def test_worker_init_fn_and_worker_info():
    assert jdata.get_worker_info() is None
    rows = list(jdata.DataLoader(WhoAmI(), batch_size=None, num_workers=2, worker_init_fn=tag_worker))
    ids = [r[0] for r in rows]
    assert ids == [0, 1, 0, 1, 0, 1]
    assert {r[1] for r in rows} == {2} and all(r[4] for r in rows)
    assert [r[3] for r in rows[:2]] == ["w0", "w1"]
    seeds = {r[0]: r[2] for r in rows}
    assert seeds[1] - seeds[0] == 1
    assert len({r[5] for r in rows} | {os.getpid()}) == 3


def test_persistent_workers_across_epochs():
    class Pids(Noisy):
        def __getitem__(self, i):
            return i, hr.random(), os.getpid()

    jtorch.manual_seed(11)
    loader = jdata.DataLoader(Pids(), batch_size=5, num_workers=2, persistent_workers=True)
    epochs = [list(loader), list(loader)]
    jtorch.manual_seed(11)
    single = jdata.DataLoader(Pids(), batch_size=5)
    expected = [list(single), list(single)]
    pids = [{p for b in e for p in b[2].tolist()} for e in epochs]
    assert pids[0] == pids[1] and len(pids[0]) == 2 and os.getpid() not in pids[0]
    for e, x in zip(epochs, expected):
        assert [b[0].tolist() for b in e] == [b[0].tolist() for b in x]
        assert [b[1].tolist() for b in e] == [b[1].tolist() for b in x]
    assert epochs[0][0][1].tolist() != epochs[1][0][1].tolist()
    loader._iterator._shutdown_workers()


def test_iterable_dataset_with_workers():
    loader = jdata.DataLoader(Stream(7), batch_size=2, num_workers=2)
    assert [b.tolist() for b in loader] == [[0, 2], [1, 3], [4, 6], [5]]
    assert [int(b) for b in jdata.DataLoader(Stream(5), batch_size=None, num_workers=2)] == [0, 1, 2, 3, 4]
    class Unsharded(jdata.IterableDataset):
        def __iter__(self):
            return iter(range(3))

    dup = jdata.DataLoader(Unsharded(), batch_size=None, num_workers=2)
    assert [int(b) for b in dup] == [0, 0, 1, 1, 2, 2]


class UsesOps(jdata.Dataset):
    def __len__(self):
        return 7

    def __getitem__(self, i):
        return jtorch.tensor([i, i]) + 1


def test_jtorch_op_in_worker_falls_back_to_main_process():
    loader = jdata.DataLoader(UsesOps(), batch_size=3, num_workers=2)
    with pytest.warns(RuntimeWarning, match="called a jtorch op") as record:
        batches = [b.tolist() for b in loader]
    assert "WorkerJaxError" in str(record[0].message)
    assert batches == [[[1, 1], [2, 2], [3, 3]], [[4, 4], [5, 5], [6, 6]], [[7, 7]]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert isinstance(iter(loader), _SingleProcessDataLoaderIter)


def test_jtorch_op_in_iterable_worker_raises():
    class OpStream(jdata.IterableDataset):
        def __iter__(self):
            yield jtorch.ones(2) * 2

    with pytest.raises(WorkerJaxError, match="jtorch ops cannot run in a DataLoader worker process"):
        list(jdata.DataLoader(OpStream(), num_workers=1))


def test_builtin_batched_dataset_loads_without_workers():
    ds = jdata.TensorDataset(jtorch.arange(10), jtorch.arange(10) * 2.0)
    loader = jdata.DataLoader(ds, batch_size=4, num_workers=2)
    assert isinstance(iter(loader), _SingleProcessDataLoaderIter)
    expected = list(tdata.DataLoader(tdata.TensorDataset(torch.arange(10), torch.arange(10) * 2.0), batch_size=4))
    assert_same(expected, list(loader))
    with_init = jdata.DataLoader(ds, batch_size=4, num_workers=1, worker_init_fn=tag_worker)
    assert not isinstance(iter(with_init), _SingleProcessDataLoaderIter)
    assert_same(expected, list(with_init))


SCRIPT = """
import numpy as np, os, sys
import jtorch
from jtorch.utils.data import DataLoader, Dataset

class Big(Dataset):
    def __len__(self):
        return 10000

    def __getitem__(self, i):
        return np.zeros((3, 64, 64), np.float32) + i

it = iter(DataLoader(Big(), batch_size=16, num_workers=2))
first = next(it)
persistent = DataLoader(Big(), batch_size=16, num_workers=2, persistent_workers=True)
for k, _ in enumerate(persistent):
    if k == 3:
        break
print(float(first[1, 0, 0, 0]), *[w.pid for w in it._workers + persistent._iterator._workers])
"""


def test_no_main_guard_and_clean_exit(tmp_path):
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(SCRIPT))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert "os.fork()" not in done.stderr
    value, *pids = done.stdout.split()
    assert value == "1.0" and len(pids) == 4
    assert not [pid for pid in pids if os.path.exists(f"/proc/{pid}")], "worker processes outlived the script"
