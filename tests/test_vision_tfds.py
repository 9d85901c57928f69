"""jtorch.vision.datasets.TFDS: TensorFlow Datasets read through tfds.data_source (array_record, no
TensorFlow), with tfds' mock data and with small array_record datasets written by fixtures.
Nothing downloads: every call passes download=False, or fails before any network access."""
import json
import shutil
import sys

import numpy as np
import pytest

tfds = pytest.importorskip("tensorflow_datasets")
pytest.importorskip("array_record")
Image = pytest.importorskip("PIL.Image")

import jtorch  # noqa: E402
from jtorch.utils.data import DataLoader  # noqa: E402
from jtorch.vision import datasets, transforms  # noqa: E402
from jtorch.vision.datasets import tfds as tfds_module  # noqa: E402
from test_vision_datasets import PerSample  # noqa: E402

CIFAR10_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def fixture_images(split, n, shape):
    rng = np.random.default_rng(0 if split == "train" else 1)
    return rng.integers(0, 256, (n,) + shape, dtype=np.uint8), [int(v) for v in rng.integers(0, 10, n)]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """cifar10 (10 train / 5 test RGB images) and mnist (12 / 6 grayscale images) prepared as
    array_record by the real builders, with their generators replaced (no download, no TF)."""
    from tensorflow_datasets.image_classification import cifar, mnist

    def examples(split, n, shape):
        images, labels = fixture_images(split, n, shape)
        for i in range(n):
            image = images[i] if shape[-1] == 3 else images[i][..., 0]
            yield i, {"image": Image.fromarray(image), "label": labels[i]}

    class FakeCifar10(cifar.Cifar10, skip_registration=True):
        name = "cifar10"

        def _split_generators(self, dl_manager):
            self.info.features["label"].names = CIFAR10_NAMES
            return {split: ((i, {"id": f"{split}_{i:05d}", **ex}) for i, ex in examples(split, n, (32, 32, 3)))
                    for split, n in (("train", 10), ("test", 5))}

    class FakeMnist(mnist.MNIST, skip_registration=True):
        name = "mnist"

        def _split_generators(self, dl_manager):
            return {split: examples(split, n, (28, 28, 1)) for split, n in (("train", 12), ("test", 6))}

    root = tmp_path_factory.mktemp("tfds")
    for builder in (FakeCifar10, FakeMnist):
        builder(data_dir=str(root)).download_and_prepare(file_format="array_record")
    return str(root)


def test_mock_data_cifar10_and_mnist():
    with tfds.testing.mock_data(num_examples=6):
        ds = datasets.TFDS("cifar10", split="train", transform=transforms.ToTensor())
        assert len(ds) == 6 and ds.classes == [str(i) for i in range(10)]
        img, label = ds[2]
        assert img.dtype == jtorch.float32 and tuple(img.shape) == (3, 32, 32)
        assert type(label) is int and 0 <= label < 10
        x, y = next(iter(DataLoader(ds, batch_size=4)))
        assert tuple(x.shape) == (4, 3, 32, 32) and y.dtype == jtorch.int64
        mnist = datasets.TFDS("mnist", split="test")
        img, label = mnist[0]
        assert isinstance(img, Image.Image) and img.mode == "L" and img.size == (28, 28)
        assert len(mnist.classes) == 10 and mnist.class_to_idx["3"] == 3


def test_reads_array_record_cifar10(data_dir):
    images, labels = fixture_images("train", 10, (32, 32, 3))
    ds = datasets.TFDS("cifar10", split="train", data_dir=data_dir)
    assert len(ds) == 10
    assert ds.classes == CIFAR10_NAMES and ds.class_to_idx["truck"] == 9
    by_label = {}
    for i in range(len(ds)):
        img, label = ds[i]
        assert isinstance(img, Image.Image) and img.mode == "RGB" and type(label) is int
        by_label.setdefault(np.asarray(img).tobytes(), label)
    assert by_label == {images[i].tobytes(): labels[i] for i in range(10)}
    assert len(datasets.TFDS("cifar10", split="train[:50%]", data_dir=data_dir)) == 5
    assert repr(ds) == (f"Dataset TFDS\n    Number of datapoints: 10\n    Root location: {ds.root}\n"
                        "    Name: cifar10\n    Split: train")
    assert ds.root.startswith(data_dir)


