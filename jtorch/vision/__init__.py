"""``torchvision`` on jtorch: ``datasets``, ``transforms``, ``utils`` and the classification
``models`` (``python -m jtorch`` aliases ``import torchvision`` to this package). Only the PIL image
backend exists; there is no ``io`` or ``ops``."""
from . import datasets, models, transforms, utils

__all__ = ["datasets", "models", "transforms", "utils", "get_image_backend", "set_image_backend", "__version__"]

__version__ = "0.28.0+jtorch"

def get_image_backend():
    """The image backend: always ``'PIL'``."""
    return "PIL"


def set_image_backend(backend):
    """Select the image backend; only ``'PIL'`` is available (torchvision also knows ``'accimage'``)."""
    if backend not in ["PIL", "accimage"]:
        raise ValueError(f"Invalid backend '{backend}'. Options are 'PIL' and 'accimage'")
    if backend != "PIL":
        raise ValueError("jtorch.vision supports only the 'PIL' image backend; accimage is not available")
