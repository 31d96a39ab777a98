export { placeMasks, type MaskResult } from "./place.js";
export {
  layoutChannels,
  type ChannelLayout,
  type ChannelSlice,
  type MaskGroup,
  type MaskPlan,
  type ProducerRange,
} from "./types.js";
export { formatGroupTable, formatLayout, formatMaskPlan } from "./format.js";
