"""Building blocks torchvision keeps in ``torchvision.ops.misc`` and the MobileNets use:
:class:`Conv2dNormActivation` and :class:`SqueezeExcitation` (same module names, so the same
state_dict keys and reprs)."""
from ... import nn

__all__ = ["Conv2dNormActivation", "SqueezeExcitation"]


def _same_padding(kernel_size, dilation):
    """The padding that keeps the spatial size at stride 1: ``(k - 1) // 2 * d`` per dimension."""
    if isinstance(kernel_size, int) and isinstance(dilation, int):
        return (kernel_size - 1) // 2 * dilation
    dims = len(kernel_size) if not isinstance(kernel_size, int) else len(dilation)
    kernel_size = (kernel_size,) * dims if isinstance(kernel_size, int) else tuple(kernel_size)
    dilation = (dilation,) * dims if isinstance(dilation, int) else tuple(dilation)
    return tuple((k - 1) // 2 * d for k, d in zip(kernel_size, dilation))


class Conv2dNormActivation(nn.Sequential):
    """``Conv2d`` -> norm layer (default ``BatchNorm2d``; None for none) -> activation (default
    ``ReLU``; None for none), as children ``0``, ``1``, ``2``. ``padding`` defaults to "same" size
    at stride 1; the convolution has a bias only when there is no norm layer (unless ``bias`` is
    given). ``inplace`` is passed to the activation unless None."""

    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=None, groups=1,
                 norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU, dilation=1, inplace=True, bias=None):
        if padding is None:
            padding = _same_padding(kernel_size, dilation)
        if bias is None:
            bias = norm_layer is None
        layers = [nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation=dilation, groups=groups,
                            bias=bias)]
        if norm_layer is not None:
            layers.append(norm_layer(out_channels))
        if activation_layer is not None:
            params = {} if inplace is None else {"inplace": inplace}
            layers.append(activation_layer(**params))
        super().__init__(*layers)
        self.out_channels = out_channels


class SqueezeExcitation(nn.Module):
    """Squeeze-and-Excitation: the input scaled channel-wise by
    ``scale_activation(fc2(activation(fc1(avgpool(x)))))`` (``fc1``/``fc2`` are 1x1 convolutions)."""

    def __init__(self, input_channels, squeeze_channels, activation=nn.ReLU, scale_activation=nn.Sigmoid):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(input_channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, input_channels, 1)
        self.activation = activation()
        self.scale_activation = scale_activation()

    def _scale(self, x):
        scale = self.avgpool(x)
        scale = self.fc1(scale)
        scale = self.activation(scale)
        scale = self.fc2(scale)
        return self.scale_activation(scale)

    def forward(self, x):
        """``x`` times its per-channel excitation."""
        return self._scale(x) * x
