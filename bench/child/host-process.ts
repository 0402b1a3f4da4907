/**
 * A host in its own process, as `starstreamer start` would run it offline: loads the modules in
 * `--modules`, prints `READY {timings}`, turns each stdin line into a chat message from "viewer",
 * prints `SENT <text>` for every chat message a module sends, and closes cleanly on SIGTERM.
 * With `--rss N`, measures idle RSS before and after loading the first N module folders instead.
 */
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { createHost, createLogger, pluginFromObject } from "@starstreamer/runtime";
import type { TwitchPluginApi } from "starstreamer";
import { localChatUser, simulatedEventData } from "starstreamer/internal";

const imported = performance.now();
const { values } = parseArgs({
  options: { modules: { type: "string" }, data: { type: "string" } },
});
if (!values.modules || !values.data) throw new Error("usage: host-process --modules <dir> --data <dir>");

const twitch: Pick<TwitchPluginApi, "sendMessage"> = {
  async sendMessage(text) {
    process.stdout.write(`SENT ${text}\n`);
  },
};
const host = await createHost({
  modulesDir: values.modules,
  dataDir: values.data,
  plugins: [pluginFromObject("twitch", twitch)],
  logger: createLogger({ level: "error" }),
});
const created = performance.now();
const { loaded, failed } = await host.start();
const started = performance.now();
if (failed.length > 0) {
  process.stderr.write(`failed: ${JSON.stringify(failed)}\n`);
  process.exit(1);
}
process.stdout.write(
  `READY ${JSON.stringify({ loaded, importedMs: imported, hostCreatedMs: created, startedMs: started })}\n`,
);

const viewer = localChatUser("viewer", "viewer");
createInterface({ input: process.stdin }).on("line", (text) => {
  if (text.trim() === "") return;
  host.emit(
    "twitch.chat.message",
    simulatedEventData("twitch.chat.message", { text, user: viewer }),
    "twitch",
  );
});

let closing = false;
const close = async () => {
  if (closing) return;
  closing = true;
  await host.close();
  process.exit(0);
};
process.on("SIGTERM", () => void close());
process.on("SIGINT", () => void close());
process.stdin.on("end", () => void close());
