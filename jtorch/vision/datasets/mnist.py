"""MNIST, FashionMNIST, KMNIST and EMNIST from idx files (``torchvision.datasets.MNIST`` and family)."""
import os
import shutil
import string
import warnings

from PIL import Image
import numpy as np

from ..._host_tensor import host_array, host_tensor
from ._batched import BatchedFetch
from .utils import check_integrity, download_and_extract_archive, extract_archive, verify_str_arg
from .vision import VisionDataset

__all__ = ["MNIST", "FashionMNIST", "KMNIST", "EMNIST", "read_sn3_pascalvincent_tensor", "read_image_file",
           "read_label_file"]

_NOT_FOUND = "Dataset not found. You can use download=True to download it"
_CORRUPTED = "Dataset not found or corrupted. You can use download=True to download it"

# idx type code -> big-endian numpy dtype (torchvision's SN3_PASCALVINCENT_TYPEMAP)
_IDX_TYPES = {8: ">u1", 9: ">i1", 11: ">i2", 12: ">i4", 13: ">f4", 14: ">f8"}


def _dtype_name(dtype):
    from ... import _dtype as D

    return str(D.from_np(dtype))


def _read_idx(path, strict=True):
    """The array in an idx ("SN3 Pascal Vincent") file, in native byte order.

    The header is validated as torchvision does (``1 <= ndim <= 3``, ``8 <= type <= 14``); a file
    holding fewer values than its header promises raises ``RuntimeError`` saying so (torchvision
    fails with a reshape error), more values raise only when ``strict``.
    """
    with open(path, "rb") as f:
        data = f.read()
    where = os.path.abspath(path)
    if len(data) < 4:
        raise RuntimeError(f"{_CORRUPTED}\n(looked for {where}: {len(data)} bytes, too short for an idx header)")
    magic = int.from_bytes(data[0:4], "big")
    nd, ty = magic % 256, magic // 256
    if not 1 <= nd <= 3:
        raise AssertionError(f"{where}: idx header says {nd} dimensions (magic {magic:#010x}); expected 1 to 3")
    if ty not in _IDX_TYPES:
        raise AssertionError(f"{where}: idx header has unknown type code {ty:#04x} (magic {magic:#010x}); "
                             f"expected one of {', '.join(f'{t:#04x}' for t in _IDX_TYPES)}")
    offset = 4 * (nd + 1)
    if len(data) < offset:
        raise RuntimeError(f"{_CORRUPTED}\n(looked for {where}: the idx header is truncated)")
    shape = tuple(int.from_bytes(data[4 * (i + 1):4 * (i + 2)], "big") for i in range(nd))
    dtype = np.dtype(_IDX_TYPES[ty])
    count = (len(data) - offset) // dtype.itemsize
    expected = int(np.prod(shape))
    if count < expected or (strict and count != expected):
        raise RuntimeError(f"{_CORRUPTED}\n(looked for {where}: the header says shape {shape} ({expected} values) "
                           f"but the file holds {count})")
    parsed = np.frombuffer(data, dtype=dtype, count=expected, offset=offset)
    return parsed.astype(dtype.newbyteorder("="), copy=dtype.itemsize > 1).reshape(shape)


def read_sn3_pascalvincent_tensor(path, strict=True):
    """The tensor (host-backed) stored in an idx file; see torchvision's function of the same name."""
    return host_tensor(_read_idx(path, strict=strict))


def _mirror(value):
    """``[value, its version, its value as numpy]``: a tensor attribute with the numpy array the
    data path reads (read now, in the main process: DataLoader workers must not copy from a device)."""
    from ..._tensor import Tensor

    array = host_array(value) if isinstance(value, Tensor) else np.asarray(value)
    return [value, getattr(value, "_version", None), array]


def _host(mirror):
    """The numpy value of a :func:`_mirror`, read again if the tensor was changed in place."""
    value, version, array = mirror
    if getattr(value, "_version", None) != version:
        mirror[:] = _mirror(value)
        array = mirror[2]
    return array


def _check_uint8(x, ndim):
    """torchvision's checks on an idx file's content (uint8, ``ndim`` dimensions), its messages."""
    if x.dtype != np.uint8:
        raise TypeError(f"x should be of dtype torch.uint8 instead of {_dtype_name(x.dtype)}")
    if x.ndim != ndim:
        raise ValueError(f"x should have {ndim} dimension instead of {x.ndim}")


