/**
 * Hand-built graphs for tests of masks, costs and the IR, independent of
 * elaboration. Shapes follow the language's rules ("same": ceil(H/s); "valid":
 * floor((H-k)/s)+1).
 */
import type { SourceRange } from "../../../diagnostics/source.js";
import type { Graph, GraphNode, OpAttrs, OpKind, Pair, Padding, Scope, Shape } from "../../../compiler/graph.js";

type Window = { k?: number | Pair; stride?: number | Pair; padding?: Padding };

function pair(value: number | Pair): Pair {
  return typeof value === "number" ? [value, value] : value;
}

function spatial(size: number, kernel: number, stride: number, padding: Padding): number {
  return padding === "same" ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly scopes: Scope[];
  private readonly counters = new Map<string, number>();

  constructor(
    readonly space: string,
    readonly parameters: Graph["parameters"] = {},
  ) {
    this.scopes = [{ kind: "space", name: space, definition: space }];
  }

  within<T>(kind: Scope["kind"], name: string, body: () => T): T {
    this.scopes.push({ kind, name, definition: name.replace(/_\d+$/, "") });
    try {
      return body();
    } finally {
      this.scopes.pop();
    }
  }

  input(height: number, width: number, channels: number): number {
    return this.add("input", { height, width, channels }, [], { height, width, channels }, true);
  }

  conv(
    from: number,
    width: number,
    w: Window & { groups?: number; bias?: boolean; fixed?: boolean; as?: string } = {},
  ): number {
    const kernel = pair(w.k ?? 1);
    const stride = pair(w.stride ?? 1);
    const padding = w.padding ?? "same";
    const attrs = { kernel, stride, padding, width, groups: w.groups ?? 1, bias: w.bias ?? false, dilation: pair(1) };
    return this.add(
      "conv",
      attrs,
      [from],
      this.windowShape(from, kernel, stride, padding, width),
      w.fixed ?? false,
      w.as,
    );
  }

  dwconv(from: number, w: Window & { multiplier?: number; bias?: boolean } = {}): number {
    const kernel = pair(w.k ?? 3);
    const stride = pair(w.stride ?? 1);
    const padding = w.padding ?? "same";
    const multiplier = w.multiplier ?? 1;
    const attrs = { kernel, stride, padding, multiplier, bias: w.bias ?? false, dilation: pair(1) };
    return this.add(
      "dwconv",
      attrs,
      [from],
      this.windowShape(from, kernel, stride, padding, this.shape(from).channels * multiplier),
      false,
    );
  }

  pool(op: "maxpool" | "avgpool", from: number, w: Window): number {
    const kernel = pair(w.k ?? 2);
    const stride = pair(w.stride ?? 1);
    const padding = w.padding ?? "same";
    return this.add(
      op,
      { kernel, stride, padding },
      [from],
      this.windowShape(from, kernel, stride, padding, this.shape(from).channels),
      false,
    );
  }

  dense(from: number, width: number, options: { bias?: boolean; fixed?: boolean; as?: string } = {}): number {
    const shape = { height: 1, width: 1, channels: width };
    return this.add("dense", { width, bias: options.bias ?? true }, [from], shape, options.fixed ?? false, options.as);
  }

  unary(op: "bn" | "relu" | "relu6" | "sigmoid" | "swish" | "identity" | "gate", from: number): number {
    return this.add(op, {}, [from], this.shape(from), false);
  }

  chain(from: number, ...ops: ("bn" | "relu" | "relu6" | "swish")[]): number {
    return ops.reduce((at, op) => this.unary(op, at), from);
  }

  dropout(from: number, rate: number): number {
    return this.add("dropout", { rate }, [from], this.shape(from), false);
  }

  globalAvgpool(from: number): number {
    return this.add("global_avgpool", {}, [from], { height: 1, width: 1, channels: this.shape(from).channels }, false);
  }

  flatten(from: number): number {
    const s = this.shape(from);
    return this.add("flatten", {}, [from], { height: 1, width: 1, channels: s.height * s.width * s.channels }, false);
  }

  concat(inputs: number[]): number {
    const first = this.shape(inputs[0] ?? 0);
    const channels = inputs.reduce((sum, id) => sum + this.shape(id).channels, 0);
    return this.add("concat", {}, inputs, { ...first, channels }, false);
  }

  sum(inputs: number[]): number {
    return this.add("add", {}, inputs, this.shape(inputs[0] ?? 0), false);
  }

  /** `mul` of a tensor and 1×1 gates: the product has the first (widest) input's shape. */
  product(inputs: number[]): number {
    return this.add("mul", {}, inputs, this.shape(inputs[0] ?? 0), false);
  }

  build(output = this.nodes.length - 1): Graph {
    return { space: this.space, parameters: this.parameters, nodes: [...this.nodes], output };
  }

  shape(id: number): Shape {
    const node = this.nodes[id];
    if (!node) throw new Error(`no node ${id}`);
    return node.shape;
  }

  private windowShape(from: number, kernel: Pair, stride: Pair, padding: Padding, channels: number): Shape {
    const s = this.shape(from);
    return {
      height: spatial(s.height, kernel[0], stride[0], padding),
      width: spatial(s.width, kernel[1], stride[1], padding),
      channels,
    };
  }

  private add<K extends OpKind>(
    op: K,
    attrs: OpAttrs[K],
    inputs: number[],
    shape: Shape,
    fixed: boolean,
    label?: string,
  ): number {
    const id = this.nodes.length;
    const path = this.scopes.map((s) => s.name).join("/");
    const count = (this.counters.get(`${path}/${op}`) ?? 0) + 1;
    this.counters.set(`${path}/${op}`, count);
    const name = `${path}/${label ?? `${op}_${count}`}`;
    const node = { id, op, attrs, inputs, shape, fixed, name, scopes: [...this.scopes], range: rangeAt(id) };
    this.nodes.push(node as unknown as GraphNode);
    return id;
  }
}

function rangeAt(offset: number): SourceRange {
  const position = { offset, line: 1, column: offset + 1 };
  return { file: "built.figs", start: position, end: { ...position, offset: offset + 1, column: offset + 2 } };
}
