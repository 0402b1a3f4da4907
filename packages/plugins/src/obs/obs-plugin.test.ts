import { createFakeObsServer, type FakeObsServer, Recorder, waitUntil } from "@starstreamer/testing";
import type { Logger, PluginContext } from "starstreamer";
import { afterEach, describe, expect, it } from "vitest";
import { ObsErrorCodes } from "./errors.ts";
import { createObsPlugin, type ObsPlugin, type ObsPluginOptions } from "./obs-plugin.ts";

interface Emitted {
  type: string;
  data: Record<string, unknown>;
  source: string;
}
interface Logged {
  level: keyof Logger;
  message: string;
  fields?: Record<string, unknown>;
}

let server: FakeObsServer | undefined;
let plugin: ObsPlugin | undefined;

afterEach(async () => {
  await plugin?.stop();
  await server?.close();
  plugin = undefined;
  server = undefined;
});

function fakeContext(): { context: PluginContext; events: Recorder<Emitted>; logs: Logged[] } {
  const events = new Recorder<Emitted>();
  const logs: Logged[] = [];
  const log = (level: keyof Logger) => (message: string, fields?: Record<string, unknown>) => {
    logs.push({ level, message, fields });
  };
  const context: PluginContext = {
    emit: (type, data, source) => events.push({ type, data: data as Record<string, unknown>, source }),
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
  };
  return { context, events, logs };
}

const until = (check: () => boolean, what: string, timeoutMs = 10_000) => waitUntil(check, what, timeoutMs);

async function startPlugin(options: ObsPluginOptions) {
  const ctx = fakeContext();
  plugin = createObsPlugin({ env: {}, backoff: { initialMs: 50, maxMs: 200 }, ...options });
  await plugin.start(ctx.context);
  return { ...ctx, plugin, obs: plugin.forModule("alerts") };
}

async function errorOf(
  promise: Promise<unknown>,
): Promise<{ code?: string; message: string; data?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string; data?: Record<string, unknown> };
  }
  throw new Error("expected the call to fail");
}

