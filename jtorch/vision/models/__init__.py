"""``torchvision.models``: the classification models with torchvision's architectures, module
names (so state_dict keys), initialisation, builders and weights enums, plus the model registry
(:func:`get_model`, :func:`list_models`...). Pretrained weights come from the torch hub cache
(``$TORCH_HOME/hub/checkpoints``) or are downloaded there; weights ``meta`` has no ImageNet
``categories`` names. Not provided: the detection, segmentation, video, optical-flow and
quantization sub-packages, and the classification families Inception v3, EfficientNet, RegNet,
ConvNeXt, MNASNet, ViT, Swin and MaxViT."""
from .alexnet import *  # noqa: F401,F403
from .densenet import *  # noqa: F401,F403
from .googlenet import *  # noqa: F401,F403
from .mobilenet import *  # noqa: F401,F403
from .resnet import *  # noqa: F401,F403
from .shufflenetv2 import *  # noqa: F401,F403
from .squeezenet import *  # noqa: F401,F403
from .vgg import *  # noqa: F401,F403
from ._api import Weights, WeightsEnum, get_model, get_model_builder, get_model_weights, get_weight, list_models
