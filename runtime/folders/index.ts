export { appendLine, describeWriteError, writeFileAtomic, TEMP_PREFIX } from "./atomic.js";
export { fileOps, fsError, withFileOps, type FileOps } from "./fs-ops.js";
export { acquireLock, LOCK_FILE, type FolderLock } from "./lock.js";
export { folderKind, MARKER_FILE, OWNED_ENTRIES, writeMarker, type FolderKind } from "./marker.js";
export { checkOutput, isInside, openOutput, type OutputPlan, type OutputRequest, type RunFolder } from "./output.js";
export { checkStagedTarget, commitStaging, createStaging, discardStaging } from "./staged.js";