describe("OBS plugin against the fake obs-websocket server", () => {
  it.each(["msgpack", "json"] as const)(
    "connects over %s, reports it, and drives scenes, items, text, mute and media",
    async (protocol) => {
      server = await createFakeObsServer();
      const { obs, events, plugin } = await startPlugin({ url: server.url, protocol });
      expect(plugin.status()).toMatchObject({ kind: "obs", state: "connected" });
      expect(server.sessions[0]?.protocol).toBe(`obswebsocket.${protocol}`);
      expect(events.items[0]).toMatchObject({
        type: "obs.connection.connected",
        data: { obsWebSocketVersion: "5.5.2", rpcVersion: 1 },
        source: "obs",
      });

      expect(await obs.getCurrentScene()).toBe("Starting Soon");
      await obs.setCurrentScene("Main");
      expect(server.model.currentScene).toBe("Main");
      await obs.setSceneItemEnabled("Main", "Alert Box", false);
      expect(server.model.scene("Main")?.items.find((i) => i.sourceName === "Alert Box")?.enabled).toBe(
        false,
      );
      await obs.setText("Alert Text", "Ada raided with 42");
      expect(server.model.inputs.get("Alert Text")?.settings.text).toBe("Ada raided with 42");
      await obs.setInputMute("Mic/Aux", true);
      expect(server.model.inputs.get("Mic/Aux")?.muted).toBe(true);
      await obs.triggerMediaInputAction("BRB Loop", "restart");
      expect(server.model.inputs.get("BRB Loop")?.lastMediaAction).toBe(
        "OBS_WEBSOCKET_MEDIA_INPUT_ACTION_RESTART",
      );
      const version = await obs.call("GetVersion");
      expect(version.rpcVersion).toBe(1);
    },
  );

  it("authenticates with the right password from OBS_WEBSOCKET_PASSWORD, and never shows it", async () => {
    server = await createFakeObsServer({ password: "s3cret-pass" });
    const { plugin, logs, events } = await startPlugin({
      env: { OBS_WEBSOCKET_URL: server.url, OBS_WEBSOCKET_PASSWORD: "s3cret-pass" },
    });
    expect(plugin.status().state).toBe("connected");
    expect(JSON.stringify([logs, events.items, plugin.status()])).not.toContain("s3cret-pass");
  });

  it("with a wrong password reports disconnected, logs it once and keeps retrying quietly", async () => {
    server = await createFakeObsServer({ password: "right" });
    const { plugin, logs, events } = await startPlugin({ url: server.url, password: "wrong" });
    await until(() => server!.sessions.length >= 4, "several connect attempts");
    const status = plugin.status();
    expect(status.state).not.toBe("connected");
    expect(status.detail).toMatch(/refused the password/);
    const loud = logs.filter((l) => l.level === "warn" || l.level === "error");
    expect(loud).toHaveLength(1);
    expect(loud[0]).toMatchObject({ level: "error", fields: { code: 4009 } });
    expect(events.items.filter((e) => e.type === "obs.connection.disconnected")).toHaveLength(1);
    expect(JSON.stringify([logs, plugin.status()])).not.toContain("wrong");
  });

  it("turns OBS events into obs.* events, skipping intermediate output states", async () => {
    server = await createFakeObsServer();
    const { obs, events } = await startPlugin({ url: server.url });
    await obs.getCurrentScene(); // the plugin has learnt the program scene by then
    await obs.setCurrentScene("Main");
    await events.waitFor((e) => e.type === "obs.scene.changed", 5000, "obs.scene.changed");
    server.fireEvent("StreamStateChanged", {
      outputActive: false,
      outputState: "OBS_WEBSOCKET_OUTPUT_STARTING",
    });
    server.fireEvent("StreamStateChanged", {
      outputActive: true,
      outputState: "OBS_WEBSOCKET_OUTPUT_STARTED",
    });
    server.fireEvent("InputMuteStateChanged", { inputName: "Mic/Aux", inputUuid: "u", inputMuted: true });
    server.fireEvent("InputMuteStateChanged", { inputName: "", inputMuted: "yes" }); // malformed: ignored
    await obs.call("StartRecord");
    await obs.call("StopRecord");
    await events.waitFor((e) => e.type === "obs.recording.stopped", 5000, "obs.recording.stopped");
    expect(events.items.slice(1).map((e) => [e.type, e.data])).toEqual([
      ["obs.scene.changed", { sceneName: "Main", previousSceneName: "Starting Soon" }],
      ["obs.stream.started", { outputState: "OBS_WEBSOCKET_OUTPUT_STARTED" }],
      ["obs.input.mute_changed", { inputName: "Mic/Aux", muted: true }],
      ["obs.recording.started", { outputState: "OBS_WEBSOCKET_OUTPUT_STARTED" }],
      [
        "obs.recording.stopped",
        { outputState: "OBS_WEBSOCKET_OUTPUT_STOPPED", outputPath: "/tmp/fake-obs-recording.mkv" },
      ],
    ]);
  });

  it("rejects a refused request with OBS's status code and comment", async () => {
    server = await createFakeObsServer();
    const { obs } = await startPlugin({ url: server.url });
    const error = await errorOf(obs.setCurrentScene("No Such Scene"));
    expect(error.code).toBe(ObsErrorCodes.REQUEST_FAILED);
    expect(error.data).toMatchObject({
      requestType: "SetCurrentProgramScene",
      status: 600,
      module: "alerts",
    });
    expect(String(error.data?.comment)).toContain("No Such Scene");
    const unknown = await errorOf(obs.call("NoSuchRequest" as "GetVersion"));
    expect(unknown.data).toMatchObject({ status: 204 });
  });

  it("checks arguments before sending anything", async () => {
    server = await createFakeObsServer();
    const { obs } = await startPlugin({ url: server.url });
    expect((await errorOf(obs.setCurrentScene(""))).code).toBe(ObsErrorCodes.INVALID_ARGUMENT);
    expect((await errorOf(obs.setInputMute("Mic/Aux", "yes" as never))).code).toBe(
      ObsErrorCodes.INVALID_ARGUMENT,
    );
    expect((await errorOf(obs.triggerMediaInputAction("BRB Loop", "explode" as never))).code).toBe(
      ObsErrorCodes.INVALID_ARGUMENT,
    );
    expect((await errorOf(obs.call("SetInputMute", [] as never))).code).toBe(ObsErrorCodes.INVALID_ARGUMENT);
    await obs.getCurrentScene(); // sentinel
    expect(
      server.requests.items.map((r) => r.requestType).filter((t) => t !== "GetCurrentProgramScene"),
    ).toEqual([]);
  });

  it("fails a call with SS_OBS_TIMEOUT when OBS never answers", async () => {
    server = await createFakeObsServer();
    const { obs, plugin } = await startPlugin({ url: server.url, requestTimeoutMs: 300 });
    server.hang("GetSceneList");
    const error = await errorOf(obs.call("GetSceneList"));
    expect(error.code).toBe(ObsErrorCodes.TIMEOUT);
    expect(error.data).toMatchObject({ requestType: "GetSceneList", timeoutMs: 300 });
    expect(plugin.status().state).toBe("connected");
  });

  it("fails a pending call with SS_OBS_CONNECTION_LOST when OBS goes away, then reconnects", async () => {
    server = await createFakeObsServer();
    const { obs, plugin, events } = await startPlugin({ url: server.url, requestTimeoutMs: 20_000 });
    server.hang("GetSceneList");
    const pending = errorOf(obs.call("GetSceneList"));
    await server.requests.waitFor((r) => r.requestType === "GetSceneList", 5000, "the hung request");
    server.unhang();
    server.dropConnections();
    const error = await pending;
    expect(error.code).toBe(ObsErrorCodes.CONNECTION_LOST);
    await events.waitFor((e) => e.type === "obs.connection.disconnected", 5000, "disconnected event");
    await server.waitForIdentified(2);
    await until(() => plugin.status().state === "connected", "the plugin to reconnect");
    expect((await obs.call("GetSceneList")).currentProgramSceneName).toBe("Starting Soon");
    expect(events.items.map((e) => e.type)).toEqual([
      "obs.connection.connected",
      "obs.connection.disconnected",
      "obs.connection.connected",
    ]);
  });

  it("runs without OBS (calls say not connected) and connects once OBS starts", async () => {
    const probe = await createFakeObsServer();
    const port = probe.port;
    await probe.close();
    const { obs, plugin, logs } = await startPlugin({ url: `ws://127.0.0.1:${port}` });
    expect(plugin.status()).toMatchObject({ kind: "obs", state: "disconnected" });
    expect(plugin.status().detail).toMatch(/not reachable/);
    expect((await errorOf(obs.getCurrentScene())).code).toBe(ObsErrorCodes.NOT_CONNECTED);
    await until(() => logs.filter((l) => l.level === "debug").length >= 2, "a few quiet retries");
    expect(logs.filter((l) => l.level === "warn")).toHaveLength(1);

    server = await createFakeObsServer({ port });
    await server.waitForIdentified(1);
    await until(() => plugin.status().state === "connected", "the plugin to connect");
    expect(await obs.getCurrentScene()).toBe("Starting Soon");
  });

  it("stops retrying after stop()", async () => {
    server = await createFakeObsServer();
    const { plugin, obs } = await startPlugin({ url: server.url });
    await plugin.stop();
    expect(plugin.status()).toMatchObject({ state: "disconnected", detail: "stopped" });
    expect((await errorOf(obs.getCurrentScene())).code).toBe(ObsErrorCodes.NOT_CONNECTED);
    // A fresh client that connects after stop() is the only other session: the plugin made none.
    const { default: OBSWebSocket } = await import("obs-websocket-js/json");
    const other = new OBSWebSocket();
    await other.connect(server.url);
    await other.disconnect();
    expect(server.sessions).toHaveLength(2);
  });
});
