/**
 * `gate`: an operator gate (FiGS paper, Fig. 1c; DESIGN.md "Masks and
 * groups"). One searchable scalar mask on the whole tensor it follows, so a
 * search can deselect any operator on its own, pooling and identity included:
 * `avgpool(3) -> gate`. The gate's probability multiplies the expected cost
 * of everything only the gate's output reaches and of what consumes it
 * (compiler/masks/gates.ts); export removes the operator when the gate is off
 * and leaves nothing in its place when it is on. It passes channels through
 * and costs nothing itself.
 */
import { sameShape } from "../shapes/rules.js";
import type { OpSpec } from "./types.js";

export const gate: OpSpec<"gate"> = {
  call: { params: [] },
  attributes: {},
  shape: sameShape(),
  channels: { kind: "passes" },
};
