"""jtorch.save / jtorch.load against real PyTorch's checkpoint files, both directions.

Every case of TABLE is built twice from the same numpy data (once with torch, once with jtorch):
jtorch.save -> torch.load(weights_only=True) must give torch's object, torch.save -> jtorch.load
must give jtorch's, with dtypes, shapes, strides, storage offsets, requires_grad and storage
sharing preserved.
"""
import io
import os
import pathlib
import pickle
import struct
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

from parity import arr

torch = pytest.importorskip("torch")
import jtorch  # noqa: E402


# ---- comparing torch objects with jtorch objects ----------------------------------------------

def _is_tensor(x):
    return isinstance(x, (torch.Tensor, jtorch.Tensor))


def _values(t):
    if isinstance(t, torch.Tensor):
        t = t.detach()
        return (t.float() if t.dtype == torch.bfloat16 else t).numpy()
    a = np.asarray(t._read())
    return a.astype(np.float32) if a.dtype.name == "bfloat16" else a


def _storage_id(t):
    if isinstance(t, torch.Tensor):
        return t.untyped_storage().data_ptr()
    return id(t.untyped_storage())


def assert_same(expected, actual, where="obj"):
    """``actual`` is ``expected`` (one side torch, the other jtorch), recursively."""
    if _is_tensor(expected):
        assert _is_tensor(actual), where
        assert type(expected).__name__ == type(actual).__name__, where
        assert str(expected.dtype) == str(actual.dtype), where
        assert tuple(expected.shape) == tuple(actual.shape), where
        assert expected.stride() == actual.stride(), where
        assert expected.storage_offset() == actual.storage_offset(), where
        assert expected.requires_grad == actual.requires_grad, where
        np.testing.assert_array_equal(_values(expected), _values(actual), err_msg=where)
    elif isinstance(expected, dict):
        assert type(expected) is type(actual), where
        assert list(expected) == list(actual), where
        for k in expected:
            assert_same(expected[k], actual[k], f"{where}[{k!r}]")
        if hasattr(expected, "_metadata"):
            assert_same(expected._metadata, actual._metadata, f"{where}._metadata")
    elif isinstance(expected, (list, tuple)) and type(expected).__name__ != "Size":
        assert type(expected) is type(actual), where
        assert len(expected) == len(actual), where
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_same(e, a, f"{where}[{i}]")
    elif isinstance(expected, (torch.dtype, jtorch.dtype, torch.device, jtorch.device)):
        assert str(expected) == str(actual) and type(expected).__name__ == type(actual).__name__, where
    else:
        assert type(expected).__name__ == type(actual).__name__ and expected == actual, where


def assert_shares(objs, groups):
    """Tensors in each group of ``groups`` (keys into ``objs``) share one storage; different groups do not."""
    ids = [{_storage_id(objs[k]) for k in group} for group in groups]
    assert all(len(s) == 1 for s in ids), ids
    assert len(set().union(*ids)) == len(groups), ids


# ---- the table: (name, build(lib) -> object, storage-sharing groups) ---------------------------

def _t(lib, a, **kw):
    return lib.tensor(a, **kw)


def _state_dict(lib):
    sd = OrderedDict()
    sd["w32"] = _t(lib, arr(3, 4))
    sd["w64"] = _t(lib, arr(2, 3, dtype="float64"))
    sd["i64"] = _t(lib, arr(5, dtype="int64", low=-100, high=100))
    sd["mask"] = _t(lib, arr(2, 2, dtype="bool"))
    sd["bf16"] = _t(lib, arr(4)).to(lib.bfloat16)
    sd["u8"] = _t(lib, arr(6, dtype="uint8", low=0, high=255))
    sd["scalar"] = _t(lib, 2.5)
    sd["empty"] = lib.zeros(0, 3)
    sd._metadata = OrderedDict([("", {"version": 1}), ("sub", {"version": 2})])
    return sd


