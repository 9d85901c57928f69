"""Reading the CIFAR "python version" batch files (Python-2 era pickles of dicts of numpy arrays)."""
import pickle

import numpy as np

__all__ = ["load_batch", "text_list"]

_NUMPY_CORE = "numpy._core" if int(np.__version__.split(".")[0]) >= 2 else "numpy.core"
_ALLOWED = {
    ("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"),
}


class _BatchUnpickler(pickle.Unpickler):
    """Unpickles only numpy arrays/scalars and plain Python data.

    ``numpy.core`` (numpy 1.x pickles) and ``numpy._core`` (numpy 2.x pickles) are both read,
    under whichever name this numpy has.
    """

    def find_class(self, module, name):
        canonical = module.replace("numpy._core", "numpy.core", 1)
        if (canonical, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"CIFAR batch files hold only numpy arrays and Python data; refusing to "
                                         f"load the global {module}.{name}")
        return super().find_class(canonical.replace("numpy.core", _NUMPY_CORE, 1), name)


def _text(value):
    return value.decode("latin1") if isinstance(value, bytes) else value


def load_batch(path):
    """The dict in a CIFAR batch/meta file, with str keys whether the file has str or bytes keys."""
    with open(path, "rb") as f:
        entry = _BatchUnpickler(f, encoding="latin1").load()
    return {_text(key): value for key, value in entry.items()}


def text_list(values):
    """A list of names as str (the meta file may store them as bytes)."""
    return [_text(v) for v in values]
