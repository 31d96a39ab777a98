/** `dropout(rate)`: zeroes a `rate` of the values while training; passes channels through. */
import { sameShape } from "../shapes/rules.js";
import { RATE, required } from "./attributes.js";
import type { OpSpec } from "./types.js";

export const dropout: OpSpec<"dropout"> = {
  call: { params: ["rate"] },
  attributes: { rate: required(RATE) },
  shape: sameShape(),
  channels: { kind: "passes" },
};
