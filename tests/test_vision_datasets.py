"""jtorch.vision.datasets: torchvision's on-disk formats (small files written here), attributes,
reprs and errors, downloads from local archives, offline failures, and the batched fast path
(which must give exactly what the per-sample path gives)."""
import gzip
import hashlib
import io
import os
import pathlib
import pickle
import re
import socket
import struct
import tarfile
import zipfile

import numpy as np
import pytest
from PIL import Image

import jtorch
from jtorch import _host_random as hr
from jtorch.utils.data import DataLoader, Dataset, PreCollated
from jtorch.vision import datasets, transforms
from jtorch.vision.datasets import _batched as batched_module
from jtorch.vision.datasets import utils as dutils
from jtorch.vision.datasets.mnist import read_label_file, read_sn3_pascalvincent_tensor

CIFAR10_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def md5_of(path):
    return hashlib.md5(pathlib.Path(path).read_bytes()).hexdigest()


class Py2Pickler(pickle._Pickler):
    """Writes bytes as Python-2 ``str`` opcodes, like the original cPickle'd CIFAR files."""

    dispatch = dict(pickle._Pickler.dispatch)

    def save_py2_str(self, obj):
        n = len(obj)
        if n < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([n]) + obj)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", n) + obj)
        self.memoize(obj)

    dispatch[bytes] = save_py2_str


def dump(obj, path, style):
    """Pickle ``obj`` the way a given producer would: py2 cPickle (bytes keys become str on load),
    numpy 1.x protocol 2, numpy 2.x protocol 2, bytes keys, or protocol 5."""
    if style in ("py2", "bytes_keys"):
        obj = {k.encode(): ([n.encode() for n in v] if k.endswith("names") else v) for k, v in obj.items()}
    if style == "py2":
        buf = io.BytesIO()
        Py2Pickler(buf, protocol=2).dump(obj)
        payload = buf.getvalue().replace(b"numpy._core.multiarray", b"numpy.core.multiarray")
    elif style == "np1":
        payload = pickle.dumps(obj, protocol=2).replace(b"numpy._core.multiarray", b"numpy.core.multiarray")
    else:
        payload = pickle.dumps(obj, protocol=5 if style == "proto5" else 2)
    pathlib.Path(path).write_bytes(payload)


def write_cifar(root, cls, monkeypatch, n=(4, 3, 5, 2, 3), n_test=6, style="np2", seed=0):
    """A small CIFAR folder in torchvision's format (batch sizes ``n``); patches the class's md5s to
    the written files' (torchvision's data model). Returns (train data NHWC, train labels, test data, test labels)."""
    rng = np.random.default_rng(seed)
    folder = pathlib.Path(root) / cls.base_folder
    folder.mkdir(parents=True, exist_ok=True)
    hundred = cls.base_folder == "cifar-100-python"
    sizes = [sum(n)] if hundred else list(n)
    names = [name for name, _ in cls.train_list] if not hundred else ["train"]
    train_list, batches = [], []
    for name, size in zip(names, sizes):
        rows = rng.integers(0, 256, (size, 3072), dtype=np.uint8)
        labels = rng.integers(0, 100 if hundred else 10, size).tolist()
        entry = {"data": rows, "batch_label": "training batch"}
        if hundred:
            entry.update(fine_labels=labels, coarse_labels=[v // 5 for v in labels])
        else:
            entry["labels"] = labels
        dump(entry, folder / name, style)
        train_list.append([name, md5_of(folder / name)])
        batches.append((rows, labels))
    test_rows = rng.integers(0, 256, (n_test, 3072), dtype=np.uint8)
    test_labels = rng.integers(0, 100 if hundred else 10, n_test).tolist()
    test_name = cls.test_list[0][0]
    entry = {"data": test_rows, ("fine_labels" if hundred else "labels"): test_labels}
    dump(entry, folder / test_name, style)
    meta_name = cls.meta["filename"]
    class_names = [f"class{i}" for i in range(100)] if hundred else CIFAR10_NAMES
    dump({cls.meta["key"]: class_names, "num_cases_per_batch": 10000}, folder / meta_name, style)
    monkeypatch.setattr(cls, "train_list", train_list)
    monkeypatch.setattr(cls, "test_list", [[test_name, md5_of(folder / test_name)]])
    monkeypatch.setattr(cls, "meta", dict(cls.meta, md5=md5_of(folder / meta_name)))

    def nhwc(rows):
        return rows.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)

    train = nhwc(np.concatenate([b[0] for b in batches]))
    return train, sum((b[1] for b in batches), []), nhwc(test_rows), test_labels


def idx_bytes(array, type_code=None):
    """``array`` in the idx format (big-endian values after a magic and the dims)."""
    codes = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C, np.float32: 0x0D, np.float64: 0x0E}
    code = codes[array.dtype.type] if type_code is None else type_code
    header = bytes([0, 0, code, array.ndim]) + b"".join(struct.pack(">I", d) for d in array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write_mnist(root, folder="MNIST", n_train=7, n_test=4, prefix=None, seed=0):
    """``root/<folder>/raw`` with the four idx files. Returns (train images, train labels, test images, test labels)."""
    rng = np.random.default_rng(seed)
    raw = pathlib.Path(root) / folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for split, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, n).astype(np.uint8)
        name = split if prefix is None else f"{prefix}-{'train' if split == 'train' else 'test'}"
        (raw / f"{name}-images-idx3-ubyte").write_bytes(idx_bytes(images))
        (raw / f"{name}-labels-idx1-ubyte").write_bytes(idx_bytes(labels))
        arrays[split] = (images, labels)
    return arrays["train"] + arrays["t10k"]