def _more_dtypes(lib):
    return {"f16": _t(lib, arr(3, dtype="float16")), "i8": _t(lib, arr(3, dtype="int8")),
            "i16": _t(lib, arr(3, dtype="int16")), "i32": _t(lib, arr(2, 2, dtype="int32")),
            "c64": _t(lib, arr(3, dtype="complex64")), "c128": _t(lib, arr(2, dtype="complex128")),
            "u16": _t(lib, arr(3, dtype="uint16", low=0, high=60000)),
            "u32": _t(lib, arr(3, dtype="uint32", low=0, high=10 ** 9)), "5d": _t(lib, arr(1, 2, 1, 3, 2))}


def _views(lib):
    base = _t(lib, arr(4, 6, seed=3))
    return {"t": base.t(), "cols": base[1:, ::2], "row": base[2], "narrow": base.narrow(1, 2, 3),
            "expand": _t(lib, arr(3)).expand(4, 3)}


def _shared(lib):
    base = _t(lib, arr(4, 6, seed=4))
    other = _t(lib, arr(5, seed=5))
    return {"base": base, "slice": base[1:3], "T": base.t(), "elem": base[3, 5], "other": other,
            "other_tail": other[2:]}


def _nested(lib):
    a, b = _t(lib, arr(2)), _t(lib, arr(3, dtype="int64"))
    return {"list": [a, (b, 3, "x")], "dict": {"none": None, "s": "text", "f": 1.5, "yes": True, "big": 2 ** 70,
                                               "neg": -7, "nested": {"again": [a]}}, "tuple": (1, 2.0, "3")}


def _plain(lib):
    return [1, 2.5, "string", None, True, False, -123456789, 2 ** 40, b"raw\xffbytes", 1 + 2j, {3, 4},
            lib.Size([2, 3]), lib.float64, lib.bfloat16, lib.device("cpu")]


def _optimizer_state(lib):
    state = {i: {"step": _t(lib, float(3 + i)), "exp_avg": _t(lib, arr(2, 3, seed=i)),
                 "exp_avg_sq": _t(lib, arr(2, 3, low=0, seed=10 + i))} for i in range(2)}
    group = {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0, "amsgrad": False,
             "maximize": False, "foreach": None, "capturable": False, "differentiable": False, "fused": None,
             "params": [0, 1]}
    return {"state": state, "param_groups": [group]}


def _parameters(lib):
    return {"p": lib.nn.Parameter(_t(lib, arr(2, 3))), "frozen": lib.nn.Parameter(_t(lib, arr(2)), requires_grad=False),
            "leaf": _t(lib, arr(3), requires_grad=True)}


TABLE = [
    ("state_dict", _state_dict, None),
    ("more_dtypes", _more_dtypes, None),
    ("views", _views, [("t", "cols", "row", "narrow"), ("expand",)]),
    ("shared", _shared, [("base", "slice", "T", "elem"), ("other", "other_tail")]),
    ("nested", _nested, None),
    ("plain", _plain, None),
    ("optimizer_state", _optimizer_state, None),
    ("parameters", _parameters, None),
]
IDS = [c[0] for c in TABLE]


def _jtorch_to_torch(obj):
    buf = io.BytesIO()
    jtorch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf, weights_only=True)


