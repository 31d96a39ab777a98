/**
 * `figs graph FILE [--space NAME] [--set NAME=VALUE…] [--depth N] [-o graph.svg|graph.dot]`:
 * a picture of a space. The DOT text comes from the compiler (compiler/picture);
 * here it is only rendered, with Graphviz compiled to WebAssembly (no system
 * binary), and written.
 */
import { resolve } from "node:path";
import { buildPicture, pictureDot, pictureSize, withHoverTitles, type Picture } from "../../compiler/index.js";
import { writeFileAtomic } from "../../runtime/folders/index.js";
import { codeOf } from "../../diagnostics/codes.js";
import { plainError } from "../../diagnostics/diagnostic.js";
import { ok, type Result } from "../../diagnostics/result.js";
import { ExitCode, invalidOption, stringOption, usageProblem, type Command, type ParsedArgs } from "../command.js";
import { compileFromArgs, SPACE_OPTIONS } from "../compile-args.js";
import type { CliIo } from "../io.js";
import { plural, report, reporterFor, reportUsage } from "../report.js";
import { LAZY_SUMMARIES } from "./summaries.js";

export const graphCommand: Command = {
  name: "graph",
  summary: LAZY_SUMMARIES.graph,
  usage: "FILE [--space NAME] [--set NAME=VALUE…] [--depth N] [-o graph.svg|graph.dot]",
  description: [
    "Compiles the space in FILE and draws it: every definition instance (cell,",
    "block, op) as a cluster nested as written, every primitive op as a box",
    "with its output shape ('conv 3x3 /2 → 16x16x32'), filled with the colour",
    "of its mask group (its tag gN names the group; grey: fixed width, no",
    "masks; stripes: channels from several groups). Hovering over a box shows",
    "the op, where it was written, its params and madds at full width and its",
    "groups with their sizes; hovering over a cluster, its summed cost.",
    "",
    "-o chooses the format by its extension: .svg is laid out and rendered here",
    "(Graphviz compiled to WebAssembly, no system binary), .dot is the DOT text",
    "for your own Graphviz. Without -o the DOT text goes to standard output.",
    "--depth N draws every instance nested deeper than N levels as one box",
    "(double border) with its summed cost: a readable overview of a large space.",
    "",
    "Exit status: 0 drawn, 1 the space has errors, an option is wrong or the file",
    "cannot be written (printed to stderr), 2 internal error.",
  ].join("\n"),
  options: {
    ...SPACE_OPTIONS,
    depth: {
      type: "string",
      valueName: "N",
      description: "draw instances nested deeper than N levels as one box each (default: every op)",
    },
    output: {
      type: "string",
      short: "o",
      valueName: "graph.svg|graph.dot",
      description: "write the picture here, as SVG or DOT by the extension (default: DOT to standard output)",
    },
  },
  examples: [
    {
      command: "figs graph examples/mbconv.figs -o mbconv.svg",
      says: "draws the space as an SVG; hover over an op for its cost and mask group",
    },
    {
      command: "figs graph spaces/resnet152.figs --depth 1 -o resnet152.svg",
      says: "an overview: each of the four stages' blocks drawn as one box with its summed cost",
    },
    {
      command: "figs graph spaces/mnist_convnet.figs --set width=16",
      says: "prints the DOT text of the space with a parameter overridden, for your own Graphviz",
    },
  ],
  run: runGraph,
};

type Format = "svg" | "dot";

async function runGraph(args: ParsedArgs, io: CliIo): Promise<number> {
  const reporter = reporterFor(io, "graph", args);
  const output = stringOption(args, "output");
  const format = output === undefined ? "dot" : formatOf(output);
  if (format === undefined) {
    const message = `-o must name a .svg or a .dot file, not '${output}'`;
    return reportUsage(reporter, usageProblem("InvalidOption", message));
  }
  const parsedDepth = depthOption(stringOption(args, "depth"));
  if (!parsedDepth.ok) return reportUsage(reporter, parsedDepth.diagnostic);
  const depth = parsedDepth.value;
  const compiled = await compileFromArgs(args, io, "graph", { until: "costs" });
  if (!compiled.ok) return compiled.exit;
  const picture = buildPicture(compiled.result.stages!, depth === undefined ? {} : { depth });
  if (output === undefined) {
    io.stdout.write(pictureDot(picture));
    return ExitCode.Ok;
  }
  const text = format === "dot" ? { text: pictureDot(picture) } : await renderSvg(picture);
  if ("problem" in text) {
    // The DOT is figs's own: Graphviz refusing it is a bug in figs (FIGS9999, exit 2).
    const message = `Graphviz could not draw the space: ${text.problem}`;
    return report(reporter, [plainError(codeOf("InternalError"), message)]);
  }
  const written = writeFileAtomic(resolve(io.cwd, output), text.text, output);
  if (!written.ok) return report(reporter, [written.diagnostic]);
  const { boxes, clusters } = pictureSize(picture);
  const drawn = `${boxes} ${boxes === 1 ? "box" : "boxes"} in ${plural(clusters, "cluster")}`;
  io.stdout.write(`${output}: space ${picture.space}, ${drawn}\n`);
  return ExitCode.Ok;
}

function formatOf(path: string): Format | undefined {
  const extension = /\.(svg|dot)$/i.exec(path)?.[1]?.toLowerCase();
  return extension === "svg" || extension === "dot" ? extension : undefined;
}

function depthOption(text: string | undefined): Result<number | undefined> {
  if (text === undefined) return ok(undefined);
  return /^\d{1,3}$/.test(text.trim())
    ? ok(Number(text))
    : invalidOption(`--depth must be a whole number of levels (0, 1, 2, …), not '${text}'`);
}

/**
 * Lays the picture out and renders it as SVG, its hover texts as `<title>`s.
 * Graphviz reports bad DOT as data, not by throwing; the DOT is figs's own,
 * so a failure here is a bug (or a picture too large for its memory).
 */
async function renderSvg(picture: Picture): Promise<{ text: string } | { problem: string }> {
  try {
    const viz = await (await import("@viz-js/viz")).instance();
    const result = viz.render(pictureDot(picture, { tooltips: false }), { format: "svg" });
    if (result.status === "success") return { text: withHoverTitles(result.output, picture) };
    const errors = result.errors.filter((e) => e.level !== "warning").map((e) => e.message.trim());
    return { problem: errors.join("; ") || "no reason given" };
  } catch (cause) {
    return { problem: `${cause instanceof Error ? cause.message : String(cause)}; try --depth 1` };
  }
}