class Recorder:
    """A transform with a fixed repr that records what it was given."""

    def __init__(self, name="Recorder()"):
        self.name = name
        self.seen = []

    def __call__(self, x):
        self.seen.append(x)
        return x

    def __repr__(self):
        return self.name


# ---------------------------------------------------------------------------------------------- CIFAR

@pytest.mark.parametrize("style", ["py2", "np1", "np2", "bytes_keys", "proto5"])
@pytest.mark.parametrize("cls", [datasets.CIFAR10, datasets.CIFAR100])
def test_cifar_reads_torchvision_batches(tmp_path, monkeypatch, cls, style):
    train, train_labels, test, test_labels = write_cifar(tmp_path, cls, monkeypatch, style=style)
    for is_train, data, labels in ((True, train, train_labels), (False, test, test_labels)):
        ds = cls(str(tmp_path), train=is_train)
        assert isinstance(ds.data, np.ndarray) and ds.data.dtype == np.uint8
        assert ds.data.shape == (len(labels), 32, 32, 3)
        np.testing.assert_array_equal(ds.data, data)
        assert ds.targets == labels and all(type(t) is int for t in ds.targets)
        assert len(ds) == len(labels)
        expected_classes = CIFAR10_NAMES if cls is datasets.CIFAR10 else [f"class{i}" for i in range(100)]
        assert ds.classes == expected_classes
        assert ds.class_to_idx == {c: i for i, c in enumerate(expected_classes)}
        img, target = ds[len(labels) - 1]
        assert isinstance(img, Image.Image) and img.mode == "RGB" and img.size == (32, 32)
        np.testing.assert_array_equal(np.asarray(img), data[-1])
        assert target == labels[-1] and type(target) is int


def test_cifar_channel_planes_are_rgb(tmp_path, monkeypatch):
    """Each row is 1024 R, then 1024 G, then 1024 B values, each a row-major 32x32 plane."""
    write_cifar(tmp_path, datasets.CIFAR10, monkeypatch, n=(1, 1, 1, 1, 1), n_test=1)
    folder = tmp_path / datasets.CIFAR10.base_folder
    row = np.concatenate([np.full(1024, 10), np.full(1024, 20), np.arange(1024) % 256]).astype(np.uint8)
    dump({"data": row[None], "labels": [7]}, folder / "test_batch", "np2")
    monkeypatch.setattr(datasets.CIFAR10, "test_list", [["test_batch", md5_of(folder / "test_batch")]])
    img, label = datasets.CIFAR10(tmp_path, train=False)[0]
    pixels = np.asarray(img)
    assert label == 7
    assert (pixels[..., 0] == 10).all() and (pixels[..., 1] == 20).all()
    assert pixels[0, 5, 2] == 5 and pixels[1, 0, 2] == 32


def test_cifar_seed_usage_to_tensor(tmp_path, monkeypatch):
    train, labels, _, _ = write_cifar(tmp_path, datasets.CIFAR10, monkeypatch)
    ds = datasets.CIFAR10(root=str(tmp_path), train=True, download=False,
                          transform=transforms.Compose([transforms.ToTensor()]))
    img, target = ds[3]
    assert isinstance(img, jtorch.Tensor) and img.dtype == jtorch.float32 and tuple(img.shape) == (3, 32, 32)
    np.testing.assert_allclose(img.numpy(), train[3].transpose(2, 0, 1) / np.float32(255), rtol=1e-6)
    assert type(target) is int and target == labels[3]


def test_cifar_transforms_and_target_transform(tmp_path, monkeypatch):
    _, labels, _, _ = write_cifar(tmp_path, datasets.CIFAR10, monkeypatch)
    ds = datasets.CIFAR10(tmp_path, transform=lambda im: im.size, target_transform=lambda t: t + 100)
    assert ds[0] == ((32, 32), labels[0] + 100)


@pytest.mark.parametrize("root_type", [str, pathlib.Path])
def test_cifar_repr_exactly_torchvision(tmp_path, monkeypatch, root_type):
    write_cifar(tmp_path, datasets.CIFAR10, monkeypatch)
    root = root_type(tmp_path)
    ds = datasets.CIFAR10(root, train=True, transform=Recorder("Compose(\n    ToTensor()\n)"))
    assert repr(ds) == ("Dataset CIFAR10\n"
                        "    Number of datapoints: 17\n"
                        f"    Root location: {root}\n"
                        "    Split: Train\n"
                        "    StandardTransform\n"
                        "Transform: Compose(\n"
                        "               ToTensor()\n"
                        "           )")
    assert ds.root == root and isinstance(ds.root, root_type)
    ds = datasets.CIFAR10(root, train=False, target_transform=Recorder("T()"))
    assert repr(ds).splitlines()[3:] == ["    Split: Test", "    StandardTransform", "Target transform: T()"]
    assert repr(datasets.CIFAR10(root, train=False)).splitlines()[-1] == "    Split: Test"


def test_cifar_repr_with_real_compose(tmp_path, monkeypatch):
    write_cifar(tmp_path, datasets.CIFAR10, monkeypatch)
    t = transforms.Compose([transforms.ToTensor()])
    ds = datasets.CIFAR10(str(tmp_path), transform=t)
    lines = repr(t).splitlines()
    expected = ["Transform: " + lines[0]] + [" " * 11 + line for line in lines[1:]]
    assert repr(ds).split("\n")[5:] == expected


