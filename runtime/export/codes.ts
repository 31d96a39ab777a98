/** The diagnostic codes export reports, all from the one table in diagnostics/codes.ts. */
import { codeOf } from "../../diagnostics/codes.js";

export const EXPORT_CODES = {
  /** Widths that do not fit the groups, disconnect the space or break a grouped conv. */
  invalidWidths: codeOf("InvalidWidths"),
  /** arch.json that is not JSON. */
  invalidJson: codeOf("InvalidJson"),
  /** arch.json that fails its schema or belongs to another space. */
  invalidArch: codeOf("InvalidArch"),
  /** An output directory that exists (without `force`), or files that cannot be written. */
  writeFailed: codeOf("WriteFailed"),
  /** A file that cannot be read (missing arch.json or model.json). */
  readFailed: codeOf("FileNotFound"),
  /** A saved model whose files do not load (truncated weights, damaged JSON). */
  corruptModel: codeOf("CorruptDataFile"),
  internal: codeOf("InternalError"),
} as const;
