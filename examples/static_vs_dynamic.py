"""Static vs dynamic graphs on the seed's CIFAR-10 CNN: the same training step run eagerly
(PyTorch's dynamic graph: built as the code runs) and compiled by ``jtorch.compile`` (a static
graph: traced once into one XLA program, then run), from the same starting state.

Prints, per step, the loss in each mode, the largest parameter difference, the time per step,
the compile time and recompilations, then the dynamic graph of one loss (the ops autograd
recorded, with shapes) and the size of the compiled program. With matplotlib installed it also
saves static_vs_dynamic.png (time per step and loss curves of both modes).

Run: python examples/static_vs_dynamic.py [--steps N]   (data: see cifar10_standin.py)
"""
import argparse

import jtorch as torch
from jtorch import nn, optim
import jtorch.nn.functional as F
import jtorch.autograd.graph
import jtorch.compiler
from cifar10_standin import torchvision  # jtorch.vision; CIFAR10 falls back to the synthetic stand-in


class CNN(nn.Module):
    def __init__(self):
        super(CNN, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=4)
    args = parser.parse_args()

    torch.manual_seed(0)
    transform = torchvision.transforms.Compose([torchvision.transforms.ToTensor()])
    trainset = torchvision.datasets.CIFAR10(root='./data', train=True, download=False, transform=transform)
    loader = torch.utils.data.DataLoader(trainset, batch_size=args.batch_size, shuffle=True)
    batches = []
    for inputs, labels in loader:
        batches.append((inputs, labels))
        if len(batches) == args.steps:
            break

    net = CNN()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

    def train_step(inputs, labels):
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
        return loss

    result = jtorch.compiler.compare(train_step, batches)
    print(result)

    loss = criterion(net(batches[0][0]), batches[0][1])
    ops = jtorch.autograd.graph.recorded_ops(loss)
    print(f"\nDynamic graph of one loss: {len(ops)} recorded nodes (output first)")
    for name, shapes in ops:
        print(f"  {name:<24} {shapes}")
    print(f"Static graph: {len(result.op_counts)} program(s) of {result.op_counts} XLA ops (forward, backward and "
          f"optimizer update together); jtorch.compiler.dump() writes its jaxpr and HLO")
    try:
        print("saved", result.plot("static_vs_dynamic.png"))
    except ImportError:
        print("matplotlib is not installed: no plot")


if __name__ == "__main__":
    main()
