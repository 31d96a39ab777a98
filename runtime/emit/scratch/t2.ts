import { compile } from "../../../compiler/index.js";
import { readdirSync } from "node:fs";
for (const f of readdirSync("spaces")) {
  const t0 = Date.now();
  const r = compile({ path: "spaces/" + f });
  const ir = r.ir!;
  console.log(f, Date.now() - t0, "ms", ir.nodes.length, "nodes", ir.groups.length, "groups", ir.maskVariables, ir.costs.full, JSON.stringify(ir.parameters), ir.nodes[0]!.shape);
}
