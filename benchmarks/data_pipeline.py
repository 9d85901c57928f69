"""DataLoader throughput: jtorch vs torch on CIFAR-10-sized in-memory data.

Run: python benchmarks/data_pipeline.py [--samples N] [--repeat R]

50000 x 32 x 32 x 3 uint8 images with int labels go through ToTensor + Normalize +
RandomHorizontalFlip at batch 4 and 64, num_workers 0 and 2, shuffled. Peers, in one process:
- torch: torch's DataLoader over a dataset shaped like torchvision's CIFAR10 (``__getitem__``
  makes a PIL image, then the transforms). torchvision has no CPU wheel here, so its three
  transforms are re-implemented on torch with torchvision's code paths (PIL -> uint8 tensor ->
  float / 255; ``sub_``/``div_`` by mean and std; ``torch.rand(1) < p`` then ``flip(-1)``).
- jtorch: ``jtorch.vision.datasets.CIFAR10`` over the same arrays with ``jtorch.vision``'s
  transforms and jtorch's DataLoader: the batched fast path (no user code in the dataset).
- jtorch per-sample: the same through a one-line wrapper dataset (user code), which forces the
  per-sample path (PIL image per sample, workers when num_workers > 0).
Prints samples/s (median of ``repeat`` passes over ``samples`` samples each, after one warm-up
batch) and jtorch's ratio to torch. jtorch's batches are host-backed tensors: their numpy data
becomes a device array when the first op uses it (a jit argument conversion, ~4 us per batch here).
"""
import argparse
import statistics
import time
import warnings

import numpy as np
import torch
import torch.utils.data as tdata
from PIL import Image

import jtorch.utils.data as jdata
from jtorch.vision import datasets as jdatasets
from jtorch.vision import transforms as jtransforms

MEAN, STD = (0.4914, 0.4822, 0.4465), (0.247, 0.243, 0.261)


class TorchToTensor:
    """torchvision's ToTensor on a PIL RGB image."""

    def __call__(self, pic):
        img = torch.from_numpy(np.array(pic, np.uint8, copy=True)).view(pic.size[1], pic.size[0], 3)
        return img.permute((2, 0, 1)).contiguous().to(dtype=torch.get_default_dtype()).div(255)


class TorchNormalize:
    """torchvision's Normalize on a tensor (not in place: clone, then sub_/div_)."""

    def __init__(self, mean, std):
        self.mean, self.std = torch.as_tensor(mean), torch.as_tensor(std)

    def __call__(self, t):
        return t.clone().sub_(self.mean.view(-1, 1, 1)).div_(self.std.view(-1, 1, 1))


class TorchRandomHorizontalFlip:
    """torchvision's RandomHorizontalFlip on a tensor."""

    def __call__(self, t):
        return t.flip(-1) if torch.rand(1) < 0.5 else t


class TorchCompose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, x):
        for t in self.transforms:
            x = t(x)
        return x


class TorchCIFAR(tdata.Dataset):
    """torchvision's CIFAR10 ``__getitem__`` over in-memory arrays."""

    def __init__(self, data, targets, transform):
        self.data, self.targets, self.transform = data, targets, transform

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        img, target = Image.fromarray(self.data[index]), self.targets[index]
        return self.transform(img), target


class InMemoryCIFAR10(jdatasets.CIFAR10):
    """jtorch's CIFAR10 over in-memory arrays (skips reading the files; everything else is CIFAR10's)."""

    def __init__(self, data, targets, transform):
        jdatasets.VisionDataset.__init__(self, "in-memory", transform=transform)
        self.train = True
        self.data, self.targets = data, targets


class PerSample(jdata.Dataset):
    """A wrapper dataset: user code, so jtorch takes the per-sample path."""

    def __init__(self, inner):
        self.inner = inner

    def __len__(self):
        return len(self.inner)

    def __getitem__(self, index):
        return self.inner[index]


def _throughput(make_loader, samples, repeat):
    loader = make_loader()
    rates = []
    for _ in range(repeat):
        it = iter(loader)
        next(it)
        n, t0 = 0, time.perf_counter()
        for images, labels in it:
            n += len(labels)
            if n >= samples:
                break
        rates.append(n / (time.perf_counter() - t0))
        del it
    return statistics.median(rates)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    rng = np.random.default_rng(0)
    data = rng.integers(0, 256, size=(50000, 32, 32, 3), dtype=np.uint8)
    targets = rng.integers(0, 10, size=50000).tolist()
    torch_tf = TorchCompose([TorchToTensor(), TorchNormalize(MEAN, STD), TorchRandomHorizontalFlip()])
    jt_tf = jtransforms.Compose([jtransforms.ToTensor(), jtransforms.Normalize(MEAN, STD),
                                 jtransforms.RandomHorizontalFlip()])
    torch_ds = TorchCIFAR(data, targets, torch_tf)
    jt_ds = InMemoryCIFAR10(data, targets, jt_tf)

    print(f"samples/s, median of {args.repeat} passes of {args.samples} samples (shuffled)")
    print(f"{'batch':>5} {'workers':>7} {'torch':>10} {'jtorch':>10} {'per-sample':>11} {'jt/torch':>8}")
    for batch in (4, 64):
        for workers in (0, 2):
            kw = dict(batch_size=batch, shuffle=True, num_workers=workers)
            t = _throughput(lambda: tdata.DataLoader(torch_ds, **kw), args.samples, args.repeat)
            j = _throughput(lambda: jdata.DataLoader(jt_ds, **kw), args.samples, args.repeat)
            p = _throughput(lambda: jdata.DataLoader(PerSample(jt_ds), **kw), args.samples, args.repeat)
            print(f"{batch:>5} {workers:>7} {t:>10.0f} {j:>10.0f} {p:>11.0f} {j / t:>8.2f}")


if __name__ == "__main__":
    main()
