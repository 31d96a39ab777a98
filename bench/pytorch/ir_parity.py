"""Loads the tfjs weights dumped by bench/train-vs-pytorch/parity.ts into
ir_model.py's network and compares logits (inference mode). Exits 1 when the
largest difference, relative to the largest logit, exceeds 1e-4."""
import json
import sys

import numpy as np
import torch

from ir_model import IrModel


def load(entry):
    return torch.from_numpy(np.fromfile(entry["file"], dtype=np.float32).reshape(entry["shape"]))


def to_torch(op, module, tensors):
    """tfjs layouts → torch: conv [kh,kw,cin/G,cout], dwconv [kh,kw,cin,mult], dense [in,out]; BN γ, β, mean, var;
    layer_norm γ, β; layer_scale γ as a 1x1 depthwise kernel [1,1,C,1]."""
    if op in ("conv", "dwconv"):
        w = tensors[0]
        kh, kw, cin, k = w.shape
        # Depthwise output channel c·mult + m is torch's group c, member m.
        weight = w.reshape(kh, kw, cin * k).permute(2, 0, 1).unsqueeze(1) if op == "dwconv" else w.permute(3, 2, 0, 1)
        module.conv.weight.data.copy_(weight)
        if len(tensors) > 1:
            module.conv.bias.data.copy_(tensors[1])
    elif op == "dense":
        module.linear.weight.data.copy_(tensors[0].t())
        if len(tensors) > 1:
            module.linear.bias.data.copy_(tensors[1])
    elif op == "layer_norm":
        module.weight.data.copy_(tensors[0])
        module.bias.data.copy_(tensors[1])
    elif op == "layer_scale":
        module.gamma.data.copy_(tensors[0].reshape(-1))
    elif op == "bn":
        for target, value in zip([module.bn.weight, module.bn.bias, module.bn.running_mean, module.bn.running_var], tensors):
            target.data.copy_(value)


def main():
    manifest = json.load(open(sys.argv[1], encoding="utf8"))
    ir = json.load(open(manifest["ir"], encoding="utf8"))
    model = IrModel(ir).eval()
    by_layer = {}
    for w in manifest["weights"]:
        by_layer.setdefault(w["layer"], []).append(load(w))
    for node in ir["nodes"]:
        key = str(node["id"])
        if key in model.layers and f"{node['op']}_{node['id']}" in by_layer:
            to_torch(node["op"], model.layers[key], by_layer[f"{node['op']}_{node['id']}"])
    images = load(manifest["images"]).permute(0, 3, 1, 2).contiguous()
    want = load(manifest["logits"])
    with torch.no_grad():
        got = model(images)
    error = (got - want).abs().max().item() / max(want.abs().max().item(), 1e-12)
    print(f"parity {ir['space']}: max |torch - tfjs| / max |tfjs| = {error:.2e} over logits {tuple(want.shape)}")
    sys.exit(0 if error <= 1e-4 else 1)


if __name__ == "__main__":
    main()
