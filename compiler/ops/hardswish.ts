/** `hardswish`: x·relu6(x + 3) / 6, as PyTorch's Hardswish (MobileNetV3). */
import { elementwise } from "./elementwise.js";

export const hardswish = elementwise<"hardswish">();
