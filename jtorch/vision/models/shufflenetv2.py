"""ShuffleNetV2 x0.5/x1.0/x1.5/x2.0 (``torchvision.models.shufflenetv2``)."""
from typing import Optional

from ... import cat, nn, transpose
from ._api import WeightsEnum, register_model
from ._utils import (_imagenet1k, _load_weights, _ovewrite_named_param, _weights_num_classes,
                     handle_legacy_interface)

__all__ = ["ShuffleNetV2", "ShuffleNet_V2_X0_5_Weights", "ShuffleNet_V2_X1_0_Weights", "ShuffleNet_V2_X1_5_Weights",
           "ShuffleNet_V2_X2_0_Weights", "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "shufflenet_v2_x1_5",
           "shufflenet_v2_x2_0"]


def channel_shuffle(x, groups):
    """Interleave the channels of ``groups`` equal groups: ``(N, g*c, H, W) -> (N, c*g, H, W)``."""
    batchsize, num_channels, height, width = x.size()
    channels_per_group = num_channels // groups
    x = x.view(batchsize, groups, channels_per_group, height, width)
    x = transpose(x, 1, 2).contiguous()
    return x.view(batchsize, -1, height, width)


class InvertedResidual(nn.Module):
    """ShuffleNetV2 unit. Stride 1: split the channels in half, transform one half (1x1, 3x3
    depthwise, 1x1), concatenate, shuffle. Stride > 1: both branches see the whole input and
    downsample; the output has ``oup`` channels."""

    def __init__(self, inp, oup, stride):
        super().__init__()
        if not (1 <= stride <= 3):
            raise ValueError("illegal stride value")
        self.stride = stride
        branch_features = oup // 2
        if (self.stride == 1) and (inp != branch_features << 1):
            raise ValueError(f"Invalid combination of stride {stride}, inp {inp} and oup {oup} values. If stride == 1 "
                             "then inp should be equal to oup // 2 << 1.")
        if self.stride > 1:
            self.branch1 = nn.Sequential(
                self.depthwise_conv(inp, inp, kernel_size=3, stride=self.stride, padding=1),
                nn.BatchNorm2d(inp),
                nn.Conv2d(inp, branch_features, kernel_size=1, stride=1, padding=0, bias=False),
                nn.BatchNorm2d(branch_features),
                nn.ReLU(inplace=True))
        else:
            self.branch1 = nn.Sequential()
        self.branch2 = nn.Sequential(
            nn.Conv2d(inp if (self.stride > 1) else branch_features, branch_features, kernel_size=1, stride=1,
                      padding=0, bias=False),
            nn.BatchNorm2d(branch_features),
            nn.ReLU(inplace=True),
            self.depthwise_conv(branch_features, branch_features, kernel_size=3, stride=self.stride, padding=1),
            nn.BatchNorm2d(branch_features),
            nn.Conv2d(branch_features, branch_features, kernel_size=1, stride=1, padding=0, bias=False),
            nn.BatchNorm2d(branch_features),
            nn.ReLU(inplace=True))

    @staticmethod
    def depthwise_conv(i, o, kernel_size, stride=1, padding=0, bias=False):
        """A depthwise (``groups=i``) convolution."""
        return nn.Conv2d(i, o, kernel_size, stride, padding, bias=bias, groups=i)

    def forward(self, x):
        """The unit's output, channel-shuffled with 2 groups."""
        if self.stride == 1:
            x1, x2 = x.chunk(2, dim=1)
            out = cat((x1, self.branch2(x2)), dim=1)
        else:
            out = cat((self.branch1(x), self.branch2(x)), dim=1)
        return channel_shuffle(out, 2)


class ShuffleNetV2(nn.Module):
    """ShuffleNetV2: a 3x3 stride-2 stem and max-pool, three stages (``stages_repeats`` units,
    widths ``stages_out_channels[1:4]``), a 1x1 ``conv5`` to ``stages_out_channels[4]``, global mean
    pool and a linear ``fc``. PyTorch's default layer initialisation."""

    def __init__(self, stages_repeats, stages_out_channels, num_classes=1000, inverted_residual=InvertedResidual):
        super().__init__()
        if len(stages_repeats) != 3:
            raise ValueError("expected stages_repeats as list of 3 positive ints")
        if len(stages_out_channels) != 5:
            raise ValueError("expected stages_out_channels as list of 5 positive ints")
        self._stage_out_channels = stages_out_channels
        input_channels = 3
        output_channels = self._stage_out_channels[0]
        self.conv1 = nn.Sequential(nn.Conv2d(input_channels, output_channels, 3, 2, 1, bias=False),
                                   nn.BatchNorm2d(output_channels), nn.ReLU(inplace=True))
        input_channels = output_channels
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        for name, repeats, output_channels in zip(["stage2", "stage3", "stage4"], stages_repeats,
                                                  self._stage_out_channels[1:]):
            seq = [inverted_residual(input_channels, output_channels, 2)]
            seq += [inverted_residual(output_channels, output_channels, 1) for _ in range(repeats - 1)]
            setattr(self, name, nn.Sequential(*seq))
            input_channels = output_channels
        output_channels = self._stage_out_channels[-1]
        self.conv5 = nn.Sequential(nn.Conv2d(input_channels, output_channels, 1, 1, 0, bias=False),
                                   nn.BatchNorm2d(output_channels), nn.ReLU(inplace=True))
        self.fc = nn.Linear(output_channels, num_classes)

    def _forward_impl(self, x):
        x = self.maxpool(self.conv1(x))
        x = self.conv5(self.stage4(self.stage3(self.stage2(x))))
        return self.fc(x.mean([2, 3]))

    def forward(self, x):
        """Class logits ``(N, num_classes)``."""
        return self._forward_impl(x)


