export { placeMasks, type MaskResult } from "./place.js";
export { variableIds } from "./gates.js";
export {
  groupNodes,
  layoutChannels,
  type ChannelLayout,
  type ChannelSlice,
  type GatedVariable,
  type MaskGroup,
  type MaskPlan,
  type ProducerRange,
} from "./types.js";
export { formatGroupTable, formatLayout, formatMaskPlan } from "./format.js";
