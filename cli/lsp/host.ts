/**
 * The compiler's Host for the language server: an open document is read from
 * the editor (its unsaved text), any other file from disk, with the same
 * checks as the command line (size limit, UTF-8).
 */
import { defaultHost, type Host } from "../../compiler/index.js";
import { decodeSource } from "../../grammar/index.js";

/** The editor's text of a file, or undefined when the file is not open. */
export type OpenText = (path: string) => string | undefined;

export function editorHost(openText: OpenText, disk: Host = defaultHost()): Host {
  return {
    stdlibDir: disk.stdlibDir,
    readFile: (path) => {
      const text = openText(path);
      if (text === undefined) return disk.readFile(path);
      const decoded = decodeSource(new TextEncoder().encode(text), path);
      return { ok: decoded.tooLarge !== true, ...decoded };
    },
  };
}
