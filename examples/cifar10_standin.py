"""``torchvision`` for the CIFAR-10 example: ``jtorch.vision``, except that ``datasets.CIFAR10``
falls back to a generated stand-in when the real dataset folder is absent.

The stand-in has CIFAR-10's shapes (50000 train / 10000 test images, 32x32 RGB uint8, labels
0-9, the ten class names) and learnable class structure: each class is a fixed low-frequency
colour pattern, and every image is its class pattern plus a weaker pattern of a random class,
randomly shifted, plus strong noise. It is
SYNTHETIC: accuracies on it say nothing about CIFAR-10. Put the real "CIFAR-10 python version"
in ``<root>/cifar-10-batches-py`` (or pass ``download=True`` once, online) to train on the real
data. ``CIFAR10_STANDIN_SIZE=train,test`` makes the stand-in smaller (used by the tests).
"""
import os
import types

import numpy as np

import jtorch.vision
from jtorch.vision import datasets as _datasets

_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def _standin_size(train):
    sizes = os.environ.get("CIFAR10_STANDIN_SIZE")
    n_train, n_test = (int(s) for s in sizes.split(",")) if sizes else (50000, 10000)
    return n_train if train else n_test


def _generate(n, seed):
    """``n`` images (uint8, N x 32 x 32 x 3) and labels with a class-dependent pattern."""
    patterns = np.random.default_rng(1234).uniform(0, 255, size=(10, 4, 4, 3))
    patterns = np.kron(patterns, np.ones((8, 8, 1)))
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=n)
    distractors = rng.integers(0, 10, size=n)
    shifts = rng.integers(-8, 9, size=(n, 2))
    images = np.empty((n, 32, 32, 3), np.uint8)
    for start in range(0, n, 5000):
        stop = min(start + 5000, n)
        block = 0.4 * patterns[labels[start:stop]] + 0.3 * patterns[distractors[start:stop]]
        rows = (np.arange(32)[None, :] - shifts[start:stop, :1]) % 32
        cols = (np.arange(32)[None, :] - shifts[start:stop, 1:]) % 32
        block = block[np.arange(stop - start)[:, None, None], rows[:, :, None], cols[:, None, :]]
        noise = rng.normal(0, 80, size=block.shape)
        images[start:stop] = np.clip(block + noise + 38, 0, 255).astype(np.uint8)
    return images, labels.tolist()


class SyntheticCIFAR10(_datasets.CIFAR10):
    """A generated stand-in for CIFAR-10 (see the module docstring); same interface as CIFAR10."""

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        _datasets.VisionDataset.__init__(self, root, transform=transform, target_transform=target_transform)
        self.train = train
        self.data, self.targets = _generate(_standin_size(train), seed=0 if train else 1)
        self.classes = list(_CLASSES)
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}

    def extra_repr(self):
        return "Split: " + ("Train" if self.train else "Test") + " (SYNTHETIC stand-in, not CIFAR-10)"


def _cifar10_or_standin(root, train=True, transform=None, target_transform=None, download=False):
    """The real CIFAR10 when ``<root>/cifar-10-batches-py`` exists (or ``download=True``), else the stand-in."""
    if download or os.path.isdir(os.path.join(os.fspath(root), "cifar-10-batches-py")):
        return _datasets.CIFAR10(root, train=train, transform=transform, target_transform=target_transform,
                                 download=download)
    split = "train" if train else "test"
    print(f"{os.path.join(os.fspath(root), 'cifar-10-batches-py')} not found: using a SYNTHETIC stand-in for the "
          f"CIFAR-10 {split} set (CIFAR-10's shapes, generated class patterns; not real images).")
    return SyntheticCIFAR10(root, train=train, transform=transform, target_transform=target_transform)


torchvision = types.SimpleNamespace(
    transforms=jtorch.vision.transforms,
    utils=jtorch.vision.utils,
    datasets=types.SimpleNamespace(**{**{name: getattr(_datasets, name) for name in _datasets.__all__},
                                      "CIFAR10": _cifar10_or_standin}),
)
