"""Helpers shared by the model builders (``torchvision.models._utils``): the legacy ``pretrained=``
keyword, keyword overrides, channel rounding and :class:`IntermediateLayerGetter`."""
import functools
import inspect
import warnings
from collections import OrderedDict
from functools import partial

from ... import nn
from ._api import Weights, WeightsEnum
from ._presets import ImageClassification

__all__ = ["IntermediateLayerGetter"]

_IMAGENET_NUM_CLASSES = 1000


def _sequence_to_str(seq, separate_last=""):
    """``'a', 'b' and 'c'``: the items quoted, the last one joined by ``separate_last``."""
    if not seq:
        return ""
    if len(seq) == 1:
        return f"'{seq[0]}'"
    head = "'" + "', '".join([str(item) for item in seq[:-1]]) + "'"
    tail = f"{'' if separate_last and len(seq) == 2 else ','} {separate_last}'{seq[-1]}'"
    return head + tail


class IntermediateLayerGetter(nn.ModuleDict):
    """The children of ``model`` up to the last one named in ``return_layers``, run in order;
    ``forward`` returns an ``OrderedDict`` of the outputs of the children named in
    ``return_layers`` (keyed by their new names). Only direct children can be returned, and they
    must be registered in the order the model uses them."""

    _version = 2

    def __init__(self, model, return_layers):
        if not set(return_layers).issubset([name for name, _ in model.named_children()]):
            raise ValueError("return_layers are not present in model")
        orig_return_layers = return_layers
        remaining = {str(k): str(v) for k, v in return_layers.items()}
        layers = OrderedDict()
        for name, module in model.named_children():
            layers[name] = module
            remaining.pop(name, None)
            if not remaining:
                break
        super().__init__(layers)
        self.return_layers = orig_return_layers

    def forward(self, x):
        """Run the kept children in order, collecting the requested outputs."""
        out = OrderedDict()
        for name, module in self.items():
            x = module(x)
            if name in self.return_layers:
                out[self.return_layers[name]] = x
        return out


