import { command, defineModule, on } from "starstreamer";

/** Stand-in for a module with a CPU-heavy handler: `!burn <ms>` spins for that long. */
export default defineModule({
  name: "burner",
  description: "Benchmark stand-in: burns CPU on !burn",
  version: "1.0.0",
  registerActions() {
    on("twitch.chat.message", command("!burn", { args: ["ms:int"] }), function burn(_event, ctx) {
      const until = performance.now() + Number(ctx.match.command?.params.ms ?? 0);
      while (performance.now() < until) {
        // Busy on purpose: this is the noisy neighbour.
      }
    });
  },
});
