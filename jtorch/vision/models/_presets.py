"""The evaluation preprocessing presets that weights enums hand out as ``weights.transforms()``
(torchvision keeps them in ``torchvision.transforms._presets``)."""
from ... import nn
from ..._dtype import float32
from ..._tensor import Tensor
from ..transforms import functional as F
from ..transforms.functional import InterpolationMode

__all__ = ["ImageClassification"]


class ImageClassification(nn.Module):
    """Resize to ``resize_size`` (shorter side), center-crop ``crop_size``, convert to float in
    [0, 1] and normalize with ``mean``/``std``. Accepts a PIL image or a ``(..., C, H, W)`` tensor."""

    def __init__(self, *, crop_size, resize_size=256, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225),
                 interpolation=InterpolationMode.BILINEAR, antialias=True):
        super().__init__()
        self.crop_size = [crop_size]
        self.resize_size = [resize_size]
        self.mean = list(mean)
        self.std = list(std)
        self.interpolation = interpolation
        self.antialias = antialias

    def forward(self, img):
        """The preprocessed float image tensor."""
        img = F.resize(img, self.resize_size, interpolation=self.interpolation, antialias=self.antialias)
        img = F.center_crop(img, self.crop_size)
        if not isinstance(img, Tensor):
            img = F.pil_to_tensor(img)
        img = F.convert_image_dtype(img, float32)
        return F.normalize(img, mean=self.mean, std=self.std)

    def __repr__(self):
        return (f"{self.__class__.__name__}(\n    crop_size={self.crop_size}\n    resize_size={self.resize_size}"
                f"\n    mean={self.mean}\n    std={self.std}\n    interpolation={self.interpolation}\n)")

    def describe(self):
        """A sentence describing the preprocessing (used in torchvision's docs)."""
        return ("Accepts ``PIL.Image``, batched ``(B, C, H, W)`` and single ``(C, H, W)`` image ``torch.Tensor`` "
                f"objects. The images are resized to ``resize_size={self.resize_size}`` using "
                f"``interpolation={self.interpolation}``, followed by a central crop of "
                f"``crop_size={self.crop_size}``. Finally the values are first rescaled to ``[0.0, 1.0]`` and then "
                f"normalized using ``mean={self.mean}`` and ``std={self.std}``.")
