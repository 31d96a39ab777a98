// Backend selection: libtensorflow packages first when they load, then wasm
// with figs kernels, then cpu; `--backend` overrides; one description line.
import * as tf from "@tensorflow/tfjs";
import { afterEach, describe, expect, it } from "vitest";
import { describeBackend, parseBackendName, selectBackend } from "../../runtime/backend/select.js";

const missing = (specifier: string): Promise<unknown> => Promise.reject(new Error(`Cannot find module '${specifier}'`));

/** Pretends `pkg` is installed: loading it registers a "tensorflow" backend. */
function installed(pkg: string): (specifier: string) => Promise<unknown> {
  return async (specifier) => {
    if (specifier !== pkg) return missing(specifier);
    const cpu = tf.findBackendFactory("cpu");
    if (cpu === null) throw new Error("cpu backend missing");
    tf.registerBackend("tensorflow", cpu);
    return {};
  };
}

afterEach(() => {
  if (tf.findBackend("tensorflow") !== null || tf.findBackendFactory("tensorflow") !== null)
    tf.removeBackend("tensorflow");
});

describe("selectBackend", () => {
  it("uses the wasm backend with figs kernels when tfjs-node is absent", async () => {
    const choice = await selectBackend({ importer: missing });
    expect(choice.name).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(choice.skipped).toEqual([
      "tensorflow-gpu: @tensorflow/tfjs-node-gpu not installed",
      "tensorflow: @tensorflow/tfjs-node not installed",
    ]);
    expect(describeBackend(choice)).toMatch(/^backend: wasm — tfjs-backend-wasm .* training kernels \(skipped /);
  });

  it("really probes the optional packages without requiring them", async () => {
    const choice = await selectBackend();
    expect(["tensorflow-gpu", "tensorflow", "wasm"]).toContain(choice.name);
  });

  it("prefers tfjs-node-gpu, then tfjs-node", async () => {
    const gpu = await selectBackend({ importer: installed("@tensorflow/tfjs-node-gpu") });
    expect(gpu.name).toBe("tensorflow-gpu");
    expect(gpu.skipped).toEqual([]);
    tf.removeBackend("tensorflow");
    const node = await selectBackend({ importer: installed("@tensorflow/tfjs-node") });
    expect(node.name).toBe("tensorflow");
    expect(node.tfBackend).toBe("tensorflow");
    expect(describeBackend(node)).toContain("libtensorflow via @tensorflow/tfjs-node");
  });

  it("honours an override", async () => {
    expect((await selectBackend({ override: "cpu", importer: missing })).name).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect((await selectBackend({ override: "wasm", importer: missing })).name).toBe("wasm");
  });

  it("fails clearly when an explicit override cannot load", async () => {
    await expect(selectBackend({ override: "tensorflow", importer: missing })).rejects.toThrow(
      /@tensorflow\/tfjs-node not installed/,
    );
  });

  it("rejects unknown backend names", () => {
    expect(parseBackendName("auto")).toBe("auto");
    expect(parseBackendName("wasm")).toBe("wasm");
    expect(() => parseBackendName("webgpu")).toThrow(/unknown backend 'webgpu'/);
  });
});
