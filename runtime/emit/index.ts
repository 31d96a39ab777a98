export {
  emitSupernet,
  emitModel,
  maskIndices,
  maskSites,
  searchableGroups,
  type Supernet,
  type SupernetOptions,
} from "./supernet.js";
export {
  GroupMasks,
  ApplyMask,
  DEFAULT_MASK_OPTIONS,
  type GroupMasksOptions,
  type MaskNoise,
  type MaskGroupSpec,
} from "./mask-layers.js";
export { GroupedConv2D } from "./grouped-conv.js";
export { FigsBatchNorm, KERAS_BN_EPSILON, KERAS_BN_MOMENTUM, type FigsBatchNormArgs } from "./batch-norm.js";
export { LAYER_BUILDERS, buildLayer, layerName, type EmitNode, type EmitNodeOf } from "./layers.js";
