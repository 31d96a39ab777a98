/**
 * The diagnostic codes export reports, all from the one table in
 * diagnostics/codes.ts. That table has no export-specific codes yet (it is
 * not this module's file to change); the closest existing ones stand in here,
 * in one place, until dedicated codes (an existing output directory, an
 * invalid or foreign arch.json, a failed write) are added there.
 */
import { codeOf } from "../../diagnostics/codes.js";

export const EXPORT_CODES = {
  /** Widths that do not fit the groups, disconnect the space or break a grouped conv. */
  invalidWidths: codeOf("InvalidWidths"),
  /** arch.json that is not JSON. */
  invalidJson: codeOf("InvalidJson"),
  /** arch.json that fails its schema or belongs to another space. */
  invalidArch: codeOf("InvalidWidths"),
  /** An output directory that exists (without `force`), or files that cannot be written or read. */
  outputFiles: codeOf("FileNotFound"),
  internal: codeOf("InternalError"),
} as const;
