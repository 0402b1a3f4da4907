import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createObsPlugin, type ObsPlugin } from "@starstreamer/plugins";
import { createHost, createLogger, type Host, type LogRecord, pluginFromObject } from "@starstreamer/runtime";
import { createFakeObsServer, type FakeObsServer, FakeTwitch, Recorder } from "@starstreamer/testing";
import type { StarEvent, TwitchPluginApi } from "starstreamer";
import { afterEach, describe, expect, it } from "vitest";

// The alerts module in a real host whose OBS plugin is the real one (obs-websocket-js) talking to
// the fake obs-websocket server: an alert's OBS action reaches "OBS" over the real protocol.

const moduleDir = fileURLToPath(new URL(".", import.meta.url));

interface Rig {
  host: Host;
  obsServer: FakeObsServer;
  obs: ObsPlugin;
  twitch: FakeTwitch;
  events: Recorder<StarEvent>;
  logs: Recorder<LogRecord>;
}

let rig: Rig | undefined;
let root: string | undefined;

afterEach(async () => {
  await rig?.host.close();
  await rig?.obsServer.close();
  if (root) rmSync(root, { recursive: true, force: true });
  rig = undefined;
  root = undefined;
});

async function start(config: Record<string, unknown>): Promise<Rig> {
  root = mkdtempSync(join(tmpdir(), "alerts-obs-"));
  cpSync(moduleDir, join(root, "modules", "alerts"), {
    recursive: true,
    filter: (src) => !src.endsWith(".test.ts"),
  });
  const obsServer = await createFakeObsServer({ password: "obs-pass" });
  const obs = createObsPlugin({
    url: obsServer.url,
    password: "obs-pass",
    env: {},
    backoff: { initialMs: 50, maxMs: 200 },
  });
  const twitch = new FakeTwitch();
  const logs = new Recorder<LogRecord>();
  const logger = createLogger({ level: "debug", write: null });
  logger.onRecord((record) => logs.push(record));
  const host = await createHost({
    modulesDir: join(root, "modules"),
    dataDir: join(root, "data"),
    // FakeTwitch records sendMessage, the one Twitch method the alerts module uses.
    plugins: [pluginFromObject("twitch", twitch as unknown as TwitchPluginApi, ["sendMessage"]), obs],
    modules: { alerts: { config: { gapMs: 5, durationMs: 30, ...config } } },
    logger,
  });
  const events = new Recorder<StarEvent>();
  host.bus.on("*", (event) => events.push(event));
  await host.start();
  rig = { host, obsServer, obs, twitch, events, logs };
  return rig;
}

describe("alerts with the real OBS plugin against a fake OBS", () => {
  it("switches the scene and shows the alert source for the alert, then hides it", async () => {
    const { host, obsServer, obs, events } = await start({
      raid: {
        obs: { switchScene: "Main", showSource: { scene: "Main", source: "Alert Box", seconds: 0.05 } },
      },
    });
    expect(obs.status().state).toBe("connected");
    obsServer.model.scene("Main")!.items.find((i) => i.sourceName === "Alert Box")!.enabled = false;

    host.emit("twitch.raid", { from: { id: "7", login: "ada", displayName: "Ada" }, viewers: 42 }, "test");
    await obsServer.requests.waitFor(
      (r) =>
        r.requestType === "SetSceneItemEnabled" &&
        (r.requestData as { sceneItemEnabled: boolean }).sceneItemEnabled === false,
      10_000,
      "the source to be hidden again",
    );
    const toggles = obsServer.requests.items
      .filter((r) => r.requestType === "SetSceneItemEnabled")
      .map((r) => (r.requestData as { sceneItemEnabled: boolean }).sceneItemEnabled);
    expect(toggles).toEqual([true, false]);
    expect(obsServer.model.currentScene).toBe("Main");
    expect(obsServer.model.scene("Main")!.items.find((i) => i.sourceName === "Alert Box")!.enabled).toBe(
      false,
    );
    // OBS told the plugin, and the plugin told the bus.
    const changed = await events.waitFor((e) => e.type === "obs.scene.changed", 5000, "obs.scene.changed");
    expect(changed.data).toEqual({ sceneName: "Main", previousSceneName: "Starting Soon" });
  });

  it("still alerts in chat and on the overlay when OBS is gone, and logs the failed action", async () => {
    const { host, obsServer, obs, twitch, events, logs } = await start({
      raid: { obs: { switchScene: "Main" } },
    });
    await obsServer.close();
    await events.waitFor(
      (e) => e.type === "obs.connection.disconnected",
      5000,
      "obs.connection.disconnected",
    );
    expect(obs.status().state).not.toBe("connected");

    host.emit("twitch.raid", { from: { id: "7", login: "ada", displayName: "Ada" }, viewers: 42 }, "test");
    await twitch.sent.waitFor(
      (m) => m.text === "Ada is raiding with 42 viewers!",
      10_000,
      "the raid in chat",
    );
    await events.waitFor((e) => e.type === "custom.alerts.done", 10_000, "the alert to finish");
    const failure = logs.items.find((l) => l.message.startsWith("OBS action failed"));
    expect(failure?.fields).toMatchObject({ alert: "raid", code: "SS_OBS_NOT_CONNECTED" });
  });
});
