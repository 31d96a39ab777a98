/** `hardsigmoid`: relu6(x + 3) / 6, as PyTorch's Hardsigmoid (0 below −3, 1 above 3). */
import { elementwise } from "./elementwise.js";

export const hardsigmoid = elementwise<"hardsigmoid">();
