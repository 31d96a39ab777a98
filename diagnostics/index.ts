export * from "./source.js";
export * from "./diagnostic.js";
export * from "./codes.js";
export * from "./render.js";