def _torch_to_jtorch(obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return jtorch.load(buf)


@pytest.mark.parametrize("name,build,groups", TABLE, ids=IDS)
def test_jtorch_save_torch_load(name, build, groups):
    loaded = _jtorch_to_torch(build(jtorch))
    assert_same(build(torch), loaded)
    if groups:
        assert_shares(loaded, groups)


@pytest.mark.parametrize("name,build,groups", TABLE, ids=IDS)
def test_torch_save_jtorch_load(name, build, groups):
    loaded = _torch_to_jtorch(build(torch))
    assert_same(build(jtorch), loaded)
    if groups:
        assert_shares(loaded, groups)


@pytest.mark.parametrize("name,build,groups", TABLE, ids=IDS)
def test_jtorch_round_trip(name, build, groups):
    original = build(jtorch)
    buf = io.BytesIO()
    jtorch.save(original, buf)
    buf.seek(0)
    assert_same(build(torch), jtorch.load(buf))


def test_real_torch_module_and_optimizer_state_dicts():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    model(torch.randn(5, 3)).sum().backward()
    opt.step()
    for obj in (model.state_dict(), opt.state_dict(), {"epoch": 3, "model": model.state_dict(),
                                                        "optimizer": opt.state_dict()}):
        loaded = _torch_to_jtorch(obj)
        assert_same(obj, loaded)
        assert_same(obj, _jtorch_to_torch(loaded))


def test_loaded_views_alias_like_torch():
    loaded = _torch_to_jtorch(_shared(torch))
    expected = _shared(torch)
    for objs in (loaded, expected):
        objs["base"].add_(1)
        objs["T"][0, 1] = -5.0
        objs["other_tail"].mul_(2)
    assert_same(expected, loaded)


def test_parameters_load_as_parameters():
    loaded = _torch_to_jtorch(_parameters(torch))
    assert type(loaded["p"]) is jtorch.nn.Parameter and loaded["p"].requires_grad and loaded["p"].is_leaf
    assert type(loaded["frozen"]) is jtorch.nn.Parameter and not loaded["frozen"].requires_grad


def test_tensor_attributes_and_subclass_state():
    t = torch.ones(2)
    t.note = "kept"
    loaded = _torch_to_jtorch([t])[0]
    assert loaded.note == "kept"
    j = jtorch.ones(2)
    j.note = "kept"
    assert _jtorch_to_torch([j])[0].note == "kept"


def test_conj_bit_is_materialised():
    c = torch.tensor(arr(3, dtype="complex64"))
    loaded = _torch_to_jtorch([c.conj()])[0]
    np.testing.assert_array_equal(_values(loaded), c.conj().resolve_conj().numpy())


# ---- files, paths, archive layout --------------------------------------------------------------

@pytest.mark.parametrize("kind", ["str", "pathlib", "file", "bytesio"])
def test_paths_and_file_objects(tmp_path, kind):
    path = tmp_path / "ckpt.pt"
    obj = _state_dict(jtorch)
    if kind == "str":
        jtorch.save(obj, str(path))
        loaded = jtorch.load(str(path))
    elif kind == "pathlib":
        jtorch.save(obj, path)
        loaded = jtorch.load(path)
    elif kind == "file":
        with open(path, "wb") as fh:
            jtorch.save(obj, fh)
        with open(path, "rb") as fh:
            loaded = jtorch.load(fh)
    else:
        buf = io.BytesIO()
        jtorch.save(obj, buf)
        buf.seek(0)
        loaded = jtorch.load(buf)
    assert_same(_state_dict(torch), loaded)


def test_archive_layout_matches_torch(tmp_path):
    path = tmp_path / "model.pth.tar"
    jtorch.save(_shared(jtorch), path)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert all(n.startswith("model.pth/") for n in names)
        assert names[0] == "model.pth/data.pkl" and "model.pth/version" in names
        assert zf.read("model.pth/version") == b"3\n" and zf.read("model.pth/byteorder") == b"little"
        with open(path, "rb") as fh:
            raw = fh.read()
        for info in zf.infolist():
            assert info.compress_type == zipfile.ZIP_STORED
            name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26:info.header_offset + 30])
            assert (info.header_offset + 30 + name_len + extra_len) % 64 == 0, info.filename
    assert_same(_shared(torch), torch.load(path, weights_only=True, mmap=True))
    buf = io.BytesIO()
    jtorch.save(1, buf)
    assert zipfile.ZipFile(buf).namelist()[0] == "archive/data.pkl"


