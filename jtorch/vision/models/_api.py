"""The model registry and pretrained-weights API (``torchvision.models._api``): :class:`Weights`,
:class:`WeightsEnum`, :func:`get_model`, :func:`get_model_builder`, :func:`get_model_weights`,
:func:`get_weight` and :func:`list_models`."""
import fnmatch
import importlib
import inspect
import sys
import typing
from dataclasses import dataclass
from enum import Enum
from functools import partial

from ... import hub

__all__ = ["WeightsEnum", "Weights", "get_model", "get_model_builder", "get_model_weights", "get_weight",
           "list_models"]


@dataclass
class Weights:
    """One set of pretrained weights: where to download them (``url``), the preprocessing they
    expect (``transforms``, a constructor of the eval preset) and their ``meta`` data
    (``num_params``, ``min_size``, accuracy in ``_metrics``...). Unlike torchvision, ``meta`` has
    no ImageNet ``categories`` names (jtorch does not ship them)."""

    url: str
    transforms: typing.Callable
    meta: dict

    def __eq__(self, other):
        """Field-wise equality that treats equal ``functools.partial`` transforms as equal (so enum
        members survive deep copies and pickling, as in torchvision)."""
        if not isinstance(other, Weights):
            return NotImplemented
        if self.url != other.url or self.meta != other.meta:
            return False
        if isinstance(self.transforms, partial) and isinstance(other.transforms, partial):
            return (self.transforms.func == other.transforms.func and self.transforms.args == other.transforms.args
                    and self.transforms.keywords == other.transforms.keywords)
        return self.transforms == other.transforms


class WeightsEnum(Enum):
    """Base class of every model's weights enum (``ResNet18_Weights`` ...); members are
    :class:`Weights` and expose ``url``, ``transforms`` and ``meta`` directly."""

    @classmethod
    def verify(cls, obj):
        """``obj`` as a member of this enum: None stays None, a name (``"IMAGENET1K_V1"`` or
        ``"ResNet18_Weights.IMAGENET1K_V1"``) is looked up; TypeError for another enum's member."""
        if obj is not None:
            if type(obj) is str:
                obj = cls[obj.replace(cls.__name__ + ".", "")]
            elif not isinstance(obj, cls):
                raise TypeError(
                    f"Invalid Weight class provided; expected {cls.__name__} but received {obj.__class__.__name__}.")
        return obj

    def get_state_dict(self, *args, **kwargs):
        """The weights' state dict: loaded from the torch hub cache, or downloaded there first
        (see :func:`jtorch.hub.load_state_dict_from_url`)."""
        return hub.load_state_dict_from_url(self.url, *args, **kwargs)

    def __repr__(self):
        return f"{self.__class__.__name__}.{self._name_}"

    @property
    def url(self):
        """Where the weights are downloaded from."""
        return self.value.url

    @property
    def transforms(self):
        """Constructor of the preprocessing preset the weights expect."""
        return self.value.transforms

    @property
    def meta(self):
        """The weights' meta data (``num_params``, ``min_size``, ``_metrics`` ...)."""
        return self.value.meta


def get_weight(name):
    """The weights enum member named ``name`` (``"ResNet50_Weights.IMAGENET1K_V1"``)."""
    try:
        enum_name, value_name = name.split(".")
    except ValueError:
        raise ValueError(f"Invalid weight name provided: '{name}'.") from None
    base_module = importlib.import_module(sys.modules[__name__].__name__.rsplit(".", 1)[0])
    model_modules = [base_module] + [m for _, m in inspect.getmembers(base_module, inspect.ismodule)
                                     if getattr(m, "__file__", "").endswith("__init__.py")]
    for module in model_modules:
        candidate = module.__dict__.get(enum_name, None)
        if candidate is not None and isinstance(candidate, type) and issubclass(candidate, WeightsEnum):
            return candidate[value_name]
    raise ValueError(f"The weight enum '{enum_name}' for the specific method couldn't be retrieved.")


def get_model_weights(name):
    """The weights enum class of a model builder (given as the function or its registered name)."""
    model = get_model_builder(name) if isinstance(name, str) else name
    return _get_enum_from_fn(model)


def _get_enum_from_fn(fn):
    """The WeightsEnum subclass in the annotation of ``fn``'s ``weights`` parameter."""
    sig = inspect.signature(fn)
    if "weights" not in sig.parameters:
        raise ValueError("The method is missing the 'weights' argument.")
    ann = sig.parameters["weights"].annotation
    if isinstance(ann, type) and issubclass(ann, WeightsEnum):
        return ann
    for t in typing.get_args(ann):
        if isinstance(t, type) and issubclass(t, WeightsEnum):
            return t
    raise ValueError(
        "The WeightsEnum class for the specific method couldn't be retrieved. Make sure the typing info is correct.")


BUILTIN_MODELS = {}


def register_model(name=None):
    """Decorator registering a model builder under ``name`` (default: the function's name)."""

    def wrapper(fn):
        key = name if name is not None else fn.__name__
        if key in BUILTIN_MODELS:
            raise ValueError(f"An entry is already registered under the name '{key}'.")
        BUILTIN_MODELS[key] = fn
        return fn

    return wrapper


def _as_filters(filters):
    return [filters] if isinstance(filters, str) else filters


def list_models(module=None, include=None, exclude=None):
    """Sorted names of the registered models, optionally only those defined in package ``module``
    and filtered by fnmatch patterns ``include`` (union) and ``exclude``."""
    all_models = {k for k, v in BUILTIN_MODELS.items()
                  if module is None or v.__module__.rsplit(".", 1)[0] == module.__name__}
    if include:
        models = set()
        for include_filter in _as_filters(include):
            models = models | set(fnmatch.filter(all_models, include_filter))
    else:
        models = all_models
    if exclude:
        for exclude_filter in _as_filters(exclude):
            models = models - set(fnmatch.filter(all_models, exclude_filter))
    return sorted(models)


def get_model_builder(name):
    """The builder function registered as ``name`` (case-insensitive); ValueError if unknown."""
    name = name.lower()
    try:
        return BUILTIN_MODELS[name]
    except KeyError:
        raise ValueError(f"Unknown model {name}") from None


def get_model(name, **config):
    """A model built by the builder registered as ``name`` with keyword arguments ``config``."""
    return get_model_builder(name)(**config)
