"""Any compiled figs space in PyTorch, built from its IR JSON (docs/ir.md).

The twin of runtime/emit's plain model (emitModel: full width, no masks), so
the training bench can run compiled spaces side by side in tfjs and PyTorch:
    /usr/bin/python3 bench/pytorch/ir_model.py --ir one_shot.ir.json --threads 1
Prints one JSON line like n1.py. Torch is NCHW, figs NHWC: shapes and padding
follow TensorFlow ('same' pads the extra row/column at the bottom/right, and
average pooling leaves padding out of the mean), and flatten reads NHWC order.
BN uses tf.layers' defaults (epsilon 1e-3, momentum 0.99).
"""
import argparse
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from measure import measure_and_print

BN_EPS = 1e-3
BN_MOMENTUM = 0.01  # torch's momentum is 1 - Keras's 0.99


def same_padding(size, kernel, stride):
    """(before, after) padding of TF's 'same' along one axis."""
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def spanned(attrs, axis):
    """The pixels a window spans: (k - 1) * dilation + 1 (pools have no dilation)."""
    dilation = attrs.get("dilation", [1, 1])[axis]
    return (attrs["kernel"][axis] - 1) * dilation + 1


def pads_of(attrs, in_shape):
    """F.pad's (left, right, top, bottom), or None for 'valid'."""
    if attrs["padding"] != "same":
        return None
    top, bottom = same_padding(in_shape["height"], spanned(attrs, 0), attrs["stride"][0])
    left, right = same_padding(in_shape["width"], spanned(attrs, 1), attrs["stride"][1])
    return left, right, top, bottom


def as_image(x):
    """Rank-2 tensors (after global_avgpool/dense) are 1x1 images to image ops, as in runtime/emit."""
    return x.view(x.shape[0], x.shape[1], 1, 1) if x.dim() == 2 else x


class Conv(nn.Module):
    """conv and dwconv: symmetric 'same' padding goes to the conv, asymmetric through F.pad."""

    def __init__(self, attrs, cin, cout, groups, in_shape):
        super().__init__()
        pads = pads_of(attrs, in_shape) or (0, 0, 0, 0)
        symmetric = pads[0] == pads[1] and pads[2] == pads[3]
        self.pads = None if symmetric else pads
        padding = (pads[2], pads[0]) if symmetric else 0
        self.conv = nn.Conv2d(cin, cout, tuple(attrs["kernel"]), tuple(attrs["stride"]),
                              padding=padding, dilation=tuple(attrs["dilation"]), groups=groups, bias=attrs["bias"])

    def forward(self, x):
        x = as_image(x)
        return self.conv(F.pad(x, self.pads) if self.pads else x)


class Pool(nn.Module):
    def __init__(self, attrs, in_shape, kind):
        super().__init__()
        self.kernel, self.stride, self.kind = tuple(attrs["kernel"]), tuple(attrs["stride"]), kind
        self.pads = pads_of(attrs, in_shape)
        if self.pads == (0, 0, 0, 0):
            self.pads = None

    def forward(self, x):
        x = as_image(x)
        if self.kind == "max":
            x = F.pad(x, self.pads, value=-math.inf) if self.pads else x
            return F.max_pool2d(x, self.kernel, self.stride)
        if not self.pads:
            return F.avg_pool2d(x, self.kernel, self.stride)
        # TF leaves padding out of the mean: divide by the pooled count of real pixels.
        ones = torch.ones(1, 1, x.shape[2], x.shape[3], dtype=x.dtype)
        total = F.avg_pool2d(F.pad(x, self.pads), self.kernel, self.stride)
        share = F.avg_pool2d(F.pad(ones, self.pads), self.kernel, self.stride)
        return total / share


