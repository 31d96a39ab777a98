"""The PyTorch half of the training bench: time a training step and a forward
pass of a model on one fixed batch and print the result as one JSON line
(shared by n1.py and ir_model.py)."""
import json
import resource
import statistics
import time

import torch
import torch.nn.functional as F


def median_ms(fn, steps):
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def measure_and_print(model, images, labels, steps, warmup):
    """Adam 1e-3 and cross-entropy, as the tfjs side; medians after warm-up."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        opt.step()
        return loss.item()

    def forward():
        with torch.no_grad():
            model(images).sum().item()

    for _ in range(warmup):
        step()
        forward()
    step_ms = median_ms(step, steps)
    forward_ms = median_ms(forward, steps)
    batch = images.shape[0]
    print(json.dumps({
        "impl": "pytorch",
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "params": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "stepMs": step_ms,
        "forwardMs": forward_ms,
        "imagesPerSec": batch * 1000 / step_ms,
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))