def test_root_is_user_expanded(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    write_cifar(tmp_path, datasets.CIFAR10, monkeypatch)
    assert datasets.CIFAR10("~", train=False).root == str(tmp_path)


NOT_FOUND = "Dataset not found or corrupted. You can use download=True to download it"


@pytest.mark.parametrize("damage, reason", [
    ("missing_folder", "data_batch_1: no such file"),
    ("missing_batch", "data_batch_3: no such file"),
    ("truncated_batch", "data_batch_2: md5 is [0-9a-f]{32}, expected [0-9a-f]{32}"),
    ("missing_test", "test_batch: no such file"),
])
def test_cifar_not_found_or_corrupted_says_where(tmp_path, monkeypatch, damage, reason):
    write_cifar(tmp_path, datasets.CIFAR10, monkeypatch)
    folder = tmp_path / datasets.CIFAR10.base_folder
    root = tmp_path / "elsewhere" if damage == "missing_folder" else tmp_path
    if damage == "missing_batch":
        (folder / "data_batch_3").unlink()
    elif damage == "truncated_batch":
        payload = (folder / "data_batch_2").read_bytes()
        (folder / "data_batch_2").write_bytes(payload[:len(payload) // 2])
    elif damage == "missing_test":
        (folder / "test_batch").unlink()
    with pytest.raises(RuntimeError) as info:
        datasets.CIFAR10(root, train=True)
    message = str(info.value)
    assert message.startswith(NOT_FOUND + "\n(looked for ")
    abs_folder = os.path.abspath(root / datasets.CIFAR10.base_folder)
    assert re.search(re.escape(abs_folder + os.sep) + reason + r"\)$", message), message


def test_real_md5s_reject_fake_cifar_folders(tmp_path, monkeypatch):
    """Like torchvision: the shipped md5s reject a folder of files that are not the real ones."""
    write_cifar(tmp_path, datasets.CIFAR10, monkeypatch)
    monkeypatch.undo()
    with pytest.raises(RuntimeError, match="^Dataset not found or corrupted"):
        datasets.CIFAR10(tmp_path)


def test_cifar_meta_corrupted(tmp_path, monkeypatch):
    write_cifar(tmp_path, datasets.CIFAR10, monkeypatch)
    (tmp_path / datasets.CIFAR10.base_folder / "batches.meta").write_bytes(b"x")
    with pytest.raises(RuntimeError, match="^Dataset metadata file not found or corrupted. You can use download=True "
                                           "to download it\n\\(looked for .*batches.meta: md5 is"):
        datasets.CIFAR10(tmp_path)


def test_cifar_refuses_pickles_with_code(tmp_path, monkeypatch):
    write_cifar(tmp_path, datasets.CIFAR10, monkeypatch)
    folder = tmp_path / datasets.CIFAR10.base_folder
    (folder / "test_batch").write_bytes(pickle.dumps({"data": os.getcwd, "labels": []}, protocol=2))
    monkeypatch.setattr(datasets.CIFAR10, "test_list", [["test_batch", md5_of(folder / "test_batch")]])
    with pytest.raises(pickle.UnpicklingError, match="posix.getcwd"):
        datasets.CIFAR10(tmp_path, train=False)


# ------------------------------------------------------------------------------------------ downloads

def cifar_archive(tmp_path, monkeypatch, fmt="gz"):
    """A cifar-10-python.tar.gz of a small fake folder, served by a file:// URL set on the class."""
    src = tmp_path / "src"
    train, labels, _, _ = write_cifar(src, datasets.CIFAR10, monkeypatch)
    archive = tmp_path / "served" / "cifar-10-python.tar.gz"
    archive.parent.mkdir()
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(src / datasets.CIFAR10.base_folder, arcname=datasets.CIFAR10.base_folder)
    monkeypatch.setattr(datasets.CIFAR10, "url", archive.as_uri())
    monkeypatch.setattr(datasets.CIFAR10, "tgz_md5", md5_of(archive))
    return train, labels


def test_cifar_download_from_local_archive(tmp_path, monkeypatch, capsys):
    train, labels = cifar_archive(tmp_path, monkeypatch)
    root = tmp_path / "data"
    ds = datasets.CIFAR10(str(root), train=True, download=True)
    np.testing.assert_array_equal(ds.data, train)
    assert ds.targets == labels
    out = capsys.readouterr().out
    assert "Downloading file://" in out and "Extracting " in out
    assert (root / "cifar-10-python.tar.gz").is_file()
    datasets.CIFAR10(str(root), train=True, download=True)
    assert capsys.readouterr().out == "Files already downloaded and verified\n"


def test_download_checks_md5(tmp_path, monkeypatch):
    cifar_archive(tmp_path, monkeypatch)
    monkeypatch.setattr(datasets.CIFAR10, "tgz_md5", "0" * 32)
    with pytest.raises(RuntimeError, match="^File not found or corrupted.$"):
        datasets.CIFAR10(tmp_path / "data", download=True)


def test_download_uses_verified_file(tmp_path, capsys):
    (tmp_path / "f.bin").write_bytes(b"abc")
    dutils.download_url("http://127.0.0.1:1/f.bin", tmp_path, md5=md5_of(tmp_path / "f.bin"))
    assert capsys.readouterr().out == f"Using downloaded and verified file: {tmp_path / 'f.bin'}\n"


def test_offline_download_fails_fast_with_clear_error(tmp_path):
    """Port 1 on localhost refuses connections: the error names the URL and says the machine seems offline."""
    url = "http://127.0.0.1:1/cifar-10-python.tar.gz"
    with pytest.raises(RuntimeError) as info:
        dutils.download_url(url, tmp_path)
    message = str(info.value)
    assert message.startswith(f"Could not download {url}: ")
    assert "seems to be offline (or 127.0.0.1 is unreachable)" in message
    assert str(tmp_path / "cifar-10-python.tar.gz") in message
    assert os.listdir(tmp_path) == []


def test_download_times_out_on_a_silent_server(tmp_path, monkeypatch):
    """A server that accepts the connection but never answers: the read times out."""
    monkeypatch.setattr(dutils, "CONNECT_TIMEOUT", 0.3)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        url = f"http://127.0.0.1:{server.getsockname()[1]}/x.tar.gz"
        with pytest.raises(RuntimeError, match="seems to be offline"):
            dutils.download_url(url, tmp_path)
    assert os.listdir(tmp_path) == []


def test_dataset_download_offline(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets.CIFAR10, "url", "http://127.0.0.1:1/cifar-10-python.tar.gz")
    with pytest.raises(RuntimeError, match="Could not download http://127.0.0.1:1/cifar-10-python.tar.gz"):
        datasets.CIFAR10(tmp_path, download=True)


def test_check_reachable(tmp_path):
    with pytest.raises(RuntimeError, match="seems to be offline.*Do it elsewhere"):
        dutils.check_reachable("https://127.0.0.1:1/", "Do it elsewhere.")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        dutils.check_reachable(f"http://127.0.0.1:{server.getsockname()[1]}/")


def test_google_drive_is_refused(tmp_path):
    with pytest.raises(RuntimeError, match="Google Drive"):
        dutils.download_url("https://drive.google.com/file/d/abc/view", tmp_path)


@pytest.mark.parametrize("name, kind", [
    ("a.tar.gz", "tar:gz"), ("a.tgz", "tar:gz"), ("a.tar", "tar:"), ("a.tar.bz2", "tar:bz2"), ("a.tar.xz", "tar:xz"),
    ("a.zip", "zip"),
])
def test_extract_archive(tmp_path, name, kind):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "hello.txt").write_text("hi")
    archive = tmp_path / name
    if kind == "zip":
        with zipfile.ZipFile(archive, "w") as z:
            z.write(tmp_path / "in" / "hello.txt", "pkg/hello.txt")
    else:
        with tarfile.open(archive, "w:" + kind.split(":")[1]) as t:
            t.add(tmp_path / "in" / "hello.txt", "pkg/hello.txt")
    out = tmp_path / "out"
    assert dutils.extract_archive(str(archive), str(out)) == str(out)
    assert (out / "pkg" / "hello.txt").read_text() == "hi"


def test_extract_archive_decompresses_single_files(tmp_path):
    with gzip.open(tmp_path / "x-idx1-ubyte.gz", "wb") as f:
        f.write(b"payload")
    assert dutils.extract_archive(str(tmp_path / "x-idx1-ubyte.gz")) == str(tmp_path / "x-idx1-ubyte")
    assert (tmp_path / "x-idx1-ubyte").read_bytes() == b"payload"


@pytest.mark.parametrize("name, message", [
    ("noext", "has no suffixes"), ("a.rar", "Unknown compression or archive type: '.rar'"),
])
def test_extract_archive_unknown_types(tmp_path, name, message):
    with pytest.raises(RuntimeError, match=message):
        dutils.extract_archive(str(tmp_path / name))


def test_integrity_helpers(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"hello")
    assert dutils.calculate_md5(path) == hashlib.md5(b"hello").hexdigest()
    assert dutils.check_integrity(str(path)) and dutils.check_integrity(str(path), hashlib.md5(b"hello").hexdigest())
    assert not dutils.check_integrity(str(path), "0" * 32)
    assert not dutils.check_integrity(str(tmp_path / "missing"))


@pytest.mark.parametrize("args, message", [
    ((3, "split"), "Expected type str for argument split, but got type <class 'int'>."),
    ((3,), "Expected type str, but got type <class 'int'>."),
    (("x", "split", ("a", "b")), "Unknown value 'x' for argument split. Valid values are {'a', 'b'}."),
    (("x", "split", ("a",), "custom"), "custom"),
])
def test_verify_str_arg(args, message):
    with pytest.raises(ValueError) as info:
        dutils.verify_str_arg(*args)
    assert str(info.value) == message
    assert dutils.verify_str_arg("a", "split", ("a", "b")) == "a"


# ---------------------------------------------------------------------------------------------- MNIST

@pytest.mark.parametrize("cls", [datasets.MNIST, datasets.FashionMNIST, datasets.KMNIST])
def test_mnist_family_reads_idx(tmp_path, cls):
    train_x, train_y, test_x, test_y = write_mnist(tmp_path, folder=cls.__name__)
    for is_train, x, y in ((True, train_x, train_y), (False, test_x, test_y)):
        ds = cls(str(tmp_path), train=is_train)
        assert isinstance(ds.data, jtorch.Tensor) and ds.data.dtype == jtorch.uint8
        assert tuple(ds.data.shape) == x.shape
        assert ds.targets.dtype == jtorch.int64 and tuple(ds.targets.shape) == y.shape
        np.testing.assert_array_equal(ds.data.numpy(), x)
        np.testing.assert_array_equal(ds.targets.numpy(), y)
        assert len(ds) == len(y)
        img, target = ds[1]
        assert isinstance(img, Image.Image) and img.mode == "L" and img.size == (28, 28)
        np.testing.assert_array_equal(np.asarray(img), x[1])
        assert type(target) is int and target == y[1]
        assert ds.class_to_idx == {c: i for i, c in enumerate(cls.classes)}
        assert repr(ds).splitlines()[:4] == [f"Dataset {cls.__name__}", f"    Number of datapoints: {len(y)}",
                                             f"    Root location: {tmp_path}",
                                             f"    Split: {'Train' if is_train else 'Test'}"]


def test_mnist_deprecated_names_warn(tmp_path):
    write_mnist(tmp_path)
    ds = datasets.MNIST(tmp_path)
    with pytest.warns(UserWarning, match="train_labels has been renamed targets"):
        assert ds.train_labels is ds.targets
    with pytest.warns(UserWarning, match="test_data has been renamed data"):
        assert ds.test_data is ds.data


def test_emnist_split_files(tmp_path):
    x, y, tx, ty = write_mnist(tmp_path, folder="EMNIST", prefix="emnist-letters")
    ds = datasets.EMNIST(tmp_path, split="letters", train=False)
    np.testing.assert_array_equal(ds.data.numpy(), tx)
    assert ds.classes[:3] == ["N/A", "a", "b"]
    with pytest.raises(ValueError, match="Unknown value 'nope' for argument split"):
        datasets.EMNIST(tmp_path, split="nope")


def test_mnist_not_found_says_where(tmp_path):
    with pytest.raises(RuntimeError) as info:
        datasets.MNIST(tmp_path)
    expected = os.path.abspath(tmp_path / "MNIST" / "raw" / "train-images-idx3-ubyte")
    assert str(info.value) == ("Dataset not found. You can use download=True to download it\n"
                               f"(looked for {expected}: no such file)")


@pytest.mark.parametrize("which, payload, error, message", [
    ("images", idx_bytes(np.zeros((2, 28, 28), np.uint8), type_code=0x07), AssertionError, "unknown type code 0x07"),
    ("images", bytes([0, 0, 8, 4]) + struct.pack(">IIII", 1, 1, 1, 1) + b"\0", AssertionError, "4 dimensions"),
    ("images", bytes([0, 0, 8, 0]), AssertionError, "0 dimensions"),
    ("labels", idx_bytes(np.zeros(3, np.int16)), TypeError, "x should be of dtype torch.uint8 instead of torch.int16"),
    ("labels", idx_bytes(np.zeros((3, 2), np.uint8)), ValueError, "x should have 1 dimension instead of 2"),
    ("images", idx_bytes(np.zeros((3, 28), np.uint8)), ValueError, "x should have 3 dimension instead of 2"),
    ("images", idx_bytes(np.zeros((7, 28, 28), np.uint8))[:-5], RuntimeError,
     r"^Dataset not found or corrupted.*\n\(looked for .*train-images-idx3-ubyte: the header says shape \(7, 28, 28\) "
     r"\(5488 values\) but the file holds 5483\)$"),
    ("labels", b"\0\0", RuntimeError, "too short for an idx header"),
])
def test_mnist_validates_idx_files(tmp_path, which, payload, error, message):
    write_mnist(tmp_path)
    (tmp_path / "MNIST" / "raw" / f"train-{which}-idx{3 if which == 'images' else 1}-ubyte").write_bytes(payload)
    with pytest.raises(error, match=message):
        datasets.MNIST(tmp_path)


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])
def test_read_sn3_pascalvincent_tensor_big_endian(tmp_path, dtype):
    values = (np.arange(24).reshape(2, 3, 4) * (-1 if dtype != np.uint8 else 1) * 3).astype(dtype)
    (tmp_path / "f").write_bytes(idx_bytes(values))
    t = read_sn3_pascalvincent_tensor(str(tmp_path / "f"))
    assert t.dtype == getattr(jtorch, np.dtype(dtype).name)
    np.testing.assert_array_equal(t.numpy(), values)


