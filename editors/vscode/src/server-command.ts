/**
 * The command that starts the figs language server, from the `figs.path`
 * setting: `figs` on the PATH by default (`npm i -g figs` or `npm link`);
 * `npx figs` (or any command line starting with `npx `) runs it through npx;
 * a `.js`/`.mjs`/`.cjs` file (a checkout's `dist/bundle/figs.js`) runs with
 * node; anything else is the path of the executable, spaces and all. Pure,
 * so it is tested without VS Code.
 */
export interface ServerCommand {
  readonly command: string;
  readonly args: readonly string[];
}

export const DEFAULT_FIGS_PATH = "figs";

export function serverCommand(setting: string | undefined): ServerCommand {
  const path = setting?.trim() || DEFAULT_FIGS_PATH;
  if (path.startsWith("npx ")) {
    const [, ...words] = path.split(/\s+/);
    return { command: "npx", args: [...words, "lsp"] };
  }
  if (/\.[cm]?js$/.test(path)) return { command: "node", args: [path, "lsp"] };
  return { command: path, args: ["lsp"] };
}
