import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ExitCode, resolveCommand, type Command } from "../../cli/command.js";
import { commands } from "../../cli/commands/index.js";
import { globalHelp, main } from "../../cli/main.js";
import { memoryIo } from "./helpers.js";

const packageVersion = (await import("../../package.json", { with: { type: "json" } })).default.version;

describe("figs global flags and dispatch", () => {
  it("--help lists every registered command with its summary", async () => {
    const run = memoryIo();
    expect(await main(["--help"], run.io)).toBe(ExitCode.Ok);
    const listed = run
      .stdout()
      .split("\n")
      .map((line) => /^ {2}(\S+) +(.+)$/.exec(line)?.slice(1, 3));
    for (const command of commands) expect(listed).toContainEqual([command.name, command.summary]);
    expect(run.stdout()).toMatch(/\n {2}check +check \.figs files and report every diagnostic\n/);
    expect(run.stderr()).toBe("");
  });

  it("loads each lazy command as the command its entry names and summarises", async () => {
    const lazy = commands.filter((entry) => "load" in entry);
    expect(lazy.map((entry) => entry.name)).toEqual(expect.arrayContaining(["diff", "search", "retrain", "demo"]));
    for (const entry of lazy) {
      const command = await resolveCommand(entry);
      expect([command.name, command.summary]).toEqual([entry.name, entry.summary]);
      expect(typeof command.run).toBe("function");
    }
  });

  it("no arguments prints the help to stderr and fails", async () => {
    const run = memoryIo();
    expect(await main([], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr()).toBe(globalHelp(commands));
  });

  it("--version prints the package version", async () => {
    const run = memoryIo();
    expect(await main(["--version"], run.io)).toBe(ExitCode.Ok);
    expect(run.stdout()).toBe(`figs ${packageVersion}\n`);
  });

  it("<command> --help and help <command> print the command's help", async () => {
    const viaFlag = memoryIo();
    const viaHelp = memoryIo();
    expect(await main(["fmt", "--help"], viaFlag.io)).toBe(ExitCode.Ok);
    expect(await main(["help", "fmt"], viaHelp.io)).toBe(ExitCode.Ok);
    expect(viaFlag.stdout()).toBe(viaHelp.stdout());
    expect(viaFlag.stdout()).toMatch(/^Usage: figs fmt \[--check\] \[--print-width N\] FILES…\n/);
    expect(viaFlag.stdout()).toMatch(/--print-width N +the line length to aim for/);
    expect(viaFlag.stdout()).toMatch(/-h, --help +show this help and exit/);
  });

  it("the help texts of check and fmt are stable", async () => {
    const texts = [];
    for (const args of [
      ["check", "--help"],
      ["fmt", "--help"],
    ]) {
      const run = memoryIo();
      await main(args, run.io);
      texts.push(`$ figs ${args.join(" ")}\n${run.stdout()}`);
    }
    await expect(texts.join("\n")).toMatchFileSnapshot("fixtures/help.txt");
  });

  it("an unknown command fails with a suggestion", async () => {
    const run = memoryIo();
    expect(await main(["chek", "a.figs"], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr()).toBe(
      "figs: error FIGS6001: unknown command 'chek'; did you mean 'check'?\nRun 'figs --help' for usage.\n",
    );
  });

  it("an unknown global or command option fails with a clear message", async () => {
    const global = memoryIo();
    expect(await main(["--frobnicate"], global.io)).toBe(ExitCode.UserError);
    expect(global.stderr()).toContain("figs: error FIGS6002: unknown option '--frobnicate'");
    const local = memoryIo();
    expect(await main(["check", "--frobnicate", "a.figs"], local.io)).toBe(ExitCode.UserError);
    expect(local.stderr()).toBe(
      "figs check: error FIGS6002: unknown option '--frobnicate'\nRun 'figs check --help' for usage.\n",
    );
  });

  it("an option missing its value is a usage error", async () => {
    const run = memoryIo();
    expect(await main(["fmt", "--print-width"], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr()).toMatch(/^figs fmt: error FIGS6002: option '--print-width <value>' argument missing/);
  });

  it("an exception escaping a command is an internal error with its stack, exit 2", async () => {
    const broken: Command = {
      name: "broken",
      summary: "always throws",
      usage: "",
      description: "",
      options: {},
      examples: [
        { command: "figs broken", says: "throws" },
        { command: "figs broken --help", says: "prints this help" },
      ],
      run: () => Promise.reject(new Error("boom")),
    };
    const run = memoryIo();
    expect(await main(["broken"], run.io, [broken])).toBe(ExitCode.InternalError);
    expect(run.stderr()).toMatch(
      /^figs: internal error \(a bug in figs; please report it with the command you ran\)\nError: boom\n {4}at /,
    );
  });
});

describe("the figs binary", () => {
  it("runs as a program: version, then check of the examples", () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "cli/main.ts", ...args], { encoding: "utf8" });
    const version = run(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`figs ${packageVersion}\n`);
    const check = run([
      "check",
      "examples/one_shot_cell.figs",
      "examples/resnet_bottleneck.figs",
      "examples/mbconv.figs",
    ]);
    expect(check.stderr).toBe("3 files ok\n");
    expect(check.status).toBe(0);
  });
});