def test_read_label_file_is_int64(tmp_path):
    (tmp_path / "f").write_bytes(idx_bytes(np.array([3, 1, 4], np.uint8)))
    t = read_label_file(str(tmp_path / "f"))
    assert t.dtype == jtorch.int64 and t.tolist() == [3, 1, 4]


def test_mnist_legacy_processed_files(tmp_path):
    processed = tmp_path / "MNIST" / "processed"
    processed.mkdir(parents=True)
    x = np.arange(2 * 28 * 28, dtype=np.int64).reshape(2, 28, 28).astype(np.uint8)
    jtorch.save((jtorch.from_numpy(x), jtorch.tensor([4, 2])), str(processed / "training.pt"))
    jtorch.save((jtorch.from_numpy(x[:1]), jtorch.tensor([9])), str(processed / "test.pt"))
    ds = datasets.MNIST(tmp_path, train=True)
    assert ds.data.dtype == jtorch.uint8 and tuple(ds.data.shape) == (2, 28, 28)
    np.testing.assert_array_equal(ds.data.numpy(), x)
    assert ds[1][1] == 2 and np.array_equal(np.asarray(ds[1][0]), x[1])
    assert datasets.MNIST(tmp_path, train=False).targets.tolist() == [9]


def test_mnist_download_tries_mirrors_and_extracts_gz(tmp_path, monkeypatch, capsys):
    """The first mirror is offline (fails fast), the second serves the .gz files from disk."""
    src = tmp_path / "src"
    train_x, train_y, _, _ = write_mnist(src)
    served = tmp_path / "served"
    served.mkdir()
    resources = []
    for name, _ in datasets.MNIST.resources:
        raw = (src / "MNIST" / "raw" / name[:-3]).read_bytes()
        (served / name).write_bytes(gzip.compress(raw))
        resources.append((name, md5_of(served / name)))
    monkeypatch.setattr(datasets.MNIST, "resources", resources)
    monkeypatch.setattr(datasets.MNIST, "mirrors", ["http://127.0.0.1:1/", served.as_uri() + "/"])
    ds = datasets.MNIST(tmp_path / "data", train=True, download=True)
    np.testing.assert_array_equal(ds.data.numpy(), train_x)
    np.testing.assert_array_equal(ds.targets.numpy(), train_y)
    assert "Failed to download (trying next):\nCould not download http://127.0.0.1:1/" in capsys.readouterr().out