def read_label_file(path):
    """Labels from an idx file (uint8, 1-D, as torchvision requires) as an int64 tensor."""
    x = _read_idx(path, strict=False)
    _check_uint8(x, 1)
    return host_tensor(x.astype(np.int64))


def read_image_file(path):
    """Images from an idx file (uint8, 3-D, as torchvision requires) as a uint8 tensor."""
    x = _read_idx(path, strict=False)
    _check_uint8(x, 3)
    return host_tensor(x)


class MNIST(BatchedFetch, VisionDataset):
    """`MNIST <http://yann.lecun.com/exdb/mnist/>`_ dataset.

    Reads ``root/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte`` (the folder is named
    after the class), or the legacy ``root/MNIST/processed/{training,test}.pt`` when both exist.
    ``download=True`` fetches the .gz files from ``mirrors`` (md5-checked) and extracts them.
    ``data`` is a uint8 tensor (N, 28, 28), ``targets`` an int64 tensor (N,); a sample is
    ``(PIL image in mode 'L', int)`` after the transforms.

    Differs from torchvision: samples are read from a numpy copy of ``data``/``targets`` (made
    when they are assigned, refreshed after in-place changes), so DataLoader workers never touch
    JAX; the not-found error says where it looked; a truncated idx file raises the "not found or
    corrupted" error instead of a reshape error. Batches fetched by a DataLoader are
    transformed vectorized when no user code runs per sample (see ``__getitems__``).
    """

    mirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ]
    resources = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]
    training_file = "training.pt"
    test_file = "test.pt"
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven",
               "8 - eight", "9 - nine"]

    @property
    def data(self):
        """The images, a uint8 tensor (N, 28, 28)."""
        return self._data[0]

    @data.setter
    def data(self, value):
        self._data = _mirror(value)

    @property
    def targets(self):
        """The labels, an int64 tensor (N,)."""
        return self._targets[0]

    @targets.setter
    def targets(self, value):
        self._targets = _mirror(value)

    @property
    def train_labels(self):
        warnings.warn("train_labels has been renamed targets")
        return self.targets

    @property
    def test_labels(self):
        warnings.warn("test_labels has been renamed targets")
        return self.targets

    @property
    def train_data(self):
        warnings.warn("train_data has been renamed data")
        return self.data

    @property
    def test_data(self):
        warnings.warn("test_data has been renamed data")
        return self.data

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if self._check_legacy_exist():
            self.data, self.targets = self._load_legacy_data()
            return
        if download:
            self.download()
        if not self._check_exists():
            missing = [f for f in self._raw_files() if not check_integrity(f)]
            raise RuntimeError(_NOT_FOUND + f"\n(looked for {os.path.abspath(missing[0])}: no such file)")
        self.data, self.targets = self._load_data()

    def _check_legacy_exist(self):
        if not os.path.exists(self.processed_folder):
            return False
        return all(check_integrity(os.path.join(self.processed_folder, file))
                   for file in (self.training_file, self.test_file))

    def _load_legacy_data(self):
        from ...serialization import load

        data_file = self.training_file if self.train else self.test_file
        return load(os.path.join(self.processed_folder, data_file), weights_only=True)

    def _raw_files(self):
        return [os.path.join(self.raw_folder, os.path.splitext(os.path.basename(url))[0])
                for url, _ in self.resources]

    def _load_data(self):
        split = "train" if self.train else "t10k"
        return (read_image_file(os.path.join(self.raw_folder, f"{split}-images-idx3-ubyte")),
                read_label_file(os.path.join(self.raw_folder, f"{split}-labels-idx1-ubyte")))

    def __getitem__(self, index):
        """``(image, target)``: the PIL 'L' image and class index, after the transforms."""
        img, target = _host(self._data)[index], int(_host(self._targets)[index])
        img = Image.fromarray(img)
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    _builtin_getitem = __getitem__

    def _batch_arrays(self, indices):
        return _host(self._data)[indices], _host(self._targets)[indices].tolist()

    def __len__(self):
        return len(self.data)

    @property
    def raw_folder(self):
        return os.path.join(self.root, self.__class__.__name__, "raw")

    @property
    def processed_folder(self):
        return os.path.join(self.root, self.__class__.__name__, "processed")

    @property
    def class_to_idx(self):
        return {_class: i for i, _class in enumerate(self.classes)}

    def _check_exists(self):
        return all(check_integrity(f) for f in self._raw_files())

    def download(self):
        """Download and extract the raw files (trying each mirror in turn) unless they are already there."""
        if self._check_exists():
            return
        os.makedirs(self.raw_folder, exist_ok=True)
        for filename, md5 in self.resources:
            errors = []
            for mirror in self.mirrors:
                url = f"{mirror}{filename}"
                try:
                    print(f"Downloading {url}")
                    download_and_extract_archive(url, download_root=self.raw_folder, filename=filename, md5=md5)
                except RuntimeError as error:
                    print(f"Failed to download (trying next):\n{error}")
                    errors.append(str(error))
                    continue
                finally:
                    print()
                break
            else:
                raise RuntimeError(f"Error downloading {filename}:\n" + "\n".join(errors))

    def extra_repr(self):
        split = "Train" if self.train is True else "Test"
        return f"Split: {split}"