@pytest.mark.filterwarnings("ignore:Detected pickle protocol 4")
def test_pickle_protocol_matches_torch_weights_only_rules():
    for lib_save in (torch.save, jtorch.save):
        buf = io.BytesIO()
        lib_save({"a": [1, 2]}, buf, pickle_protocol=4)
        for lib in (torch, jtorch):
            buf.seek(0)
            with pytest.raises(pickle.UnpicklingError, match="Unsupported operand 149"):
                lib.load(buf)
            buf.seek(0)
            assert lib.load(buf, weights_only=False) == {"a": [1, 2]}


def test_big_endian_checkpoint(tmp_path):
    path = tmp_path / "le.pt"
    torch.save({"f": torch.tensor(arr(3, 2, dtype="float64")), "i": torch.tensor(arr(4, dtype="int32")),
                "c": torch.tensor(arr(2, dtype="complex64"))}, path)
    big = tmp_path / "be.pt"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(big, "w") as zout:
        pkl = zin.read("le/data.pkl")
        for name in zin.namelist():
            data = zin.read(name)
            if name == "le/byteorder":
                data = b"big"
            elif name.startswith("le/data/"):
                dtype = {0: np.float64, 1: np.int32, 2: np.complex64}[int(name.rsplit("/", 1)[1])]
                data = np.frombuffer(data, dtype).byteswap().tobytes()
            zout.writestr(name, data)
    assert b"torch\nDoubleStorage" in pkl
    assert_same(torch.load(big), jtorch.load(big))


# ---- map_location and CUDA-tagged storages ------------------------------------------------------

def _cuda_tagged(tmp_path):
    """A torch checkpoint whose storages are tagged 'cuda:0' (as if saved from a GPU)."""
    plain = tmp_path / "cpu.pt"
    torch.save(OrderedDict(w=torch.arange(6.0).reshape(2, 3), b=torch.ones(2, dtype=torch.int64)), plain)
    tagged = tmp_path / "gpu.pt"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(tagged, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name.endswith("data.pkl"):
                data = data.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
                assert b"cuda:0" in data
            zout.writestr(name, data)
    return tagged


MAP_LOCATIONS = [
    ("cpu_str", lambda lib: "cpu"),
    ("cpu_device", lambda lib: lib.device("cpu")),
    ("dict", lambda lib: {"cuda:0": "cpu"}),
    ("callable_identity", lambda lib: lambda storage, location: storage),
    ("callable_cpu", lambda lib: lambda storage, location: storage.cpu()),
    ("none", lambda lib: None),
    ("callable_none", lambda lib: lambda storage, location: None),
    ("cuda_str", lambda lib: "cuda"),
    ("dict_other_key", lambda lib: {"cuda:1": "cpu"}),
    ("unknown", lambda lib: "xyz"),
]


@pytest.mark.parametrize("name,make", MAP_LOCATIONS, ids=[m[0] for m in MAP_LOCATIONS])
def test_map_location_like_torch(tmp_path, name, make):
    if jtorch.cuda.is_available():
        pytest.skip("the CPU-only torch oracle cannot load to CUDA")
    path = _cuda_tagged(tmp_path)
    try:
        expected = torch.load(path, map_location=make(torch))
    except Exception as e:  # noqa: BLE001  (the oracle's exception is what we compare)
        with pytest.raises(type(e)) as info:
            jtorch.load(path, map_location=make(jtorch))
        assert str(info.value) == str(e)
        return
    loaded = jtorch.load(path, map_location=make(jtorch))
    assert_same(expected, loaded)
    assert all(t.device == jtorch.device("cpu") for t in loaded.values())


def test_cuda_tagged_needs_map_location_message(tmp_path):
    if jtorch.cuda.is_available():
        pytest.skip("a GPU is present")
    with pytest.raises(RuntimeError, match=r"Attempting to deserialize object on a CUDA device but "
                                           r"torch.cuda.is_available\(\) is False"):
        jtorch.load(_cuda_tagged(tmp_path))


# ---- weights_only --------------------------------------------------------------------------------

class _System:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


class _Exec:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return exec, (f"open({str(self.marker)!r}, 'w').write('pwned')",)


class _Eval(_Exec):
    def __reduce__(self):
        return eval, (f"open({str(self.marker)!r}, 'w').write('pwned')",)


def _archive_with_pickle(payload):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("archive/data.pkl", payload)
        zf.writestr("archive/version", "3\n")
    return buf.getvalue()


MALICIOUS = [
    ("os_system", lambda m: _System(m)),
    ("builtins_exec", lambda m: _Exec(m)),
    ("builtins_eval_nested", lambda m: {"state": OrderedDict(w=[1, _Eval(m)])}),
]


@pytest.mark.parametrize("name,make", MALICIOUS, ids=[m[0] for m in MALICIOUS])
def test_weights_only_refuses_malicious_pickle(tmp_path, name, make):
    marker = tmp_path / "pwned"
    data = _archive_with_pickle(pickle.dumps(make(marker), protocol=2))
    with pytest.raises(pickle.UnpicklingError) as mine:
        jtorch.load(io.BytesIO(data))
    with pytest.raises(pickle.UnpicklingError) as oracle:
        torch.load(io.BytesIO(data), weights_only=True)
    assert str(mine.value) == str(oracle.value)
    assert str(mine.value).startswith("Weights only load failed.")
    assert not marker.exists()


def test_malicious_reduce_of_allowed_global_result_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    # OrderedDict is allowed, but REDUCE on an object that is not an allow-listed global is not.
    payload = (b"\x80\x02ccollections\nOrderedDict\n)R" + b"(X\x04\x00\x00\x00keysq\x00tR.")
    with pytest.raises(pickle.UnpicklingError, match="Trying to call reduce for unrecognized function"):
        jtorch.load(io.BytesIO(_archive_with_pickle(payload)))
    assert not marker.exists()


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, other):
        return type(other) is Point and (self.x, self.y) == (other.x, other.y)


