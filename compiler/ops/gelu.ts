/**
 * `gelu`: x·Φ(x) with the exact normal CDF Φ(x) = (1 + erf(x/√2)) / 2, as
 * PyTorch's GELU (its default, not the tanh form).
 */
import { elementwise } from "./elementwise.js";

export const gelu = elementwise<"gelu">();