class FashionMNIST(MNIST):
    """`Fashion-MNIST <https://github.com/zalandoresearch/fashion-mnist>`_: :class:`MNIST` under
    ``root/FashionMNIST/raw``."""

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    ]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]


class KMNIST(MNIST):
    """`Kuzushiji-MNIST <https://github.com/rois-codh/kmnist>`_: :class:`MNIST` under ``root/KMNIST/raw``."""

    mirrors = ["http://codh.rois.ac.jp/kmnist/dataset/kmnist/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "bdb82020997e1d708af4cf47b453dcf7"),
        ("train-labels-idx1-ubyte.gz", "e144d726b3acfaa3e44228e80efcd344"),
        ("t10k-images-idx3-ubyte.gz", "5c965bf0a639b31b8f53240b1b52f4d7"),
        ("t10k-labels-idx1-ubyte.gz", "7320c461ea6c1c855c0b718fb2a4b134"),
    ]
    classes = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]


class EMNIST(MNIST):
    """`EMNIST <https://www.nist.gov/itl/products-and-services/emnist-dataset>`_: :class:`MNIST` with a
    ``split`` (byclass, bymerge, balanced, letters, digits, mnist) read from
    ``root/EMNIST/raw/emnist-<split>-{train,test}-{images-idx3,labels-idx1}-ubyte``."""

    url = "https://biometrics.nist.gov/cs_links/EMNIST/gzip.zip"
    md5 = "58c8d27c78d21e728a6bc7b3cc06412e"
    splits = ("byclass", "bymerge", "balanced", "letters", "digits", "mnist")
    _merged_classes = {"c", "i", "j", "k", "l", "m", "o", "p", "s", "u", "v", "w", "x", "y", "z"}
    _all_classes = set(string.digits + string.ascii_letters)
    classes_split_dict = {
        "byclass": sorted(list(_all_classes)),
        "bymerge": sorted(list(_all_classes - _merged_classes)),
        "balanced": sorted(list(_all_classes - _merged_classes)),
        "letters": ["N/A"] + list(string.ascii_lowercase),
        "digits": list(string.digits),
        "mnist": list(string.digits),
    }

    def __init__(self, root, split, **kwargs):
        self.split = verify_str_arg(split, "split", self.splits)
        self.training_file = f"training_{split}.pt"
        self.test_file = f"test_{split}.pt"
        super().__init__(root, **kwargs)
        self.classes = self.classes_split_dict[self.split]

    @property
    def _file_prefix(self):
        return f"emnist-{self.split}-{'train' if self.train else 'test'}"

    @property
    def images_file(self):
        return os.path.join(self.raw_folder, f"{self._file_prefix}-images-idx3-ubyte")

    @property
    def labels_file(self):
        return os.path.join(self.raw_folder, f"{self._file_prefix}-labels-idx1-ubyte")

    def _raw_files(self):
        return [self.images_file, self.labels_file]

    def _load_data(self):
        return read_image_file(self.images_file), read_label_file(self.labels_file)

    def download(self):
        """Download the archive of all splits and extract its .gz files unless this split is already there."""
        if self._check_exists():
            return
        os.makedirs(self.raw_folder, exist_ok=True)
        download_and_extract_archive(self.url, download_root=self.raw_folder, md5=self.md5)
        gzip_folder = os.path.join(self.raw_folder, "gzip")
        for gzip_file in os.listdir(gzip_folder):
            if gzip_file.endswith(".gz"):
                extract_archive(os.path.join(gzip_folder, gzip_file), self.raw_folder)
        shutil.rmtree(gzip_folder)
