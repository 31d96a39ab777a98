import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveCommand } from "../../cli/command.js";
import { findCommand } from "../../cli/commands/index.js";
import { main } from "../../cli/main.js";
import { compile } from "../../compiler/index.js";
import { xmlProblems } from "../diff/xml.js";
import { memoryIo, tempFolders } from "./helpers.js";

const repoRoot = join(import.meta.dirname, "..", "..");
const mbconv = readFileSync(join(repoRoot, "examples/mbconv.figs"), "utf8");
const folderWith = tempFolders();

async function graph(cwd: string, ...args: string[]) {
  const run = memoryIo({ cwd });
  const code = await main(["graph", ...args], run.io);
  return { code, out: run.stdout(), err: run.stderr() };
}

function opCount(): number {
  const result = compile({ path: "mbconv.figs", text: mbconv }, { until: "costs" });
  return result.stages!.graph.nodes.length;
}

describe("figs graph", () => {
  it("prints the DOT text without -o, and writes the same text with -o x.dot", async () => {
    const dir = folderWith({ "mbconv.figs": mbconv });
    const printed = await graph(dir, "mbconv.figs");
    expect(printed).toMatchObject({ code: 0, err: "" });
    expect(printed.out).toMatch(/^digraph "mobilenet_v2_small" \{\n/);
    const written = await graph(dir, "mbconv.figs", "-o", "mbconv.dot");
    expect(written).toMatchObject({ code: 0, err: "" });
    expect(written.out).toBe("mbconv.dot: space mobilenet_v2_small, 95 boxes in 20 clusters\n");
    expect(readFileSync(join(dir, "mbconv.dot"), "utf8")).toBe(printed.out);
  });

  it("renders an SVG that is well-formed XML, with one <title> per op holding its cost and mask group", async () => {
    const dir = folderWith({ "mbconv.figs": mbconv });
    expect(await graph(dir, "mbconv.figs", "-o", "mbconv.svg")).toMatchObject({ code: 0, err: "" });
    const svg = readFileSync(join(dir, "mbconv.svg"), "utf8");
    expect(xmlProblems(svg)).toEqual([]);
    const ops = [...svg.matchAll(/<g id="node\d+" class="node">\n([\s\S]*?)\n<\/g>/g)].map((match) => match[1]!);
    expect(ops).toHaveLength(opCount());
    for (const op of ops) {
      const titles = [...op.matchAll(/<title>([^<]*)<\/title>/g)].map((match) => match[1]!);
      expect(titles).toHaveLength(1);
      expect(titles[0]).toMatch(
        /^%\d+ .+\nmbconv\.figs:\d+:\d+\nparams [\d,]+ · madds [\d,]+ at full width\nmask group g\d+/,
      );
    }
    expect(svg).toContain("<title>%1 stem = conv(k: 3, stride: 2, width: 32) &lt;- %0 : 16x16x32\nmbconv.figs:27:3\n");
    expect(svg).not.toMatch(/<title>n\d+&#45;&gt;/);
    expect(svg).toContain("conv 3x3 /2 → 16x16x32");
    expect(readdirSync(dir).sort()).toEqual(["mbconv.figs", "mbconv.svg"]);
  });

  it("collapses deep instances with --depth", async () => {
    const dir = folderWith({ "mbconv.figs": mbconv });
    const result = await graph(dir, "mbconv.figs", "--depth", "0");
    expect(result.code).toBe(0);
    expect(result.out).not.toContain("subgraph");
    expect(result.out).toContain('c0 [label="mbconv_0\\n8 ops → 16x16x16"');
  });

  it("refuses an output it cannot write in that format, and a bad --depth, with exit 1", async () => {
    const dir = folderWith({ "mbconv.figs": mbconv });
    const png = await graph(dir, "mbconv.figs", "-o", "x.png");
    expect(png.code).toBe(1);
    expect(png.err).toContain("figs graph: error FIGS6003: -o must name a .svg or a .dot file, not 'x.png'");
    const depth = await graph(dir, "mbconv.figs", "--depth", "-1");
    expect(depth.code).toBe(1);
    expect(depth.err).toContain("--depth must be a whole number of levels");
    expect(readdirSync(dir)).toEqual(["mbconv.figs"]);
  });

  it("reports a space with errors like the other commands: file:line:col, the source line, exit 1", async () => {
    const dir = folderWith({ "bad.figs": "space s() {\n  input(8, 8, 3)\n  conv(3, nope)\n}\n" });
    const result = await graph(dir, "bad.figs", "-o", "bad.svg");
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^bad\.figs:3:11: error FIGS\d{4}: .*nope/m);
    expect(result.err).toContain("  conv(3, nope)");
    expect(existsSync(join(dir, "bad.svg"))).toBe(false);
  });

  it("reports a file it cannot write with exit 1 and leaves nothing behind", async () => {
    const dir = folderWith({ "mbconv.figs": mbconv });
    const result = await graph(dir, "mbconv.figs", "-o", "missing/mbconv.dot");
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      new RegExp(
        /^\S*missing\/mbconv\.dot: error FIGS9004: /.source +
          /cannot write missing\/mbconv\.dot \(.*\): no such file or directory\n$/.source,
      ),
    );
    expect(readdirSync(dir)).toEqual(["mbconv.figs"]);
  });

  it("runs the examples of its help as written", async () => {
    const dir = folderWith({});
    for (const folder of ["spaces", "examples"]) cpSync(join(repoRoot, folder), join(dir, folder), { recursive: true });
    const command = await resolveCommand(findCommand("graph")!);
    for (const example of command.examples) {
      const result = await graph(dir, ...example.command.split(" ").slice(2));
      expect(result, example.command).toMatchObject({ code: 0, err: "" });
      const output = /-o (\S+)/.exec(example.command)?.[1];
      if (output) expect(xmlProblems(readFileSync(join(dir, output), "utf8"))).toEqual([]);
      else expect(result.out).toMatch(/^digraph /);
    }
  });
});
