/** Golden files: test/fixtures/format/<case>/input.figs formats to output.figs beside it. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fmt } from "./helpers.js";

const fixtures = fileURLToPath(new URL("../fixtures/format/", import.meta.url));
const cases = readdirSync(fixtures).filter((name) => existsSync(join(fixtures, name, "input.figs")));

describe("golden formatting", () => {
  it("has cases", () => expect(cases.length).toBeGreaterThan(5));
  for (const name of cases) {
    it(name, async () => {
      const input = readFileSync(join(fixtures, name, "input.figs"), "utf8");
      const formatted = await fmt(input);
      await expect(formatted).toMatchFileSnapshot(join(fixtures, name, "output.figs"));
      expect(await fmt(formatted), "the output is already formatted").toBe(formatted);
    });
  }
});
