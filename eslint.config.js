// Lint for the TypeScript: typescript-eslint's recommended rules plus the
// type-checked rules that catch real bugs here (promises left floating or
// passed where a callback returns void, awaits of non-promises, switches that
// miss a case, casts that do nothing). Formatting is Prettier's (.prettierrc.json).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const TFJS_TENSOR_TYPES = ["Scalar", "Tensor", "Tensor1D", "Tensor2D", "Tensor3D", "Tensor4D", "Tensor5D"].flatMap(
  (name) => [name, `tf.${name}`, `${name}[]`, `tf.${name}[]`],
);

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "native/build/**", "editors/vscode/out/**", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      // tfjs ops return Tensor<Rank>; `as tf.Tensor4D` is its idiom (the rule would ask for type arguments instead).
      "@typescript-eslint/no-unnecessary-type-assertion": ["error", { typesToIgnore: TFJS_TENSOR_TYPES }],
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-constant-condition": ["error", { checkLoops: false }],
      // Walking a scope chain starts at `this`: `for (let env = this; env; env = env.parent)`.
      "@typescript-eslint/no-this-alias": ["error", { allowedNames: ["env"] }],
      // Terminal escapes and control characters are what some regexes are for (rendering, colour).
      "no-control-regex": "off",
    },
  },
);