def test_reads_array_record_mnist_grayscale(data_dir):
    images, labels = fixture_images("test", 6, (28, 28, 1))
    ds = datasets.TFDS("mnist", split="test", data_dir=data_dir, target_transform=lambda t: t * 10)
    got = {np.asarray(ds[i][0]).tobytes(): ds[i][1] for i in range(len(ds))}
    assert got == {images[i][..., 0].tobytes(): labels[i] * 10 for i in range(6)}
    assert ds[0][0].mode == "L"



@pytest.mark.parametrize("name, mean", [("cifar10", [0.5, 0.4, 0.3]), ("mnist", [0.2])])
@pytest.mark.parametrize("workers", [0, 2])
def test_data_loader_fast_path_equals_per_sample(data_dir, monkeypatch, name, mean, workers):
    transform = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                                    transforms.Normalize(mean, [0.25] * len(mean))])
    ds = datasets.TFDS(name, split="train", data_dir=data_dir, transform=transform)
    assert ds._batched_without_user_code()
    vectorized = []
    real = tfds_module.collated_batch
    monkeypatch.setattr(tfds_module, "collated_batch", lambda *a: vectorized.append(1) or real(*a))
    runs = []
    for d in (ds, PerSample(ds)):
        loader = DataLoader(d, batch_size=4, shuffle=True, num_workers=workers,
                            generator=jtorch.Generator().manual_seed(5))
        runs.append([(x.numpy(), y.numpy()) for x, y in loader])
    assert len(runs[0]) == len(runs[1]) == 3
    for (fx, fy), (sx, sy) in zip(*runs):
        assert fx.dtype == np.float32 and fy.dtype == np.int64
        np.testing.assert_array_equal(fx, sx)
        np.testing.assert_array_equal(fy, sy)
    assert len(vectorized) == 3


def test_getitems_with_user_code_uses_batched_read(data_dir, monkeypatch):
    ds = datasets.TFDS("cifar10", split="train", data_dir=data_dir, target_transform=lambda t: -t)
    calls = []
    read = ds.source.__getitems__
    monkeypatch.setattr(ds.source, "__getitems__", lambda keys: calls.append(list(keys)) or read(keys), raising=False)
    batch = next(iter(DataLoader(ds, batch_size=3, collate_fn=list)))
    assert calls == [[0, 1, 2]] and [t for _, t in batch] == [ds[i][1] for i in range(3)]


def test_missing_dataset_explains_array_record(tmp_path):
    with pytest.raises(RuntimeError) as info:
        datasets.TFDS("cifar10", split="train", data_dir=str(tmp_path))
    message = str(info.value)
    assert message.startswith("Dataset not found. You can use download=True to download it\n")
    assert str(tmp_path) in message and "file_format='array_record'" in message


def test_tfrecord_dataset_explains_array_record(data_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(data_dir, copy)
    info_path = copy / "cifar10" / "3.0.2" / "dataset_info.json"
    info = json.loads(info_path.read_text())
    info["fileFormat"] = "tfrecord"
    info_path.write_text(json.dumps(info))
    with pytest.raises(RuntimeError, match="stored as tfrecord, which has no random access.*array_record.*"
                                           "tfds convert_format"):
        datasets.TFDS("cifar10", data_dir=str(copy))


def test_unknown_feature_key(data_dir):
    with pytest.raises(KeyError, match="has no feature 'img'; its features are id, image, label"):
        datasets.TFDS("cifar10", data_dir=data_dir, image_key="img")


@pytest.mark.parametrize("missing", ["tensorflow_datasets", "array_record", "PIL"])
def test_missing_packages_name_the_extra(monkeypatch, missing):
    monkeypatch.setitem(sys.modules, missing, None)
    with pytest.raises(ImportError, match=f"needs {missing}; install the tfds extra: pip install "
                                          r'"torch-on-jax\[tfds\]"'):
        datasets.TFDS("cifar10")


def test_download_offline_fails_fast(tmp_path, monkeypatch):
    monkeypatch.setattr(tfds_module, "_TFDS_HOST", "http://127.0.0.1:1/")
    with pytest.raises(RuntimeError, match="seems to be offline.*file_format='array_record'"):
        datasets.TFDS("cifar10", data_dir=str(tmp_path), download=True)


def test_preparing_without_tensorflow_is_explained(monkeypatch, tmp_path):
    def needs_tensorflow(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'tensorflow'", name="tensorflow")

    monkeypatch.setattr(tfds, "data_source", needs_tensorflow)
    with pytest.raises(RuntimeError, match="Preparing the TFDS dataset 'cifar10' needs TensorFlow"):
        datasets.TFDS("cifar10", data_dir=str(tmp_path))
