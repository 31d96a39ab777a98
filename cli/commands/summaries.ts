/**
 * The one-line summaries of the commands that the registry loads lazily
 * (index.ts): `figs --help` lists them without importing the commands.
 */
export const LAZY_SUMMARIES = {
  lsp: "run the language server for .figs files (diagnostics, hover, completion, formatting) for editors",
  graph: "draw a space: its blocks as clusters, its ops with shapes, mask groups and costs (DOT or SVG)",
  diff: "compare search spaces by the costs of their random sub-architectures",
  sample: "export random sub-architectures of a space (the random-search baseline)",
  scale: "export a space at a uniform width multiplier (the width-multiplier baseline)",
  search: "learn an architecture in a space (FiGS), then export it",
  export: "export the architecture a search run found: arch.json, pruned .figs, tfjs model",
  retrain: "train an exported architecture from scratch and report its test accuracy",
  demo: "search, export and retrain a small space on MNIST (a few minutes on a CPU)",
  sweep: "run an experiment: searches, baselines and retrainings over budgets, methods and seeds, resumably",
  worker: "run the jobs of sweeps queued in Redis (figs sweep --queue), on this machine",
} as const;
