"""AlexNet (``torchvision.models.alexnet``), the "one weird trick" variant torchvision ships."""
from typing import Optional

from ... import flatten, nn
from ._api import WeightsEnum, register_model
from ._utils import (_imagenet1k, _load_weights, _ovewrite_named_param, _weights_num_classes,
                     handle_legacy_interface)

__all__ = ["AlexNet", "AlexNet_Weights", "alexnet"]


class AlexNet(nn.Module):
    """AlexNet: five convolutions (64-192-384-256-256) with max-pools, a 6x6 adaptive average pool
    and a 3-layer classifier with ``Dropout(dropout)``. PyTorch's default layer initialisation."""

    def __init__(self, num_classes=1000, dropout=0.5):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2))
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(p=dropout), nn.Linear(4096, 4096), nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes))

    def forward(self, x):
        """Class logits ``(N, num_classes)``; inputs must be at least 63x63."""
        x = self.avgpool(self.features(x))
        return self.classifier(flatten(x, 1))


class AlexNet_Weights(WeightsEnum):
    """Pretrained weights for :func:`alexnet`."""

    IMAGENET1K_V1 = _imagenet1k("https://download.pytorch.org/models/alexnet-owt-7be5be79.pth", 61100840, 56.522,
                                79.066, 0.714, 233.087,
                                "https://github.com/pytorch/vision/tree/main/references/classification#alexnet-and-vgg",
                                min_size=(63, 63))
    DEFAULT = IMAGENET1K_V1


@register_model()
@handle_legacy_interface(weights=("pretrained", AlexNet_Weights.IMAGENET1K_V1))
def alexnet(*, weights: Optional[AlexNet_Weights] = None, progress: bool = True, **kwargs) -> AlexNet:
    """AlexNet (`One weird trick for parallelizing CNNs <https://arxiv.org/abs/1404.5997>`_).

    ``weights``: an :class:`AlexNet_Weights` member (or its name), default None (random init);
    ``progress`` is ignored; ``**kwargs`` go to :class:`AlexNet`.
    """
    weights = AlexNet_Weights.verify(weights)
    if weights is not None:
        _ovewrite_named_param(kwargs, "num_classes", _weights_num_classes(weights))
    model = AlexNet(**kwargs)
    if weights is not None:
        _load_weights(model, weights, progress)
    return model
