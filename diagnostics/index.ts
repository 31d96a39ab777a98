export * from "./source.js";
export * from "./diagnostic.js";
export * from "./codes.js";
export * from "./render.js";
export * from "./result.js";
export * from "./json.js";