def test_mnist_download_all_mirrors_offline(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets.MNIST, "mirrors", ["http://127.0.0.1:1/a/", "http://127.0.0.1:1/b/"])
    with pytest.raises(RuntimeError, match="^Error downloading train-images-idx3-ubyte.gz:\nCould not download .*/a/"):
        datasets.MNIST(tmp_path, download=True)


# ------------------------------------------------------------------------------------- ImageFolder

def write_png(path, array):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)


def image_tree(root):
    rng = np.random.default_rng(0)
    images = {}
    for rel, shape in [("cat/b.png", (5, 4, 3)), ("cat/a.png", (6, 3, 3)), ("dog/x.PNG", (2, 2, 3)),
                       ("dog/sub/y.png", (3, 3)), ("dog/notes.txt", None)]:
        path = root / rel
        if shape is None:
            path.write_text("not an image")
            continue
        images[rel] = rng.integers(0, 256, shape, dtype=np.uint8)
        write_png(path, images[rel])
    return images


def test_image_folder(tmp_path):
    images = image_tree(tmp_path)
    ds = datasets.ImageFolder(str(tmp_path))
    assert ds.classes == ["cat", "dog"] and ds.class_to_idx == {"cat": 0, "dog": 1}
    rels = ["cat/a.png", "cat/b.png", "dog/x.PNG", "dog/sub/y.png"]
    assert ds.samples == [(os.path.join(str(tmp_path), r), int(r.startswith("dog"))) for r in rels]
    assert ds.imgs is ds.samples and ds.targets == [0, 0, 1, 1] and len(ds) == 4
    for i, rel in enumerate(rels):
        img, target = ds[i]
        assert img.mode == "RGB" and target == ds.targets[i]
        expected = images[rel] if images[rel].ndim == 3 else np.repeat(images[rel][..., None], 3, axis=2)
        np.testing.assert_array_equal(np.asarray(img), expected)
    assert repr(ds) == f"Dataset ImageFolder\n    Number of datapoints: 4\n    Root location: {tmp_path}"


