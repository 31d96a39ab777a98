// Builds the optional native kernels (figs_kernels.node) with node-gyp.
// Runs as the package's `install` script, so it must never fail `npm ci`:
// without a compiler, headers or an x86-64 CPU, figs falls back to its
// wasm + JS kernels and this script only prints one line.
//   node native/install.mjs [--verbose]     (FIGS_SKIP_NATIVE=1 skips)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const verbose = process.argv.includes("--verbose");

function nodeGypCommand() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return [process.execPath, fromNpm];
  const bundled = path.join(
    path.dirname(process.execPath),
    "../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js",
  );
  if (existsSync(bundled)) return [process.execPath, bundled];
  return ["node-gyp"];
}

// Headers shipped with this node (…/include/node) spare node-gyp a download.
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  return existsSync(path.join(prefix, "include/node/node_api.h")) ? [`--nodedir=${prefix}`] : [];
}

function main() {
  if (process.env.FIGS_SKIP_NATIVE === "1") {
    console.log("figs: native kernels skipped (FIGS_SKIP_NATIVE=1)");
    return;
  }
  if (process.arch !== "x64") {
    console.log(`figs: native kernels need x86-64 (this is ${process.arch}); using wasm + JS kernels`);
    return;
  }
  const [cmd, ...pre] = nodeGypCommand();
  const result = spawnSync(cmd, [...pre, "rebuild", ...nodedirArgs()], {
    cwd: here,
    stdio: verbose ? "inherit" : "pipe",
    encoding: "utf8",
    timeout: 10 * 60 * 1000,
  });
  if (result.status === 0) {
    console.log("figs: native kernels built (native/build/Release/figs_kernels.node)");
    return;
  }
  const lines = `${result.stdout ?? ""}\n${result.stderr ?? ""}`.split("\n");
  const cause =
    lines.find((l) => /error:|stack Error|not found|No such file/i.test(l)) ?? lines.filter(Boolean).slice(-1)[0] ?? "";
  const why = result.error ? result.error.message : cause.replace(/^gyp ERR! (stack )?/, "").trim();
  console.log(`figs: native kernels not built, using wasm + JS kernels (${why})`);
}

try {
  main();
} catch (e) {
  console.log(`figs: native kernels not built (${e instanceof Error ? e.message : String(e)})`);
}
process.exit(0);
