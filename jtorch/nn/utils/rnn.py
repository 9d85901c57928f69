"""Variable-length sequence utilities: PackedSequence, pack/pad/unpad helpers.

The packed layout is PyTorch's: ``data`` holds, for each time step t, the first
``batch_sizes[t]`` batch entries (sequences sorted by decreasing length), and ``batch_sizes``
is an int64 CPU tensor. Lengths must be concrete values (they fix the output shapes), as in
PyTorch where they live on the CPU; packing and padding are gathers, so gradients flow to the
input data.
"""
from collections import namedtuple
from collections.abc import Iterable

import numpy as np

from ... import _dtype as D
from ..._ops.creation import arange, as_tensor, empty_like, full, tensor
from ..._ops.shape import cat, stack
from ..._tensor import Tensor

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
           "unpad_sequence", "pack_sequence", "unpack_sequence"]

PackedSequence_ = namedtuple("PackedSequence_", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])


def _bind(optional, fn):
    return None if optional is None else fn(optional)


class PackedSequence(PackedSequence_):
    """A packed batch of variable-length sequences (made by :func:`pack_padded_sequence` or
    :func:`pack_sequence`; consumed by the recurrent layers)."""

    __module__ = "jtorch.nn.utils.rnn"

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        return super().__new__(cls, *_packed_sequence_init_args(data, batch_sizes, sorted_indices, unsorted_indices))

    def pin_memory(self):
        """Self (pinned memory has no meaning here)."""
        return self

    def to(self, *args, **kwargs):
        """``data.to(...)``; the index tensors follow data's device."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        sorted_indices = _bind(self.sorted_indices, lambda t: t.to(data.device))
        unsorted_indices = _bind(self.unsorted_indices, lambda t: t.to(data.device))
        return type(self)(data, self.batch_sizes, sorted_indices, unsorted_indices)

    def cuda(self, *args, **kwargs):
        """Move data to a GPU."""
        kwargs.setdefault("device", "cuda")
        return self.to(*args, **kwargs)

    def cpu(self, *args, **kwargs):
        """Move data to the CPU."""
        kwargs.setdefault("device", "cpu")
        return self.to(*args, **kwargs)

    def double(self):
        return self.to(dtype=D.float64)

    def float(self):
        return self.to(dtype=D.float32)

    def half(self):
        return self.to(dtype=D.float16)

    def long(self):
        return self.to(dtype=D.int64)

    def int(self):
        return self.to(dtype=D.int32)

    def short(self):
        return self.to(dtype=D.int16)

    def char(self):
        return self.to(dtype=D.int8)

    def byte(self):
        return self.to(dtype=D.uint8)

    @property
    def is_cuda(self):
        """Whether data is on a GPU."""
        return self.data.is_cuda

    def is_pinned(self):
        """False: jtorch has no pinned memory."""
        return False


def _packed_sequence_init_args(data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
    if unsorted_indices is None:
        unsorted_indices = invert_permutation(sorted_indices)
    if batch_sizes is not None:
        if batch_sizes.device.type != "cpu":
            raise ValueError("batch_sizes should always be on CPU. Instances of PackedSequence should never be created "
                             "manually. They should be instantiated by functions like pack_sequence and "
                             "pack_padded_sequences in nn.utils.rnn. "
                             "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence")
        return data, batch_sizes, sorted_indices, unsorted_indices
    if not (isinstance(data, (list, tuple)) and len(data) == 2):
        raise AssertionError("Expected data to be a list or tuple of length 2")
    return data[0], data[1], sorted_indices, unsorted_indices


def invert_permutation(permutation):
    """The inverse of an index permutation (None for None)."""
    if permutation is None:
        return None
    output = empty_like(permutation)
    output.scatter_(0, permutation, arange(0, permutation.numel(), device=permutation.device))
    return output


def _host_lengths(lengths):
    """``lengths`` (a concrete tensor) as a numpy int64 vector, with PyTorch's check on its rank."""
    if lengths.ndim != 1:
        raise RuntimeError(f"'lengths' argument should be a 1D CPU int64 tensor, but got {lengths.ndim}D "
                           f"{lengths.device} Long tensor")
    return np.asarray(lengths.detach()._read()).astype(np.float64).astype(np.int64)


def _check_lengths(lens, batch_size, max_len):
    if lens.shape[0] != batch_size:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {lens.shape[0]} "
                           f"(batch_size={batch_size})")
    if lens[batch_size - 1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' that "
                           "is <= 0")
    if np.any(lens[1:] > lens[:-1]):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can "
                           "pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this "
                           "requirement if you do not need ONNX exportability.")
    if lens[0] > max_len:
        raise RuntimeError(f"the longest length in 'lengths' ({lens[0]}) exceeds the padded sequence length "
                           f"({max_len})")


