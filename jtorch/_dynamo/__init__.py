"""``torch._dynamo``: the names scripts commonly touch. ``config`` accepts any setting (they
select nothing here: jtorch.compile traces with JAX); ``reset`` forgets compiled programs."""
import types

from ..compiler import reset

__all__ = ["config", "reset"]

config = types.SimpleNamespace(suppress_errors=False, cache_size_limit=8, verbose=False,
                               capture_scalar_outputs=False, optimize_ddp=True)
