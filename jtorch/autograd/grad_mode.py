"""Grad-mode switches: no_grad, enable_grad, set_grad_enabled, inference_mode.

Differs from PyTorch: the mode is process-wide, not thread-local, and inference_mode is
no_grad (tensors made under it are ordinary tensors that do not require grad).
"""
import functools

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
           "is_inference_mode_enabled"]


from .._grad_state import MODE

_Mode = MODE


def is_grad_enabled():
    """Whether operations record autograd history now."""
    return _Mode.grad_enabled


def is_inference_mode_enabled():
    """Whether an ``inference_mode`` block is active."""
    return _Mode.inference


class _GradModeContext:
    """Base of the grad-mode context managers; usable as decorators too."""

    _target = True

    def __enter__(self):
        self._prev = _Mode.grad_enabled
        _Mode.grad_enabled = self._target

    def __exit__(self, *exc):
        _Mode.grad_enabled = self._prev

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return fn(*args, **kwargs)
        return wrapper

    def clone(self):
        return self.__class__()


class no_grad(_GradModeContext):
    """Disable gradient recording inside the block (or the decorated function)."""

    _target = False

    def __init__(self, orig_func=None):
        if orig_func is not None and not callable(orig_func):
            raise TypeError("no_grad() takes no positional arguments")


class enable_grad(_GradModeContext):
    """Enable gradient recording inside the block (or the decorated function)."""

    _target = True


class set_grad_enabled(_GradModeContext):
    """Set grad mode to ``mode``; takes effect at once, and as a context manager restores it."""

    def __init__(self, mode):
        self._prev = _Mode.grad_enabled
        self._target = bool(mode)
        _Mode.grad_enabled = self._target

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _Mode.grad_enabled = self._prev

    def __call__(self, fn):
        _Mode.grad_enabled = self._prev
        target = self._target

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(target):
                return fn(*args, **kwargs)
        return wrapper

    def clone(self):
        return set_grad_enabled(self._target)


class inference_mode(_GradModeContext):
    """Like ``no_grad`` (``mode=False`` makes it a no-op); see the module note."""

    def __init__(self, mode=True):
        self._mode = mode
        self._target = False if mode else _Mode.grad_enabled

    def __enter__(self):
        self._prev = _Mode.grad_enabled
        self._prev_inf = _Mode.inference
        if self._mode:
            _Mode.grad_enabled = False
            _Mode.inference = True

    def __exit__(self, *exc):
        _Mode.grad_enabled = self._prev
        _Mode.inference = self._prev_inf

    def __call__(self, fn):
        mode = self._mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(mode):
                return fn(*args, **kwargs)
        return wrapper

    def clone(self):
        return inference_mode(self._mode)
