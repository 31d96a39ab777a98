/**
 * Does the data fit the space? Checked before training, because tfjs reports
 * an image of the wrong size only as "Input 0 is incompatible with layer …"
 * on the first step, and labels past the logits' width silently train with a
 * cross-entropy of 0 (tf.oneHot of an out-of-range label is all zeros).
 */
import { codeOf } from "../../diagnostics/codes.js";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { SourceRange } from "../../diagnostics/source.js";
import type { Ir, IrNode, IrRange } from "../../compiler/index.js";
import type { Dataset } from "../data/dataset.js";
import {
  argumentSources,
  guessParameter,
  NAME_PATTERNS,
  type ArgumentSource,
  type ReadSource,
} from "./call-parameters.js";

/** What the check needs of a dataset: its image shape (HWC) and class count. */
export interface DataShape {
  /** Shown in messages, e.g. "mnist" or "idx:/data/digits". */
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly classes: number;
}

export interface DataShapeOptions {
  /**
   * The text of a source file by the path the IR records (e.g. `path => compiled.sources.get(path)?.text`), to name
   * the parameters to `--set`.
   */
  readonly readSource?: ReadSource;
}

export function dataShapeOf(dataset: Dataset): DataShape {
  const { height, width, channels } = dataset.train;
  return { name: dataset.name, height, width, channels, classes: dataset.classes };
}

/**
 * Undefined when the data fits the space; otherwise an error (FIGS5002) that
 * gives both shapes and what fixes it: the space's parameter to `--set` when
 * one sets the input size (or the class count), else `--data`. More classes
 * than the logits' width is refused; fewer is allowed (some outputs are never
 * the label).
 */
export function dataShapeProblem(
  ir: Ir,
  data: Dataset | DataShape,
  options: DataShapeOptions = {},
): Diagnostic | undefined {
  const shape = "train" in data ? dataShapeOf(data) : data;
  return inputProblem(ir, shape, options.readSource) ?? classProblem(ir, shape, options.readSource);
}

const DIMENSIONS = [
  ["h", "height"],
  ["w", "width"],
  ["c", "channels"],
] as const;

function inputProblem(ir: Ir, data: DataShape, readSource: ReadSource | undefined): Diagnostic | undefined {
  const input = ir.nodes.find((n) => n.op === "input");
  if (!input) return undefined;
  const wrong = DIMENSIONS.filter(([, key]) => input.shape[key] !== data[key]);
  if (wrong.length === 0) return undefined;
  const written = argumentSources(input, ["h", "w", "c"], ir.parameters, readSource);
  const sources = new Map(
    DIMENSIONS.map(
      ([arg, key]) =>
        [arg, written?.get(arg) ?? guessParameter(ir.parameters, input.shape[key], NAME_PATTERNS[arg])] as const,
    ),
  );
  const spaceShape = shapeText(input.shape);
  const message =
    `the data's images are ${shapeText(data)} (${data.name}), but the space '${ir.space}' takes ${spaceShape} images ` +
    `(${callText(input)} at ${where(input.range)}); ${inputFix(ir, data, spaceShape, wrong, sources)}`;
  return error(codeOf("DataDoesNotFitSpace"), message, range(input.range));
}

type Dimension = (typeof DIMENSIONS)[number];

function inputFix(
  ir: Ir,
  data: DataShape,
  spaceShape: string,
  wrong: readonly Dimension[],
  sources: ReadonlyMap<string, ArgumentSource | undefined>,
): string {
  const otherData = `choose data of ${spaceShape} images with --data${dataHint(spaceShape)}`;
  const assignments = new Map<string, number>();
  for (const [arg, key] of wrong) {
    const source = sources.get(arg);
    if (!source?.bare) return notParameterFix(ir, data, wrong, sources, otherData);
    assignments.set(source.parameters[0] as string, data[key]);
  }
  for (const [name, value] of assignments) {
    // The parameter may set a dimension that already fits too (input(side, side, 1) for 28×40 images).
    const uses = DIMENSIONS.filter(([arg]) => sources.get(arg)?.parameters.includes(name));
    if (uses.some(([arg, key]) => !sources.get(arg)?.bare || data[key] !== value)) {
      const keys = uses.map(([, key]) => key).join(" and ");
      return `the parameter '${name}' sets its ${keys}, so it cannot take ${shapeText(data)} images: ${otherData}`;
    }
  }
  const set = [...assignments].map(([name, value]) => `${name}=${value}`).join(",");
  return `run with --set ${set} to build the space for these images, or ${otherData}`;
}

/** A dimension written as an expression of parameters, or as a literal: --set alone does not say what to write. */
function notParameterFix(
  ir: Ir,
  data: DataShape,
  wrong: readonly Dimension[],
  sources: ReadonlyMap<string, ArgumentSource | undefined>,
  otherData: string,
): string {
  const named = [...new Set(wrong.flatMap(([arg]) => sources.get(arg)?.parameters ?? []))];
  if (named.length > 0) {
    const keys = wrong.map(([, key]) => key).join(" and ");
    const names = named.map((n) => `'${n}'`).join(", ");
    return (
      `its ${keys} depend on ${names}: ` +
      `change them with --set so the space takes ${shapeText(data)} images, or ${otherData}`
    );
  }
  const file = ir.nodes.find((n) => n.op === "input")?.range.file ?? "its file";
  return `its input size is written in ${file}, not set by a space parameter: ${otherData}, or edit the input there`;
}

function dataHint(spaceShape: string): string {
  if (spaceShape === "28×28×1") return " (mnist, fashion-mnist, or idx:DIR)";
  if (spaceShape === "32×32×3") return " (cifar10:DIR)";
  return " (idx:DIR with images of that size)";
}

function classProblem(ir: Ir, data: DataShape, readSource: ReadSource | undefined): Diagnostic | undefined {
  const logits = ir.nodes[ir.output] as IrNode;
  const outputs = logits.shape.channels;
  if (data.classes <= outputs) return undefined;
  const written =
    logits.op === "dense" ? argumentSources(logits, ["width"], ir.parameters, readSource)?.get("width") : undefined;
  const source = written ?? guessParameter(ir.parameters, outputs, NAME_PATTERNS.classes);
  const fix = source?.bare
    ? `run with --set ${source.parameters[0]}=${data.classes}`
    : `give the space ${data.classes} outputs (its logits' width is not a space parameter)`;
  const message =
    `the data has ${data.classes} classes (labels 0..${data.classes - 1}, ${data.name}), ` +
    `but the space '${ir.space}' has ${outputs} outputs ` +
    `('${logits.name}', ${callText(logits)} at ${where(logits.range)}): ` +
    `labels from ${outputs} up would train with a cross-entropy of 0; ` +
    `${fix}, or check the labels`;
  return error(codeOf("DataDoesNotFitSpace"), message, range(logits.range));
}

function shapeText(shape: { readonly height: number; readonly width: number; readonly channels: number }): string {
  return `${shape.height}×${shape.width}×${shape.channels}`;
}

function callText(node: IrNode): string {
  if (node.op === "input") return `input(${node.attrs.height}, ${node.attrs.width}, ${node.attrs.channels})`;
  return node.op === "dense" ? `dense(${node.attrs.width})` : node.op;
}

function where(r: IrRange): string {
  return `${r.file}:${r.start.line}:${r.start.column}`;
}

function range(r: IrRange): SourceRange {
  return { file: r.file, start: { ...r.start }, end: { ...r.end } };
}
