"""MobileNetV3 Large and Small (``torchvision.models.mobilenetv3``)."""
from collections.abc import Sequence
from functools import partial
from typing import Optional

from ... import flatten, nn
from ._api import WeightsEnum, register_model
from ._misc import Conv2dNormActivation, SqueezeExcitation as SElayer
from ._utils import (_imagenet1k, _load_weights, _make_divisible, _ovewrite_named_param, _weights_num_classes,
                     handle_legacy_interface)
from .mobilenetv2 import _init_mobilenet

__all__ = ["MobileNetV3", "MobileNet_V3_Large_Weights", "MobileNet_V3_Small_Weights", "mobilenet_v3_large",
           "mobilenet_v3_small"]


class InvertedResidualConfig:
    """One MobileNetV3 block's settings; channel counts are scaled by ``width_mult`` and rounded to
    multiples of 8. ``activation`` is ``"HS"`` (hardswish) or ``"RE"`` (ReLU)."""

    def __init__(self, input_channels, kernel, expanded_channels, out_channels, use_se, activation, stride, dilation,
                 width_mult):
        self.input_channels = self.adjust_channels(input_channels, width_mult)
        self.kernel = kernel
        self.expanded_channels = self.adjust_channels(expanded_channels, width_mult)
        self.out_channels = self.adjust_channels(out_channels, width_mult)
        self.use_se = use_se
        self.use_hs = activation == "HS"
        self.stride = stride
        self.dilation = dilation

    @staticmethod
    def adjust_channels(channels, width_mult):
        """``channels * width_mult`` rounded to a multiple of 8."""
        return _make_divisible(channels * width_mult, 8)


