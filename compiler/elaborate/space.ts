/**
 * The top of elaboration: the one namespace of definitions and top-level
 * constants, choosing the space, and binding its parameters (defaults and
 * `--set name=value` overrides, each value parsed as a .figs expression).
 */
import type * as A from "../../grammar/ast.js";
import { parse } from "../../grammar/parse.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error, fileError } from "../../diagnostics/diagnostic.js";
import type { SourceFile } from "../../diagnostics/source.js";
import { article, declaredNote, definitionParams, type ParamSpec } from "./binding.js";
import { bindParameters } from "./calls.js";
import { evaluateChain } from "./chains.js";
import { Env, fail, NONE, type Elaboration, type Frame } from "./context.js";
import type { LoadedModule } from "./modules.js";
import type { Reporter } from "./reporter.js";
import { operatorArgument } from "./operator-args.js";
import { didYouMean } from "./suggest.js";
import { coerce, paramTypeName, str, typeName, type Value } from "./values.js";

export interface Namespace {
  readonly definitions: Map<string, A.Definition>;
  readonly constants: A.LetStatement[];
}

/** Definitions and top-level lets of every loaded file share one namespace; a name defined twice is an error. */
export function collectNamespace(modules: readonly LoadedModule[], reporter: Reporter): Namespace {
  const namespace: Namespace = { definitions: new Map(), constants: [] };
  const first = new Map<string, A.Identifier>();
  for (const module of modules) {
    for (const item of module.program.items) {
      if (item.kind === "Import") continue;
      const previous = first.get(item.name.name);
      if (previous) {
        const note = { message: `'${item.name.name}' is first defined here`, range: previous.range };
        reporter.report(
          error(codeOf("DuplicateDefinition"), `'${item.name.name}' is defined twice`, item.name.range, [note]),
        );
        continue;
      }
      first.set(item.name.name, item.name);
      if (item.kind === "Definition") namespace.definitions.set(item.name.name, item);
      else namespace.constants.push(item);
    }
  }
  return namespace;
}

/** Top-level constants, in file order (imported files first); they must be compile-time values. */
export function evaluateConstants(ctx: Elaboration, constants: readonly A.LetStatement[], frame: Frame): void {
  for (const constant of constants) {
    let value = evaluateChain(constant.value, frame, NONE);
    if (value?.kind === "tensor") {
      value = fail(
        ctx,
        "NotATensor",
        `top-level constant '${constant.name.name}' must be a compile-time value, not a tensor`,
        constant.value.range,
      );
    }
    ctx.globals.declare(constant.name.name, value, constant.name.range);
  }
}

export function chooseSpace(
  ctx: Elaboration,
  requested: string | undefined,
  root: LoadedModule | undefined,
  rootSource: SourceFile,
): A.Definition | undefined {
  // Which space to build is a problem of the whole file: no line of it to point at.
  const ofFile = (message: string): undefined => {
    ctx.reporter.report(fileError(codeOf("NoSpace"), message, rootSource.path));
    return undefined;
  };
  const allSpaces = [...ctx.definitions.values()].filter((d) => d.definitionKind === "space");
  if (requested !== undefined) {
    const chosen = allSpaces.find((d) => d.name.name === requested);
    if (chosen) return chosen;
    const names = allSpaces.map((d) => d.name.name);
    const listed = names.length > 0 ? ` (spaces: ${names.join(", ")})` : "";
    return ofFile(`there is no space '${requested}'${didYouMean(requested, names) || listed}`);
  }
  const spaces = (root?.program.items ?? []).filter(
    (item): item is A.Definition => item.kind === "Definition" && item.definitionKind === "space",
  );
  if (spaces.length === 1) return spaces[0];
  if (spaces.length === 0) return ofFile("this file defines no space: add 'space name() { input(h, w, c) … }'");
  const notes = spaces.map((s) => ({ message: `space '${s.name.name}' is defined here`, range: s.name.range }));
  const names = spaces.map((s) => s.name.name).join(", ");
  return fail(
    ctx,
    "AmbiguousSpace",
    `this file defines ${spaces.length} spaces (${names}): choose one with --space`,
    spaces[1]!.name.range,
    notes,
  );
}

