"""MobileNetV2 (``torchvision.models.mobilenetv2``)."""
from typing import Optional

from ... import flatten, nn
from ...nn import functional as F
from ._api import WeightsEnum, register_model
from ._misc import Conv2dNormActivation
from ._utils import (_imagenet1k, _load_weights, _make_divisible, _ovewrite_named_param, _weights_num_classes,
                     handle_legacy_interface)

__all__ = ["MobileNetV2", "MobileNet_V2_Weights", "mobilenet_v2"]


class InvertedResidual(nn.Module):
    """MobileNetV2 block: 1x1 expansion (ReLU6; skipped when ``expand_ratio`` is 1), 3x3
    depthwise (ReLU6), linear 1x1 projection; residual when ``stride`` is 1 and ``inp == oup``."""

    def __init__(self, inp, oup, stride, expand_ratio, norm_layer=None):
        super().__init__()
        self.stride = stride
        if stride not in [1, 2]:
            raise ValueError(f"stride should be 1 or 2 instead of {stride}")
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        hidden_dim = int(round(inp * expand_ratio))
        self.use_res_connect = self.stride == 1 and inp == oup
        layers = []
        if expand_ratio != 1:
            layers.append(Conv2dNormActivation(inp, hidden_dim, kernel_size=1, norm_layer=norm_layer,
                                               activation_layer=nn.ReLU6))
        layers.extend([
            Conv2dNormActivation(hidden_dim, hidden_dim, stride=stride, groups=hidden_dim, norm_layer=norm_layer,
                                 activation_layer=nn.ReLU6),
            nn.Conv2d(hidden_dim, oup, 1, 1, 0, bias=False),
            norm_layer(oup),
        ])
        self.conv = nn.Sequential(*layers)
        self.out_channels = oup
        self._is_cn = stride > 1

    def forward(self, x):
        """``x + conv(x)`` with a residual connection, else ``conv(x)``."""
        if self.use_res_connect:
            return x + self.conv(x)
        return self.conv(x)


class MobileNetV2(nn.Module):
    """MobileNetV2: a stride-2 3x3 stem, the inverted-residual stages of
    ``inverted_residual_setting`` (rows ``[t, c, n, s]``: expansion, channels, repeats, stride;
    channels scaled by ``width_mult`` and rounded to multiples of ``round_nearest``), a 1x1 conv to
    ``last_channel`` (1280), global average pool, ``Dropout(dropout)`` and a linear classifier.
    Init: kaiming-normal (fan_out) convolutions, N(0, 0.01) linears, zero biases, norms 1/0."""

    def __init__(self, num_classes=1000, width_mult=1.0, inverted_residual_setting=None, round_nearest=8, block=None,
                 norm_layer=None, dropout=0.2):
        super().__init__()
        if block is None:
            block = InvertedResidual
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        input_channel = 32
        last_channel = 1280
        if inverted_residual_setting is None:
            inverted_residual_setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1],
                                         [6, 160, 3, 2], [6, 320, 1, 1]]
        if len(inverted_residual_setting) == 0 or len(inverted_residual_setting[0]) != 4:
            raise ValueError(
                f"inverted_residual_setting should be non-empty or a 4-element list, got {inverted_residual_setting}")
        input_channel = _make_divisible(input_channel * width_mult, round_nearest)
        self.last_channel = _make_divisible(last_channel * max(1.0, width_mult), round_nearest)
        features = [Conv2dNormActivation(3, input_channel, stride=2, norm_layer=norm_layer,
                                         activation_layer=nn.ReLU6)]
        for t, c, n, s in inverted_residual_setting:
            output_channel = _make_divisible(c * width_mult, round_nearest)
            for i in range(n):
                features.append(block(input_channel, output_channel, s if i == 0 else 1, expand_ratio=t,
                                      norm_layer=norm_layer))
                input_channel = output_channel
        features.append(Conv2dNormActivation(input_channel, self.last_channel, kernel_size=1, norm_layer=norm_layer,
                                             activation_layer=nn.ReLU6))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout), nn.Linear(self.last_channel, num_classes))
        _init_mobilenet(self)

    def _forward_impl(self, x):
        x = F.adaptive_avg_pool2d(self.features(x), (1, 1))
        return self.classifier(flatten(x, 1))

    def forward(self, x):
        """Class logits ``(N, num_classes)``."""
        return self._forward_impl(x)


def _init_mobilenet(model):
    """The MobileNets' initialisation: kaiming-normal (fan_out) convolutions, N(0, 0.01) linear
    weights, zero biases, norm layers weight 1 / bias 0."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.01)
            nn.init.zeros_(m.bias)


class MobileNet_V2_Weights(WeightsEnum):
    """Pretrained weights for :func:`mobilenet_v2`."""

    IMAGENET1K_V1 = _imagenet1k("https://download.pytorch.org/models/mobilenet_v2-b0353104.pth", 3504872, 71.878,
                                90.286, 0.301, 13.555,
                                "https://github.com/pytorch/vision/tree/main/references/classification#mobilenetv2")
    IMAGENET1K_V2 = _imagenet1k("https://download.pytorch.org/models/mobilenet_v2-7ebf99e0.pth", 3504872, 72.154,
                                90.822, 0.301, 13.598,
                                "https://github.com/pytorch/vision/issues/3995#new-recipe-with-reg-tuning",
                                resize_size=232)
    DEFAULT = IMAGENET1K_V2


@register_model()
@handle_legacy_interface(weights=("pretrained", MobileNet_V2_Weights.IMAGENET1K_V1))
def mobilenet_v2(*, weights: Optional[MobileNet_V2_Weights] = None, progress: bool = True,
                 **kwargs) -> MobileNetV2:
    """MobileNetV2 (`MobileNetV2: Inverted Residuals and Linear Bottlenecks
    <https://arxiv.org/abs/1801.04381>`_).

    ``weights``: a :class:`MobileNet_V2_Weights` member (or its name), default None (random init);
    ``progress`` is ignored; ``**kwargs`` go to :class:`MobileNetV2`.
    """
    weights = MobileNet_V2_Weights.verify(weights)
    if weights is not None:
        _ovewrite_named_param(kwargs, "num_classes", _weights_num_classes(weights))
    model = MobileNetV2(**kwargs)
    if weights is not None:
        _load_weights(model, weights, progress)
    return model