def _make_divisible(v, divisor, min_value=None):
    """``v`` rounded to the nearest multiple of ``divisor`` (at least ``min_value``, default
    ``divisor``), never more than 10% below ``v`` (the MobileNet channel rule)."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def kwonly_to_pos_or_kw(fn):
    """Let ``fn``'s keyword-only parameters also be passed positionally, with a deprecation
    warning (as torchvision does for the builders' ``weights``/``progress``)."""
    params = inspect.signature(fn).parameters
    try:
        start = next(i for i, p in enumerate(params.values()) if p.kind == p.KEYWORD_ONLY)
    except StopIteration:
        raise TypeError(f"Found no keyword-only parameter on function '{fn.__name__}'") from None
    keyword_only_params = tuple(params)[start:]

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        args, keyword_only_args = args[:start], args[start:]
        if keyword_only_args:
            keyword_only_kwargs = dict(zip(keyword_only_params, keyword_only_args))
            warnings.warn(
                f"Using {_sequence_to_str(tuple(keyword_only_kwargs.keys()), separate_last='and ')} as positional "
                f"parameter(s) is deprecated since 0.13 and may be removed in the future. Please use keyword "
                f"parameter(s) instead.")
            kwargs.update(keyword_only_kwargs)
        return fn(*args, **kwargs)

    return wrapper


def _legacy_weights(kwargs, weights_param, pretrained_param, default, builder_name):
    """Rewrite a legacy ``pretrained=`` (or positional) argument in ``kwargs`` into ``weights=``,
    warning as torchvision does."""
    sentinel = object()
    weights_arg = kwargs.get(weights_param, sentinel)
    if ((weights_param not in kwargs and pretrained_param not in kwargs) or isinstance(weights_arg, WeightsEnum)
            or (isinstance(weights_arg, str) and weights_arg != "legacy") or weights_arg is None):
        return
    pretrained_positional = weights_arg is not sentinel
    if pretrained_positional:
        kwargs[pretrained_param] = pretrained_arg = kwargs.pop(weights_param)
    else:
        pretrained_arg = kwargs[pretrained_param]
    if pretrained_arg:
        default_weights_arg = default(kwargs) if callable(default) else default
        if not isinstance(default_weights_arg, WeightsEnum):
            raise ValueError(f"No weights available for model {builder_name}")
    else:
        default_weights_arg = None
    if not pretrained_positional:
        warnings.warn(f"The parameter '{pretrained_param}' is deprecated since 0.13 and may be removed in the "
                      f"future, please use '{weights_param}' instead.")
    msg = (f"Arguments other than a weight enum or `None` for '{weights_param}' are deprecated since 0.13 and may "
           f"be removed in the future. The current behavior is equivalent to passing "
           f"`{weights_param}={default_weights_arg}`.")
    if pretrained_arg:
        msg = (f"{msg} You can also use `{weights_param}={type(default_weights_arg).__name__}.DEFAULT` to get the "
               f"most up-to-date weights.")
    warnings.warn(msg)
    del kwargs[pretrained_param]
    kwargs[weights_param] = default_weights_arg


def handle_legacy_interface(**weights):
    """Decorate a builder so that the pre-0.13 interface still works: positional arguments
    (deprecated) and ``pretrained=True/False`` mapped to ``weights=<default enum>/None`` with
    torchvision's deprecation warnings. ``weights`` maps each weights parameter to
    ``(legacy_name, default)``, ``default`` an enum member or a callable of the kwargs."""

    def outer_wrapper(builder):
        @kwonly_to_pos_or_kw
        @functools.wraps(builder)
        def inner_wrapper(*args, **kwargs):
            for weights_param, (pretrained_param, default) in weights.items():
                _legacy_weights(kwargs, weights_param, pretrained_param, default, builder.__name__)
            return builder(*args, **kwargs)

        return inner_wrapper

    return outer_wrapper


def _ovewrite_named_param(kwargs, param, new_value):
    """Set ``kwargs[param] = new_value``; ValueError if the caller passed a different value."""
    if param in kwargs:
        if kwargs[param] != new_value:
            raise ValueError(f"The parameter '{param}' expected value {new_value} but got {kwargs[param]} instead.")
    else:
        kwargs[param] = new_value


def _ovewrite_value_param(param, actual, expected):
    """``expected``; ValueError if ``actual`` is given and differs."""
    if actual is not None:
        if actual != expected:
            raise ValueError(f"The parameter '{param}' expected value {expected} but got {actual} instead.")
    return expected


def _weights_num_classes(weights):
    """The number of classes ``weights`` were trained for, or None for headless (feature) weights.

    torchvision reads ``len(weights.meta["categories"])``; jtorch ships no ImageNet category names,
    so every classification weight here is an ImageNet-1K one with 1000 classes, and feature-only
    weights carry ``meta["categories"] = None`` as in torchvision."""
    if "categories" in weights.meta and weights.meta["categories"] is None:
        return None
    return len(weights.meta["categories"]) if "categories" in weights.meta else _IMAGENET_NUM_CLASSES


def _load_weights(model, weights, progress, check_hash=True):
    """Load ``weights``' state dict (from the hub cache, or downloaded into it) into ``model``."""
    model.load_state_dict(weights.get_state_dict(progress=progress, check_hash=check_hash))
    return model


def _imagenet1k(url, num_params, acc1, acc5, ops, file_size, recipe, *, crop_size=224, resize_size=256,
                min_size=(1, 1), **transform_kwargs):
    """The :class:`Weights` of an ImageNet-1K classifier: ``url``, the ``ImageClassification``
    eval preset and torchvision's meta data (``num_params``, ``min_size``, ``recipe``, accuracy
    under ``_metrics``, GFLOPs ``_ops`` and ``_file_size`` in MB)."""
    return Weights(url=url,
                   transforms=partial(ImageClassification, crop_size=crop_size, resize_size=resize_size,
                                      **transform_kwargs),
                   meta={"min_size": min_size, "num_params": num_params, "recipe": recipe,
                         "_metrics": {"ImageNet-1K": {"acc@1": acc1, "acc@5": acc5}}, "_ops": ops,
                         "_file_size": file_size})
