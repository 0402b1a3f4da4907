// Runs the CLI's TypeScript sources directly: tsx is registered on this (main) thread, so there is
// no build step and a starstreamer.config.ts loads as it is. Module workers never use tsx (the
// runtime bundles modules with esbuild); the type-check job is plain JavaScript.
import { register } from "tsx/esm/api";

register();
const { main } = await import("./src/main.ts");
const code = await main(process.argv.slice(2));
// Everything was shut down in order; exit even if a stray handle (a paused stdin) remains.
process.exit(code);
