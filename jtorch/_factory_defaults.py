"""Process-wide defaults for factory functions: the default device."""
from ._device import CPU

_state = {"device": CPU}


def get_device():
    return _state["device"]


def set_device(d):
    """Set the default device; returns the previous one."""
    prev = _state["device"]
    _state["device"] = d
    return prev
