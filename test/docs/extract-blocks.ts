/** Finds the ```figs fenced blocks of a Markdown text. */
export interface FencedBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly text: string;
  /** False when the document ends before the closing fence. */
  readonly closed: boolean;
}

export function extractFigsBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  let open: { line: number; fence: string; figs: boolean; body: string[] } | undefined;
  lines.forEach((line, index) => {
    if (open === undefined) {
      const opening = /^(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
      if (opening) open = { line: index + 1, fence: opening[1] ?? "```", figs: opening[2] === "figs", body: [] };
    } else if (line.trimEnd() === open.fence) {
      if (open.figs) blocks.push({ line: open.line, text: open.body.join("\n") + "\n", closed: true });
      open = undefined;
    } else {
      open.body.push(line);
    }
  });
  if (open?.figs) blocks.push({ line: open.line, text: open.body.join("\n") + "\n", closed: false });
  return blocks;
}
