"""``torchvision.transforms._presets``: the weights' preprocessing presets (defined with the models)."""
from ..models._presets import *  # noqa: F401,F403
from ..models._presets import __all__  # noqa: F401
