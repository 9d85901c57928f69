"""Anomaly detection switches. Accepted for compatibility: jtorch records no forward traces,
so enabling it changes nothing but ``is_anomaly_enabled()``."""

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled"]

_state = {"enabled": False}


def is_anomaly_enabled():
    """Whether anomaly detection was switched on."""
    return _state["enabled"]


class set_detect_anomaly:
    """Switch anomaly detection on or off (a context manager, also effective at once)."""

    def __init__(self, mode, check_nan=True):
        self._prev = _state["enabled"]
        _state["enabled"] = bool(mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _state["enabled"] = self._prev


class detect_anomaly(set_detect_anomaly):
    """Context manager enabling anomaly detection for its block."""

    def __init__(self, check_nan=True):
        super().__init__(True, check_nan)