def test_image_folder_options(tmp_path):
    image_tree(tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError) as info:
        datasets.ImageFolder(tmp_path)
    assert str(info.value) == ("Found no valid file for the classes empty. Supported extensions are: .jpg, .jpeg, "
                               ".png, .ppm, .bmp, .pgm, .tif, .tiff, .webp")
    ds = datasets.ImageFolder(tmp_path, allow_empty=True)
    assert ds.classes == ["cat", "dog", "empty"] and len(ds) == 4
    ds = datasets.ImageFolder(tmp_path, is_valid_file=lambda p: p.endswith("a.png"), allow_empty=True)
    assert [os.path.basename(p) for p, _ in ds.samples] == ["a.png"]
    ds = datasets.ImageFolder(tmp_path, loader=lambda p: os.path.basename(p), allow_empty=True,
                              transform=str.upper, target_transform=lambda t: -t)
    assert ds[2] == ("X.PNG", -1)


def test_dataset_folder_custom_loader(tmp_path):
    for cls, values in (("a", [1, 2]), ("b", [3])):
        (tmp_path / cls).mkdir()
        for v in values:
            np.save(tmp_path / cls / f"{v}.npy", np.full(2, v))
    ds = datasets.DatasetFolder(tmp_path, loader=np.load, extensions=(".npy",))
    assert [(s.tolist(), t) for s, t in (ds[i] for i in range(len(ds)))] == [([1, 1], 0), ([2, 2], 0), ([3, 3], 1)]
    assert ds.extensions == (".npy",)
    ds = datasets.DatasetFolder(tmp_path, loader=np.load, extensions=".npy")
    assert len(ds) == 3


@pytest.mark.parametrize("setup, kwargs, error, message", [
    ("none", {}, FileNotFoundError, "Couldn't find any class folder in"),
    ("tree", {"extensions": None}, ValueError, "Both extensions and is_valid_file cannot be None or not None"),
    ("tree", {"is_valid_file": bool}, ValueError, "Both extensions and is_valid_file cannot be None or not None"),
])
def test_dataset_folder_errors(tmp_path, setup, kwargs, error, message):
    if setup == "tree":
        image_tree(tmp_path)
    args = dict(loader=np.load, extensions=(".png",))
    args.update(kwargs)
    with pytest.raises(error, match=message):
        datasets.DatasetFolder(tmp_path, **args)


