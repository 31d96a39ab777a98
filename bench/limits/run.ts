/**
 * Resources of the compiler commands on hostile inputs (issue #11). Writes
 * each input of inputs.ts to a temporary folder, runs the real `figs`
 * command on it as a child process, and prints its wall time, peak RSS and
 * exit status, and whether it meets the target: under 10 s and 1 GB, with
 * exit status 0 or 1 (a limit, if one stopped it, is named by its FIGS4xxx
 * code). Peak RSS comes from /usr/bin/time -v when present, else from a small
 * wrapper that reads the child's process.resourceUsage().maxRSS.
 *
 * The command runs from the sources, `node --import tsx cli/main.ts …`
 * (what the repository holds now), or with --dist from `node dist/cli/main.js …`
 * (after `npm run build`).
 *   npx tsx bench/limits/run.ts [--dist] [--only NAME,NAME…] [--keep]   (npm run bench:limits)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { HOSTILE_CASES, type HostileCase } from "./inputs.js";

const root = join(import.meta.dirname, "..", "..");
const TARGET_SECONDS = 10;
const TARGET_BYTES = 2 ** 30;
const TIME = "/usr/bin/time";

interface Measured {
  readonly seconds: number;
  readonly rssBytes: number;
  readonly exit: number;
  readonly limit: string;
}

function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** `node … figs` as the child runs it: from dist/ with --dist, else from the sources through tsx. */
function figsCommand(): string[] {
  if (flag("dist")) {
    const main = join(root, "dist", "cli", "main.js");
    if (!existsSync(main)) throw new Error("dist/cli/main.js is missing: run `npm run build` first");
    return [process.execPath, main];
  }
  return [process.execPath, "--import", "tsx", join(root, "cli", "main.ts")];
}

/** The wrapper used without /usr/bin/time: runs the command, prints its peak RSS as a last line of stderr. */
const WRAPPER = `
const { spawnSync } = require("node:child_process");
const [command, ...args] = process.argv.slice(1);
const start = process.hrtime.bigint();
const child = spawnSync(command, args, { stdio: ["ignore", "ignore", "inherit"] });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stderr.write("\\nwrapper: " + seconds + " s " + process.resourceUsage().maxRSS + " KB\\n");
process.exit(child.status ?? 2);
`;

function expand(args: readonly string[], testCase: HostileCase, folder: string): string[] {
  const file = join(folder, `${testCase.name}.figs`);
  return args.map((arg) =>
    arg
      .replace("{file}", file)
      .replace("{out}", join(folder, `${testCase.name}.ir.json`))
      .replace("{dir}", folder),
  );
}

function run(testCase: HostileCase, folder: string): Measured {
  if (testCase.setup)
    spawnSync(process.execPath, [...figsCommand().slice(1), ...expand(testCase.setup, testCase, folder)], {
      cwd: root,
      stdio: "ignore",
    });
  const command = [...figsCommand(), ...expand(testCase.args, testCase, folder)];
  const useTime = existsSync(TIME);
  const full = useTime ? [TIME, "-v", ...command] : [process.execPath, "-e", WRAPPER, ...command];
  const started = process.hrtime.bigint();
  // stdout (an IR, a report) is thrown away; stderr is kept for the diagnostics and the measurements.
  const child = spawnSync(full[0]!, full.slice(1), {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 256 * 2 ** 20,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const stderr = child.stderr?.toString("utf8") ?? "";
  const rssKb = useTime
    ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN)
    : Number(/wrapper: \S+ s (\d+) KB/.exec(stderr)?.[1] ?? NaN);
  // Wrapped by /usr/bin/time, which reports the command's status in its own output.
  const exit = useTime ? Number(/Exit status: (\d+)/.exec(stderr)?.[1] ?? child.status ?? 2) : (child.status ?? 2);
  const limits = [...new Set([...stderr.matchAll(/error (FIGS4\d{3})/g)].map((m) => m[1]!))];
  return { seconds: wall, rssBytes: rssKb * 1024, exit, limit: limits.join(",") };
}

function meets(m: Measured): boolean {
  return m.seconds < TARGET_SECONDS && m.rssBytes < TARGET_BYTES && (m.exit === 0 || m.exit === 1);
}

function verdict(m: Measured): string {
  if (!meets(m)) return "MISSED";
  return m.limit ? `yes, stopped: ${m.limit}` : "yes";
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? "").length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => (c >= 3 && c <= 5 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function main(): void {
  const only = option("only")?.split(",");
  const cases = HOSTILE_CASES.filter((c) => !only || only.includes(c.name));
  const folder = mkdtempSync(join(tmpdir(), "figs-limits-"));
  const how = flag("dist") ? "node dist/cli/main.js" : "node --import tsx cli/main.ts";
  console.log(
    `figs on hostile inputs: ${how} …, ${cpus().length} cores, ` +
      `target < ${TARGET_SECONDS} s and < 1 GB peak RSS, exit 0 or 1`,
  );
  console.log(
    `peak RSS from ${existsSync(TIME) ? "/usr/bin/time -v" : "process.resourceUsage().maxRSS of a wrapper"}; ` +
      `inputs in ${folder}`,
  );
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}\n`,
  );
  const rows = [["input", "file", "command", "time", "peak RSS", "exit", "meets target"]];
  let missed = 0;
  try {
    for (const testCase of cases) {
      const text = testCase.text();
      writeFileSync(join(folder, `${testCase.name}.figs`), text);
      for (const [name, content] of Object.entries(testCase.files?.() ?? {}))
        writeFileSync(join(folder, name), content);
      const measured = run(testCase, folder);
      rmSync(join(folder, `${testCase.name}.ir.json`), { force: true });
      if (!meets(measured)) missed++;
      const shownArgs = testCase.args
        .join(" ")
        .replace("{file}", `${testCase.name}.figs`)
        .replace("{out}", "x.ir.json")
        .replace("{dir}/", "");
      const command = `figs ${shownArgs}`;
      const row = [
        testCase.input,
        size(text.length),
        command,
        `${measured.seconds.toFixed(1)} s`,
        `${(measured.rssBytes / 2 ** 20).toFixed(0)} MB`,
        String(measured.exit),
        verdict(measured),
      ];
      rows.push(row);
      console.log(row.join(" | "));
    }
  } finally {
    if (!flag("keep")) rmSync(folder, { recursive: true, force: true });
  }
  console.log(`\n${table(rows)}\n`);
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );
  console.log(missed === 0 ? "every input meets the target" : `${missed} of ${rows.length - 1} inputs miss the target`);
}

function size(bytes: number): string {
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${bytes} B`;
}

main();
