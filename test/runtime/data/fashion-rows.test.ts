import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fashionMnistFolder, readClassRows } from "../../../runtime/data/fashion.js";

const dir = mkdtempSync(join(tmpdir(), "figs-fashion-rows-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const image = (seed: number): number[] => Array.from({ length: 784 }, (_, i) => (i * 7 + seed * 13) % 256);

function classFile(name: string, rows: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `{"data": [${rows.join(",")}]}`);
  return file;
}

describe("reading the first images of a Fashion-MNIST class file", () => {
  it("reads only a prefix of the real file and agrees with JSON.parse of the whole of it", () => {
    const folder = fashionMnistFolder();
    if (!folder.ok) throw new Error(folder.diagnostic.message);
    const file = join(folder.value, "3.json");
    const all = (JSON.parse(readFileSync(file, "utf8")) as { data: number[][] }).data.filter((r) => r.length > 0);
    const rows = readClassRows(file, 1005);
    if (!rows.ok) throw new Error(rows.diagnostic.message);
    expect(rows.value).toHaveLength(1005);
    for (const at of [0, 1, 999, 1000, 1004]) expect(Array.from(rows.value[at]!)).toEqual(all[at]);
  });

  it("grows the prefix it reads when the images are longer than its guess", () => {
    const padded = Array.from({ length: 6 }, (_, r) => `[${image(r).join(",       ")}]`);
    expect(padded[0]!.length).toBeGreaterThan(2 * 2600);
    const rows = readClassRows(classFile("padded.json", padded), 5);
    if (!rows.ok) throw new Error(rows.diagnostic.message);
    expect(rows.value.map((r) => Array.from(r))).toEqual([0, 1, 2, 3, 4].map(image));
  });

  it("skips empty rows, as the package's class 0 file has one", () => {
    const rows = readClassRows(classFile("empty.json", [`[${image(1)}]`, "[]", `[${image(2)}]`]), 2);
    if (!rows.ok) throw new Error(rows.diagnostic.message);
    expect(rows.value.map((r) => r[1])).toEqual([image(1)[1], image(2)[1]]);
  });

  it("says how many images a short file holds", () => {
    const rows = readClassRows(classFile("short.json", [`[${image(1)}]`, `[${image(2)}]`]), 3);
    expect(rows.ok).toBe(false);
    if (!rows.ok) expect(rows.diagnostic.message).toMatch(/holds 2 images; 3 are needed/);
  });

  it("reports bad bytes with their position, in a file cut mid-image too", () => {
    const bad = readClassRows(classFile("bad.json", [`[${image(1)}]`, "[1,2,300]"]), 2);
    expect(!bad.ok && bad.diagnostic.message).toMatch(/a pixel that is not an integer in 0\.\.255 at byte \d+/);
    const long = readClassRows(classFile("long.json", [`[${[...image(1), 5]}]`]), 1);
    expect(!long.ok && long.diagnostic.message).toMatch(/more than 784 values/);
    const file = join(dir, "cut.json");
    writeFileSync(file, `{"data": [[${image(1)}],[1,2,3`);
    const cut = readClassRows(file, 2);
    expect(!cut.ok && cut.diagnostic.message).toMatch(/not a Fashion-MNIST class file/);
    expect(readClassRows(join(dir, "absent.json"), 1).ok).toBe(false);
  });
});