def test_safe_globals_allow_a_custom_class():
    buf = io.BytesIO()
    jtorch.save({"pt": Point(1, 2), "t": jtorch.ones(2)}, buf)
    data = buf.getvalue()
    name = f"{Point.__module__}.Point"
    with pytest.raises(pickle.UnpicklingError, match=rf"GLOBAL {name} was not an allowed global"):
        jtorch.load(io.BytesIO(data))
    assert jtorch.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data)) == [name]
    assert torch.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data)) == [name]
    with jtorch.serialization.safe_globals([Point]):
        assert jtorch.serialization.get_safe_globals() == [Point]
        assert jtorch.load(io.BytesIO(data))["pt"] == Point(1, 2)
    assert jtorch.serialization.get_safe_globals() == []
    try:
        jtorch.serialization.add_safe_globals([(Point, name)])
        assert jtorch.load(io.BytesIO(data))["pt"] == Point(1, 2)
    finally:
        jtorch.serialization.clear_safe_globals()
    with pytest.raises(pickle.UnpicklingError):
        jtorch.load(io.BytesIO(data))


def test_safe_jtorch_global_also_allows_its_torch_name():
    buf = io.BytesIO()
    torch.save({"module": torch.nn.Module(), "t": torch.ones(2)}, buf)
    data = buf.getvalue()
    assert jtorch.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data)) == ["torch.nn.modules.module.Module"]
    with jtorch.serialization.safe_globals([jtorch.nn.Module]):
        assert jtorch.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data)) == []


class Holder:
    def __init__(self, lib):
        self.weights = OrderedDict(w=lib.tensor(arr(2, 2)))
        self.tag = "holder"


