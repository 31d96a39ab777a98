/**
 * The ops that merge tensors, made by built-ins (`concat(list)`, `add(list)`,
 * `sum` of tensors, branches and residuals): `concat` stacks its inputs'
 * channels, `add` joins them position by position (their masks unify).
 */
import { codeOf } from "../../diagnostics/codes.js";
import { error } from "../../diagnostics/diagnostic.js";
import { sourceNote, spatialMismatch, spatialOutlier } from "../shapes/rules.js";
import type { OpSpec } from "./types.js";

export const concat: OpSpec<"concat"> = {
  call: "builtin",
  attributes: {},
  shape: (_attrs, inputs, at) => {
    const head = inputs[0]!;
    const other = spatialOutlier(inputs);
    if (other) return { diagnostic: spatialMismatch("concat", head, other, at) };
    const channels = inputs.reduce((total, i) => total + i.shape.channels, 0);
    return { shape: { height: head.shape.height, width: head.shape.width, channels } };
  },
  channels: { kind: "stacks" },
};

export const add: OpSpec<"add"> = {
  call: "builtin",
  attributes: {},
  shape: (_attrs, inputs, at) => {
    const head = inputs[0]!;
    const spatial = spatialOutlier(inputs);
    if (spatial) return { diagnostic: spatialMismatch("add", head, spatial, at) };
    const other = inputs.find((i) => i.shape.channels !== head.shape.channels);
    if (!other) return { shape: head.shape };
    const message =
      `cannot add ${head.role} (${head.shape.channels} channels) and ` +
      `${other.role} (${other.shape.channels} channels): widths must be equal`;
    return { diagnostic: error(codeOf("WidthMismatch"), message, at, [sourceNote(head), sourceNote(other)]) };
  },
  channels: { kind: "joins" },
};
