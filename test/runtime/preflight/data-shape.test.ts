// Data whose images or classes do not fit the space (issue #11, item 7): refused before training, with the fix.
import { describe, expect, it } from "vitest";
import { compile, type CompileResult } from "../../../compiler/index.js";
import { loadDataset } from "../../../runtime/data/load.js";
import { callArguments, dataShapeOf, dataShapeProblem, type DataShape } from "../../../runtime/preflight/index.js";

const MNIST: DataShape = { name: "mnist", height: 28, width: 28, channels: 1, classes: 10 };

function compiled(path: string, set: Record<string, string> = {}, text?: string): CompileResult {
  const result = compile({ path, set, ...(text === undefined ? {} : { text }) });
  if (!result.ir) throw new Error(result.diagnostics.map((d) => d.message).join("; "));
  return result;
}

const readFrom = (result: CompileResult) => (path: string) => result.sources.get(path)?.text;

describe("dataShapeProblem: the input", () => {
  it("accepts data of the space's shape, from a Dataset or its shape", () => {
    const { ir } = compiled("spaces/mnist_convnet.figs", { width: "8", hidden: "32" });
    const loaded = loadDataset("mnist", { limit: 10 });
    if (!loaded.ok) throw new Error(loaded.diagnostic.message);
    expect(dataShapeOf(loaded.value)).toEqual(MNIST);
    expect(dataShapeProblem(ir!, loaded.value)).toBeUndefined();
    expect(dataShapeProblem(ir!, MNIST)).toBeUndefined();
  });

  it("a space whose input is written in the file (resnet_bottleneck on MNIST): both shapes, and --data", () => {
    const result = compiled("examples/resnet_bottleneck.figs", { F: "4", blocks: "1" });
    const problem = dataShapeProblem(result.ir!, MNIST, { readSource: readFrom(result) });
    expect(problem?.code).toBe("FIGS5002");
    expect(problem?.message).toBe(
      "the data's images are 28×28×1 (mnist), but the space 'resnet_small' takes 32×32×3 images " +
        "(input(32, 32, 3) at examples/resnet_bottleneck.figs:27:3); " +
        "its input size is written in examples/resnet_bottleneck.figs, not set by a space parameter: " +
        "choose data of 32×32×3 images with --data (cifar10:DIR), or edit the input there",
    );
    expect(problem?.range?.start.line).toBe(27);
  });

  it("IDX files of 32×32 with a 28×28 space", () => {
    const { ir } = compiled("spaces/mnist_convnet.figs");
    const problem = dataShapeProblem(ir!, { name: "idx:/data/big", height: 32, width: 32, channels: 1, classes: 10 });
    expect(problem?.message).toMatch(
      /^the data's images are 32×32×1 \(idx:\/data\/big\), but the space 'mnist_convnet' takes 28×28×1 images/,
    );
    const hint = "choose data of 28×28×1 images with --data (mnist, fashion-mnist, or idx:DIR)";
    expect(problem?.message).toContain(hint);
  });

  it("a space whose input size is a parameter: the --set that fits, read from the source", () => {
    const result = compiled("spaces/mobilenet_v2.figs");
    const problem = dataShapeProblem(result.ir!, MNIST, { readSource: readFrom(result) });
    const takes = "takes 224×224×3 images (input(224, 224, 3) at spaces/mobilenet_v2.figs:12:3)";
    expect(problem?.message).toContain(takes);
    expect(problem?.message).toContain(
      "run with --set size=28,channels=1 to build the space for these images, or choose data of 224×224×3 images",
    );
  });

  it("without the source, parameters whose value and name fit are taken", () => {
    const { ir } = compiled("spaces/mobilenet_v2.figs");
    expect(dataShapeProblem(ir!, MNIST)?.message).toContain("run with --set size=28,channels=1");
    const { ir: resnet } = compiled("examples/resnet_bottleneck.figs");
    expect(dataShapeProblem(resnet!, MNIST)?.message).toContain("not set by a space parameter");
  });

  it("a size computed from a parameter names the parameter; one parameter cannot fit non-square images", () => {
    const text =
      "space s(n: int = 16) {\n  input(n * 2, n * 2, 1)\n  conv(3, 4) -> global_avgpool -> dense(10) fixed\n}\n";
    const result = compiled("inline.figs", {}, text);
    expect(dataShapeProblem(result.ir!, MNIST, { readSource: readFrom(result) })?.message).toContain(
      "its height and width depend on 'n': change them with --set so the space takes 28×28×1 images",
    );
    const square = compiled(
      "square.figs",
      {},
      "space s(side: int = 28) {\n  input(side, side, 1)\n  conv(3, 4) -> global_avgpool -> dense(10) fixed\n}\n",
    );
    const wide: DataShape = { name: "idx:wide", height: 28, width: 40, channels: 1, classes: 10 };
    expect(dataShapeProblem(square.ir!, wide, { readSource: readFrom(square) })?.message).toContain(
      "the parameter 'side' sets its height and width, so it cannot take 28×40×1 images: " +
        "choose data of 28×28×1 images",
    );
  });
});

describe("dataShapeProblem: the classes", () => {
  it("more classes than the logits' width: refused, with the parameter that sets it", () => {
    const result = compiled("spaces/mnist_convnet.figs");
    const problem = dataShapeProblem(
      result.ir!,
      { ...MNIST, name: "idx:/d", classes: 201 },
      { readSource: readFrom(result) },
    );
    expect(problem?.code).toBe("FIGS5002");
    expect(problem?.message).toBe(
      "the data has 201 classes (labels 0..200, idx:/d), but the space 'mnist_convnet' has 10 outputs " +
        "('logits', dense(10) at spaces/mnist_convnet.figs:7:56): " +
        "labels from 10 up would train with a cross-entropy of 0; run with --set classes=201, or check the labels",
    );
  });

  it("a literal width says so; fewer classes than outputs is allowed", () => {
    const text = "space s() {\n  input(28, 28, 1)\n  conv(3, 4) -> global_avgpool -> dense(10) fixed\n}\n";
    const result = compiled("literal.figs", {}, text);
    expect(
      dataShapeProblem(result.ir!, { ...MNIST, classes: 12 }, { readSource: readFrom(result) })?.message,
    ).toContain("give the space 12 outputs (its logits' width is not a space parameter)");
    expect(dataShapeProblem(result.ir!, { ...MNIST, classes: 2 })).toBeUndefined();
  });
});

describe("callArguments", () => {
  it("splits at top-level commas only", () => {
    expect(callArguments("input(size, f(a, b), [1, 2])")).toEqual(["size", "f(a, b)", "[1, 2]"]);
    expect(callArguments("dense(classes) fixed")).toEqual(["classes"]);
    expect(callArguments("input(1, 2")).toBeUndefined();
  });
});
