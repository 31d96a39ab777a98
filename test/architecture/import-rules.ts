/**
 * The import rules of docs/architecture.md as data: which layer may import
 * what. Pure, so the rules are tested on made-up imports as well as on the
 * tree (imports.test.ts).
 */
import { posix } from "node:path";
import ts from "typescript";

/** The layers, in the one direction imports go: a layer imports only earlier ones. */
export const LAYERS = ["diagnostics", "grammar", "compiler", "runtime", "cli"] as const;
export type Layer = (typeof LAYERS)[number];

/** The compiler's front door: the only compiler module code outside compiler/ may import. */
export const COMPILER_FACADE = "compiler/index.ts";

export interface Import {
  /** The importing file, relative to the repository root, with forward slashes. */
  readonly from: string;
  /** As written: "../compiler/index.js", "@tensorflow/tfjs", "node:fs". */
  readonly specifier: string;
}

export interface Violation {
  readonly from: string;
  readonly specifier: string;
  readonly rule: string;
}

/** Every import, re-export and dynamic `import()` of a TypeScript text (not those in strings or comments). */
export function importsOf(from: string, text: string): Import[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => ({ from, specifier: file.fileName }));
}

/** The repository path a relative import names, as a .ts file; undefined for a package or `node:` import. */
export function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return posix.join(posix.dirname(from), specifier).replace(/\.js$/, ".ts");
}

function layerOf(path: string): Layer | undefined {
  const top = path.split("/")[0];
  return LAYERS.find((layer) => layer === top);
}

const COMMANDS = "cli/commands/";
/** Commands every command may import, and the one that may import every command. */
const SHARED_COMMAND_FILES = new Set(["cli/commands/summaries.ts"]);
const COMMAND_REGISTRY = "cli/commands/index.ts";

/** The rule an import breaks, or undefined. */
export function brokenRule(from: string, specifier: string): string | undefined {
  const source = layerOf(from);
  if (source === undefined) return undefined;
  if (source === "compiler" && specifier.startsWith("@tensorflow/")) return "the compiler never imports tfjs";
  const target = resolveImport(from, specifier);
  const targetLayer = target === undefined ? undefined : layerOf(target);
  if (target === undefined || targetLayer === undefined) return undefined;
  if (LAYERS.indexOf(targetLayer) > LAYERS.indexOf(source)) return `${source}/ never imports ${targetLayer}/`;
  if (source === "runtime" && targetLayer === "grammar") return "the runtime never imports grammar/";
  if (targetLayer === "compiler" && source !== "compiler" && target !== COMPILER_FACADE) {
    return `outside compiler/, import the compiler through its façade (${COMPILER_FACADE}), not ${target}`;
  }
  if (isCommand(from) && isCommand(target) && from !== COMMAND_REGISTRY && !SHARED_COMMAND_FILES.has(target)) {
    return "a command never imports another command: move what they share into a module of cli/";
  }
  return undefined;
}

function isCommand(path: string): boolean {
  return path.startsWith(COMMANDS) && !path.slice(COMMANDS.length).includes("/");
}

export function violations(imports: readonly Import[]): Violation[] {
  return imports.flatMap(({ from, specifier }) => {
    const rule = brokenRule(from, specifier);
    return rule === undefined ? [] : [{ from, specifier, rule }];
  });
}