def _pack(input, lens):
    """(data, batch_sizes) from a time-major padded ``input`` and sorted lengths."""
    steps, batch = input.shape[0], input.shape[1]
    _check_lengths(lens, batch, steps)
    batch_sizes = (lens[None, :] > np.arange(int(lens[0]))[:, None]).sum(1)
    rows = np.concatenate([t * batch + np.arange(b) for t, b in enumerate(batch_sizes)])
    flat = input.reshape((steps * batch,) + tuple(input.shape[2:]))
    data = flat.index_select(0, tensor(rows, dtype=D.int64))
    return data, tensor(batch_sizes.astype(np.int64))


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded batch (T x B x * or B x T x * with ``batch_first``) of sequences with the
    given ``lengths``; with ``enforce_sorted=False`` the batch is sorted by length first and the
    permutation is recorded in the result."""
    if not isinstance(lengths, Tensor):
        lengths = as_tensor(lengths, dtype=D.int64, device="cpu")
    lens = _host_lengths(lengths)
    if enforce_sorted:
        sorted_indices = None
    else:
        order = np.argsort(-lens, kind="stable")
        lens = lens[order]
        sorted_indices = tensor(order, device=input.device)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    if batch_first:
        input = input.transpose(0, 1)
    if input.numel() == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    data, batch_sizes = _pack(input, lens)
    return PackedSequence(data, batch_sizes, sorted_indices, None)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Undo :func:`pack_padded_sequence`: (padded batch, lengths), padded with
    ``padding_value`` to ``total_length`` steps if given, in the original batch order."""
    max_seq_length = sequence.batch_sizes.size(0)
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError("Expected total_length to be at least the length of the longest sequence in input, but "
                             f"got total_length={total_length} and max sequence length being {max_seq_length}")
        max_seq_length = total_length
    padded_output, lengths = _pad_packed(sequence.data, sequence.batch_sizes, batch_first, padding_value,
                                         max_seq_length)
    unsorted_indices = sequence.unsorted_indices
    if unsorted_indices is not None:
        batch_dim = 0 if batch_first else 1
        return padded_output.index_select(batch_dim, unsorted_indices), lengths[unsorted_indices.cpu()]
    return padded_output, lengths


def _pad_packed(data, batch_sizes, batch_first, padding_value, total_length):
    bs = np.asarray(batch_sizes._read()).astype(np.int64)
    batch = int(bs[0])
    rest = tuple(data.shape[1:])
    pad_row = data.shape[0]
    index = np.full((total_length, batch), pad_row, dtype=np.int64)
    offset = 0
    for t, b in enumerate(bs):
        index[t, :b] = np.arange(offset, offset + b)
        offset += b
    if batch_first:
        index = index.T
    source = cat([data, full((1,) + rest, padding_value, dtype=data.dtype, device=data.device)])
    out = source.index_select(0, tensor(index.reshape(-1))).reshape(index.shape + rest)
    lengths = (bs[:, None] > np.arange(batch)[None, :]).sum(0)
    return out, tensor(lengths.astype(np.int64))


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack variable-length sequences (each L_i x *) into one padded tensor (max_L x B x *,
    or B x max_L x * with ``batch_first``), padding on ``padding_side``; the dtype is the first
    sequence's."""
    if not isinstance(sequences, Iterable):
        raise RuntimeError(f"pad_sequence: Expected iterable for input sequences, but got arg of type: "
                           f"{type(sequences)}")
    sequences = tuple(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    first = sequences[0]
    max_len = max(s.size(0) for s in sequences)
    trailing = tuple(first.shape[1:])
    padded = []
    for s in sequences:
        if tuple(s.shape[1:]) != trailing:
            dim = next(i for i, (a, b) in enumerate(zip(s.shape[1:], trailing)) if a != b) + 1
            raise RuntimeError(f"The size of tensor a ({trailing[dim - 1]}) must match the size of tensor b "
                               f"({s.shape[dim]}) at non-singleton dimension {dim}")
        s = s.to(first.dtype)
        n = max_len - s.size(0)
        if n:
            fill = full((n,) + trailing, padding_value, dtype=first.dtype, device=s.device)
            s = cat([s, fill] if padding_side == "right" else [fill, s])
        padded.append(s)
    return stack(padded, 0 if batch_first else 1)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """The list of sequences (each trimmed to its length) from a padded batch.

    Like PyTorch, transposes ``padded_sequences`` in place when ``batch_first`` is False.
    """
    if not batch_first:
        padded_sequences.transpose_(0, 1)
    lens = np.asarray(lengths.detach()._read()).astype(np.int64)
    return [seq[:int(n)] for seq, n in zip(padded_sequences, lens)]


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of variable-length sequences (each L_i x *)."""
    lengths = as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences):
    """The list of sequences packed in ``packed_sequences``."""
    padded_sequences, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded_sequences, lengths, batch_first=True)
