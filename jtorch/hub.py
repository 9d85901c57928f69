"""``torch.hub``: the checkpoint cache and download for pretrained weights
(``load_state_dict_from_url``, ``get_dir``). Loading hub repositories (``torch.hub.load``) is not
supported: it needs code from the network.

Same cache layout as torch.hub, so files torch downloaded are found here too:
``$TORCH_HOME/hub/checkpoints/<file name>`` (``TORCH_HOME`` defaults to
``$XDG_CACHE_HOME/torch``, itself defaulting to ``~/.cache/torch``). A cached file is loaded from
disk without any network access; that is how an offline machine gets pretrained weights. A missing
file is downloaded with short timeouts (see :mod:`jtorch.vision.datasets.utils`): when that fails
(offline), a ``RuntimeError`` says so within seconds, naming the URL and where to put the file.
There is no progress bar (``progress`` is accepted and ignored), and checkpoints in PyTorch's
legacy (pre-1.6, non-zip) format raise NotImplementedError naming the file (:func:`jtorch.load`
cannot read them; re-save them once with real PyTorch).
"""
import hashlib
import os
import re
import urllib.parse

from .serialization import load as _load
from .vision.datasets.utils import download_url

__all__ = ["get_dir", "load_state_dict_from_url", "load"]

_HASH_REGEX = re.compile(r"-([a-f0-9]*)\.")


def get_dir():
    """torch.hub's cache directory: ``$TORCH_HOME/hub`` (default ``~/.cache/torch/hub``)."""
    torch_home = os.getenv("TORCH_HOME", os.path.join(os.getenv("XDG_CACHE_HOME", "~/.cache"), "torch"))
    return os.path.join(os.path.expanduser(torch_home), "hub")


def _sha256(path, chunk_size=1024 * 1024):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def _download(url, model_dir, filename, hash_prefix):
    """Download ``url`` to ``model_dir/filename``; RuntimeError (within seconds when offline) if
    that fails, or if the file's sha256 does not start with ``hash_prefix``."""
    cached_file = os.path.join(model_dir, filename)
    try:
        download_url(url, model_dir, filename)
    except RuntimeError as e:
        reason = e.__cause__ if e.__cause__ is not None else e
        raise RuntimeError(f"Could not download pretrained weights from {url}: {reason}. Is this machine offline? "
                           f"Construct the model with weights=None (random initialisation), or download the file "
                           f"elsewhere and put it at {cached_file}") from e
    if hash_prefix:
        digest = _sha256(cached_file)
        if digest[:len(hash_prefix)] != hash_prefix:
            os.remove(cached_file)
            raise RuntimeError(f'invalid hash value (expected "{hash_prefix}", got "{digest}")')


def load_state_dict_from_url(url, model_dir=None, map_location=None, progress=True, check_hash=False,
                             file_name=None, weights_only=False):
    """The object saved at ``url``, from the hub cache (``model_dir``, default
    ``get_dir()/checkpoints``) or downloaded into it first, loaded with :func:`jtorch.load`.

    ``check_hash`` verifies a fresh download against the sha256 prefix in the file name
    (``name-<prefix>.pth``), as torch.hub does; cached files are trusted.
    """
    if model_dir is None:
        model_dir = os.path.join(get_dir(), "checkpoints")
    os.makedirs(model_dir, exist_ok=True)
    filename = file_name if file_name is not None else os.path.basename(urllib.parse.urlparse(url).path)
    cached_file = os.path.join(model_dir, filename)
    if not os.path.exists(cached_file):
        match = _HASH_REGEX.search(filename) if check_hash else None
        _download(url, model_dir, filename, match.group(1) if match else None)
    try:
        return _load(cached_file, map_location=map_location, weights_only=weights_only)
    except NotImplementedError as e:
        raise NotImplementedError(f"{cached_file}: {e} (with real PyTorch: torch.save(torch.load(path), path))") from e


def load(repo_or_dir, model, *args, **kwargs):
    """``torch.hub.load`` is not supported: it runs model code fetched from a repository."""
    raise NotImplementedError(f"jtorch.hub.load({repo_or_dir!r}, {model!r}) is not supported: it runs code from a hub "
                              "repository. Build the model from jtorch.vision.models (or your own code) and load "
                              "weights with jtorch.hub.load_state_dict_from_url.")
