/**
 * A generated search space of about 500 lines, the size the LSP benchmark
 * edits: `blocks` block definitions (a doc comment, a residual and a plain
 * path each, about ten lines) and one space applying them in stages. It
 * compiles without errors; `brokenAt` gives the line an edit breaks.
 */

/** One block: an inverted residual whose expansion and kernel vary with its index. */
function blockText(index: number): string[] {
  const expansion = 2 + (index % 4);
  const kernel = [3, 5, 7][index % 3]!;
  return [
    `# Block ${index}: expand ×${expansion}, depthwise ${kernel}x${kernel}, project; residual when the shape stays.`,
    `block block_${index}(width: int, stride: int = 1) {`,
    `  if stride == 1 and in == width {`,
    `    residual {`,
    `      conv(1, in * ${expansion}) -> bn -> relu6`,
    `      dwconv(${kernel}, stride: stride) -> bn -> relu6 -> conv(1, width) -> bn`,
    `    }`,
    `  } else {`,
    `    conv(1, in * ${expansion}) -> bn -> relu6 -> dwconv(${kernel}, stride: stride) -> bn -> relu6`,
    `    conv(1, width) -> bn`,
    `  }`,
    `}`,
    ``,
  ];
}

/** The space: a stem, then every block once with the width growing by stage, then the head. */
function spaceText(blocks: number): string[] {
  const body = Array.from({ length: blocks }, (_, index) => {
    const stage = Math.floor(index / 8);
    const stride = index % 8 === 0 && index > 0 ? ", stride: 2" : "";
    return `  block_${index}(${16 * (stage + 1)}${stride})`;
  });
  return [
    `# The whole network: ${blocks} blocks in stages of eight, the width growing by 16 per stage.`,
    `space generated(classes: int = 10, size: int = 64) {`,
    `  input(size, size, 3)`,
    `  conv(3, 16, stride: 2) as stem -> bn -> relu6`,
    ...body,
    `  conv(1, 256) -> bn -> relu6 -> global_avgpool -> dense(classes) fixed as logits`,
    `}`,
  ];
}

/** The text of a space of about `lines` lines (36 blocks for 500). */
export function generatedSpace(lines = 500): string {
  const blocks = Math.max(1, Math.round((lines - 8) / 14));
  const definitions = Array.from({ length: blocks }, (_, index) => blockText(index)).flat();
  return [...definitions, ...spaceText(blocks), ""].join("\n");
}