class BatchNorm(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.bn = nn.BatchNorm2d(channels, eps=BN_EPS, momentum=BN_MOMENTUM)

    def forward(self, x):
        return self.bn(x) if x.dim() == 4 else self.bn(as_image(x)).flatten(1)


class Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def flatten_nhwc(x):
    return x.permute(0, 2, 3, 1).flatten(1) if x.dim() == 4 else x


class Dense(nn.Module):
    def __init__(self, cin, cout, bias):
        super().__init__()
        self.linear = nn.Linear(cin, cout, bias=bias)

    def forward(self, x):
        return self.linear(flatten_nhwc(x))


def merge_inputs(xs):
    return xs if all(x.dim() == 2 for x in xs) else [as_image(x) for x in xs]


def concat(xs):
    return torch.cat(merge_inputs(xs), dim=1)


def add(xs):
    merged = merge_inputs(xs)
    total = merged[0]
    for x in merged[1:]:
        total = total + x
    return total


def mul(xs):
    """The gate of squeeze-and-excitation: an N×C×1×1 input broadcasts over the others' H×W."""
    merged = merge_inputs(xs)
    product = merged[0]
    for x in merged[1:]:
        product = product * x
    return product


MERGES = {"concat": concat, "add": add, "mul": mul}


class DropPath(nn.Module):
    """torchvision's StochasticDepth(p, "row"): whole samples zeroed while training, identity in eval."""

    def __init__(self, rate):
        super().__init__()
        self.rate = rate

    def forward(self, x):
        if not self.training or self.rate == 0:
            return x
        keep = torch.empty((x.shape[0],) + (1,) * (x.dim() - 1), dtype=x.dtype).bernoulli_(1 - self.rate)
        return x * keep / (1 - self.rate)


def channel_shuffle(x, groups):
    """ShuffleNet's shuffle: reshape(B, G, C/G, H, W).transpose(1, 2)."""
    b, c, h, w = x.shape
    return x.reshape(b, groups, c // groups, h, w).transpose(1, 2).reshape(b, c, h, w)


class LayerNorm2d(nn.Module):
    """ConvNeXt's LayerNorm2d: each pixel normalised over its channels, eps 1e-6, γ and β per channel."""

    def __init__(self, channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        x = as_image(x).permute(0, 2, 3, 1)
        x = F.layer_norm(x, (x.shape[-1],), self.weight, self.bias, 1e-6)
        return x.permute(0, 3, 1, 2)


class LayerScale(nn.Module):
    """ConvNeXt's layer scale: each channel times a learnable γ initialised to `init`."""

    def __init__(self, channels, init):
        super().__init__()
        self.gamma = nn.Parameter(torch.full((channels,), float(init)))

    def forward(self, x):
        return as_image(x) * self.gamma.view(1, -1, 1, 1)


def build_module(node, in_shape):
    """The module of one single-input node (input and the merges are handled by IrModel)."""
    op, a, cout = node["op"], node["attrs"], node["shape"]["channels"]
    cin = in_shape["channels"]
    if op == "conv":
        return Conv(a, cin, cout, a["groups"], in_shape)
    if op == "dwconv":
        return Conv(a, cin, cout, cin, in_shape)
    if op == "dense":
        return Dense(in_shape["height"] * in_shape["width"] * cin, cout, a["bias"])
    if op == "bn":
        return BatchNorm(cout)
    if op in ("maxpool", "avgpool"):
        return Pool(a, in_shape, op[:3])
    if op == "dropout":
        return nn.Dropout(a["rate"])
    if op == "drop_path":
        return DropPath(a["rate"])
    if op == "channel_shuffle":
        return Lambda(lambda x: channel_shuffle(as_image(x), a["groups"]))
    if op == "split":
        return Lambda(lambda x: as_image(x).chunk(a["parts"], dim=1)[a["part"] - 1])
    if op == "layer_norm":
        return LayerNorm2d(cout)
    if op == "layer_scale":
        return LayerScale(cout, a["init"])
    if op == "adaptive_avgpool":
        pool = nn.AdaptiveAvgPool2d(tuple(a["size"]))
        return Lambda(lambda x: pool(as_image(x)))
    simple = {"relu": nn.ReLU(), "relu6": nn.ReLU6(), "sigmoid": nn.Sigmoid(), "swish": nn.SiLU(),
              "hardswish": nn.Hardswish(), "hardsigmoid": nn.Hardsigmoid(), "gelu": nn.GELU(),
              "global_avgpool": Lambda(lambda x: as_image(x).mean(dim=(2, 3))),
              "flatten": Lambda(flatten_nhwc), "identity": nn.Identity(), "gate": nn.Identity()}
    if op not in simple:
        raise ValueError(f"ir_model.py: op {op} is not supported")
    return simple[op]


class IrModel(nn.Module):
    """Runs the IR's nodes in their (topological) order, dropping each tensor after its last use."""

    def __init__(self, ir):
        super().__init__()
        self.nodes = ir["nodes"]
        self.output = ir["output"]
        self.layers = nn.ModuleDict()
        for node in self.nodes:
            if node["op"] != "input" and node["op"] not in MERGES:
                in_shape = self.nodes[node["inputs"][0]]["shape"]
                self.layers[str(node["id"])] = build_module(node, in_shape)
        self.last_use = {}
        for node in self.nodes:
            for i in node["inputs"]:
                self.last_use[i] = node["id"]

    def forward(self, images, shapes=None):
        values = {}
        for node in self.nodes:
            nid, op = node["id"], node["op"]
            xs = [values[i] for i in node["inputs"]]
            if op == "input":
                values[nid] = images
            elif op in MERGES:
                values[nid] = MERGES[op](xs) if len(xs) > 1 else xs[0]
            else:
                values[nid] = self.layers[str(nid)](xs[0])
            if shapes is not None:
                shapes[nid] = tuple(as_image(values[nid]).shape[1:])
            for i in set(node["inputs"]):
                if self.last_use.get(i) == nid and i != self.output:
                    del values[i]
        return values[self.output]


def check_shapes(model, ir, images):
    """Every node's torch shape must be the IR's (C, H, W): fails loudly on a mistranslated op."""
    shapes = {}
    with torch.no_grad():
        model.eval()(images[:2], shapes)
    model.train()
    for node in ir["nodes"]:
        s = node["shape"]
        want = (s["channels"], s["height"], s["width"])
        if shapes[node["id"]] != want:
            raise SystemExit(f"ir_model.py: node {node['id']} ({node['name']}) has shape {shapes[node['id']]}, IR says {want}")


def input_shape(ir):
    a = next(n for n in ir["nodes"] if n["op"] == "input")["attrs"]
    return a["channels"], a["height"], a["width"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ir", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--batch", type=int, default=64)
    a = p.parse_args()
    with open(a.ir, encoding="utf8") as f:
        ir = json.load(f)
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = IrModel(ir).train()
    classes = ir["nodes"][ir["output"]]["shape"]["channels"]
    images = torch.randn(a.batch, *input_shape(ir))
    labels = torch.randint(0, classes, (a.batch,))
    check_shapes(model, ir, images)

    measure_and_print(model, images, labels, a.steps, a.warmup)


if __name__ == "__main__":
    main()
