import OBSWebSocketJson, { EventSubscription, OBSWebSocketError } from "obs-websocket-js/json";
import OBSWebSocketMsgpack from "obs-websocket-js/msgpack";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { waitUntil } from "../wait-until.ts";
import { createFakeObsServer, type FakeObsServer } from "./fake-obs-server.ts";
import { ObsCloseCode } from "./protocol.ts";

let server: FakeObsServer | undefined;
const clients: Array<{ disconnect(): Promise<void> }> = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.disconnect().catch(() => {});
  await server?.close();
  server = undefined;
});

function track<T extends { disconnect(): Promise<void> }>(client: T): T {
  clients.push(client);
  return client;
}

/** A raw WebSocket client, to look at frames the library hides. */
function rawClient(
  url: string,
): Promise<{ socket: WebSocket; messages: unknown[]; closed: Promise<number> }> {
  const socket = new WebSocket(url, "obswebsocket.json");
  const messages: unknown[] = [];
  socket.on("message", (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve({ socket, messages, closed }));
    socket.once("error", reject);
  });
}

const until = (check: () => boolean, what: string, timeoutMs = 5000) => waitUntil(check, what, timeoutMs);

describe("fake obs-websocket server", () => {
  it("greets with Hello (rpcVersion 1, no authentication) and refuses requests before Identify", async () => {
    server = await createFakeObsServer();
    const raw = await rawClient(server.url);
    await until(() => raw.messages.length === 1, "Hello");
    expect(raw.messages[0]).toEqual({ op: 0, d: { obsWebSocketVersion: "5.5.2", rpcVersion: 1 } });
    raw.socket.send(JSON.stringify({ op: 6, d: { requestType: "GetVersion", requestId: "1" } }));
    expect(await raw.closed).toBe(ObsCloseCode.NotIdentified);
  });

  it("lets the real JSON client identify, answer requests and change the model", async () => {
    server = await createFakeObsServer();
    const obs = track(new OBSWebSocketJson());
    const identified = await obs.connect(server.url);
    expect(identified).toMatchObject({ negotiatedRpcVersion: 1, obsWebSocketVersion: "5.5.2" });
    expect((await obs.call("GetVersion")).obsWebSocketVersion).toBe("5.5.2");
    await obs.call("SetCurrentProgramScene", { sceneName: "Main" });
    expect((await obs.call("GetCurrentProgramScene")).currentProgramSceneName).toBe("Main");
    expect(server.model.currentScene).toBe("Main");
    expect(server.sessions[0]).toMatchObject({ protocol: "obswebsocket.json", identified: true });
    expect(server.requests.items.map((r) => r.requestType)).toEqual([
      "GetVersion",
      "SetCurrentProgramScene",
      "GetCurrentProgramScene",
    ]);
  });

  it("accepts the right password through the challenge and closes with 4009 on a wrong one", async () => {
    server = await createFakeObsServer({ password: "hunter2" });
    const good = track(new OBSWebSocketJson());
    await good.connect(server.url, "hunter2");
    expect(good.identified).toBe(true);

    const bad = track(new OBSWebSocketJson());
    const error = await bad.connect(server.url, "wrong").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OBSWebSocketError);
    expect((error as OBSWebSocketError).code).toBe(ObsCloseCode.AuthenticationFailed);
    await until(() => server!.sessions[1]?.closedWith !== undefined, "the failed session to close");
    expect(server.sessions[1]).toMatchObject({ identified: false, closedWith: { code: 4009 } });
  });

  it("speaks MessagePack with the msgpack client: requests, failures with status code and comment, events", async () => {
    server = await createFakeObsServer();
    const obs = track(new OBSWebSocketMsgpack());
    await obs.connect(server.url);
    expect(server.sessions[0]?.protocol).toBe("obswebsocket.msgpack");
    const error = await obs.call("SetCurrentProgramScene", { sceneName: "Nope" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 600, message: expect.stringContaining("Nope") });

    const muted = new Promise<unknown>((resolve) => obs.once("InputMuteStateChanged", resolve));
    await obs.call("SetInputMute", { inputName: "Mic/Aux", inputMuted: true });
    expect(await muted).toMatchObject({ inputName: "Mic/Aux", inputMuted: true });
    expect(server.requests.items.at(-1)?.protocol).toBe("obswebsocket.msgpack");
  });

  it("sends an event only to clients subscribed to its intent", async () => {
    server = await createFakeObsServer();
    const obs = track(new OBSWebSocketJson());
    await obs.connect(server.url, undefined, { eventSubscriptions: EventSubscription.Scenes });
    const seen: string[] = [];
    obs.on("InputMuteStateChanged", () => seen.push("mute"));
    obs.on("CurrentProgramSceneChanged", (e) => seen.push(`scene:${e.sceneName}`));
    server.fireEvent("InputMuteStateChanged", { inputName: "Mic/Aux", inputUuid: "x", inputMuted: true });
    server.fireEvent("CurrentProgramSceneChanged", { sceneName: "BRB", sceneUuid: "y" }); // sentinel
    await until(() => seen.length > 0, "the scene event");
    expect(seen).toEqual(["scene:BRB"]);
  });

  it("runs request batches in order and re-subscribes on Reidentify", async () => {
    server = await createFakeObsServer();
    const obs = track(new OBSWebSocketJson());
    await obs.connect(server.url, undefined, { eventSubscriptions: EventSubscription.None });
    const results = await obs.callBatch([
      { requestType: "SetCurrentProgramScene", requestData: { sceneName: "BRB" } },
      { requestType: "GetCurrentProgramScene" },
      { requestType: "SetInputMute", requestData: { inputName: "Nope", inputMuted: true } },
    ]);
    expect(results.map((r) => r.requestStatus.code)).toEqual([100, 100, 600]);
    expect(results[1]?.responseData).toMatchObject({ currentProgramSceneName: "BRB" });

    await obs.reidentify({ eventSubscriptions: EventSubscription.Inputs });
    expect(server.sessions[0]?.eventSubscriptions).toBe(EventSubscription.Inputs);
    const muted = new Promise<unknown>((resolve) => obs.once("InputMuteStateChanged", resolve));
    await obs.call("ToggleInputMute", { inputName: "Mic/Aux" });
    expect(await muted).toMatchObject({ inputName: "Mic/Aux", inputMuted: true });
  });

  it("closes with 4002 on a frame it cannot decode", async () => {
    server = await createFakeObsServer();
    const raw = await rawClient(server.url);
    raw.socket.send("{not json");
    expect(await raw.closed).toBe(ObsCloseCode.MessageDecodeError);
  });

  it("leaves a hung request unanswered and drops the socket on demand", async () => {
    server = await createFakeObsServer();
    const obs = track(new OBSWebSocketJson());
    await obs.connect(server.url);
    server.hang("GetSceneList");
    let settled = false;
    void obs.call("GetSceneList").finally(() => {
      settled = true;
    });
    await server.requests.waitFor((r) => r.requestType === "GetSceneList", 5000, "the hung request");
    // Another request still gets its answer after the hung one: the hang is per request type.
    expect((await obs.call("GetVersion")).rpcVersion).toBe(1);
    expect(settled).toBe(false);
    const closed = new Promise<void>((resolve) => obs.once("ConnectionClosed", () => resolve()));
    server.dropConnections();
    await closed;
    expect(obs.identified).toBe(false);
  });
});
