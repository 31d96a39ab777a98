/** torchvision's ResNet-50/152 and MobileNetV2 built by hand, to pin the cost rules to published counts. */
import type { Graph } from "../../../compiler/graph.js";
import { GraphBuilder } from "../masks/graph-builder.js";

function bottleneck(b: GraphBuilder, x: number, width: number, stride: number, project: boolean): number {
  return b.within("block", "bottleneck", () => {
    const h = b.chain(b.conv(x, width, { k: 1 }), "bn", "relu");
    const g = b.chain(b.conv(h, width, { k: 3, stride }), "bn", "relu");
    const f = b.unary("bn", b.conv(g, width * 4, { k: 1 }));
    const shortcut = project ? b.unary("bn", b.conv(x, width * 4, { k: 1, stride })) : x;
    return b.unary("relu", b.sum([shortcut, f]));
  });
}

export function resnet(depths: readonly number[]): Graph {
  const b = new GraphBuilder("resnet");
  const stem = b.chain(b.conv(b.input(224, 224, 3), 64, { k: 7, stride: 2, as: "stem" }), "bn", "relu");
  let x = b.pool("maxpool", stem, { k: 3, stride: 2 });
  depths.forEach((depth, stage) => {
    b.within("cell", `stage_${stage + 1}`, () => {
      for (let i = 0; i < depth; i++) x = bottleneck(b, x, 64 * 2 ** stage, i === 0 && stage > 0 ? 2 : 1, i === 0);
    });
  });
  return b.build(b.dense(b.globalAvgpool(x), 1000, { fixed: true, as: "fc" }));
}

const MOBILENET_V2_STAGES = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
] as const;

export function mobilenetV2(): Graph {
  const b = new GraphBuilder("mobilenet_v2");
  let x = b.chain(b.conv(b.input(224, 224, 3), 32, { k: 3, stride: 2, as: "stem" }), "bn", "relu6");
  let channels = 32;
  for (const [expansion, width, repeats, firstStride] of MOBILENET_V2_STAGES) {
    for (let i = 0; i < repeats; i++) {
      const stride = i === 0 ? firstStride : 1;
      const expanded = expansion === 1 ? x : b.chain(b.conv(x, channels * expansion, { k: 1 }), "bn", "relu6");
      const dw = b.chain(b.dwconv(expanded, { k: 3, stride }), "bn", "relu6");
      const projected = b.unary("bn", b.conv(dw, width, { k: 1 }));
      x = stride === 1 && channels === width ? b.sum([x, projected]) : projected;
      channels = width;
    }
  }
  const head = b.chain(b.conv(x, 1280, { k: 1 }), "bn", "relu6");
  return b.build(b.dense(b.dropout(b.globalAvgpool(head), 0.2), 1000, { fixed: true, as: "classifier" }));
}

/** Published torchvision counts (params with bn as 2·C; MAdds of conv/dense at 224×224). */
export const PUBLISHED = {
  resnet50: { params: 25_557_032, madds: 4_089_184_256 },
  resnet152: { params: 60_192_808, madds: 11_513_626_624 },
  mobilenet_v2: { params: 3_504_872, madds: 300_774_272 },
} as const;
