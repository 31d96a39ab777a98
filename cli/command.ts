/**
 * The shape every `figs` subcommand has, and the argument parsing and help
 * text they share. A command is one file in `cli/commands/` listed in
 * `cli/commands/index.ts`; `cli/main.ts` only dispatches.
 */
import { parseArgs } from "node:util";
import { codeOf } from "../diagnostics/codes.js";
import { plainError, type Diagnostic } from "../diagnostics/diagnostic.js";
import { failed, type Result } from "../diagnostics/result.js";
import type { CliIo } from "./io.js";

/** 0 success, 1 the user's input is wrong (diagnostics, usage), 2 a bug in figs. */
export const ExitCode = { Ok: 0, UserError: 1, InternalError: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface OptionSpec {
  readonly type: "boolean" | "string";
  readonly short?: string;
  /** May be given several times (`--set a=1 --set b=2`); its value is then a list. */
  readonly multiple?: boolean;
  /** Shown in help after the option, e.g. `--print-width N`. */
  readonly valueName?: string;
  readonly description: string;
}

export type OptionsSpec = Readonly<Record<string, OptionSpec>>;

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** One example in a command's help: a command line that works from the repository root, and what it does. */
export interface Example {
  /** The whole command line, starting with `figs <command>`. */
  readonly command: string;
  /** What it does or prints, one short sentence. */
  readonly says: string;
}

export interface Command {
  readonly name: string;
  /** One line, shown by `figs --help`. */
  readonly summary: string;
  /** Argument synopsis after the command name, e.g. `[--json] FILES…`. */
  readonly usage: string;
  /** Paragraphs shown by `figs <name> --help` between usage and options. */
  readonly description: string;
  readonly options: OptionsSpec;
  /** Two or three real command lines, shown under "Examples:" by `figs <name> --help`. */
  readonly examples: readonly [Example, Example, ...Example[]];
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/**
 * A registry entry whose command module is imported only when it runs: the
 * runtime commands pull in TensorFlow.js and the diff command vega, which
 * would add seconds to every `figs check`. Its name and summary are what
 * `figs --help` lists without loading it.
 */
export interface LazyCommand {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

export type CommandEntry = Command | LazyCommand;

/** The command behind a registry entry, imported now if it is lazy. */
export async function resolveCommand(entry: CommandEntry): Promise<Command> {
  return "load" in entry ? entry.load() : entry;
}

/** Added to every command, so no command has to declare it. */
const helpOption: OptionSpec = { type: "boolean", short: "h", description: "show this help and exit" };

/**
 * The global `--json`, added to every command that does not declare its own
 * (those print their report as JSON too): the reporting path (cli/report.ts)
 * then prints diagnostics as JSON on stdout.
 */
const jsonOption: OptionSpec = { type: "boolean", description: "print diagnostics as JSON on stdout" };

/** Every option a command accepts: its own, then the global --json and --help. */
export function allOptions(command: Command): OptionsSpec {
  return { ...command.options, ...(command.options["json"] ? {} : { json: jsonOption }), help: helpOption };
}

/** What a user can get wrong on the command line, each a code of the one table. */
export type UsageKind = "UnknownCommand" | "UnknownOption" | "InvalidOption" | "MissingOperand" | "ConflictingOptions";

/** A command-line problem: no location, its message names the option or argument. */
export function usageProblem(kind: UsageKind, message: string): Diagnostic {
  return plainError(codeOf(kind), message);
}

/** An option or argument whose value is not accepted, as a failed result. */
export function invalidOption<T>(message: string): Result<T> {
  return failed(usageProblem("InvalidOption", message));
}

export type ArgsResult =
  | { readonly ok: true; readonly help: boolean; readonly args: ParsedArgs }
  | { readonly ok: false; readonly diagnostic: Diagnostic; readonly json: boolean };

/** Whether `--json` is among the options of `argv` (before `--`), for arguments that fail to parse. */
export function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

/** Parses a command's arguments; a bad option is a diagnostic for the user, not an exception. */
export function parseCommandArgs(command: Command, argv: readonly string[]): ArgsResult {
  const options = allOptions(command);
  const config = Object.fromEntries(
    Object.entries(options).map(([name, spec]) => [
      name,
      { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) },
    ]),
  );
  try {
    const parsed = parseArgs({
      args: joinNegativeValues(options, argv),
      options: config,
      allowPositionals: true,
      strict: true,
    });
    const { help, ...values } = parsed.values;
    return {
      ok: true,
      help: help === true,
      args: { values: values as ParsedArgs["values"], positionals: parsed.positionals },
    };
  } catch (cause) {
    return {
      ok: false,
      diagnostic: usageProblem("UnknownOption", describeArgumentError(cause)),
      json: asksForJson(argv),
    };
  }
}

/** `-1`, `-0.5`, `-.5`, `-2e-3`, `-3k`: a token that can only be a negative number, never an option. */
const NEGATIVE_NUMBER = /^-\.?\d/;

/**
 * Node's parseArgs refuses an option value that starts with '-' ("argument is
 * ambiguous"), so `--lambda -1` would never reach the command's own check,
 * which says what the value must be. A string option followed by a negative
 * number becomes `--lambda=-1` (`-w -1` becomes `--width=-1`); everything
 * after `--` stays as it is.
 */
export function joinNegativeValues(options: OptionsSpec, argv: readonly string[]): string[] {
  const byShort = new Map(
    Object.entries(options).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])),
  );
  const takesValue = (token: string): string | undefined => {
    const name = token.startsWith("--")
      ? token.slice(2)
      : token.length === 2 && token.startsWith("-")
        ? byShort.get(token.slice(1))
        : undefined;
    return name !== undefined && options[name]?.type === "string" ? name : undefined;
  };
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === "--") {
      joined.push(...argv.slice(i));
      break;
    }
    const name = takesValue(token);
    const next = argv[i + 1];
    if (name !== undefined && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      joined.push(`--${name}=${next}`);
      i++;
    } else {
      joined.push(token);
      // A string option's value is never an option name itself, even one that looks like it.
      if (name !== undefined && next !== undefined) {
        joined.push(next);
        i++;
      }
    }
  }
  return joined;
}

