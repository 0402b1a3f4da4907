import { defineModule, on } from "starstreamer";

/**
 * Stand-in for a module that uses the economy through its service: every `custom.payer.pay`
 * event is one `transfer` call to "bench-economy" (the economy stand-in), through the host.
 */
export default defineModule({
  name: "payer",
  description: "Benchmark stand-in: pays through the bench-economy service",
  version: "1.0.0",
  requires: ["bench-economy"],
  registerActions() {
    on("custom.payer.pay", async function pay(event, ctx) {
      const { from, to, amount } = event.data as { from: string; to: string; amount: number };
      await ctx.services["bench-economy"].transfer(from, to, amount);
    });
  },
});
