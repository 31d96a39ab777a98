/**
 * Every space of `spaces/` in every input configuration it has, compiled with
 * the real compiler: the table docs/spaces.md shows and the spaces test pins.
 * Print it with `npx tsx test/spaces/space-table.ts`.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { compile, type CompileResult } from "../../compiler/index.js";

export const repoRoot = join(import.meta.dirname, "..", "..");

export interface InputConfiguration {
  readonly name: string;
  readonly set: Readonly<Record<string, string>>;
}

export const IMAGENET: InputConfiguration = { name: "224x224x3, 1000 classes", set: {} };
export const CIFAR_SIZED: InputConfiguration = { name: "32x32x3, 10 classes", set: { size: "32", classes: "10" } };
export const MNIST_SIZED: InputConfiguration = {
  name: "28x28x1, 10 classes",
  set: { size: "28", channels: "1", classes: "10" },
};
export const CONFIGURATIONS: readonly InputConfiguration[] = [IMAGENET, CIFAR_SIZED, MNIST_SIZED];

export interface SpaceVariant {
  readonly file: string;
  /** Parameters that select the variant, on top of the input configuration. */
  readonly set: Readonly<Record<string, string>>;
  /** The configurations the space has parameters for; all of them unless listed. */
  readonly configurations?: readonly InputConfiguration[];
}

const MNIST_ONLY: InputConfiguration = { name: "28x28x1, 10 classes", set: {} };

export const SPACE_VARIANTS: readonly SpaceVariant[] = [
  { file: "spaces/one_shot.figs", set: {} },
  { file: "spaces/one_shot.figs", set: { agg: "sum" } },
  { file: "spaces/fbnet.figs", set: {} },
  { file: "spaces/fbnet.figs", set: { figs_variant: "true" } },
  { file: "spaces/fbnet_b.figs", set: {} },
  { file: "spaces/fbnet_c.figs", set: {} },
  ...[18, 34, 50, 101, 152].map((depth) => ({ file: "spaces/resnet.figs", set: { depth: String(depth) } })),
  { file: "spaces/resnet50.figs", set: {} },
  { file: "spaces/resnet152.figs", set: {} },
  { file: "spaces/mobilenet_v2.figs", set: {} },
  { file: "spaces/mobilenet_v3.figs", set: {} },
  { file: "spaces/mobilenet_v3.figs", set: { variant: "small" } },
  { file: "spaces/efficientnet.figs", set: {} },
  { file: "spaces/shufflenet_v2.figs", set: {} },
  { file: "spaces/shufflenet_v2.figs", set: { multiplier: "0.5" } },
  { file: "spaces/mnist_convnet.figs", set: {}, configurations: [MNIST_ONLY] },
];

export function compileVariant(variant: SpaceVariant, configuration: InputConfiguration): CompileResult {
  return compile({ path: join(repoRoot, variant.file), set: { ...configuration.set, ...variant.set } });
}

export function variantName(variant: SpaceVariant): string {
  const settings = Object.entries(variant.set).map(([k, v]) => `${k}=${v}`);
  return `\`${variant.file}\`${settings.length > 0 ? ` \`${settings.join(",")}\`` : ""}`;
}

/** A markdown table: params and madds at full width, per configuration. */
export function fullCostTable(): string {
  const header = ["space", ...CONFIGURATIONS.flatMap((c) => [`params (${c.name})`, `madds (${c.name})`])];
  const rows = SPACE_VARIANTS.map((variant) => [
    variantName(variant),
    ...CONFIGURATIONS.flatMap((configuration) => {
      const own = variant.configurations?.find((c) => c.name === configuration.name);
      if (variant.configurations && !own) return ["—", "—"];
      const full = compileVariant(variant, own ?? configuration).ir?.costs.full;
      return full
        ? [full.params.toLocaleString("en-US"), full.madds.toLocaleString("en-US")]
        : ["does not compile", ""];
    }),
  ]);
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? "---" : "---:"))), ...rows.map(line)].join("\n") + "\n";
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) process.stdout.write(fullCostTable());
