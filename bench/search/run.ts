/**
 * Search-step throughput: images per second of one FiGS search step
 * (forward, backward, both Adam updates) on the small space
 * (spaces/mnist_convnet.figs --set width=8,hidden=32, MNIST batches of 64),
 * for each backend that starts here, each in its own process so that its
 * peak RSS is its own.
 *
 *   npx tsx bench/search/run.ts            # every backend
 *   npx tsx bench/search/run.ts wasm wasm:1 cpu   # some; NAME:N = N kernel threads
 *
 * The machine's load average is printed too: on a shared machine it says
 * how much the numbers are worth.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SPACE = { path: "spaces/mnist_convnet.figs", set: { width: "8", hidden: "32" } };
const BATCH = 64;
/** Steps timed per backend after one warm-up step; the pure-JS cpu backend gets fewer. */
const STEPS: Readonly<Record<string, number>> = { wasm: 20, cpu: 1, tensorflow: 20, "tensorflow-gpu": 20 };

interface WorkerResult {
  readonly backend: string;
  readonly detail?: string;
  readonly imagesPerSecond?: number;
  readonly peakRssMb?: number;
  readonly error?: string;
}

async function worker(spec: string): Promise<WorkerResult> {
  const [backend = "wasm", threadText] = spec.split(":");
  const { selectBackend } = await import("../../runtime/backend/select.js");
  const { compile } = await import("../../compiler/index.js");
  const { loadDataset } = await import("../../runtime/data/load.js");
  const { runSearch } = await import("../../runtime/search/run.js");
  const { DEFAULT_SEARCH } = await import("../../runtime/search/settings.js");
  const choice = await selectBackend({
    override: backend,
    ...(threadText === undefined ? {} : { threads: Number(threadText) }),
  });
  const ir = compile({ path: SPACE.path, set: SPACE.set }).ir;
  const data = loadDataset("mnist", { limit: 2000 });
  if (!ir || !data.ok) return { backend: spec, error: "space or data did not load" };
  const steps = (STEPS[backend] ?? 5) + 1;
  const dir = mkdtempSync(join(tmpdir(), "figs-bench-"));
  let timedFrom = 0;
  try {
    await runSearch({
      ir,
      train: data.value.train,
      dir,
      resume: false,
      settings: { ...DEFAULT_SEARCH, steps, batchSize: BATCH, checkpointEvery: steps, lambda: 1e-5 },
      // The first step builds kernels and allocates: the clock starts after it.
      onStep: (p) => {
        if (p.step === 1) timedFrom = performance.now();
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - timedFrom) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  return { backend: spec, detail: choice.detail, imagesPerSecond: ((steps - 1) * BATCH) / seconds, peakRssMb };
}

function runWorker(backend: string): WorkerResult {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ["--import", "tsx", script, "--worker", backend], {
    encoding: "utf8",
    timeout: 20 * 60_000,
  });
  const line = child.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as WorkerResult;
  } catch {
    return { backend, error: (child.stderr.trim().split("\n").pop() ?? `exit ${child.status}`).slice(0, 200) };
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--worker") {
    const backend = args[1] ?? "wasm";
    const result = await worker(backend).catch((cause: unknown) => ({ backend, error: String(cause) }));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const backends = args.length > 0 ? args : ["wasm", "wasm:1", "cpu", "tensorflow"];
  console.log(
    `search step, ${SPACE.path} ${JSON.stringify(SPACE.set)}, batch ${BATCH}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log("| backend | images/s | peak RSS (MB) | detail |");
  console.log("|---|---|---|---|");
  for (const backend of backends) {
    const r = runWorker(backend);
    const ips = r.imagesPerSecond === undefined ? "—" : r.imagesPerSecond.toFixed(1);
    const rss = r.peakRssMb === undefined ? "—" : r.peakRssMb.toFixed(0);
    console.log(`| ${backend} | ${ips} | ${rss} | ${r.error ?? r.detail ?? ""} |`);
  }
}

await main();