class InvertedResidual(nn.Module):
    """MobileNetV3 block: optional 1x1 expansion, depthwise conv (dilated instead of strided when
    ``cnf.dilation > 1``), optional squeeze-excitation (hardsigmoid gate), linear 1x1 projection;
    residual when the stride is 1 and the channel count is unchanged."""

    def __init__(self, cnf, norm_layer, se_layer=partial(SElayer, scale_activation=nn.Hardsigmoid)):
        super().__init__()
        if not (1 <= cnf.stride <= 2):
            raise ValueError("illegal stride value")
        self.use_res_connect = cnf.stride == 1 and cnf.input_channels == cnf.out_channels
        activation_layer = nn.Hardswish if cnf.use_hs else nn.ReLU
        layers = []
        if cnf.expanded_channels != cnf.input_channels:
            layers.append(Conv2dNormActivation(cnf.input_channels, cnf.expanded_channels, kernel_size=1,
                                               norm_layer=norm_layer, activation_layer=activation_layer))
        stride = 1 if cnf.dilation > 1 else cnf.stride
        layers.append(Conv2dNormActivation(cnf.expanded_channels, cnf.expanded_channels, kernel_size=cnf.kernel,
                                           stride=stride, dilation=cnf.dilation, groups=cnf.expanded_channels,
                                           norm_layer=norm_layer, activation_layer=activation_layer))
        if cnf.use_se:
            squeeze_channels = _make_divisible(cnf.expanded_channels // 4, 8)
            layers.append(se_layer(cnf.expanded_channels, squeeze_channels))
        layers.append(Conv2dNormActivation(cnf.expanded_channels, cnf.out_channels, kernel_size=1,
                                           norm_layer=norm_layer, activation_layer=None))
        self.block = nn.Sequential(*layers)
        self.out_channels = cnf.out_channels
        self._is_cn = cnf.stride > 1

    def forward(self, x):
        """``block(x)``, plus ``x`` with a residual connection."""
        result = self.block(x)
        if self.use_res_connect:
            result += x
        return result


class MobileNetV3(nn.Module):
    """MobileNetV3: a hardswish 3x3 stride-2 stem, the blocks of ``inverted_residual_setting``, a
    1x1 conv to 6x the last block's channels, global average pool and the classifier
    (linear to ``last_channel``, hardswish, ``Dropout(dropout)``, linear). The default norm layer is
    ``BatchNorm2d(eps=0.001, momentum=0.01)``. Extra ``**kwargs`` (the builders' ``width_mult``,
    ``reduced_tail``, ``dilated``) are ignored, as in torchvision."""

    def __init__(self, inverted_residual_setting, last_channel, num_classes=1000, block=None, norm_layer=None,
                 dropout=0.2, **kwargs):
        super().__init__()
        if not inverted_residual_setting:
            raise ValueError("The inverted_residual_setting should not be empty")
        if not (isinstance(inverted_residual_setting, Sequence)
                and all(isinstance(s, InvertedResidualConfig) for s in inverted_residual_setting)):
            raise TypeError("The inverted_residual_setting should be List[InvertedResidualConfig]")
        if block is None:
            block = InvertedResidual
        if norm_layer is None:
            norm_layer = partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)
        firstconv_output_channels = inverted_residual_setting[0].input_channels
        layers = [Conv2dNormActivation(3, firstconv_output_channels, kernel_size=3, stride=2, norm_layer=norm_layer,
                                       activation_layer=nn.Hardswish)]
        for cnf in inverted_residual_setting:
            layers.append(block(cnf, norm_layer))
        lastconv_input_channels = inverted_residual_setting[-1].out_channels
        lastconv_output_channels = 6 * lastconv_input_channels
        layers.append(Conv2dNormActivation(lastconv_input_channels, lastconv_output_channels, kernel_size=1,
                                           norm_layer=norm_layer, activation_layer=nn.Hardswish))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Linear(lastconv_output_channels, last_channel), nn.Hardswish(inplace=True),
            nn.Dropout(p=dropout, inplace=True), nn.Linear(last_channel, num_classes))
        _init_mobilenet(self)

    def _forward_impl(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(flatten(x, 1))

    def forward(self, x):
        """Class logits ``(N, num_classes)``."""
        return self._forward_impl(x)


def _large_setting(bneck_conf, reduce_divider, dilation):
    return [
        bneck_conf(16, 3, 16, 16, False, "RE", 1, 1),
        bneck_conf(16, 3, 64, 24, False, "RE", 2, 1),
        bneck_conf(24, 3, 72, 24, False, "RE", 1, 1),
        bneck_conf(24, 5, 72, 40, True, "RE", 2, 1),
        bneck_conf(40, 5, 120, 40, True, "RE", 1, 1),
        bneck_conf(40, 5, 120, 40, True, "RE", 1, 1),
        bneck_conf(40, 3, 240, 80, False, "HS", 2, 1),
        bneck_conf(80, 3, 200, 80, False, "HS", 1, 1),
        bneck_conf(80, 3, 184, 80, False, "HS", 1, 1),
        bneck_conf(80, 3, 184, 80, False, "HS", 1, 1),
        bneck_conf(80, 3, 480, 112, True, "HS", 1, 1),
        bneck_conf(112, 3, 672, 112, True, "HS", 1, 1),
        bneck_conf(112, 5, 672, 160 // reduce_divider, True, "HS", 2, dilation),
        bneck_conf(160 // reduce_divider, 5, 960 // reduce_divider, 160 // reduce_divider, True, "HS", 1, dilation),
        bneck_conf(160 // reduce_divider, 5, 960 // reduce_divider, 160 // reduce_divider, True, "HS", 1, dilation),
    ], 1280 // reduce_divider


def _small_setting(bneck_conf, reduce_divider, dilation):
    return [
        bneck_conf(16, 3, 16, 16, True, "RE", 2, 1),
        bneck_conf(16, 3, 72, 24, False, "RE", 2, 1),
        bneck_conf(24, 3, 88, 24, False, "RE", 1, 1),
        bneck_conf(24, 5, 96, 40, True, "HS", 2, 1),
        bneck_conf(40, 5, 240, 40, True, "HS", 1, 1),
        bneck_conf(40, 5, 240, 40, True, "HS", 1, 1),
        bneck_conf(40, 5, 120, 48, True, "HS", 1, 1),
        bneck_conf(48, 5, 144, 48, True, "HS", 1, 1),
        bneck_conf(48, 5, 288, 96 // reduce_divider, True, "HS", 2, dilation),
        bneck_conf(96 // reduce_divider, 5, 576 // reduce_divider, 96 // reduce_divider, True, "HS", 1, dilation),
        bneck_conf(96 // reduce_divider, 5, 576 // reduce_divider, 96 // reduce_divider, True, "HS", 1, dilation),
    ], 1024 // reduce_divider


def _mobilenet_v3_conf(arch, width_mult=1.0, reduced_tail=False, dilated=False, **kwargs):
    """``(block configs, last_channel)`` of ``arch``; ``reduced_tail`` halves the last stage's
    channels, ``dilated`` uses dilation 2 instead of stride in it."""
    reduce_divider = 2 if reduced_tail else 1
    dilation = 2 if dilated else 1
    bneck_conf = partial(InvertedResidualConfig, width_mult=width_mult)
    settings = {"mobilenet_v3_large": _large_setting, "mobilenet_v3_small": _small_setting}
    if arch not in settings:
        raise ValueError(f"Unsupported model type {arch}")
    inverted_residual_setting, last_channel = settings[arch](bneck_conf, reduce_divider, dilation)
    return inverted_residual_setting, InvertedResidualConfig.adjust_channels(last_channel, width_mult)


def _mobilenet_v3(inverted_residual_setting, last_channel, weights, progress, **kwargs):
    if weights is not None:
        _ovewrite_named_param(kwargs, "num_classes", _weights_num_classes(weights))
    model = MobileNetV3(inverted_residual_setting, last_channel, **kwargs)
    if weights is not None:
        _load_weights(model, weights, progress)
    return model


_RECIPE = "https://github.com/pytorch/vision/tree/main/references/classification#mobilenetv3-large--small"


class MobileNet_V3_Large_Weights(WeightsEnum):
    """Pretrained weights for :func:`mobilenet_v3_large`."""

    IMAGENET1K_V1 = _imagenet1k("https://download.pytorch.org/models/mobilenet_v3_large-8738ca79.pth", 5483032,
                                74.042, 91.34, 0.217, 21.114, _RECIPE)
    IMAGENET1K_V2 = _imagenet1k("https://download.pytorch.org/models/mobilenet_v3_large-5c1a4163.pth", 5483032,
                                75.274, 92.566, 0.217, 21.107,
                                "https://github.com/pytorch/vision/issues/3995#new-recipe-with-reg-tuning",
                                resize_size=232)
    DEFAULT = IMAGENET1K_V2


class MobileNet_V3_Small_Weights(WeightsEnum):
    """Pretrained weights for :func:`mobilenet_v3_small`."""

    IMAGENET1K_V1 = _imagenet1k("https://download.pytorch.org/models/mobilenet_v3_small-047dcff4.pth", 2542856,
                                67.668, 87.402, 0.057, 9.829, _RECIPE)
    DEFAULT = IMAGENET1K_V1


@register_model()
@handle_legacy_interface(weights=("pretrained", MobileNet_V3_Large_Weights.IMAGENET1K_V1))
def mobilenet_v3_large(*, weights: Optional[MobileNet_V3_Large_Weights] = None, progress: bool = True,
                       **kwargs) -> MobileNetV3:
    """MobileNetV3-Large (`Searching for MobileNetV3 <https://arxiv.org/abs/1905.02244>`_).

    ``weights``: a :class:`MobileNet_V3_Large_Weights` member (or its name), default None;
    ``progress`` is ignored; ``**kwargs``: ``width_mult``, ``reduced_tail``, ``dilated`` and the
    :class:`MobileNetV3` arguments.
    """
    weights = MobileNet_V3_Large_Weights.verify(weights)
    inverted_residual_setting, last_channel = _mobilenet_v3_conf("mobilenet_v3_large", **kwargs)
    return _mobilenet_v3(inverted_residual_setting, last_channel, weights, progress, **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", MobileNet_V3_Small_Weights.IMAGENET1K_V1))
def mobilenet_v3_small(*, weights: Optional[MobileNet_V3_Small_Weights] = None, progress: bool = True,
                       **kwargs) -> MobileNetV3:
    """MobileNetV3-Small; arguments as :func:`mobilenet_v3_large`."""
    weights = MobileNet_V3_Small_Weights.verify(weights)
    inverted_residual_setting, last_channel = _mobilenet_v3_conf("mobilenet_v3_small", **kwargs)
    return _mobilenet_v3(inverted_residual_setting, last_channel, weights, progress, **kwargs)