/** Node's parseArgs messages are long and mention internals; keep their first sentence. */
function describeArgumentError(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  const firstSentence = message.split(/\.\s/)[0] ?? message;
  return firstSentence.replace(/^Unknown option/, "unknown option").replace(/^Option/, "option");
}

export function booleanOption(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** A string option's value; for an option given several times, the last one. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  if (Array.isArray(value)) return value[value.length - 1];
  return typeof value === "string" ? value : undefined;
}

/** Every value of an option that may repeat, in order. */
export function stringOptions(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  if (Array.isArray(value)) return [...value];
  return typeof value === "string" ? [value] : [];
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: figs ${command.name} ${command.usage}`, "", command.summary];
  if (command.description) lines.push("", command.description);
  lines.push("", "Options:", ...optionLines(allOptions(command)));
  lines.push("", "Examples:", ...exampleLines(command.examples));
  return lines.join("\n") + "\n";
}

/** Each example's command line, then what it does, indented below it. */
export function exampleLines(examples: readonly Example[]): string[] {
  return examples.flatMap((example) => [`  ${example.command}`, `      ${example.says}`]);
}

function optionLines(options: OptionsSpec): string[] {
  const entries = Object.entries(options).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : "    ";
    const value = spec.type === "string" ? ` ${spec.valueName ?? "VALUE"}` : "";
    return { left: `  ${short}--${name}${value}`, right: spec.description };
  });
  const width = Math.max(...entries.map((e) => e.left.length));
  return entries.map((e) => `${e.left.padEnd(width)}  ${e.right}`);
}