def test_folder_module_functions(tmp_path):
    from jtorch.vision.datasets.folder import find_classes, is_image_file, make_dataset

    image_tree(tmp_path)
    assert find_classes(tmp_path) == (["cat", "dog"], {"cat": 0, "dog": 1})
    assert len(make_dataset(str(tmp_path), extensions=(".png",))) == 4
    assert is_image_file("A.JPEG") and not is_image_file("a.txt")
    with pytest.raises(ValueError, match="'class_to_index' must have at least one entry"):
        make_dataset(str(tmp_path), {}, extensions=(".png",))
    with pytest.raises(ValueError, match="The class_to_idx parameter cannot be None."):
        datasets.DatasetFolder.make_dataset(str(tmp_path), None, extensions=(".png",))


# ------------------------------------------------------------------------------------------ FakeData

@pytest.mark.parametrize("image_size, mode", [((3, 6, 5), "RGB"), ((1, 4, 7), "L"), ((4, 2, 3), "RGBA"),
                                              ((2, 3, 3), "LA")])
def test_fake_data(image_size, mode):
    ds = datasets.FakeData(size=5, image_size=image_size, num_classes=3)
    assert len(ds) == 5
    img, target = ds[2]
    assert img.mode == mode and img.size == (image_size[2], image_size[1])
    assert type(target) is int and 0 <= target < 3
    again, target_again = ds[2]
    assert np.array_equal(np.asarray(img), np.asarray(again)) and target == target_again
    other = datasets.FakeData(size=5, image_size=image_size, num_classes=3, random_offset=1)
    assert np.array_equal(np.asarray(other[1][0]), np.asarray(ds[2][0]))
    assert not np.array_equal(np.asarray(ds[1][0]), np.asarray(ds[2][0]))
    with pytest.raises(IndexError, match="FakeData index out of range"):
        ds[5]


def test_fake_data_pixels_wrap_like_to_pil_image():
    """torchvision converts randn noise with ``mul(255).byte()``: truncation with wrap-around, so
    about half the pixels (the negative noise) land in the upper half of [0, 255]."""
    img, _ = datasets.FakeData(size=1, image_size=(3, 64, 64))[0]
    pixels = np.asarray(img)
    assert 0.3 < (pixels >= 128).mean() < 0.7


def test_fake_data_target_transform_gets_a_tensor_and_repr():
    seen = []
    ds = datasets.FakeData(size=3, image_size=(3, 2, 2), target_transform=lambda t: seen.append(t) or t + 1)
    img, target = ds[0]
    assert isinstance(seen[0], jtorch.Tensor) and seen[0].dtype == jtorch.int64 and seen[0].dim() == 0
    assert target == seen[0].item() + 1 and type(target) is int
    assert repr(ds) == ("Dataset FakeData\n    Number of datapoints: 3\n    StandardTransform\n"
                        f"Target transform: {ds.target_transform!r}")


def test_fake_data_is_independent_of_the_global_seed():
    jtorch.manual_seed(0)
    a = np.asarray(datasets.FakeData(size=2)[1][0])
    jtorch.manual_seed(1)
    assert np.array_equal(a, np.asarray(datasets.FakeData(size=2)[1][0]))


# ------------------------------------------------------------------------------------- VisionDataset

def test_vision_dataset_base():
    with pytest.raises(ValueError, match="Only transforms or transform/target_transform can be passed as argument"):
        datasets.VisionDataset("r", transforms=lambda a, b: (a, b), transform=str)
    ds = datasets.VisionDataset("r", transforms=Recorder("Both()"))
    assert ds.transform is None and repr(ds.transforms) == "Both()"
    with pytest.raises(NotImplementedError):
        ds[0]
    st = datasets.StandardTransform(Recorder("A(\n  x\n)"), Recorder("B()"))
    assert repr(st) == "StandardTransform\nTransform: A(\n             x\n           )\nTarget transform: B()"
    assert st(1, 2) == (1, 2)


def test_vision_namespace():
    import jtorch.vision as tv

    assert tv.__version__.startswith("0.") and tv.get_image_backend() == "PIL"
    assert tv.datasets is datasets and tv.transforms is transforms and hasattr(tv, "utils")
    tv.set_image_backend("PIL")
    with pytest.raises(ValueError, match="Invalid backend 'x'"):
        tv.set_image_backend("x")
    with pytest.raises(ValueError, match="only the 'PIL' image backend"):
        tv.set_image_backend("accimage")


# ------------------------------------------------------------------------------ batched fast path

class PerSample(Dataset):
    """Wraps a dataset so every sample goes through its ``__getitem__`` (no ``__getitems__``)."""

    def __init__(self, ds):
        self.ds = ds

    def __getitem__(self, i):
        return self.ds[i]

    def __len__(self):
        return len(self.ds)


def augment(mean):
    return transforms.Compose([transforms.RandomHorizontalFlip(), transforms.RandomCrop(24, padding=2),
                               transforms.ToTensor(), transforms.Normalize(mean, [0.5] * len(mean))])


@pytest.fixture
def cifar(tmp_path, monkeypatch):
    write_cifar(tmp_path, datasets.CIFAR10, monkeypatch, n=(8, 7, 9, 6, 8))
    return datasets.CIFAR10(tmp_path, transform=augment([0.5, 0.4, 0.3]))


@pytest.fixture
def mnist(tmp_path):
    write_mnist(tmp_path, n_train=21)
    return datasets.MNIST(tmp_path, transform=augment([0.1307]))


