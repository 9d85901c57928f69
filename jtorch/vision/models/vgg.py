"""VGG 11/13/16/19, with and without batch norm (``torchvision.models.vgg``)."""
from functools import partial
from typing import Optional

from ... import flatten, nn
from ._api import Weights, WeightsEnum, register_model
from ._presets import ImageClassification
from ._utils import (_imagenet1k, _load_weights, _ovewrite_named_param, _weights_num_classes,
                     handle_legacy_interface)

__all__ = ["VGG", "VGG11_Weights", "VGG11_BN_Weights", "VGG13_Weights", "VGG13_BN_Weights", "VGG16_Weights",
           "VGG16_BN_Weights", "VGG19_Weights", "VGG19_BN_Weights", "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16",
           "vgg16_bn", "vgg19", "vgg19_bn"]


class VGG(nn.Module):
    """VGG: ``features`` (see :func:`make_layers`), a 7x7 adaptive average pool and a 3-layer
    classifier (4096-4096-``num_classes``, ReLU and ``Dropout(dropout)``). ``init_weights``:
    kaiming-normal (fan_out, relu) convolutions, N(0, 0.01) linears, zero biases, BN 1/0."""

    def __init__(self, features, num_classes=1000, init_weights=True, dropout=0.5):
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes))
        if init_weights:
            self._init_weights()

    def _init_weights(self):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        """Class logits ``(N, num_classes)``."""
        x = self.avgpool(self.features(x))
        return self.classifier(flatten(x, 1))


