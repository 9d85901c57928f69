"""``torch.utils.data._utils``: the module paths some scripts import collation and worker helpers from."""
from . import collate, worker

__all__ = ["collate", "worker"]
