"""Paired differences of FiGS against each other method of a figs sweep.

For each budget: each method's mean ± sd over its retrainings, then FiGS's
accuracy minus the other's at the same search seed (random: its sample of
that seed; the multiplier: its one architecture) and retraining seed, with
a 95% percentile bootstrap interval of the mean (4,000 resamples, seed 1).

    /usr/bin/python3 scripts/sweep-paired.py SWEEP_DIR/results.jsonl

(docs/results.md, "FiGS against its ablation and two baselines at three
budgets, CPU-sized One-Shot".)
"""
import json
import random
import statistics as st
import sys


def bootstrap(values, n=4000):
    r = random.Random(1)
    means = sorted(st.mean([values[r.randrange(len(values))] for _ in values]) for _ in range(n))
    return means[int(0.025 * n)], means[int(0.975 * n) - 1]


def main(path):
    rows = [json.loads(line) for line in open(path)]
    seeds = sorted({r["retrainSeed"] for r in rows if r.get("retrainSeed") is not None})
    for budget in sorted({r["budget"] for r in rows}, key=lambda b: float(b.split("=")[1].rstrip("kM"))):
        by = {}
        for r in rows:
            if r["budget"] == budget:
                by.setdefault(r["method"], []).append(r)
        print(f"\n== {budget}")
        for method, rs in by.items():
            acc = [100 * r["testAccuracy"] for r in rs]
            sd = st.stdev(acc) if len(acc) > 1 else 0
            print(f"{method:11s} n={len(rs)} mean {st.mean(acc):.2f} ± {sd:.2f}")

        def accuracy(method, seed, retrain):
            for r in by.get(method, []):
                if r["retrainSeed"] == retrain and (method == "multiplier" or r["searchSeed"] == seed):
                    return 100 * r["testAccuracy"]
            return None

        for other in [m for m in by if m != "figs"]:
            pairs = [(accuracy("figs", s, t), accuracy(other, s, t)) for s in (1, 2, 3) for t in seeds]
            d = [a - b for a, b in pairs if a is not None and b is not None]
            if len(d) < 2:
                continue
            low, high = bootstrap(d)
            print(f"  figs - {other}: n={len(d)} mean {st.mean(d):+.2f} [{low:+.2f}, {high:+.2f}]")


if __name__ == "__main__":
    main(sys.argv[1])