def make_layers(cfg, batch_norm=False):
    """The VGG feature extractor for ``cfg``: ints are 3x3 conv widths (conv [-BN] -ReLU), ``"M"`` a
    2x2 max-pool."""
    layers = []
    in_channels = 3
    for v in cfg:
        if v == "M":
            layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
            continue
        conv2d = nn.Conv2d(in_channels, v, kernel_size=3, padding=1)
        if batch_norm:
            layers += [conv2d, nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
        else:
            layers += [conv2d, nn.ReLU(inplace=True)]
        in_channels = v
    return nn.Sequential(*layers)


cfgs = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


def _vgg(cfg, batch_norm, weights, progress, **kwargs):
    if weights is not None:
        kwargs["init_weights"] = False
        num_classes = _weights_num_classes(weights)
        if num_classes is not None:
            _ovewrite_named_param(kwargs, "num_classes", num_classes)
    model = VGG(make_layers(cfgs[cfg], batch_norm=batch_norm), **kwargs)
    if weights is not None:
        _load_weights(model, weights, progress)
    return model


_RECIPE = "https://github.com/pytorch/vision/tree/main/references/classification#alexnet-and-vgg"
_URL = "https://download.pytorch.org/models/"


def _vgg_weights(file, num_params, acc1, acc5, ops, file_size):
    return _imagenet1k(_URL + file, num_params, acc1, acc5, ops, file_size, _RECIPE, min_size=(32, 32))


class VGG11_Weights(WeightsEnum):
    """Pretrained weights for :func:`vgg11`."""

    IMAGENET1K_V1 = _vgg_weights("vgg11-8a719046.pth", 132863336, 69.02, 88.628, 7.609, 506.84)
    DEFAULT = IMAGENET1K_V1


class VGG11_BN_Weights(WeightsEnum):
    """Pretrained weights for :func:`vgg11_bn`."""

    IMAGENET1K_V1 = _vgg_weights("vgg11_bn-6002323d.pth", 132868840, 70.37, 89.81, 7.609, 506.881)
    DEFAULT = IMAGENET1K_V1


class VGG13_Weights(WeightsEnum):
    """Pretrained weights for :func:`vgg13`."""

    IMAGENET1K_V1 = _vgg_weights("vgg13-19584684.pth", 133047848, 69.928, 89.246, 11.308, 507.545)
    DEFAULT = IMAGENET1K_V1


class VGG13_BN_Weights(WeightsEnum):
    """Pretrained weights for :func:`vgg13_bn`."""

    IMAGENET1K_V1 = _vgg_weights("vgg13_bn-abd245e5.pth", 133053736, 71.586, 90.374, 11.308, 507.59)
    DEFAULT = IMAGENET1K_V1


class VGG16_Weights(WeightsEnum):
    """Pretrained weights for :func:`vgg16`. ``IMAGENET1K_FEATURES`` (ported from the SSD
    authors) only holds usable ``features``: its classifier is not trained, ``categories`` is None,
    and it expects inputs scaled to [0, 255] minus the mean."""

    IMAGENET1K_V1 = _vgg_weights("vgg16-397923af.pth", 138357544, 71.592, 90.382, 15.47, 527.796)
    IMAGENET1K_FEATURES = Weights(
        url=_URL + "vgg16_features-amdegroot-88682ab5.pth",
        transforms=partial(ImageClassification, crop_size=224, mean=(0.48235, 0.45882, 0.40784),
                           std=(1.0 / 255.0, 1.0 / 255.0, 1.0 / 255.0)),
        meta={"min_size": (32, 32), "num_params": 138357544, "categories": None,
              "recipe": "https://github.com/amdegroot/ssd.pytorch#training-ssd",
              "_metrics": {"ImageNet-1K": {"acc@1": float("nan"), "acc@5": float("nan")}}, "_ops": 15.47,
              "_file_size": 527.802})
    DEFAULT = IMAGENET1K_V1


class VGG16_BN_Weights(WeightsEnum):
    """Pretrained weights for :func:`vgg16_bn`."""

    IMAGENET1K_V1 = _vgg_weights("vgg16_bn-6c64b313.pth", 138365992, 73.36, 91.516, 15.47, 527.866)
    DEFAULT = IMAGENET1K_V1


class VGG19_Weights(WeightsEnum):
    """Pretrained weights for :func:`vgg19`."""

    IMAGENET1K_V1 = _vgg_weights("vgg19-dcbb9e9d.pth", 143667240, 72.376, 90.876, 19.632, 548.051)
    DEFAULT = IMAGENET1K_V1


class VGG19_BN_Weights(WeightsEnum):
    """Pretrained weights for :func:`vgg19_bn`."""

    IMAGENET1K_V1 = _vgg_weights("vgg19_bn-c79401a0.pth", 143678248, 74.218, 91.842, 19.632, 548.143)
    DEFAULT = IMAGENET1K_V1


@register_model()
@handle_legacy_interface(weights=("pretrained", VGG11_Weights.IMAGENET1K_V1))
def vgg11(*, weights: Optional[VGG11_Weights] = None, progress: bool = True, **kwargs) -> VGG:
    """VGG-11, configuration "A" (`Very Deep Convolutional Networks <https://arxiv.org/abs/1409.1556>`_).

    ``weights``: a :class:`VGG11_Weights` member (or its name), default None (random init);
    ``progress`` is ignored; ``**kwargs`` go to :class:`VGG` (``num_classes``, ``init_weights``,
    ``dropout``).
    """
    weights = VGG11_Weights.verify(weights)
    return _vgg("A", False, weights, progress, **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", VGG11_BN_Weights.IMAGENET1K_V1))
def vgg11_bn(*, weights: Optional[VGG11_BN_Weights] = None, progress: bool = True, **kwargs) -> VGG:
    """VGG-11 with batch norm; arguments as :func:`vgg11`."""
    weights = VGG11_BN_Weights.verify(weights)
    return _vgg("A", True, weights, progress, **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", VGG13_Weights.IMAGENET1K_V1))
def vgg13(*, weights: Optional[VGG13_Weights] = None, progress: bool = True, **kwargs) -> VGG:
    """VGG-13, configuration "B"; arguments as :func:`vgg11`."""
    weights = VGG13_Weights.verify(weights)
    return _vgg("B", False, weights, progress, **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", VGG13_BN_Weights.IMAGENET1K_V1))
def vgg13_bn(*, weights: Optional[VGG13_BN_Weights] = None, progress: bool = True, **kwargs) -> VGG:
    """VGG-13 with batch norm; arguments as :func:`vgg11`."""
    weights = VGG13_BN_Weights.verify(weights)
    return _vgg("B", True, weights, progress, **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", VGG16_Weights.IMAGENET1K_V1))
def vgg16(*, weights: Optional[VGG16_Weights] = None, progress: bool = True, **kwargs) -> VGG:
    """VGG-16, configuration "D"; arguments as :func:`vgg11`."""
    weights = VGG16_Weights.verify(weights)
    return _vgg("D", False, weights, progress, **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", VGG16_BN_Weights.IMAGENET1K_V1))
def vgg16_bn(*, weights: Optional[VGG16_BN_Weights] = None, progress: bool = True, **kwargs) -> VGG:
    """VGG-16 with batch norm; arguments as :func:`vgg11`."""
    weights = VGG16_BN_Weights.verify(weights)
    return _vgg("D", True, weights, progress, **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", VGG19_Weights.IMAGENET1K_V1))
def vgg19(*, weights: Optional[VGG19_Weights] = None, progress: bool = True, **kwargs) -> VGG:
    """VGG-19, configuration "E"; arguments as :func:`vgg11`."""
    weights = VGG19_Weights.verify(weights)
    return _vgg("E", False, weights, progress, **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", VGG19_BN_Weights.IMAGENET1K_V1))
def vgg19_bn(*, weights: Optional[VGG19_BN_Weights] = None, progress: bool = True, **kwargs) -> VGG:
    """VGG-19 with batch norm; arguments as :func:`vgg11`."""
    weights = VGG19_BN_Weights.verify(weights)
    return _vgg("E", True, weights, progress, **kwargs)
