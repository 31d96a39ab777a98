/**
 * `figs lsp [--stdio]`: the language server for .figs files (cli/lsp/), for
 * editors. It speaks the Language Server Protocol on standard input and
 * output until the editor sends `exit`.
 */
import type { Command } from "../command.js";
import { LAZY_SUMMARIES } from "./summaries.js";

export const lspCommand: Command = {
  name: "lsp",
  summary: LAZY_SUMMARIES.lsp,
  usage: "[--stdio]",
  description: [
    "Runs the figs language server on standard input and output, for editors",
    "(the VS Code extension in editors/vscode starts it; any LSP client can).",
    "It reports the diagnostics of `figs check` as you type, for the edited",
    "file and the open files that import it; shows on hover a name's",
    "definition and doc comment, and on a primitive's call its output shape,",
    "mask group and cost at full width; goes to definitions and finds",
    "references across imports and into stdlib/; lists a file's definitions;",
    "folds; completes primitives, definitions, names in scope and named",
    "arguments; formats like `figs fmt`; and shows each space's and each",
    "block's params and madds at full width as inlay hints.",
    "",
    "The server reads unsaved editor text for open files and the disk for",
    "the others. Its own messages go to the editor's output, never to stdout.",
    "",
    "Exit status: 0 after the editor's shutdown and exit, 1 on exit without",
    "shutdown (as the protocol says), 2 internal error.",
  ].join("\n"),
  options: {
    stdio: { type: "boolean", description: "talk over standard input and output (the default; editors pass it)" },
    clientProcessId: {
      type: "string",
      valueName: "PID",
      description: "the editor's process id: the server exits when that process does (some editors pass it)",
    },
  },
  examples: [
    { command: "figs lsp --stdio", says: "starts the language server as an editor does, talking LSP on stdin/stdout" },
    { command: "figs lsp --help", says: "shows what the server does and how editors start it" },
  ],
  run: async () => {
    const { serveOnStdio } = await import("../lsp/stdio.js");
    return serveOnStdio();
  },
};
