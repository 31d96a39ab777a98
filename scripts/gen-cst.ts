import { writeFileSync } from "node:fs";
import { CST_TYPES_FILE, generateCstTypes } from "../grammar/cst-dts.js";

writeFileSync(CST_TYPES_FILE, generateCstTypes());
console.log(`wrote ${CST_TYPES_FILE}`);
