/**
 * Deterministic generator of large, realistic .figs files: ops, blocks with
 * branches and residuals, dense cells and spaces, in the style of the
 * language's reference example. Used by the parse benchmark and by the
 * exotic-input tests (a 10 MB file must parse without crashing).
 */
import { seededRandom } from "../../compiler/index.js";

/** The project's one small seeded generator (mulberry32), so generated files are the same on every run. */
export { seededRandom };

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function opDefinition(i: number, random: () => number): string {
  const k = pick(random, [3, 5, 7]);
  const activation = pick(random, ["relu", "relu6", "swish", "sigmoid"]);
  return [
    `# separable convolution, variant ${i}`,
    `op sep_${i}(k: int = ${k}, width: int, stride: int = 1) {`,
    `  dwconv(k, stride: stride) -> bn -> ${activation} -> conv(1, width) -> bn -> ${activation}`,
    `}`,
  ].join("\n");
}

function choiceBlock(i: number, random: () => number): string {
  const aggregator = pick(random, ["sum", "concat", "agg"]);
  return [
    `block choice_${i}(width: int, stride: int = 1, agg: agg = concat) {`,
    `  branches {`,
    `    sep_${i}(3, width, stride) -> sep_${i}(3, width)`,
    `    for k in [5, 7] { sep_${i}(k, width, stride) -> sep_${i}(k, width) }`,
    `    avgpool(3, stride: stride)`,
    `    if stride == 1 { identity } else { maxpool(3, stride: stride) }`,
    `  } aggregate ${aggregator} -> conv(1, width) -> bn`,
    `}`,
  ].join("\n");
}

function bottleneckBlock(i: number, random: () => number): string {
  const expansion = pick(random, [2, 4, 6]);
  return [
    `block bottleneck_${i}(width: int, stride: int = 1) {`,
    `  residual {`,
    `    conv(1, width) -> bn -> relu -> conv(3, width, stride: stride) -> bn -> relu`,
    `    conv(1, width * ${expansion}) -> bn`,
    `  } shortcut {`,
    `    conv(1, width * ${expansion}, stride: stride) -> bn /* projection */`,
    `  } -> relu`,
    `}`,
  ].join("\n");
}

function denseCell(i: number): string {
  return [
    `cell dense_cell_${i}(width: int, n: int = 3) {`,
    `  let nodes = [input]`,
    `  for j in 0..n {`,
    `    let h = concat(nodes) -> conv(1, width) -> bn -> relu`,
    `    nodes = nodes + [h];`,
    `  }`,
    `  concat(nodes[1:]) -> conv(1, max(width // 2, 8), bias: false)`,
    `}`,
  ].join("\n");
}

function spaceDefinition(i: number, random: () => number): string {
  const filters = pick(random, [16, 32, 64]);
  return [
    `space space_${i}(F: int = ${filters}, cells: int = 8, classes: int = 10, rate: float = 1.5e-1) {`,
    `  input(32, 32, 3)`,
    `  conv(3, F, stride: 2) as stem -> bn -> relu`,
    `  for c in 0..cells {`,
    `    if c > 0 and c % 2 == 0 { avgpool(2, stride: 2) } else if c == 1 { identity } else { }`,
    `    choice_${i}(F * 2 ** (c // 2)) as cell_${i}`,
    `    bottleneck_${i}(in // 4)`,
    `  }`,
    `  dense_cell_${i}(in, n: 2) -> dropout(rate)`,
    `  conv(1, 1_536) -> bn -> relu -> global_avgpool -> dense(classes) fixed as logits`,
    `}`,
  ].join("\n");
}

/** One group of five related definitions (about 2 KB). */
export function definitionGroup(i: number, random: () => number): string {
  return [
    opDefinition(i, random),
    choiceBlock(i, random),
    bottleneckBlock(i, random),
    denseCell(i),
    spaceDefinition(i, random),
  ].join("\n\n");
}

/** A .figs text of at least `minBytes` UTF-8 bytes (the generated text is ASCII). */
export function generateFigsSource(minBytes: number, seed = 1): string {
  const random = seededRandom(seed);
  const parts = ['import "stdlib/mobile.figs"', "let EXPANSIONS = [1, 3, 6]"];
  let length = parts.join("\n").length;
  for (let i = 0; length < minBytes; i++) {
    const group = definitionGroup(i, random);
    parts.push(group);
    length += group.length + 1;
  }
  return `${parts.join("\n")}\n`;
}
