"""SqueezeNet 1.0 and 1.1 (``torchvision.models.squeezenet``)."""
from typing import Optional

from ... import cat, flatten, nn
from ._api import WeightsEnum, register_model
from ._utils import (_imagenet1k, _load_weights, _ovewrite_named_param, _weights_num_classes,
                     handle_legacy_interface)

__all__ = ["SqueezeNet", "SqueezeNet1_0_Weights", "SqueezeNet1_1_Weights", "squeezenet1_0", "squeezenet1_1"]


class Fire(nn.Module):
    """1x1 squeeze conv, then parallel 1x1 and 3x3 expand convs (each with ReLU) concatenated."""

    def __init__(self, inplanes, squeeze_planes, expand1x1_planes, expand3x3_planes):
        super().__init__()
        self.inplanes = inplanes
        self.squeeze = nn.Conv2d(inplanes, squeeze_planes, kernel_size=1)
        self.squeeze_activation = nn.ReLU(inplace=True)
        self.expand1x1 = nn.Conv2d(squeeze_planes, expand1x1_planes, kernel_size=1)
        self.expand1x1_activation = nn.ReLU(inplace=True)
        self.expand3x3 = nn.Conv2d(squeeze_planes, expand3x3_planes, kernel_size=3, padding=1)
        self.expand3x3_activation = nn.ReLU(inplace=True)

    def forward(self, x):
        """``cat([relu(expand1x1(s)), relu(expand3x3(s))], 1)`` with ``s = relu(squeeze(x))``."""
        x = self.squeeze_activation(self.squeeze(x))
        return cat([self.expand1x1_activation(self.expand1x1(x)), self.expand3x3_activation(self.expand3x3(x))], 1)


def _features_1_0():
    return nn.Sequential(
        nn.Conv2d(3, 96, kernel_size=7, stride=2), nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        Fire(96, 16, 64, 64), Fire(128, 16, 64, 64), Fire(128, 32, 128, 128),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        Fire(256, 32, 128, 128), Fire(256, 48, 192, 192), Fire(384, 48, 192, 192), Fire(384, 64, 256, 256),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        Fire(512, 64, 256, 256))


def _features_1_1():
    return nn.Sequential(
        nn.Conv2d(3, 64, kernel_size=3, stride=2), nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        Fire(64, 16, 64, 64), Fire(128, 16, 64, 64),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        Fire(128, 32, 128, 128), Fire(256, 32, 128, 128),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        Fire(256, 48, 192, 192), Fire(384, 48, 192, 192), Fire(384, 64, 256, 256), Fire(512, 64, 256, 256))


class SqueezeNet(nn.Module):
    """SqueezeNet ``version`` "1_0" or "1_1": Fire-module features, then dropout, a 1x1 conv to
    ``num_classes``, ReLU and global average pool. Init: kaiming-uniform convolutions, N(0, 0.01)
    for the final one, zero biases."""

    def __init__(self, version="1_0", num_classes=1000, dropout=0.5):
        super().__init__()
        self.num_classes = num_classes
        if version == "1_0":
            self.features = _features_1_0()
        elif version == "1_1":
            self.features = _features_1_1()
        else:
            raise ValueError(f"Unsupported SqueezeNet version {version}: 1_0 or 1_1 expected")
        final_conv = nn.Conv2d(512, self.num_classes, kernel_size=1)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout), final_conv, nn.ReLU(inplace=True),
                                        nn.AdaptiveAvgPool2d((1, 1)))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                if m is final_conv:
                    nn.init.normal_(m.weight, mean=0.0, std=0.01)
                else:
                    nn.init.kaiming_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.constant_(m.bias, 0)

    def forward(self, x):
        """Class scores ``(N, num_classes)`` (non-negative: the head ends in ReLU)."""
        return flatten(self.classifier(self.features(x)), 1)


def _squeezenet(version, weights, progress, **kwargs):
    if weights is not None:
        _ovewrite_named_param(kwargs, "num_classes", _weights_num_classes(weights))
    model = SqueezeNet(version, **kwargs)
    if weights is not None:
        _load_weights(model, weights, progress, check_hash=False)
    return model


_RECIPE = "https://github.com/pytorch/vision/pull/49#issuecomment-277560717"


class SqueezeNet1_0_Weights(WeightsEnum):
    """Pretrained weights for :func:`squeezenet1_0`."""

    IMAGENET1K_V1 = _imagenet1k("https://download.pytorch.org/models/squeezenet1_0-b66bff10.pth", 1248424, 58.092,
                                80.42, 0.819, 4.778, _RECIPE, min_size=(21, 21))
    DEFAULT = IMAGENET1K_V1


class SqueezeNet1_1_Weights(WeightsEnum):
    """Pretrained weights for :func:`squeezenet1_1`."""

    IMAGENET1K_V1 = _imagenet1k("https://download.pytorch.org/models/squeezenet1_1-b8a52dc0.pth", 1235496, 58.178,
                                80.624, 0.349, 4.729, _RECIPE, min_size=(17, 17))
    DEFAULT = IMAGENET1K_V1


@register_model()
@handle_legacy_interface(weights=("pretrained", SqueezeNet1_0_Weights.IMAGENET1K_V1))
def squeezenet1_0(*, weights: Optional[SqueezeNet1_0_Weights] = None, progress: bool = True,
                  **kwargs) -> SqueezeNet:
    """SqueezeNet 1.0 (`SqueezeNet <https://arxiv.org/abs/1602.07360>`_); inputs at least 21x21.

    ``weights``: a :class:`SqueezeNet1_0_Weights` member (or its name), default None;
    ``progress`` is ignored; ``**kwargs`` go to :class:`SqueezeNet`.
    """
    weights = SqueezeNet1_0_Weights.verify(weights)
    return _squeezenet("1_0", weights, progress, **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", SqueezeNet1_1_Weights.IMAGENET1K_V1))
def squeezenet1_1(*, weights: Optional[SqueezeNet1_1_Weights] = None, progress: bool = True,
                  **kwargs) -> SqueezeNet:
    """SqueezeNet 1.1 (2.4x less computation than 1.0); inputs at least 17x17; arguments as
    :func:`squeezenet1_0`."""
    weights = SqueezeNet1_1_Weights.verify(weights)
    return _squeezenet("1_1", weights, progress, **kwargs)