class Net(jtorch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = jtorch.nn.Parameter(jtorch.tensor(arr(2, 3)))
        self.register_buffer("running", jtorch.zeros(2))

    def forward(self, x):
        return x @ self.w.t() + self.running


def test_weights_only_false_loads_arbitrary_objects():
    for lib in (torch, jtorch):
        buf = io.BytesIO()
        lib.save(Holder(lib), buf)
        buf.seek(0)
        with pytest.raises(pickle.UnpicklingError, match="Holder was not an allowed global"):
            jtorch.load(buf)
        buf.seek(0)
        loaded = jtorch.load(buf, weights_only=False)
        assert type(loaded) is Holder and loaded.tag == "holder"
        assert_same(Holder(torch).weights, loaded.weights)


def test_whole_module_round_trip():
    net = Net()
    buf = io.BytesIO()
    jtorch.save(net, buf)
    buf.seek(0)
    loaded = jtorch.load(buf, weights_only=False)
    assert type(loaded) is Net and type(loaded.w) is jtorch.nn.Parameter
    x = jtorch.tensor(arr(4, 3))
    np.testing.assert_allclose(np.asarray(loaded(x).detach()), np.asarray(net(x).detach()))
    buf = io.BytesIO()
    jtorch.save(net.state_dict(), buf)
    buf.seek(0)
    sd = torch.load(buf, weights_only=True)
    assert list(sd) == ["w", "running"] and sd._metadata[""] == {"version": 1}


# ---- errors like torch ---------------------------------------------------------------------------

def _same_error(fn_torch, fn_jtorch, exact=True):
    with pytest.raises(Exception) as oracle:
        fn_torch()
    with pytest.raises(type(oracle.value)) as mine:
        fn_jtorch()
    if exact:
        assert str(mine.value) == str(oracle.value)
    return mine.value


def test_save_errors_like_torch(tmp_path):
    _same_error(lambda: torch.save(1, 5), lambda: jtorch.save(1, 5))
    missing = tmp_path / "no" / "such" / "x.pt"
    _same_error(lambda: torch.save(1, missing), lambda: jtorch.save(1, missing))
    with pytest.raises(NotImplementedError, match="legacy"):
        jtorch.save(1, io.BytesIO(), _use_new_zipfile_serialization=False)


def test_load_errors_like_torch(tmp_path):
    legacy = io.BytesIO()
    torch.save(torch.ones(2), legacy, _use_new_zipfile_serialization=False)
    with pytest.raises(NotImplementedError, match="legacy"):
        jtorch.load(io.BytesIO(legacy.getvalue()))
    _same_error(lambda: torch.load(io.BytesIO(b"")), lambda: jtorch.load(io.BytesIO(b"")))
    garbage = b"not a checkpoint at all"
    _same_error(lambda: torch.load(io.BytesIO(garbage)), lambda: jtorch.load(io.BytesIO(garbage)))
    no_version = io.BytesIO()
    with zipfile.ZipFile(no_version, "w") as zf:
        zf.writestr("a/data.pkl", pickle.dumps([1], protocol=2))
    err = _same_error(lambda: torch.load(io.BytesIO(no_version.getvalue())),
                      lambda: jtorch.load(io.BytesIO(no_version.getvalue())), exact=False)
    assert 'Expected hasRecord("version") to be true' in str(err)
    _same_error(lambda: torch.load(io.BytesIO(b"x"), pickle_module=pickle, weights_only=True),
                lambda: jtorch.load(io.BytesIO(b"x"), pickle_module=pickle, weights_only=True))
    buf = io.BytesIO()
    torch.save([1], buf)
    _same_error(lambda: torch.load(io.BytesIO(buf.getvalue()), mmap=True),
                lambda: jtorch.load(io.BytesIO(buf.getvalue()), mmap=True))


def test_dot_data_version_and_other_folder_name():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("whatever/data.pkl", pickle.dumps({"k": [1, 2.5]}, protocol=2))
        zf.writestr("whatever/.data/version", "3\n")
    for lib in (torch, jtorch):
        assert lib.load(io.BytesIO(buf.getvalue())) == {"k": [1, 2.5]}


def test_jtorch_serialization_module_api():
    assert jtorch.serialization.DEFAULT_PROTOCOL == 2
    assert jtorch.save is jtorch.serialization.save and jtorch.load is jtorch.serialization.load
    assert pathlib.Path(jtorch.serialization.__file__).name == "serialization.py"
