"""``FakeData``: random images, the same for the same index every time (``torchvision.datasets.FakeData``)."""
from PIL import Image
import numpy as np

from ... import _host_random as hr
from ..._host_tensor import host_tensor
from ._batched import BatchedFetch
from .vision import VisionDataset

__all__ = ["FakeData"]


class FakeData(BatchedFetch, VisionDataset):
    """``size`` random images of ``image_size`` (C, H, W) as PIL images, with random targets in
    ``[0, num_classes)``; sample ``i`` depends only on ``i + random_offset``.

    As in torchvision, the image is standard normal noise converted like ``ToPILImage`` converts a
    float tensor (times 255, truncated to uint8 with wrap-around), ``target_transform`` receives the
    target as a 0-d int64 tensor and ``.item()`` is returned. Differs from torchvision: the noise
    comes from a host random stream keyed by ``i + random_offset`` (not torch's generator), so the
    pixel values differ from torchvision's; the global random state is untouched either way.
    """

    def __init__(self, size=1000, image_size=(3, 224, 224), num_classes=10, transform=None, target_transform=None,
                 random_offset=0):
        super().__init__(None, transform=transform, target_transform=target_transform)
        self.size = size
        self.num_classes = num_classes
        self.image_size = image_size
        self.random_offset = random_offset

    def _generate(self, index):
        """The uint8 pixels (H, W, C), or (H, W) for one channel, and the target of sample ``index``."""
        if index >= len(self):
            raise IndexError(f"{self.__class__.__name__} index out of range")
        rng = np.random.Generator(np.random.Philox(key=hr.bits64(index + self.random_offset, 0, 0)))
        noise = rng.standard_normal(tuple(self.image_size), dtype=np.float32)
        target = int(rng.integers(0, self.num_classes))
        pixels = ((noise * np.float32(255)).astype(np.int32) & 0xFF).astype(np.uint8)
        if pixels.ndim == 3:
            channels = pixels.shape[0]
            if channels > 4:
                raise ValueError(f"pic should not have > 4 channels. Got {channels} channels.")
            pixels = pixels[0] if channels == 1 else np.ascontiguousarray(pixels.transpose(1, 2, 0))
        return pixels, target

    def __getitem__(self, index):
        """``(image, target)``: the PIL image and class index of sample ``index``, after the transforms."""
        pixels, target = self._generate(index)
        img = Image.fromarray(pixels)
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            return img, self.target_transform(host_tensor(np.array(target, dtype=np.int64))).item()
        return img, target

    _builtin_getitem = __getitem__

    def _batch_arrays(self, indices):
        samples = [self._generate(i) for i in indices]
        return np.stack([s[0] for s in samples]), [s[1] for s in samples]

    def __len__(self):
        return self.size
