"""``torchvision.datasets``: CIFAR10/100, the MNIST family, ImageFolder/DatasetFolder, FakeData, and
``TFDS`` (TensorFlow Datasets read without TensorFlow). Images are PIL images, as in torchvision;
everything stays on the host (numpy) so DataLoader workers never touch JAX."""
from .cifar import CIFAR10, CIFAR100
from .fakedata import FakeData
from .folder import DatasetFolder, ImageFolder
from .mnist import EMNIST, KMNIST, MNIST, FashionMNIST
from .tfds import TFDS
from .vision import StandardTransform, VisionDataset

__all__ = ["VisionDataset", "StandardTransform", "CIFAR10", "CIFAR100", "MNIST", "FashionMNIST", "KMNIST",
           "EMNIST", "DatasetFolder", "ImageFolder", "FakeData", "TFDS"]
