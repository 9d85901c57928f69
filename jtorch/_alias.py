"""Import aliasing: make ``import torch`` / ``import torch.nn.functional as F`` /
``import torchvision`` resolve to jtorch's modules (used by ``python -m jtorch``)."""
import importlib
import importlib.abc
import importlib.util
import sys

__all__ = ["install", "ALIASES"]

ALIASES = {"torch": "jtorch", "torchvision": "jtorch.vision"}


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target):
        self.target = target

    def create_module(self, spec):
        return importlib.import_module(self.target)

    def exec_module(self, module):
        pass


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Resolves ``torch[.x]`` to ``jtorch[.x]`` (and ``torchvision`` to ``jtorch.vision``)."""

    def find_spec(self, fullname, path=None, target=None):
        head, _, rest = fullname.partition(".")
        base = ALIASES.get(head)
        if base is None:
            return None
        real = base + ("." + rest if rest else "")
        if importlib.util.find_spec(real) is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(real))


def install():
    """Alias torch/torchvision to jtorch for every later import in this process."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        for name in list(sys.modules):
            if name.split(".")[0] in ALIASES:
                raise RuntimeError(f"{name} is already imported; jtorch can only alias it before the first import")
        sys.meta_path.insert(0, _AliasFinder())
