import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "test/**/*.test.ts",
      "diagnostics/**/*.test.ts",
      "grammar/**/*.test.ts",
      "compiler/**/*.test.ts",
      "runtime/**/*.test.ts",
      "cli/**/*.test.ts",
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
