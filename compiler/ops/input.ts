/** `input(h, w, c)`: the image, made by a built-in; its channels never carry a mask. */
import { POSITIVE, required } from "./attributes.js";
import type { OpSpec } from "./types.js";

export const input: OpSpec<"input"> = {
  call: "builtin",
  attributes: { height: required(POSITIVE), width: required(POSITIVE), channels: required(POSITIVE) },
  shape: (attrs) => ({ shape: { height: attrs.height, width: attrs.width, channels: attrs.channels } }),
  channels: { kind: "produces", source: true },
};
