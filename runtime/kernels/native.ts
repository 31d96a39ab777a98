// Optional native engine (native/, built by node-gyp at install). Absent
// addon means the JS engine is used; loading never throws.
import type { GradEngine } from "./engine.js";

export function loadNativeEngine(): GradEngine | null {
  return null;
}
