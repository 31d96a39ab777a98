// Every command's help ends with real examples and says what its exit status
// means (issue #11), and so does `figs --help`. The examples name files that
// exist, and the quick ones (check, fmt, compile, cost) run as written from a
// copy of the repository's spaces/ and examples/.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commandHelp, resolveCommand, type Command, type Example } from "../../cli/command.js";
import { commands } from "../../cli/commands/index.js";
import { GLOBAL_EXAMPLES, globalHelp, main } from "../../cli/main.js";
import { memoryIo } from "./helpers.js";

const resolved: Command[] = await Promise.all(commands.map((entry) => resolveCommand(entry)));

/** `spaces/x.figs`, `examples/`, … in an example: the repository files it needs. */
function repositoryPaths(example: Example): string[] {
  return example.command.split(/\s+/).filter((word) => /^(spaces|examples)\//.test(word) && !word.includes("*"));
}

describe.each(resolved.map((command) => [command.name, command] as const))("figs %s --help", (name, command) => {
  it("shows two or three examples of the command and the meaning of its exit status", async () => {
    const run = memoryIo();
    expect(await main([name, "--help"], run.io)).toBe(0);
    const help = run.stdout();
    expect(help).toBe(commandHelp(command));
    expect(help).toMatch(/\nExit status: 0 /);
    expect(help).toMatch(/\n\nExamples:\n( {2}figs .+\n {6}\S.+\n){2,3}$/);
    expect(command.examples.length).toBeGreaterThanOrEqual(2);
    expect(command.examples.length).toBeLessThanOrEqual(3);
    for (const example of command.examples) {
      expect(example.command).toMatch(new RegExp(`^figs ${name}( |$)`));
      expect(example.says).not.toBe("");
      for (const path of repositoryPaths(example))
        expect(existsSync(resolve(path)), `${example.command}: ${path}`).toBe(true);
    }
  });
});

describe("figs --help", () => {
  it("ends with two or three examples that name registered commands", () => {
    const help = globalHelp(commands);
    expect(help).toMatch(/\nExamples:\n( {2}figs .+\n {6}\S.+\n){2,3}$/);
    for (const example of GLOBAL_EXAMPLES) {
      expect(commands.map((c) => c.name)).toContain(example.command.split(" ")[1]);
      for (const path of repositoryPaths(example)) expect(existsSync(resolve(path)), path).toBe(true);
    }
  });
});

describe("the examples of the quick commands", () => {
  const root = mkdtempSync(join(tmpdir(), "figs-examples-"));
  for (const folder of ["spaces", "examples"]) cpSync(resolve(folder), join(root, folder), { recursive: true });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Exits other than 0 that an example's text announces. */
  const EXPECTED_EXIT: Record<string, number> = { "figs fmt --check --print-width 80 spaces/": 1 };
  const quick = resolved
    .filter((command) => ["check", "fmt", "compile", "cost"].includes(command.name))
    .flatMap((command) => command.examples)
    .filter((example) => !example.command.includes("arch.json"));

  it.each(quick.map((example) => [example.command]))("%s runs as written", async (line) => {
    const words = line.split(/\s+/);
    const stdinAt = words.indexOf("<");
    const stdin = stdinAt < 0 ? undefined : readFileSync(join(root, words[stdinAt + 1]!), "utf8");
    const args = (stdinAt < 0 ? words : words.slice(0, stdinAt)).slice(1).flatMap((word) => expandGlob(root, word));
    const run = memoryIo({ cwd: root, ...(stdin === undefined ? {} : { stdin }) });
    const code = await main(args, run.io);
    expect(code, run.stderr()).toBe(EXPECTED_EXIT[line] ?? 0);
    expect(run.stderr()).not.toMatch(/error|Run 'figs/);
  });
});

/** `examples/*.figs` as a shell expands it; every other word as it is. */
function expandGlob(root: string, word: string): string[] {
  const match = /^(\w+)\/\*(\.\w+)$/.exec(word);
  if (!match) return [word];
  const [, folder, extension] = match;
  return readdirSync(join(root, folder!))
    .filter((name) => name.endsWith(extension!))
    .sort()
    .map((name) => `${folder}/${name}`);
}
