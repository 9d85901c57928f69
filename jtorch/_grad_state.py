"""The grad-mode flags, in a module with no imports so every layer can read them cheaply."""


class MODE:
    """Process-wide autograd switches (read on every op)."""

    grad_enabled = True
    inference = False
