export * from "./ast.js";
export { parse, type ParseResult, MAX_SYNTAX_ERRORS } from "./parse.js";
export { decodeSource, readSource } from "./read-source.js";
export { MAX_NESTING } from "./brackets.js";
export { MAX_EXPRESSION_DEPTH } from "./build-ast.js";