export interface BoundSpace {
  readonly env: Env;
  readonly values: ReadonlyMap<string, Value>;
}

/** The space's parameters: overrides first, then defaults; sources of overrides go into `sources`. */
export function bindSpace(
  ctx: Elaboration,
  space: A.Definition,
  frame: Frame,
  set: Readonly<Record<string, string>>,
  sources: Map<string, SourceFile>,
): BoundSpace | undefined {
  const params = definitionParams(ctx, space);
  if (!params) return undefined;
  const overrides = parseOverrides(ctx, space, params, frame, set, sources);
  if (!overrides) return undefined;
  const env = new Env(ctx.globals);
  let ok = true;
  for (const [i, param] of space.params.entries()) {
    if (overrides.has(param.name.name) || param.defaultValue) continue;
    const message =
      `space parameter '${param.name.name}' has no default: ` + `give it with --set ${param.name.name}=<value>`;
    ok = false;
    fail(ctx, "MissingArgument", message, param.range, declaredNote(params[i]!));
  }
  const bound = new Map([...overrides].map(([name, value]) => [name, { value, range: space.name.range }]));
  const spaceFrame: Frame = { ...frame, env };
  if (!ok || !bindParameters(spaceFrame, space, params, bound, undefined)) return undefined;
  const values = new Map(params.map((p) => [p.name, env.lookup(p.name)!.value!]));
  return { env, values };
}

function parseOverrides(
  ctx: Elaboration,
  space: A.Definition,
  params: readonly ParamSpec[],
  frame: Frame,
  set: Readonly<Record<string, string>>,
  sources: Map<string, SourceFile>,
): Map<string, Value> | undefined {
  const values = new Map<string, Value>();
  let ok = true;
  for (const [name, text] of Object.entries(set)) {
    const value = parseOverride(ctx, space, params, frame, name, text, sources);
    if (value) values.set(name, value);
    else ok = false;
  }
  return ok ? values : undefined;
}

function parseOverride(
  ctx: Elaboration,
  space: A.Definition,
  params: readonly ParamSpec[],
  frame: Frame,
  name: string,
  text: string,
  sources: Map<string, SourceFile>,
): Value | undefined {
  const path = `<--set ${name}>`;
  const parsed = parse(`let ${name} = ${text}`, path);
  sources.set(path, parsed.source);
  const spec = params.find((p) => p.name === name);
  if (!spec) {
    const hint =
      didYouMean(
        name,
        params.map((p) => p.name),
      ) || `; its parameters: ${params.map((p) => p.name).join(", ") || "none"}`;
    const note = { message: `space '${space.name.name}' is defined here`, range: space.name.range };
    return fail(
      ctx,
      "InvalidOverride",
      `space '${space.name.name}' has no parameter '${name}'${hint}`,
      parsed.source.rangeAt(4, 4 + name.length),
      [note],
    );
  }
  // `--set act=swish` means the string; quoting it for the shell would be a chore.
  if (spec.type.kind === "string" && !text.trimStart().startsWith('"')) return str(text);
  const statement = parsed.ast?.items[0];
  parsed.diagnostics.forEach((d) => ctx.reporter.report(d));
  if (!statement || statement.kind !== "Let") return undefined;
  // `--set act=hardswish` for an `op` parameter: the operator of that name.
  const value =
    spec.type.kind === "op"
      ? operatorArgument(statement.value, { frame, incoming: NONE })
      : evaluateChain(statement.value, frame, NONE);
  if (!value) return undefined;
  const converted = coerce(value, spec.type);
  if (converted) return converted;
  const message = `--set ${name} must be ${article(paramTypeName(spec.type))}, got ${typeName(value)}`;
  return fail(ctx, "TypeMismatch", message, statement.value.range, declaredNote(spec));
}
