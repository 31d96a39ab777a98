#!/usr/bin/env node
/**
 * The `figs` command: global flags, then dispatch to a subcommand from the
 * registry in `cli/commands/index.ts`. Anything thrown out of a command is a
 * bug in figs, so it is caught here, printed with its stack, and exits 2.
 * The registry is imported only past `--version`: its commands pull in the
 * compiler, which `figs --version` should not wait for.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  asksForJson,
  booleanOption,
  commandHelp,
  exampleLines,
  ExitCode,
  parseCommandArgs,
  resolveCommand,
  usageProblem,
  type Command,
  type CommandEntry,
  type Example,
  type ParsedArgs,
  type UsageKind,
} from "./command.js";
import { stopWithParent } from "../runtime/sweep/parent-watch.js";
import { processIo, withJsonStdout, type CliIo } from "./io.js";
import { reportUsage } from "./report.js";
import { figsVersion } from "./version.js";

/** Runs `figs argv…`; `commands` defaults to the registry of cli/commands/index.ts. */
export async function main(argv: readonly string[], io: CliIo, commands?: readonly CommandEntry[]): Promise<number> {
  try {
    if (isVersionFlag(argv[0])) return writeAndSucceed(io, `figs ${figsVersion()}\n`);
    return await dispatch(argv, io, commands ?? (await registeredCommands()));
  } catch (cause) {
    io.stderr.write(internalErrorReport(cause));
    return ExitCode.InternalError;
  }
}

async function dispatch(argv: readonly string[], io: CliIo, commands: readonly CommandEntry[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(globalHelp(commands));
    return ExitCode.UserError;
  }
  if (first === "--help" || first === "-h") return writeAndSucceed(io, globalHelp(commands));
  if (first === "help") return helpFor(rest[0], io, commands);
  // The global flag may come before the command too: `figs --json check …` is `figs check --json …`.
  if (first === "--json" && rest[0] !== undefined) return dispatch([rest[0], first, ...rest.slice(1)], io, commands);
  const json = asksForJson(argv);
  if (first === "--json") return usageError(io, json, "MissingOperand", "no command given");
  if (first.startsWith("-")) return usageError(io, json, "UnknownOption", `unknown option '${first}'`);
  const entry = findCommand(first, commands);
  if (!entry) return usageError(io, json, "UnknownCommand", unknownCommandMessage(first, commands));
  const command = await resolveCommand(entry);
  const parsed = parseCommandArgs(command, rest);
  if (!parsed.ok) return reportUsage({ io, who: `figs ${command.name}`, json: parsed.json }, parsed.diagnostic);
  if (parsed.help) return writeAndSucceed(io, commandHelp(command));
  return command.run(parsed.args, jsonOnlyOnStdout(command, parsed.args) ? withJsonStdout(io) : io);
}

/** `--json` given to a command without a JSON report of its own: stdout is for its diagnostics alone. */
function jsonOnlyOnStdout(command: Command, args: ParsedArgs): boolean {
  return booleanOption(args, "json") && command.options["json"] === undefined;
}

function isVersionFlag(argument: string | undefined): boolean {
  return argument === "--version" || argument === "-V";
}

async function registeredCommands(): Promise<readonly CommandEntry[]> {
  return (await import("./commands/index.js")).commands;
}

function findCommand(name: string, commands: readonly CommandEntry[]): CommandEntry | undefined {
  return commands.find((command) => command.name === name);
}

async function helpFor(name: string | undefined, io: CliIo, commands: readonly CommandEntry[]): Promise<number> {
  if (name === undefined) return writeAndSucceed(io, globalHelp(commands));
  const entry = findCommand(name, commands);
  if (!entry) return usageError(io, false, "UnknownCommand", unknownCommandMessage(name, commands));
  return writeAndSucceed(io, commandHelp(await resolveCommand(entry)));
}

function writeAndSucceed(io: CliIo, text: string): number {
  io.stdout.write(text);
  return ExitCode.Ok;
}

/** Before a command is known, `figs` itself reports, through the one path (cli/report.ts). */
function usageError(io: CliIo, json: boolean, kind: UsageKind, message: string): number {
  return reportUsage({ io, who: "figs", json }, usageProblem(kind, message));
}

/** What `figs --help` shows under "Examples:": every one works from the repository root. */
export const GLOBAL_EXAMPLES: readonly Example[] = [
  { command: "figs check examples/*.figs", says: 'checks the three example spaces and prints "3 files ok"' },
  {
    command: "figs cost examples/mbconv.figs --by block",
    says: "prints the params, madds and flops of a space, broken down by block",
  },
  {
    command: "figs demo",
    says: "searches, exports and retrains a small space on the embedded MNIST and prints its test accuracy",
  },
];

export function globalHelp(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "figs: a language and compiler for neural-architecture search spaces (FiGS)",
    "",
    "Usage: figs <command> [options] [arguments]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Options:",
    "  -h, --help     show this help (or 'figs <command> --help' for a command's)",
    "  -V, --version  print the version of figs",
    "      --json     print a command's diagnostics as JSON on stdout (before or after the command)",
    "",
    "Examples:",
    ...exampleLines(GLOBAL_EXAMPLES),
    "",
  ].join("\n");
}

function unknownCommandMessage(name: string, commands: readonly CommandEntry[]): string {
  const close = commands.filter((c) => editDistance(c.name, name) <= 2).map((c) => `'${c.name}'`);
  return `unknown command '${name}'${close.length > 0 ? `; did you mean ${close.join(" or ")}?` : ""}`;
}

/** Levenshtein distance, for "did you mean" on mistyped command names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function internalErrorReport(cause: unknown): string {
  const detail = cause instanceof Error ? (cause.stack ?? `${cause.name}: ${cause.message}`) : String(cause);
  return `figs: internal error (a bug in figs; please report it with the command you ran)\n${detail}\n`;
}

/** True when this file is the program node runs, not a module a test imported. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// No top-level await: a sweep's in-process jobs import this module (cli/sweep-jobs.ts), and an import of a
// module still evaluating its top-level await would wait for the command that asked for it, for ever.
if (isEntryPoint()) {
  // A sweep's job: stop as on SIGTERM when the sweep or worker that started it dies (runtime/sweep/parent-watch.ts).
  const unwatch = stopWithParent({
    env: process.env,
    stdin: process.stdin,
    stop: () => process.kill(process.pid, "SIGTERM"),
  });
  void main(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
    unwatch();
  });
}
