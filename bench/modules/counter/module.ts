import { defineModule, on } from "starstreamer";

/**
 * Stand-in for a module that keeps state in memory and carries it across reloads with
 * snapshot/restore: it counts ticks, answers each, and reports the count on request.
 */
let count = 0;

export default defineModule({
  name: "counter",
  description: "Benchmark stand-in: a count carried across reloads",
  version: "1.0.0",
  snapshot: () => count,
  restore: (state) => {
    count = Number(state);
  },
  registerActions() {
    on("custom.counter.tick", async function tick(event, ctx) {
      count++;
      await ctx.twitch.sendMessage(`tick ${String((event.data as { n: number }).n)}`);
    });
    on("custom.counter.total", async function total(_event, ctx) {
      await ctx.twitch.sendMessage(`counter total ${count}`);
    });
  },
});
