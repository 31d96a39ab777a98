import { compile } from "../../compiler/index.js";
const { ir } = compile({ path: "spaces/one_shot.figs", set: { size: "28", channels: "1", classes: "10", F: "8", cells: "4", blocks: "2" } }, { convention: "torch" });
console.log(JSON.stringify(ir!.parameters), ir!.sources);
