import type { ConfigOf, TablesOf } from "./base-module.ts";
import { type OnFunction, on } from "./scope.ts";

/**
 * `on` for an actions file, typed from its module: `ctx.config` from the module's config schema and
 * `ctx.db` from its tables. The module comes in as a type-only import, so module.ts can import the
 * actions file without an import cycle.
 * @example
 * import { command, createOn } from "starstreamer";
 * import type award from "../module.ts";
 *
 * const on = createOn<typeof award>();
 * on("twitch.chat.message", command("!award"), async (event, ctx) => ctx.config.points);
 */
export function createOn<M>(): OnFunction<ConfigOf<M>, TablesOf<M>> {
  return on as unknown as OnFunction<ConfigOf<M>, TablesOf<M>>;
}
