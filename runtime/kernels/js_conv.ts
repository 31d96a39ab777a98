// Portable gradient kernels on plain Float32Arrays (NHWC). They are the
// fallback when the native addon is absent, so they favour contiguous inner
// loops over the channel axis (what V8 vectorises best) and skip zero inputs
// (post-ReLU activations are about half zeros).
import type { ConvGeometry } from "./geometry.js";

/** Offset of input pixel (b, ih, iw) or -1 when it falls in the padding. */
function inputPixel(g: ConvGeometry, b: number, oh: number, ow: number, kh: number, kw: number): number {
  const ih = oh * g.strideH + kh * g.dilH - g.padTop;
  const iw = ow * g.strideW + kw * g.dilW - g.padLeft;
  if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) return -1;
  return ((b * g.inH + ih) * g.inW + iw) * g.inC;
}

/** dW[kh,kw,ci,co] = Σ x[b,ih,iw,ci] · dy[b,oh,ow,co]. */
export function conv2dFilterGrad(x: Float32Array, dy: Float32Array, g: ConvGeometry, dw: Float32Array): void {
  dw.fill(0);
  const { inC, outC } = g;
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        const dyOff = ((b * g.outH + oh) * g.outW + ow) * outC;
        for (let kh = 0; kh < g.kH; kh++) {
          for (let kw = 0; kw < g.kW; kw++) {
            const xOff = inputPixel(g, b, oh, ow, kh, kw);
            if (xOff < 0) continue;
            const tap = (kh * g.kW + kw) * inC;
            for (let ci = 0; ci < inC; ci++) {
              const xv = x[xOff + ci]!;
              if (xv === 0) continue;
              const wOff = (tap + ci) * outC;
              for (let co = 0; co < outC; co++) dw[wOff + co]! += xv * dy[dyOff + co]!;
            }
          }
        }
      }
    }
  }
}

/** dx[b,ih,iw,ci] = Σ W[kh,kw,ci,co] · dy[b,oh,ow,co] over taps reaching ih,iw. */
export function conv2dInputGrad(dy: Float32Array, w: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  dx.fill(0);
  const { inC, outC } = g;
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        const dyOff = ((b * g.outH + oh) * g.outW + ow) * outC;
        for (let kh = 0; kh < g.kH; kh++) {
          for (let kw = 0; kw < g.kW; kw++) {
            const xOff = inputPixel(g, b, oh, ow, kh, kw);
            if (xOff < 0) continue;
            const tap = (kh * g.kW + kw) * inC;
            for (let ci = 0; ci < inC; ci++) {
              const wOff = (tap + ci) * outC;
              let s = 0;
              for (let co = 0; co < outC; co++) s += w[wOff + co]! * dy[dyOff + co]!;
              dx[xOff + ci]! += s;
            }
          }
        }
      }
    }
  }
}

/** dW[kh,kw,c,m] = Σ x[b,ih,iw,c] · dy[b,oh,ow,c·M+m]. */
export function depthwiseFilterGrad(x: Float32Array, dy: Float32Array, g: ConvGeometry, dw: Float32Array): void {
  dw.fill(0);
  const { inC, outC, multiplier: m } = g;
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        const dyOff = ((b * g.outH + oh) * g.outW + ow) * outC;
        for (let kh = 0; kh < g.kH; kh++) {
          for (let kw = 0; kw < g.kW; kw++) {
            const xOff = inputPixel(g, b, oh, ow, kh, kw);
            if (xOff < 0) continue;
            const wOff = (kh * g.kW + kw) * outC;
            if (m === 1) {
              for (let c = 0; c < inC; c++) dw[wOff + c]! += x[xOff + c]! * dy[dyOff + c]!;
              continue;
            }
            for (let c = 0; c < inC; c++) {
              const xv = x[xOff + c]!;
              for (let j = 0; j < m; j++) dw[wOff + c * m + j]! += xv * dy[dyOff + c * m + j]!;
            }
          }
        }
      }
    }
  }
}

/** dx[b,ih,iw,c] = Σ W[kh,kw,c,m] · dy[b,oh,ow,c·M+m]. */
export function depthwiseInputGrad(dy: Float32Array, w: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  dx.fill(0);
  const { inC, outC, multiplier: m } = g;
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        const dyOff = ((b * g.outH + oh) * g.outW + ow) * outC;
        for (let kh = 0; kh < g.kH; kh++) {
          for (let kw = 0; kw < g.kW; kw++) {
            const xOff = inputPixel(g, b, oh, ow, kh, kw);
            if (xOff < 0) continue;
            const wOff = (kh * g.kW + kw) * outC;
            if (m === 1) {
              for (let c = 0; c < inC; c++) dx[xOff + c]! += w[wOff + c]! * dy[dyOff + c]!;
              continue;
            }
            for (let c = 0; c < inC; c++) {
              let s = 0;
              for (let j = 0; j < m; j++) s += w[wOff + c * m + j]! * dy[dyOff + c * m + j]!;
              dx[xOff + c]! += s;
            }
          }
        }
      }
    }
  }
}
