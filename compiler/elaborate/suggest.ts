/** "did you mean …?" for unknown names: the closest candidate by edit distance, if close enough. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === name || Math.abs(candidate.length - name.length) > limit) continue;
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Names other frameworks give figs's primitives (PyTorch, Keras, papers), in
 * lower case without separators: `hard_swish`, `BatchNorm2d`, `Linear`.
 */
const FOREIGN_NAMES: Readonly<Record<string, string>> = {
  hswish: "hardswish",
  hsigmoid: "hardsigmoid",
  batchnorm: "bn",
  batchnorm2d: "bn",
  batchnormalization: "bn",
  conv2d: "conv",
  depthwiseconv: "dwconv",
  depthwiseconv2d: "dwconv",
  linear: "dense",
  fc: "dense",
  maxpool2d: "maxpool",
  avgpool2d: "avgpool",
  averagepooling2d: "avgpool",
  maxpooling2d: "maxpool",
  globalavgpool: "global_avgpool",
  globalaveragepooling2d: "global_avgpool",
  gap: "global_avgpool",
  cat: "concat",
  concatenate: "concat",
  multiply: "mul",
  prod: "mul",
};

/** A name in lower case without `_` and `-`: `Hard_Swish` and `hardswish` are the same name to a reader. */
const normalised = (name: string): string => name.toLowerCase().replace(/[_-]/g, "");

/**
 * The hint of an unknown name: figs's own name when the name is a known one
 * in other case or separators (`Hard_Swish`) or another framework's
 * (`BatchNorm2d` → `bn`), otherwise the closest known name.
 */
export function unknownNameHint(name: string, candidates: Iterable<string>): string {
  const known = [...new Set(candidates)];
  const key = normalised(name);
  const spelled = known.find((candidate) => candidate !== name && normalised(candidate) === key);
  const foreign = spelled ?? FOREIGN_NAMES[key];
  if (foreign && known.includes(foreign)) return `; figs calls it '${foreign}'`;
  return didYouMean(name, known);
}

export function didYouMean(name: string, candidates: Iterable<string>): string {
  const suggestion = closest(name, candidates);
  return suggestion ? `; did you mean '${suggestion}'?` : "";
}

/** Edit distance where swapping two neighbours counts as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