def _shufflenetv2(weights, progress, *args, **kwargs):
    if weights is not None:
        _ovewrite_named_param(kwargs, "num_classes", _weights_num_classes(weights))
    model = ShuffleNetV2(*args, **kwargs)
    if weights is not None:
        _load_weights(model, weights, progress, check_hash=False)
    return model


_PORTED = "https://github.com/ericsun99/Shufflenet-v2-Pytorch"
_NEW = "https://github.com/pytorch/vision/pull/5906"
_URL = "https://download.pytorch.org/models/"


class ShuffleNet_V2_X0_5_Weights(WeightsEnum):
    """Pretrained weights for :func:`shufflenet_v2_x0_5`."""

    IMAGENET1K_V1 = _imagenet1k(_URL + "shufflenetv2_x0.5-f707e7126e.pth", 1366792, 60.552, 81.746, 0.04, 5.282,
                                _PORTED)
    DEFAULT = IMAGENET1K_V1


class ShuffleNet_V2_X1_0_Weights(WeightsEnum):
    """Pretrained weights for :func:`shufflenet_v2_x1_0`."""

    IMAGENET1K_V1 = _imagenet1k(_URL + "shufflenetv2_x1-5666bf0f80.pth", 2278604, 69.362, 88.316, 0.145, 8.791,
                                _PORTED)
    DEFAULT = IMAGENET1K_V1


class ShuffleNet_V2_X1_5_Weights(WeightsEnum):
    """Pretrained weights for :func:`shufflenet_v2_x1_5`."""

    IMAGENET1K_V1 = _imagenet1k(_URL + "shufflenetv2_x1_5-3c479a10.pth", 3503624, 72.996, 91.086, 0.296, 13.557,
                                _NEW, resize_size=232)
    DEFAULT = IMAGENET1K_V1


class ShuffleNet_V2_X2_0_Weights(WeightsEnum):
    """Pretrained weights for :func:`shufflenet_v2_x2_0`."""

    IMAGENET1K_V1 = _imagenet1k(_URL + "shufflenetv2_x2_0-8be3c8ee.pth", 7393996, 76.23, 93.006, 0.583, 28.433,
                                _NEW, resize_size=232)
    DEFAULT = IMAGENET1K_V1


@register_model()
@handle_legacy_interface(weights=("pretrained", ShuffleNet_V2_X0_5_Weights.IMAGENET1K_V1))
def shufflenet_v2_x0_5(*, weights: Optional[ShuffleNet_V2_X0_5_Weights] = None, progress: bool = True,
                       **kwargs) -> ShuffleNetV2:
    """ShuffleNetV2 with 0.5x channels (`ShuffleNet V2 <https://arxiv.org/abs/1807.11164>`_).

    ``weights``: a :class:`ShuffleNet_V2_X0_5_Weights` member (or its name), default None;
    ``progress`` is ignored; ``**kwargs`` go to :class:`ShuffleNetV2`.
    """
    weights = ShuffleNet_V2_X0_5_Weights.verify(weights)
    return _shufflenetv2(weights, progress, [4, 8, 4], [24, 48, 96, 192, 1024], **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", ShuffleNet_V2_X1_0_Weights.IMAGENET1K_V1))
def shufflenet_v2_x1_0(*, weights: Optional[ShuffleNet_V2_X1_0_Weights] = None, progress: bool = True,
                       **kwargs) -> ShuffleNetV2:
    """ShuffleNetV2 with 1.0x channels; arguments as :func:`shufflenet_v2_x0_5`."""
    weights = ShuffleNet_V2_X1_0_Weights.verify(weights)
    return _shufflenetv2(weights, progress, [4, 8, 4], [24, 116, 232, 464, 1024], **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", ShuffleNet_V2_X1_5_Weights.IMAGENET1K_V1))
def shufflenet_v2_x1_5(*, weights: Optional[ShuffleNet_V2_X1_5_Weights] = None, progress: bool = True,
                       **kwargs) -> ShuffleNetV2:
    """ShuffleNetV2 with 1.5x channels; arguments as :func:`shufflenet_v2_x0_5`."""
    weights = ShuffleNet_V2_X1_5_Weights.verify(weights)
    return _shufflenetv2(weights, progress, [4, 8, 4], [24, 176, 352, 704, 1024], **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", ShuffleNet_V2_X2_0_Weights.IMAGENET1K_V1))
def shufflenet_v2_x2_0(*, weights: Optional[ShuffleNet_V2_X2_0_Weights] = None, progress: bool = True,
                       **kwargs) -> ShuffleNetV2:
    """ShuffleNetV2 with 2.0x channels; arguments as :func:`shufflenet_v2_x0_5`."""
    weights = ShuffleNet_V2_X2_0_Weights.verify(weights)
    return _shufflenetv2(weights, progress, [4, 8, 4], [24, 244, 488, 976, 2048], **kwargs)
