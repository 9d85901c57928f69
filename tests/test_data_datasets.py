"""jtorch.utils.data datasets, samplers and random_split against torch.utils.data.

Deterministic behaviour (values, lengths, errors) is compared with PyTorch directly; random
orders are jtorch's own numbers, so they are checked for coverage, distribution and
reproducibility under jtorch.manual_seed / a Generator.
"""
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.utils.data as tdata  # noqa: E402

import jtorch  # noqa: E402
import jtorch.utils.data as jdata  # noqa: E402
from parity import check_error  # noqa: E402

LIBS = {"torch": (torch, tdata), "jtorch": (jtorch, jdata)}


def check_same_error(fn):
    """``fn(lib, data)`` raises the same exception type and message on torch and jtorch."""
    t_err, j_err = check_error(lambda lib: fn(lib, tdata if lib is torch else jdata))
    assert type(j_err) is type(t_err), (t_err, j_err)
    assert str(j_err) == str(t_err)


def values(x):
    """Plain Python values of a (nested) sample: tensors become (dtype name, nested lists)."""
    if isinstance(x, (torch.Tensor, jtorch.Tensor)):
        return str(x.dtype).replace("torch.", ""), x.tolist()
    if isinstance(x, dict):
        return {k: values(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x).__name__, [values(v) for v in x]
    return x


class Squares:
    """A map-style dataset that is not a Dataset subclass (plain Python, works for both)."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError("list index out of range")
        return i * i


def make_iterable(data_mod, items):
    class Stream(data_mod.IterableDataset):
        def __iter__(self):
            return iter(items)

        def __len__(self):
            return len(items)

    return Stream()


# ---- Dataset / IterableDataset ----------------------------------------------------------------

def test_dataset_base_errors_and_add():
    check_same_error(lambda lib, d: d.Dataset()[0])
    for lib, d in LIBS.values():
        class A(d.Dataset):
            def __len__(self):
                return 2

            def __getitem__(self, i):
                return ("a", i)

        both = A() + A()
        assert isinstance(both, d.ConcatDataset) and len(both) == 4 and both[3] == ("a", 1)
        chained = make_iterable(d, [1, 2]) + make_iterable(d, [3])
        assert isinstance(chained, d.ChainDataset) and list(chained) == [1, 2, 3] and len(chained) == 3


def test_dataset_generic_subscript():
    assert jdata.Dataset[int] is not None and jdata.Sampler[int] is not None


# ---- TensorDataset ----------------------------------------------------------------------------

X = np.arange(24, dtype=np.float32).reshape(6, 2, 2)
Y = np.array([3, 1, 4, 1, 5, 9])


@pytest.mark.parametrize("index", [0, 5, -1, -6, slice(1, 4), [0, 2, 2], np.array([1, 3])])
def test_tensor_dataset_indexing(index):
    t = tdata.TensorDataset(torch.from_numpy(X), torch.from_numpy(Y))
    j = jdata.TensorDataset(jtorch.from_numpy(X), jtorch.from_numpy(Y))
    assert len(j) == len(t) == 6
    assert values(j[index]) == values(t[index])


def test_tensor_dataset_tensor_index_and_errors():
    j = jdata.TensorDataset(jtorch.from_numpy(X), jtorch.from_numpy(Y))
    assert values(j[jtorch.tensor([4, 0])]) == values(j[[4, 0]])
    assert values(j[jtorch.tensor(2)]) == values(j[2])
    check_same_error(lambda lib, d: d.TensorDataset(lib.zeros(3, 2), lib.zeros(4)))
    with pytest.raises(IndexError):
        j[6]


def test_tensor_dataset_getitems_is_precollated():
    j = jdata.TensorDataset(jtorch.from_numpy(X), jtorch.from_numpy(Y))
    batch = j.__getitems__([5, 0, 3])
    assert isinstance(batch, jdata.PreCollated) and len(batch) == 3
    assert values(batch[1]) == values(j[0]) and values(list(batch)[2]) == values(j[3])
    assert values(jdata.default_collate(batch)) == values(jdata.default_collate([j[5], j[0], j[3]]))
    assert j._batched_without_user_code()

    class Custom(jdata.TensorDataset):
        def __getitem__(self, i):
            return super().__getitem__(i)[0]

    custom = Custom(jtorch.from_numpy(X))
    assert not custom._batched_without_user_code()
    assert isinstance(custom.__getitems__([0, 1]), list)


# ---- StackDataset -----------------------------------------------------------------------------

def test_stack_dataset_tuple_and_dict():
    for lib, d in LIBS.values():
        s = d.StackDataset(Squares(4), list("abcd"))
        assert len(s) == 4 and s[2] == (4, "c")
        assert s.__getitems__([3, 0]) == [(9, "d"), (0, "a")]
        k = d.StackDataset(sq=Squares(3), ch=list("xyz"))
        assert k[1] == {"sq": 1, "ch": "y"}
        assert k.__getitems__([2, 0]) == [{"sq": 4, "ch": "z"}, {"sq": 0, "ch": "x"}]


def test_stack_dataset_batched_parts():
    tds = jdata.TensorDataset(jtorch.from_numpy(X), jtorch.from_numpy(Y))
    s = jdata.StackDataset(tds, Squares(6))
    got = s.__getitems__([1, 4])
    assert values(got) == values([(tds[1], 1), (tds[4], 16)])


@pytest.mark.parametrize("make", [
    lambda d: d.StackDataset(Squares(3), a=Squares(3)),
    lambda d: d.StackDataset(Squares(3), Squares(4)),
    lambda d: d.StackDataset(a=Squares(3), b=Squares(2)),
    lambda d: d.StackDataset(),
])
def test_stack_dataset_errors(make):
    check_same_error(lambda lib, d: make(d))


def _short(d):
    """A dataset whose ``__getitems__`` returns too few samples."""

    class Short(d.Dataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return i

        def __getitems__(self, indices):
            return [0]

    return Short()


@pytest.mark.parametrize("by_name", [False, True])
def test_stack_dataset_nested_size_mismatch(by_name):
    def make(lib, d):
        parts = {"a": Squares(3), "b": _short(d)}
        s = d.StackDataset(**parts) if by_name else d.StackDataset(*parts.values())
        return s.__getitems__([0, 1])

    check_same_error(make)


# ---- ConcatDataset / ChainDataset / Subset ----------------------------------------------------

def test_concat_dataset_indexing():
    t = tdata.ConcatDataset([Squares(3), Squares(0), Squares(4)])
    j = jdata.ConcatDataset([Squares(3), Squares(0), Squares(4)])
    assert len(j) == len(t) == 7 and j.cumulative_sizes == t.cumulative_sizes
    for i in range(-7, 7):
        assert j[i] == t[i]
    with pytest.warns(FutureWarning, match="renamed to `cumulative_sizes`"):
        assert j.cummulative_sizes == [3, 3, 7]


@pytest.mark.parametrize("fn", [
    lambda lib, d: d.ConcatDataset([]),
    lambda lib, d: d.ConcatDataset([Squares(2), make_iterable(d, [1])]),
    lambda lib, d: d.ConcatDataset([Squares(2), Squares(3)])[-6],
    lambda lib, d: d.ConcatDataset([Squares(2), Squares(3)])[5],
    lambda lib, d: list(d.ChainDataset([make_iterable(d, [1]), Squares(2)])),
    lambda lib, d: len(d.ChainDataset([Squares(2)])),
])
def test_concat_and_chain_errors(fn):
    check_same_error(fn)


def test_subset():
    for lib, d in LIBS.values():
        s = d.Subset(Squares(10), [7, 2, 5])
        assert len(s) == 3 and s[0] == 49 and s[-1] == 25
        assert s.__getitems__([2, 1]) == [25, 4]
    inner = jdata.TensorDataset(jtorch.from_numpy(X), jtorch.from_numpy(Y))
    sub = jdata.Subset(inner, [4, 1, 0])
    assert sub._batched_without_user_code()
    batch = sub.__getitems__([0, 2])
    assert values(jdata.default_collate(batch)) == values(jdata.default_collate([inner[4], inner[0]]))
    assert not jdata.Subset(Squares(3), [0])._batched_without_user_code()


def test_subset_subclass_must_override_getitems():
    def make(lib, d):
        class Mine(d.Subset):
            def __getitem__(self, idx):
                return 0

        return Mine(Squares(3), [0])

    check_same_error(make)


# ---- random_split -----------------------------------------------------------------------------

@pytest.mark.parametrize("n,lengths", [
    (10, [3, 7]), (10, [0.3, 0.7]), (10, [0.5, 0.5]), (11, [0.5, 0.5]), (30, [0.3, 0.3, 0.4]),
    (7, [0.1, 0.1, 0.8]), (5, [0.25, 0.25, 0.25, 0.25]), (3, [0.5, 0.5]), (0, [1.0]), (100, [0.333, 0.333, 0.334]),
])
def test_random_split_lengths_and_coverage(n, lengths):
    with warnings.catch_warnings(record=True) as t_warn:
        warnings.simplefilter("always")
        t = tdata.random_split(range(n), lengths, generator=torch.Generator().manual_seed(0))
    with warnings.catch_warnings(record=True) as j_warn:
        warnings.simplefilter("always")
        j = jdata.random_split(range(n), lengths, generator=jtorch.Generator().manual_seed(0))
    assert [len(s) for s in j] == [len(s) for s in t]
    assert [str(w.message) for w in j_warn] == [str(w.message) for w in t_warn]
    taken = [i for s in j for i in s]
    assert sorted(taken) == list(range(n))
    assert all(isinstance(s, jdata.Subset) for s in j)


@pytest.mark.parametrize("lengths", [[3, 3], [0.5, 0.6, -0.1], [0.5, 0.4], [11]])
def test_random_split_errors(lengths):
    check_same_error(lambda lib, d: d.random_split(range(10), lengths))


def test_random_split_reproducible():
    def split(**kw):
        return [s.indices for s in jdata.random_split(range(50), [20, 30], **kw)]

    jtorch.manual_seed(3)
    a = split()
    jtorch.manual_seed(3)
    assert split() == a
    assert split() != a
    g = split(generator=jtorch.Generator().manual_seed(1))
    assert split(generator=jtorch.Generator().manual_seed(1)) == g
    assert split(generator=jtorch.Generator().manual_seed(2)) != g


# ---- samplers ---------------------------------------------------------------------------------

def test_sequential_sampler():
    assert list(jdata.SequentialSampler(range(5))) == list(tdata.SequentialSampler(range(5)))
    assert len(jdata.SequentialSampler(range(5))) == 5


@pytest.mark.parametrize("kw,length", [
    ({}, 10), ({"replacement": True}, 10), ({"replacement": True, "num_samples": 25}, 25),
    ({"num_samples": 25}, 25), ({"num_samples": 4}, 4),
])
def test_random_sampler_lengths_and_coverage(kw, length):
    t = tdata.RandomSampler(range(10), **kw)
    j = jdata.RandomSampler(range(10), **kw)
    assert len(j) == len(t) == length
    out = list(j)
    assert len(out) == length and all(0 <= i < 10 for i in out)
    if not kw.get("replacement"):
        counts = np.bincount(out, minlength=10)
        assert counts.max() - counts.min() <= 1


def test_random_sampler_reproducible_and_reshuffles():
    jtorch.manual_seed(0)
    s = jdata.RandomSampler(range(20))
    first, second = list(s), list(s)
    assert sorted(first) == list(range(20)) and first != second
    jtorch.manual_seed(0)
    assert list(s) == first
    g = jdata.RandomSampler(range(20), generator=jtorch.Generator().manual_seed(5))
    again = jdata.RandomSampler(range(20), generator=jtorch.Generator().manual_seed(5))
    assert list(g) == list(again) and list(g) == list(again)


@pytest.mark.parametrize("kw", [
    {"replacement": 1}, {"num_samples": 0}, {"num_samples": 1.5}, {"num_samples": -1},
])
def test_random_sampler_errors(kw):
    check_same_error(lambda lib, d: d.RandomSampler(range(3), **kw))
    check_same_error(lambda lib, d: d.RandomSampler(range(0)))


def test_subset_random_sampler():
    indices = [9, 4, 7, 1]
    s = jdata.SubsetRandomSampler(indices, generator=jtorch.Generator().manual_seed(0))
    out = list(s)
    assert sorted(out) == sorted(indices) and len(s) == 4
    assert out == list(jdata.SubsetRandomSampler(indices, generator=jtorch.Generator().manual_seed(0)))


def test_weighted_random_sampler_distribution():
    weights = [0.0, 1.0, 3.0, 0.0, 4.0]
    jtorch.manual_seed(0)
    draws = list(jdata.WeightedRandomSampler(weights, 16000))
    counts = np.bincount(draws, minlength=5) / 16000
    assert counts[0] == counts[3] == 0
    np.testing.assert_allclose(counts, np.array(weights) / 8, atol=0.02)
    unique = list(jdata.WeightedRandomSampler(weights, 3, replacement=False))
    assert sorted(unique) == [1, 2, 4]
    assert sorted(jdata.WeightedRandomSampler([1.0, 0.0, 0.0], 3, replacement=False)) == \
        sorted(tdata.WeightedRandomSampler([1.0, 0.0, 0.0], 3, replacement=False))
    s = jdata.WeightedRandomSampler(jtorch.tensor([1.0, 2.0]), 7, generator=jtorch.Generator().manual_seed(1))
    assert len(s) == 7 and s.weights.dtype == jtorch.float64
    assert list(s) == list(jdata.WeightedRandomSampler([1.0, 2.0], 7, generator=jtorch.Generator().manual_seed(1)))


@pytest.mark.parametrize("args,kw", [
    (([1.0, 2.0], 0), {}), (([1.0, 2.0], 2.0), {}), (([1.0, 2.0], True), {}), (([1.0, 2.0], 2), {"replacement": 1}),
    (([[1.0, 2.0]], 2), {}),
])
def test_weighted_random_sampler_construction_errors(args, kw):
    check_same_error(lambda lib, d: d.WeightedRandomSampler(*args, **kw))


@pytest.mark.parametrize("weights,n,replacement", [
    ([0.0, 0.0], 2, True), ([-1.0, 1.0], 2, True), ([float("inf"), 1.0], 2, True), ([float("nan"), 1.0], 2, True),
    ([1.0, 1.0], 3, False), ([], 2, True),
])
def test_weighted_random_sampler_draw_errors(weights, n, replacement):
    check_same_error(lambda lib, d: list(d.WeightedRandomSampler(weights, n, replacement=replacement)))


@pytest.mark.parametrize("n,size,drop_last", [(10, 3, False), (10, 3, True), (9, 3, True), (2, 5, False),
                                              (2, 5, True), (0, 2, False)])
def test_batch_sampler_matches_torch(n, size, drop_last):
    t = tdata.BatchSampler(tdata.SequentialSampler(range(n)), size, drop_last)
    j = jdata.BatchSampler(jdata.SequentialSampler(range(n)), size, drop_last)
    assert list(j) == list(t) and len(j) == len(t)
    generic = jdata.BatchSampler(list(range(n)), size, drop_last)
    assert list(generic) == list(t) and len(generic) == len(t)


def test_batch_sampler_fast_path_matches_generic_path():
    jtorch.manual_seed(4)
    fast = list(jdata.BatchSampler(jdata.RandomSampler(range(11)), 4, False))
    jtorch.manual_seed(4)
    flat = list(jdata.RandomSampler(range(11)))
    assert fast == [flat[i:i + 4] for i in range(0, 11, 4)]

    class Reversed(jdata.SequentialSampler):
        def __iter__(self):
            return iter(range(len(self.data_source) - 1, -1, -1))

    assert list(jdata.BatchSampler(Reversed(range(5)), 2, True)) == [[4, 3], [2, 1]]


@pytest.mark.parametrize("args", [(range(3), 0, False), (range(3), -1, False), (range(3), True, False),
                                  (range(3), 2.0, False), (range(3), 2, 1)])
def test_batch_sampler_errors(args):
    check_same_error(lambda lib, d: d.BatchSampler(*args))


# ---- DistributedSampler -----------------------------------------------------------------------

@pytest.mark.parametrize("n,replicas,drop_last", [(10, 3, False), (10, 3, True), (9, 3, False), (2, 4, False),
                                                  (1, 3, False), (11, 2, True)])
def test_distributed_sampler_unshuffled_matches_torch(n, replicas, drop_last):
    for rank in range(replicas):
        t = tdata.DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        j = jdata.DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        assert list(j) == list(t) and len(j) == len(t) and j.total_size == t.total_size


@pytest.mark.parametrize("drop_last", [False, True])
def test_distributed_sampler_shuffled_partition(drop_last):
    def shards(epoch, seed=0):
        out = []
        for rank in range(3):
            s = jdata.DistributedSampler(range(10), 3, rank, seed=seed, drop_last=drop_last)
            s.set_epoch(epoch)
            out.append(list(s))
        return out

    first = shards(0)
    assert [len(s) for s in first] == [3 if drop_last else 4] * 3
    flat = [i for s in first for i in s]
    if drop_last:
        assert len(set(flat)) == 9
    else:
        assert set(flat) == set(range(10))
    assert shards(0) == first and shards(1) != first and shards(0, seed=1) != first


@pytest.mark.parametrize("kw", [{}, {"num_replicas": 2}, {"rank": 0}, {"num_replicas": 2, "rank": 2},
                                {"num_replicas": 2, "rank": -1}])
def test_distributed_sampler_errors(kw):
    check_same_error(lambda lib, d: d.DistributedSampler(range(4), **kw))
