export * from "./types.js";
export { IR_SCHEMA } from "./schema.js";
export { buildIr, irContents, irCostOptions, sha256, type IrContents } from "./build.js";
export {
  serializeIr,
  parseIr,
  readIr,
  formatIrJson,
  irJsonChunks,
  writeIrJson,
  type IrRead,
  type IrText,
} from "./io.js";
export { writeIr } from "./write.js";
