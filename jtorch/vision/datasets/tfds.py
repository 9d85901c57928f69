"""``TFDS``: a TensorFlow Datasets dataset as a map-style vision dataset, read without TensorFlow.

Reads go through ``tfds.data_source`` (random access to array_record files), which needs
tensorflow-datasets, array_record and Pillow but not TensorFlow: the optional extra
``pip install "torch-on-jax[tfds]"``.
"""
import importlib
from functools import partial

from PIL import Image
import numpy as np

from ... import _host_random as hr
from ._batched import BatchedFetch, collated_batch, fetch_each
from .utils import check_reachable
from .vision import VisionDataset

__all__ = ["TFDS"]

_EXTRA = 'pip install "torch-on-jax[tfds]"'
_TFDS_HOST = "https://storage.googleapis.com/tfds-data/"


def _import_tfds(download):
    """``tensorflow_datasets``, or an ImportError naming every missing package and the extra."""
    needed = ["tensorflow_datasets", "array_record", "PIL"] + (["importlib_resources"] if download else [])
    missing = []
    for name in needed:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise ImportError(f"jtorch.vision.datasets.TFDS needs {', '.join(missing)}; install the tfds extra: {_EXTRA} "
                          f"(tensorflow-datasets, pillow and importlib_resources; TensorFlow is not needed)")
    return importlib.import_module("tensorflow_datasets")


def _not_readable(tfds, name, data_dir):
    """The error for a dataset ``tfds.data_source`` cannot read: missing, or not in array_record."""
    builder = tfds.builder(name, data_dir=data_dir)
    if not builder.is_prepared():
        return RuntimeError(
            f"Dataset not found. You can use download=True to download it\n(looked for the TFDS dataset '{name}' in "
            f"{builder.data_dir}: not prepared.) jtorch reads TFDS datasets with tfds.data_source, without TensorFlow, "
            f"which needs them prepared in the array_record format: download=True does that, or run "
            f"builder.download_and_prepare(file_format='array_record') (`tfds build {name} "
            f"--file_format=array_record`) and pass its data_dir.")
    file_format = getattr(builder.info.file_format, "value", builder.info.file_format)
    return RuntimeError(
        f"The TFDS dataset '{name}' in {builder.data_dir} is stored as {file_format}, which has no random access: "
        f"jtorch reads TFDS datasets with tfds.data_source (no TensorFlow), which needs the array_record (or parquet) "
        f"format. Convert it with `tfds convert_format` or rebuild it with `tfds build {name} "
        f"--file_format=array_record` (both need TensorFlow, on any machine), then pass the new data_dir.")


def _pixels(image):
    """A decoded TFDS image as ``np.asarray(pil_image)`` would give it: (H, W) for one channel."""
    image = np.asarray(image)
    return image[..., 0] if image.ndim == 3 and image.shape[-1] == 1 else image


class TFDS(BatchedFetch, VisionDataset):
    """The TFDS dataset ``name`` (e.g. ``'cifar10'``, ``'mnist'``), split ``split`` (TFDS split syntax,
    e.g. ``'train[:10%]'``), from ``data_dir`` (default: ``$TFDS_DATA_DIR`` or ``~/tensorflow_datasets``).

    A sample is ``(PIL image, int label)`` after the transforms, like the torchvision datasets:
    the image is the example's ``image_key`` feature (mode 'L' for one channel), the label its
    ``label_key`` feature. ``classes``/``class_to_idx`` come from the label's ClassLabel names
    (None when the label is not a ClassLabel); ``source`` is the underlying
    ``tfds.data_source``. The dataset must be prepared in the array_record format;
    ``download=True`` downloads and prepares it when it is not (quickly failing when the
    machine is offline; preparing some datasets, cifar10 and mnist among them, needs TensorFlow,
    and says so). Batches fetched by a DataLoader are read with one batched read and
    transformed vectorized when no user code runs per sample.

    Not in torchvision (which has no TFDS reader).
    """

    def __init__(self, name, split="train", data_dir=None, transform=None, target_transform=None, download=False,
                 image_key="image", label_key="label"):
        tfds = _import_tfds(download)
        super().__init__(None, transform=transform, target_transform=target_transform)
        self.name = name
        self.split = split
        self.image_key = image_key
        self.label_key = label_key
        if download and not tfds.builder(name, data_dir=data_dir).is_prepared():
            check_reachable(_TFDS_HOST, "Prepare the dataset on a machine with network access "
                                        "(file_format='array_record') and pass its data_dir.")
        try:
            self.source = tfds.data_source(name, split=split, data_dir=data_dir, download=download)
        except NotImplementedError as e:
            raise _not_readable(tfds, name, data_dir) from e
        except ModuleNotFoundError as e:
            if e.name != "tensorflow":
                raise
            raise RuntimeError(
                f"Preparing the TFDS dataset '{name}' needs TensorFlow (its tfds builder encodes images with it), "
                f"which jtorch does not install. Prepare it where TensorFlow is installed (`tfds build {name} "
                f"--file_format=array_record`) and pass that data_dir; reading it needs no TensorFlow.") from e
        info = self.source.dataset_info
        self.root = info.data_dir
        features = info.features
        for key in (image_key, label_key):
            if key not in features:
                raise KeyError(f"TFDS dataset '{name}' has no feature '{key}'; its features are "
                               f"{', '.join(features.keys())} (choose them with image_key=/label_key=)")
        names = getattr(features[label_key], "names", None)
        self.classes = list(names) if names is not None else None
        self.class_to_idx = None if names is None else {c: i for i, c in enumerate(self.classes)}

    def _sample(self, example):
        img = Image.fromarray(_pixels(example[self.image_key]))
        target = int(example[self.label_key])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __getitem__(self, index):
        """``(image, target)``: the PIL image and label of example ``index``, after the transforms."""
        return self._sample(self.source[index])

    _builtin_getitem = __getitem__

    def __getitems__(self, indices):
        """The samples at ``indices``, read with the data source's batched read."""
        if type(self).__getitem__ is not TFDS.__getitem__:
            return super().__getitems__(indices)
        batch = hr.batch_positions()
        keys = list(indices)
        try:
            examples = self.source.__getitems__(keys)
        except TypeError:  # the sources of tfds.testing.mock_data have a broken batched read
            examples = [self.source[k] for k in keys]
        if batch is not None and examples and self._batched_without_user_code():
            images = [_pixels(e[self.image_key]) for e in examples]
            if all(im.shape == images[0].shape for im in images):
                targets = [int(e[self.label_key]) for e in examples]
                return collated_batch(self.transform, np.stack(images), targets, batch)
        return fetch_each([partial(self._sample, e) for e in examples], batch)

    def __len__(self):
        return len(self.source)

    def extra_repr(self):
        return f"Name: {self.name}\nSplit: {self.split}"
