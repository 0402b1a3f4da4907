import { command, defineModule, keyword, on } from "starstreamer";

/**
 * Stand-in for a typical chat module: a command with an argument, a keyword, a follow alert and a
 * custom event (and a way to crash it). The benchmark copies it as chatter0..chatterN, replacing NAME.
 */
const NAME = "chatter";

export default defineModule({
  name: NAME,
  description: "Benchmark stand-in: a small chat module",
  version: "1.0.0",
  registerActions() {
    on("twitch.chat.message", command(`!${NAME}`, { args: ["seq:int"] }), async function reply(_event, ctx) {
      // The wall-clock time the handler ran at lets the benchmark split the path in two halves.
      const ranAt = (performance.timeOrigin + performance.now()).toFixed(3);
      await ctx.twitch.sendMessage(`${NAME} ${String(ctx.match.command?.params.seq)} ${ranAt}`);
    });
    on("twitch.chat.message", keyword(`hype${NAME}`), async function hype(event, ctx) {
      await ctx.twitch.sendMessage(`${event.data.user.displayName} brings the hype!`);
    });
    on("twitch.follow", async function thank(event, ctx) {
      await ctx.twitch.sendMessage(`Thanks for the follow, ${event.data.user.displayName}!`);
    });
    on(`custom.${NAME}.tick`, async function tick(event, ctx) {
      await ctx.twitch.sendMessage(`tick ${String((event.data as { n: number }).n)}`);
    });
    // The restart and soak figures crash the module on purpose.
    on(`custom.${NAME}.die`, function die() {
      process.exit(3);
    });
  },
});
