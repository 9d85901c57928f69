"""DenseNet-121/161/169/201 (``torchvision.models.densenet``)."""
import re
from collections import OrderedDict
from typing import Optional

from ... import cat, flatten, nn
from ..._tensor import Tensor
from ...nn import functional as F
from ...utils import checkpoint as cp
from ._api import WeightsEnum, register_model
from ._utils import _imagenet1k, _ovewrite_named_param, _weights_num_classes, handle_legacy_interface

__all__ = ["DenseNet", "DenseNet121_Weights", "DenseNet161_Weights", "DenseNet169_Weights", "DenseNet201_Weights",
           "densenet121", "densenet161", "densenet169", "densenet201"]


class _DenseLayer(nn.Module):
    """BN-ReLU-1x1 conv (``bn_size * growth_rate`` channels) then BN-ReLU-3x3 conv
    (``growth_rate`` channels) on the concatenation of all previous features, then dropout.
    ``memory_efficient`` recomputes the bottleneck in backward (activation checkpointing)."""

    def __init__(self, num_input_features, growth_rate, bn_size, drop_rate, memory_efficient=False):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(num_input_features)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(num_input_features, bn_size * growth_rate, kernel_size=1, stride=1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth_rate)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(bn_size * growth_rate, growth_rate, kernel_size=3, stride=1, padding=1, bias=False)
        self.drop_rate = float(drop_rate)
        self.memory_efficient = memory_efficient

    def bn_function(self, inputs):
        """The bottleneck: conv1(relu1(norm1(cat(inputs))))."""
        return self.conv1(self.relu1(self.norm1(cat(inputs, 1))))

    def any_requires_grad(self, inputs):
        """Whether any of ``inputs`` requires grad."""
        return any(t.requires_grad for t in inputs)

    def call_checkpoint_bottleneck(self, inputs):
        """:meth:`bn_function` under activation checkpointing."""
        def closure(*tensors):
            return self.bn_function(tensors)

        return cp.checkpoint(closure, *inputs, use_reentrant=False)

    def forward(self, input):
        """The layer's ``growth_rate`` new feature maps from a tensor or a list of tensors."""
        prev_features = [input] if isinstance(input, Tensor) else input
        if self.memory_efficient and self.any_requires_grad(prev_features):
            bottleneck_output = self.call_checkpoint_bottleneck(prev_features)
        else:
            bottleneck_output = self.bn_function(prev_features)
        new_features = self.conv2(self.relu2(self.norm2(bottleneck_output)))
        if self.drop_rate > 0:
            new_features = F.dropout(new_features, p=self.drop_rate, training=self.training)
        return new_features


class _DenseBlock(nn.ModuleDict):
    """``num_layers`` dense layers (``denselayer1``...), each fed every earlier output; returns
    their concatenation with the input."""

    _version = 2

    def __init__(self, num_layers, num_input_features, bn_size, growth_rate, drop_rate, memory_efficient=False):
        super().__init__()
        for i in range(num_layers):
            layer = _DenseLayer(num_input_features + i * growth_rate, growth_rate=growth_rate, bn_size=bn_size,
                                drop_rate=drop_rate, memory_efficient=memory_efficient)
            self.add_module(f"denselayer{i + 1}", layer)

    def forward(self, init_features):
        """``cat([init_features, new_1, new_2, ...], 1)``."""
        features = [init_features]
        for _, layer in self.items():
            features.append(layer(features))
        return cat(features, 1)


class _Transition(nn.Sequential):
    """BN-ReLU-1x1 conv to ``num_output_features``, then 2x2 average pool."""

    def __init__(self, num_input_features, num_output_features):
        super().__init__()
        self.norm = nn.BatchNorm2d(num_input_features)
        self.relu = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(num_input_features, num_output_features, kernel_size=1, stride=1, bias=False)
        self.pool = nn.AvgPool2d(kernel_size=2, stride=2)


