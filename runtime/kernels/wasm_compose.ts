// Pointwise (1x1) conv gradients composed from tfjs-backend-wasm's own SIMD
// kernels (Transpose + BatchMatMul), for when the native addon is absent:
// wasm's matmul is several times faster than scalar JS loops, while its
// transposed-operand matmul path is slow, so operands are transposed first.
import * as tf from "@tensorflow/tfjs";
import type { ConvGeometry } from "./geometry.js";

interface Disposer {
  disposeData(dataId: tf.DataId): boolean;
}

function call(
  backend: unknown,
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, "wasm");
  if (kernel === undefined) throw new Error(`figs: wasm kernel ${kernelName} missing`);
  const out = kernel.kernelFunc({ inputs, backend: backend as tf.KernelBackend, attrs });
  return Array.isArray(out) ? out[0]! : out;
}

function as(t: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

function transpose2d(backend: unknown, t: tf.TensorInfo, rows: number, cols: number): tf.TensorInfo {
  return call(backend, "Transpose", { x: as(t, [rows, cols]) }, { perm: [1, 0] });
}

/** dW[Ci, Co] = xᵀ[Ci, P] · dy[P, Co]. */
export function pointwiseFilterGrad(
  backend: unknown,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  g: ConvGeometry,
  filterShape: number[],
): tf.TensorInfo {
  const P = g.batch * g.inH * g.inW;
  const xt = transpose2d(backend, x, P, g.inC);
  const out = call(
    backend,
    "BatchMatMul",
    { a: as(xt, [1, g.inC, P]), b: as(dy, [1, P, g.outC]) },
    { transposeA: false, transposeB: false },
  );
  (backend as Disposer).disposeData(xt.dataId);
  return as(out, filterShape);
}

/** dx[P, Ci] = dy[P, Co] · Wᵀ[Co, Ci]. */
export function pointwiseInputGrad(
  backend: unknown,
  dy: tf.TensorInfo,
  w: tf.TensorInfo,
  g: ConvGeometry,
  inputShape: number[],
): tf.TensorInfo {
  const P = g.batch * g.inH * g.inW;
  const wt = transpose2d(backend, w, g.inC, g.outC);
  const out = call(
    backend,
    "BatchMatMul",
    { a: as(dy, [1, P, g.outC]), b: as(wt, [1, g.outC, g.inC]) },
    { transposeA: false, transposeB: false },
  );
  (backend as Disposer).disposeData(wt.dataId);
  return as(out, inputShape);
}

interface HeapBackend extends Disposer {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Rows of patches, one per output pixel, (kh, kw, ci) per row: the filter's own layout. */
function im2col(x: Float32Array, g: ConvGeometry, cols: Float32Array): void {
  const kk = g.kH * g.kW * g.inC;
  let row = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++, row += kk) {
        for (let kh = 0; kh < g.kH; kh++) {
          const ih = oh * g.strideH + kh * g.dilH - g.padTop;
          for (let kw = 0; kw < g.kW; kw++) {
            const iw = ow * g.strideW + kw * g.dilW - g.padLeft;
            const at = row + (kh * g.kW + kw) * g.inC;
            if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) cols.fill(0, at, at + g.inC);
            else {
              const src = ((b * g.inH + ih) * g.inW + iw) * g.inC;
              cols.set(x.subarray(src, src + g.inC), at);
            }
          }
        }
      }
    }
  }
}

/** dW[kh·kw·Ci, Co] = colsᵀ · dy for any conv: im2col in JS, the product on wasm. */
export function im2colFilterGrad(
  backend: unknown,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  g: ConvGeometry,
  filterShape: number[],
): tf.TensorInfo {
  const heap = backend as HeapBackend;
  const P = g.batch * g.outH * g.outW;
  const kk = g.kH * g.kW * g.inC;
  const cols = heap.makeOutput([P, kk], "float32");
  im2col(heap.typedArrayFromHeap(x) as Float32Array, g, heap.typedArrayFromHeap(cols) as Float32Array);
  const colsT = transpose2d(backend, cols, P, kk);
  heap.disposeData(cols.dataId);
  const out = call(
    backend,
    "BatchMatMul",
    { a: as(colsT, [1, kk, P]), b: as(dy, [1, P, g.outC]) },
    { transposeA: false, transposeB: false },
  );
  heap.disposeData(colsT.dataId);
  return as(out, filterShape);
}
