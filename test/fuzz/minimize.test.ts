/** The minimizer `npm run fuzz` shrinks failures with: smaller, and still failing. */
import { describe, expect, it } from "vitest";
import { minimize } from "./minimize.js";

describe("minimize", () => {
  it("keeps only what the failure needs", async () => {
    const text = "op a() {\n  relu\n}\nblock b() {\n    conv(3, 16)   -> X -> bn\n}\n";
    expect(await minimize(text, async (t) => t.includes("X"))).toBe("X");
    expect(await minimize(text, async (t) => /\(.*X/s.test(t))).toBe("(X");
  });

  it("returns a text that does not fail unchanged", async () => {
    expect(await minimize("a b", async () => false)).toBe("a b");
  });
});