class DenseNet(nn.Module):
    """DenseNet-BC: a 7x7 stem, dense blocks of ``block_config`` layers (each adding
    ``growth_rate`` channels) separated by halving transitions, a final BN, ReLU, global average
    pool and a linear ``classifier``. ``drop_rate`` is dropout after each dense layer;
    ``memory_efficient`` checkpoints the bottlenecks. Init: kaiming-normal convolutions, BN 1/0,
    zero linear bias."""

    def __init__(self, growth_rate=32, block_config=(6, 12, 24, 16), num_init_features=64, bn_size=4, drop_rate=0,
                 num_classes=1000, memory_efficient=False):
        super().__init__()
        self.features = nn.Sequential(OrderedDict([
            ("conv0", nn.Conv2d(3, num_init_features, kernel_size=7, stride=2, padding=3, bias=False)),
            ("norm0", nn.BatchNorm2d(num_init_features)),
            ("relu0", nn.ReLU(inplace=True)),
            ("pool0", nn.MaxPool2d(kernel_size=3, stride=2, padding=1)),
        ]))
        num_features = num_init_features
        for i, num_layers in enumerate(block_config):
            block = _DenseBlock(num_layers=num_layers, num_input_features=num_features, bn_size=bn_size,
                                growth_rate=growth_rate, drop_rate=drop_rate, memory_efficient=memory_efficient)
            self.features.add_module(f"denseblock{i + 1}", block)
            num_features = num_features + num_layers * growth_rate
            if i != len(block_config) - 1:
                trans = _Transition(num_input_features=num_features, num_output_features=num_features // 2)
                self.features.add_module(f"transition{i + 1}", trans)
                num_features = num_features // 2
        self.features.add_module("norm5", nn.BatchNorm2d(num_features))
        self.classifier = nn.Linear(num_features, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear):
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        """Class logits ``(N, num_classes)``."""
        out = F.relu(self.features(x), inplace=True)
        out = flatten(F.adaptive_avg_pool2d(out, (1, 1)), 1)
        return self.classifier(out)


_OLD_KEY = re.compile(r"^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$")


def _load_state_dict(model, weights, progress):
    """Load ``weights``, renaming the checkpoints' old ``norm.1``-style keys to ``norm1``."""
    state_dict = weights.get_state_dict(progress=progress, check_hash=True)
    for key in list(state_dict.keys()):
        res = _OLD_KEY.match(key)
        if res:
            state_dict[res.group(1) + res.group(2)] = state_dict.pop(key)
    model.load_state_dict(state_dict)


def _densenet(growth_rate, block_config, num_init_features, weights, progress, **kwargs):
    if weights is not None:
        _ovewrite_named_param(kwargs, "num_classes", _weights_num_classes(weights))
    model = DenseNet(growth_rate, block_config, num_init_features, **kwargs)
    if weights is not None:
        _load_state_dict(model, weights, progress)
    return model


def _densenet_weights(file, num_params, acc1, acc5, ops, file_size):
    return _imagenet1k("https://download.pytorch.org/models/" + file, num_params, acc1, acc5, ops, file_size,
                       "https://github.com/pytorch/vision/pull/116", min_size=(29, 29))


class DenseNet121_Weights(WeightsEnum):
    """Pretrained weights for :func:`densenet121`."""

    IMAGENET1K_V1 = _densenet_weights("densenet121-a639ec97.pth", 7978856, 74.434, 91.972, 2.834, 30.845)
    DEFAULT = IMAGENET1K_V1


class DenseNet161_Weights(WeightsEnum):
    """Pretrained weights for :func:`densenet161`."""

    IMAGENET1K_V1 = _densenet_weights("densenet161-8d451a50.pth", 28681000, 77.138, 93.56, 7.728, 110.369)
    DEFAULT = IMAGENET1K_V1


class DenseNet169_Weights(WeightsEnum):
    """Pretrained weights for :func:`densenet169`."""

    IMAGENET1K_V1 = _densenet_weights("densenet169-b2777c0a.pth", 14149480, 75.6, 92.806, 3.36, 54.708)
    DEFAULT = IMAGENET1K_V1


class DenseNet201_Weights(WeightsEnum):
    """Pretrained weights for :func:`densenet201`."""

    IMAGENET1K_V1 = _densenet_weights("densenet201-c1103571.pth", 20013928, 76.896, 93.37, 4.291, 77.373)
    DEFAULT = IMAGENET1K_V1


@register_model()
@handle_legacy_interface(weights=("pretrained", DenseNet121_Weights.IMAGENET1K_V1))
def densenet121(*, weights: Optional[DenseNet121_Weights] = None, progress: bool = True, **kwargs) -> DenseNet:
    """DenseNet-121 (`Densely Connected Convolutional Networks <https://arxiv.org/abs/1608.06993>`_).

    ``weights``: a :class:`DenseNet121_Weights` member (or its name), default None (random init);
    ``progress`` is ignored; ``**kwargs`` go to :class:`DenseNet`.
    """
    weights = DenseNet121_Weights.verify(weights)
    return _densenet(32, (6, 12, 24, 16), 64, weights, progress, **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", DenseNet161_Weights.IMAGENET1K_V1))
def densenet161(*, weights: Optional[DenseNet161_Weights] = None, progress: bool = True, **kwargs) -> DenseNet:
    """DenseNet-161; arguments as :func:`densenet121`."""
    weights = DenseNet161_Weights.verify(weights)
    return _densenet(48, (6, 12, 36, 24), 96, weights, progress, **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", DenseNet169_Weights.IMAGENET1K_V1))
def densenet169(*, weights: Optional[DenseNet169_Weights] = None, progress: bool = True, **kwargs) -> DenseNet:
    """DenseNet-169; arguments as :func:`densenet121`."""
    weights = DenseNet169_Weights.verify(weights)
    return _densenet(32, (6, 12, 32, 32), 64, weights, progress, **kwargs)


@register_model()
@handle_legacy_interface(weights=("pretrained", DenseNet201_Weights.IMAGENET1K_V1))
def densenet201(*, weights: Optional[DenseNet201_Weights] = None, progress: bool = True, **kwargs) -> DenseNet:
    """DenseNet-201; arguments as :func:`densenet121`."""
    weights = DenseNet201_Weights.verify(weights)
    return _densenet(32, (6, 12, 48, 32), 64, weights, progress, **kwargs)
