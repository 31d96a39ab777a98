/**
 * Document URIs ↔ the file paths the compiler reads. A `file:` URI is a path;
 * any other (an editor's unsaved `untitled:` buffer) keeps its URI as its
 * path, so it can be checked but imports nothing relative to it.
 */
import { fileURLToPath, pathToFileURL } from "node:url";

export function pathOf(uri: string): string {
  if (!uri.startsWith("file:")) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

export function uriOf(path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path)) return path;
  return pathToFileURL(path).href;
}
