"""N1 in PyTorch: the twin of bench/train-vs-pytorch/n1.ts.

Prints one JSON line: parameter count, median ms per training step and per
forward pass, images/s and peak RSS. Run with Debian's python3-torch:
    /usr/bin/python3 bench/pytorch/n1.py --threads 1
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F

from measure import measure_and_print

EXPAND = 96
PROJECT = [32, 32, 64, 64, 64, 64]
STRIDE = [1, 2, 1, 2, 1, 1]


class Unit(nn.Module):
    """conv (no bias) -> BN -> optional ReLU -> per-channel sigmoid gate."""

    def __init__(self, k, cin, cout, stride, depthwise, relu):
        super().__init__()
        groups = cin if depthwise else 1
        self.conv = nn.Conv2d(cin, cout, k, stride, padding=k // 2, groups=groups, bias=False)
        nn.init.kaiming_normal_(self.conv.weight, nonlinearity="relu")
        self.bn = nn.BatchNorm2d(cout, eps=1e-5)
        self.nu = nn.Parameter(torch.full((cout,), 2.5))
        self.relu = relu

    def forward(self, x):
        h = self.bn(self.conv(x))
        if self.relu:
            h = F.relu(h)
        return h * torch.sigmoid(self.nu).view(1, -1, 1, 1)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.units = nn.Sequential(
            Unit(1, cin, EXPAND, 1, False, True),
            Unit(3, EXPAND, EXPAND, stride, True, True),
            Unit(1, EXPAND, cout, 1, False, False),
        )
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.units(x)
        return x + y if self.residual else y


class N1(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = Unit(3, 3, 32, 2, False, True)
        blocks, cin = [], 32
        for cout, stride in zip(PROJECT, STRIDE):
            blocks.append(Block(cin, cout, stride))
            cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.dense = nn.Linear(cin, 10)

    def forward(self, x):
        h = self.blocks(self.stem(x))
        return self.dense(h.mean(dim=(2, 3)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--batch", type=int, default=64)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = N1().train()
    images = torch.randn(a.batch, 3, 32, 32)
    labels = torch.randint(0, 10, (a.batch,))

    measure_and_print(model, images, labels, a.steps, a.warmup)


if __name__ == "__main__":
    main()
