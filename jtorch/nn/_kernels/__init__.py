"""The kernels behind ``jtorch.nn.functional``, one module per family.

Each family module holds the torch-level argument checks (PyTorch's errors) and the Ops (pure
jnp kernels run through :class:`jtorch._ops.dispatch.Op`); ``jtorch.nn.functional`` re-exports
the public functions.
"""
