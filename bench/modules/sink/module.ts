import { command, defineModule, on } from "starstreamer";

/** Takes `!sink` messages and does nothing with them: the delivery-throughput benchmark's target. */
let received = 0;

export default defineModule({
  name: "sink",
  description: "Benchmark stand-in: swallows !sink",
  version: "1.0.0",
  registerActions() {
    on("twitch.chat.message", command("!sink"), async function swallow() {
      received++;
    });
    on("custom.sink.count", async function count(_event, ctx) {
      await ctx.twitch.sendMessage(`sink received ${received}`);
    });
  },
});
