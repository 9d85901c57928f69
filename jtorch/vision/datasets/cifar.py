"""CIFAR-10 and CIFAR-100 from their "python version" batch files (``torchvision.datasets.CIFAR10/100``)."""
import os

from PIL import Image
import numpy as np

from ._batched import BatchedFetch
from ._pickle import load_batch, text_list
from .utils import calculate_md5, check_integrity, download_and_extract_archive
from .vision import VisionDataset

__all__ = ["CIFAR10", "CIFAR100"]

_NOT_FOUND = "Dataset not found or corrupted. You can use download=True to download it"
_META_NOT_FOUND = "Dataset metadata file not found or corrupted. You can use download=True to download it"


def _problem(fpath, md5):
    """Why ``fpath`` fails :func:`check_integrity` (None when it passes)."""
    where = os.path.abspath(fpath)
    if not os.path.isfile(fpath):
        return f"(looked for {where}: no such file)"
    actual = None if md5 is None else calculate_md5(fpath)
    if actual != md5:
        return f"(looked for {where}: md5 is {actual}, expected {md5})"
    return None


class CIFAR10(BatchedFetch, VisionDataset):
    """`CIFAR10 <https://www.cs.toronto.edu/~kriz/cifar.html>`_ dataset.

    ``root/cifar-10-batches-py`` holds the batch files; ``train`` picks the 5 training batches or
    the test batch; ``download=True`` fetches and extracts the archive first. Every batch file and
    the meta file must match the md5 listed in ``train_list``/``test_list``/``meta``, as in
    torchvision. ``data`` is a uint8 numpy array (N, 32, 32, 3), ``targets`` a list of ints,
    ``classes``/``class_to_idx`` come from the meta file; a sample is ``(PIL image, int)`` after the
    transforms.

    Differs from torchvision: the not-found error also says which file it looked for and why it
    was rejected; the batch pickles are read with an unpickler that only
    accepts numpy arrays and plain data. Batches fetched by a DataLoader are transformed
    vectorized when no user code runs per sample (see ``__getitems__``).
    """

    base_folder = "cifar-10-batches-py"
    url = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    filename = "cifar-10-python.tar.gz"
    tgz_md5 = "c58f30108f718f92721af3b95e74349a"
    train_list = [
        ["data_batch_1", "c99cafc152244af753f735de768cd75f"],
        ["data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"],
        ["data_batch_3", "54ebc095f3ab1f0389bbae665268c751"],
        ["data_batch_4", "634d18415352ddfa80567beed471001a"],
        ["data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb"],
    ]
    test_list = [
        ["test_batch", "40351d587109b95175f43aff81a1287e"],
    ]
    meta = {
        "filename": "batches.meta",
        "key": "label_names",
        "md5": "5ff9c542aee3614f3951f8cda6e48888",
    }

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        problem = self._integrity_problem()
        if problem is not None:
            raise RuntimeError(_NOT_FOUND + "\n" + problem)
        data, targets = [], []
        for file_name, _ in self.train_list if self.train else self.test_list:
            entry = load_batch(os.path.join(self.root, self.base_folder, file_name))
            data.append(entry["data"])
            targets.extend(entry["labels"] if "labels" in entry else entry["fine_labels"])
        self.data = np.vstack(data).reshape(-1, 3, 32, 32).transpose((0, 2, 3, 1))
        self.targets = targets
        self._load_meta()

    def _load_meta(self):
        path = os.path.join(self.root, self.base_folder, self.meta["filename"])
        problem = _problem(path, self.meta["md5"])
        if problem is not None:
            raise RuntimeError(_META_NOT_FOUND + "\n" + problem)
        self.classes = text_list(load_batch(path)[self.meta["key"]])
        self.class_to_idx = {_class: i for i, _class in enumerate(self.classes)}

    def __getitem__(self, index):
        """``(image, target)``: the PIL RGB image and class index, after the transforms."""
        img, target = self.data[index], self.targets[index]
        img = Image.fromarray(img)
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    _builtin_getitem = __getitem__

    def _batch_arrays(self, indices):
        targets = self.targets
        return self.data[indices], [targets[i] for i in indices]

    def __len__(self):
        return len(self.data)

    def _integrity_problem(self):
        for filename, md5 in self.train_list + self.test_list:
            problem = _problem(os.path.join(self.root, self.base_folder, filename), md5)
            if problem is not None:
                return problem
        return None

    def _check_integrity(self):
        return all(check_integrity(os.path.join(self.root, self.base_folder, filename), md5)
                   for filename, md5 in self.train_list + self.test_list)

    def download(self):
        """Download and extract the archive into ``root`` unless the batch files are already there."""
        if self._check_integrity():
            print("Files already downloaded and verified")
            return
        download_and_extract_archive(self.url, self.root, filename=self.filename, md5=self.tgz_md5)

    def extra_repr(self):
        split = "Train" if self.train is True else "Test"
        return f"Split: {split}"


class CIFAR100(CIFAR10):
    """`CIFAR100 <https://www.cs.toronto.edu/~kriz/cifar.html>`_ dataset: :class:`CIFAR10` with
    ``root/cifar-100-python/{train,test,meta}``; targets are the fine labels."""

    base_folder = "cifar-100-python"
    url = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
    filename = "cifar-100-python.tar.gz"
    tgz_md5 = "eb9058c3a382ffc7106e4002c42a8d85"
    train_list = [
        ["train", "16019d7e3df5f24257cddd939b257f8d"],
    ]
    test_list = [
        ["test", "f0ef6b0ae62326f3e7ffdfab6717acfc"],
    ]
    meta = {
        "filename": "meta",
        "key": "fine_label_names",
        "md5": "7973b15100ade9c7d40fb424638fde48",
    }