def fake():
    return datasets.FakeData(size=19, image_size=(3, 26, 30), transform=augment([0.5, 0.5, 0.5]))


def batches(loader):
    return [(x.numpy(), y.numpy()) for x, y in loader]


@pytest.mark.parametrize("which", ["cifar", "mnist", "fake"])
@pytest.mark.parametrize("batch_size, workers", [(4, 0), (5, 2)])
def test_fast_path_equals_per_sample_path(request, monkeypatch, which, batch_size, workers):
    ds = fake() if which == "fake" else request.getfixturevalue(which)
    assert ds._batched_without_user_code()
    vectorized = []
    real = batched_module.collated_batch
    monkeypatch.setattr(batched_module, "collated_batch", lambda *a: vectorized.append(1) or real(*a))
    loaders = [DataLoader(d, batch_size=batch_size, shuffle=True, num_workers=workers,
                          generator=jtorch.Generator().manual_seed(3)) for d in (ds, PerSample(ds))]
    fast, slow = batches(loaders[0]), batches(loaders[1])
    assert len(fast) == len(slow) == -(-len(ds) // batch_size)
    for (fx, fy), (sx, sy) in zip(fast, slow):
        assert fx.dtype == sx.dtype == np.float32 and fy.dtype == sy.dtype == np.int64
        np.testing.assert_array_equal(fx, sx)
        np.testing.assert_array_equal(fy, sy)
    flips = [np.array_equal(x[:, :, :, ::-1], x) for x, _ in fast]
    assert not all(flips)
    assert len(vectorized) == len(fast)


def test_getitems_returns_precollated_matching_getitem(cifar):
    indices, positions = [5, 0, 17, 9], [10, 11, 12, 13]
    with hr.use_batch(7, positions):
        batch = cifar.__getitems__(indices)
    assert isinstance(batch, PreCollated) and len(batch) == 4
    x, y = batch.collated
    assert tuple(x.shape) == (4, 3, 24, 24) and x.dtype == jtorch.float32 and y.dtype == jtorch.int64
    for k, (i, p) in enumerate(zip(indices, positions)):
        with hr.use(hr.Stream(7, p)):
            img, target = cifar[i]
        sample = batch[k]
        np.testing.assert_array_equal(sample[0].numpy(), img.numpy())
        np.testing.assert_array_equal(x.numpy()[k], img.numpy())
        assert sample[1] == target == y.tolist()[k] and type(sample[1]) is int


def test_getitems_without_a_batch_context_is_per_sample(cifar):
    samples = cifar.__getitems__([1, 2])
    assert isinstance(samples, list) and len(samples) == 2 and samples[0][0].shape == (3, 24, 24)


@pytest.mark.parametrize("change", ["target_transform", "subclass", "lambda", "no_transform"])
def test_user_code_takes_the_per_sample_path(cifar, change):
    if change == "target_transform":
        cifar.target_transform = lambda t: t
    elif change == "subclass":
        class Mine(datasets.CIFAR10):
            def __getitem__(self, index):
                return super().__getitem__(index)

        cifar.__class__ = Mine
    elif change == "lambda":
        cifar.transform = transforms.Compose([transforms.ToTensor(), transforms.Lambda(lambda x: x)])
    else:
        cifar.transform = None
    assert not cifar._batched_without_user_code()
    with hr.use_batch(1, [0, 1]):
        samples = cifar.__getitems__([0, 1])
    assert isinstance(samples, list) and len(samples) == 2


def test_mnist_subset_by_reassigning_data(mnist):
    """Scripts shrink MNIST by slicing ``data``/``targets`` (jtorch ops); the fast path and the
    per-sample path in worker processes both read the new tensors."""
    expected = mnist.data.numpy()[:6]
    mnist.data, mnist.targets = mnist.data[:6], mnist.targets[:6]
    assert mnist.data.dtype == jtorch.uint8 and np.array_equal(mnist.data.numpy(), expected)
    fast = batches(DataLoader(mnist, batch_size=4, generator=jtorch.Generator().manual_seed(0), shuffle=True))
    slow = batches(DataLoader(PerSample(mnist), batch_size=4, generator=jtorch.Generator().manual_seed(0),
                              shuffle=True, num_workers=2))
    assert [len(y) for _, y in fast] == [4, 2]
    for (fx, fy), (sx, sy) in zip(fast, slow):
        np.testing.assert_array_equal(fx, sx)
        np.testing.assert_array_equal(fy, sy)


def test_fast_path_through_random_split(cifar):
    from jtorch.utils.data import random_split

    part, _ = random_split(cifar, [30, 8], generator=jtorch.Generator().manual_seed(1))
    runs = [batches(DataLoader(d, batch_size=8, shuffle=True, generator=jtorch.Generator().manual_seed(2)))
            for d in (part, PerSample(part))]
    assert [len(y) for _, y in runs[0]] == [8, 8, 8, 6]
    for (fx, fy), (sx, sy) in zip(*runs):
        np.testing.assert_array_equal(fx, sx)
        np.testing.assert_array_equal(fy, sy)


def test_mnist_follows_in_place_changes_of_large_data(tmp_path):
    """More than 1 MiB of images (jtorch moves such tensors to a device array at once): samples
    still come from the host, and follow in-place changes to ``data``/``targets``."""
    write_mnist(tmp_path, n_train=1500)
    ds = datasets.MNIST(tmp_path)
    ds.data[0] = 7
    ds.targets[1] = 3
    assert (np.asarray(ds[0][0]) == 7).all() and ds[1][1] == 3
