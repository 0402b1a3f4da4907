import { command, defineModule, keyword, on, regex } from "starstreamer";

/**
 * Stand-in for the trigger set of a typical chat module: two commands, two keywords and a regex
 * (through the host's linear-time engine). The benchmark copies it as mix0..mix9: 50 triggers.
 */
const NAME = "mix";

export default defineModule({
  name: NAME,
  description: "Benchmark stand-in: a realistic trigger set",
  version: "1.0.0",
  registerActions() {
    on("twitch.chat.message", command(`!${NAME}`), async function info(_event, ctx) {
      await ctx.twitch.sendMessage(`${NAME} info`);
    });
    on(
      "twitch.chat.message",
      command(`!${NAME}roll`, { args: ["sides:int"] }),
      async function roll(_event, ctx) {
        await ctx.twitch.sendMessage(`${NAME} roll ${String(ctx.match.command?.params.sides)}`);
      },
    );
    on("twitch.chat.message", keyword(`${NAME}hype`), async function hype(_event, ctx) {
      await ctx.twitch.sendMessage(`${NAME} hype`);
    });
    on("twitch.chat.message", keyword(`${NAME}gg`), async function gg(_event, ctx) {
      await ctx.twitch.sendMessage(`${NAME} gg`);
    });
    on("twitch.chat.message", regex(`\\b${NAME}-clip-(\\d{3,})\\b`, "i"), async function clip(_event, ctx) {
      await ctx.twitch.sendMessage(`${NAME} clip`);
    });
  },
});
