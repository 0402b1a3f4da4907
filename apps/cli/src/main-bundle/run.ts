// `npm run build`'s last step in @starstreamer/cli: bundles the compiled CLI (dist/bundle/).
import { fileURLToPath } from "node:url";
import { buildMainBundle } from "./build-main-bundle.ts";

const cliDir = fileURLToPath(new URL("../../", import.meta.url));
const { outDir, inputs } = await buildMainBundle(cliDir);
process.stdout.write(`@starstreamer/cli: bundled ${inputs} files into ${outDir}\n`);
