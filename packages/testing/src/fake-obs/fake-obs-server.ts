import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { decode, encode } from "@msgpack/msgpack";
import { type WebSocket, WebSocketServer } from "ws";
import { Recorder } from "../fake-plugins.ts";
import { FakeObsModel, type FakeObsSetup } from "./obs-model.ts";
import {
  OBS_EVENT_INTENTS,
  OBS_SUBPROTOCOLS,
  ObsCloseCode,
  ObsEventSubscription,
  ObsOpCode,
  type ObsRequestOutcome,
  ObsRequestStatus,
  type ObsSubprotocol,
  obsAuthenticationString,
} from "./protocol.ts";

/** How to start a fake OBS. */
export interface FakeObsServerOptions extends FakeObsSetup {
  /** When set, clients must authenticate with it (the Hello carries a challenge). */
  password?: string;
  /** 0 (default) picks a free port; pass a former server's port to "restart OBS". */
  port?: number;
}

/** A request a client sent, as the fake received it. */
export interface FakeObsRequest {
  requestType: string;
  requestId: string;
  requestData: unknown;
  /** Which subprotocol carried it. */
  protocol: ObsSubprotocol;
}

/** One client session. */
interface Session {
  socket: WebSocket;
  protocol: ObsSubprotocol;
  identified: boolean;
  eventSubscriptions: number;
  challenge: string;
}

/** What happened to a session, for tests that check the handshake. */
export interface FakeObsSessionRecord {
  protocol: ObsSubprotocol;
  identified: boolean;
  eventSubscriptions: number;
  closedWith?: { code: number; reason: string };
}

/**
 * A fake obs-websocket v5 server on 127.0.0.1 that real obs-websocket-js clients connect to: Hello,
 * Identify (with the protocol's challenge/salt authentication), Identified, Reidentify, requests,
 * batches and events filtered by each client's `eventSubscriptions`, over the JSON and MessagePack
 * subprotocols. Its small model (scenes, items, inputs, outputs) answers the common requests.
 * @example
 * const obs = await createFakeObsServer({ password: "secret" });
 * const client = new OBSWebSocket();
 * await client.connect(obs.url, "secret");
 * await client.call("SetCurrentProgramScene", { sceneName: "Main" });
 * expect(obs.model.currentScene).toBe("Main");
 */
export class FakeObsServer {
  readonly model: FakeObsModel;
  /** Every request received, in order (also the hung ones). */
  readonly requests = new Recorder<FakeObsRequest>();
  /** Every session, in order of connection. */
  readonly sessions: FakeObsSessionRecord[] = [];
  readonly #server: WebSocketServer;
  readonly #password: string | undefined;
  readonly #salt = randomBytes(32).toString("base64");
  readonly #live = new Map<WebSocket, Session>();
  readonly #identified = new Recorder<number>();
  #hang: ((requestType: string) => boolean) | undefined;
  #pendingEvents: Array<[string, Record<string, unknown>]> | undefined;

  private constructor(server: WebSocketServer, options: FakeObsServerOptions) {
    this.#server = server;
    this.#password = options.password;
    this.model = new FakeObsModel(options, (type, data) => {
      if (this.#pendingEvents) this.#pendingEvents.push([type, data]);
      else this.fireEvent(type, data);
    });
    server.on("connection", (socket) => this.#accept(socket));
  }

  /** Starts a fake OBS listening on 127.0.0.1. */
  static async start(options: FakeObsServerOptions = {}): Promise<FakeObsServer> {
    const server = new WebSocketServer({
      host: "127.0.0.1",
      port: options.port ?? 0,
      // OBS picks JSON when the client names no subprotocol, and refuses none it knows.
      handleProtocols: (protocols) => OBS_SUBPROTOCOLS.find((p) => protocols.has(p)) ?? false,
    });
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    return new FakeObsServer(server, options);
  }

  /** The port it listens on. */
  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** `ws://127.0.0.1:<port>`. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Sessions that completed Identify and are still open. */
  get identifiedCount(): number {
    return [...this.#live.values()].filter((s) => s.identified).length;
  }

  /** Resolves once `count` sessions in total have identified since the server started. */
  async waitForIdentified(count = 1, timeoutMs = 10_000): Promise<void> {
    await this.#identified.waitFor((n) => n >= count, timeoutMs, `${count} identified OBS client(s)`);
  }

  /** Sends an event to every identified client subscribed to its intent (OBS_EVENT_INTENTS or `intent`). */
  fireEvent(eventType: string, eventData: Record<string, unknown> = {}, intent?: number): void {
    const eventIntent = intent ?? OBS_EVENT_INTENTS[eventType] ?? ObsEventSubscription.General;
    for (const session of this.#live.values()) {
      if (!session.identified || (session.eventSubscriptions & eventIntent) === 0) continue;
      this.#send(session, ObsOpCode.Event, { eventType, eventIntent, eventData });
    }
  }

  /** From now on, requests for which `match` is true (or every request, `"*"`) get no answer. */
  hang(match: string | ((requestType: string) => boolean) = "*"): void {
    this.#hang = typeof match === "function" ? match : (type) => match === "*" || match === type;
  }

  /** Answers requests again (the hung ones stay unanswered, as after a crash). */
  unhang(): void {
    this.#hang = undefined;
  }

  /** Cuts every connection without a close frame, as when OBS crashes or the network drops. */
  dropConnections(): void {
    for (const socket of this.#live.keys()) socket.terminate();
  }

  /** Closes every connection with a close frame (`code`, `reason`), as OBS does when it quits. */
  closeConnections(code = 1001, reason = "Server stopping."): void {
    for (const socket of this.#live.keys()) socket.close(code, reason);
  }

  /** Stops listening and drops every connection (OBS closed). */
  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: WebSocket): void {
    const protocol = (socket.protocol || "obswebsocket.json") as ObsSubprotocol;
    const record: FakeObsSessionRecord = { protocol, identified: false, eventSubscriptions: 0 };
    this.sessions.push(record);
    const session: Session = {
      socket,
      protocol,
      identified: false,
      eventSubscriptions: 0,
      challenge: randomBytes(32).toString("base64"),
    };
    this.#live.set(socket, session);
    socket.on("close", (code, reason) => {
      this.#live.delete(socket);
      record.closedWith = { code, reason: reason.toString() };
    });
    socket.on("error", () => socket.terminate());
    socket.on("message", (raw, isBinary) => {
      let message: unknown;
      try {
        const bytes = Buffer.isBuffer(raw)
          ? raw
          : Buffer.concat(Array.isArray(raw) ? raw : [Buffer.from(raw)]);
        message = protocol === "obswebsocket.msgpack" ? decode(bytes) : JSON.parse(bytes.toString("utf8"));
        if (protocol === "obswebsocket.msgpack" && !isBinary) throw new Error("text frame on msgpack");
      } catch {
        socket.close(ObsCloseCode.MessageDecodeError, "Unable to decode the message.");
        return;
      }
      this.#onMessage(session, record, message);
    });
    const hello: Record<string, unknown> = { obsWebSocketVersion: "5.5.2", rpcVersion: 1 };
    if (this.#password !== undefined)
      hello.authentication = { challenge: session.challenge, salt: this.#salt };
    this.#send(session, ObsOpCode.Hello, hello);
  }

  #onMessage(session: Session, record: FakeObsSessionRecord, message: unknown): void {
    const close = (code: number, reason: string) => session.socket.close(code, reason);
    if (message === null || typeof message !== "object") {
      close(ObsCloseCode.MessageDecodeError, "Message is not an object.");
      return;
    }
    const { op, d } = message as { op?: unknown; d?: unknown };
    if (typeof op !== "number") {
      close(ObsCloseCode.MissingDataField, "Your payload is missing an `op`.");
      return;
    }
    if (d === null || typeof d !== "object") {
      close(ObsCloseCode.MissingDataField, "Your payload is missing data (`d`).");
      return;
    }
    const data = d as Record<string, unknown>;
    if (op !== ObsOpCode.Identify && !session.identified) {
      close(ObsCloseCode.NotIdentified, "You attempted to send a non-Identify message while not identified.");
      return;
    }
    switch (op) {
      case ObsOpCode.Identify: {
        if (session.identified) {
          close(ObsCloseCode.AlreadyIdentified, "You are already Identified with the obs-websocket server.");
          return;
        }
        if (typeof data.rpcVersion !== "number") {
          close(ObsCloseCode.MissingDataField, "Your payload's data is missing an `rpcVersion`.");
          return;
        }
        if (data.rpcVersion !== 1) {
          close(
            ObsCloseCode.UnsupportedRpcVersion,
            `Your requested RPC version (${data.rpcVersion}) is not supported by this server.`,
          );
          return;
        }
        if (this.#password !== undefined) {
          const expected = obsAuthenticationString(this.#password, this.#salt, session.challenge);
          if (data.authentication !== expected) {
            close(ObsCloseCode.AuthenticationFailed, "Authentication failed.");
            return;
          }
        }
        session.identified = true;
        session.eventSubscriptions =
          typeof data.eventSubscriptions === "number" ? data.eventSubscriptions : ObsEventSubscription.All;
        record.identified = true;
        record.eventSubscriptions = session.eventSubscriptions;
        this.#send(session, ObsOpCode.Identified, { negotiatedRpcVersion: 1 });
        this.#identified.push(this.sessions.filter((s) => s.identified).length);
        return;
      }
      case ObsOpCode.Reidentify: {
        if (typeof data.eventSubscriptions === "number") session.eventSubscriptions = data.eventSubscriptions;
        record.eventSubscriptions = session.eventSubscriptions;
        this.#send(session, ObsOpCode.Identified, { negotiatedRpcVersion: 1 });
        return;
      }
      case ObsOpCode.Request:
        this.#onRequest(session, data);
        return;
      case ObsOpCode.RequestBatch:
        this.#onBatch(session, data);
        return;
      default: {
        close(ObsCloseCode.UnknownOpCode, `Unknown OpCode: ${op}`);
        return;
      }
    }
  }

  #onRequest(session: Session, data: Record<string, unknown>): void {
    if (typeof data.requestId !== "string" && typeof data.requestId !== "number") {
      session.socket.close(ObsCloseCode.MissingDataField, "Your request data is missing a `requestId`.");
      return;
    }
    const requestId = String(data.requestId);
    const requestType = typeof data.requestType === "string" ? data.requestType : "";
    this.requests.push({ requestType, requestId, requestData: data.requestData, protocol: session.protocol });
    if (this.#hang?.(requestType)) return;
    const [outcome, events] = this.#run(requestType, data.requestData);
    this.#send(session, ObsOpCode.RequestResponse, { requestType, requestId, ...responseFields(outcome) });
    for (const [type, eventData] of events) this.fireEvent(type, eventData);
  }

  #onBatch(session: Session, data: Record<string, unknown>): void {
    const requestId = String(data.requestId ?? "");
    const requests = Array.isArray(data.requests) ? data.requests : [];
    if (this.#hang?.("RequestBatch")) return;
    const results: unknown[] = [];
    const events: Array<[string, Record<string, unknown>]> = [];
    for (const raw of requests) {
      const request = (raw ?? {}) as Record<string, unknown>;
      const requestType = typeof request.requestType === "string" ? request.requestType : "";
      this.requests.push({
        requestType,
        requestId: String(request.requestId ?? ""),
        requestData: request.requestData,
        protocol: session.protocol,
      });
      const [outcome, fired] = this.#run(requestType, request.requestData);
      events.push(...fired);
      results.push({ requestType, requestId: request.requestId, ...responseFields(outcome) });
      if (!outcome.ok && data.haltOnFailure === true) break;
    }
    this.#send(session, ObsOpCode.RequestBatchResponse, { requestId, results });
    for (const [type, eventData] of events) this.fireEvent(type, eventData);
  }

  /** Runs a request on the model, holding back the events it causes until the response is sent. */
  #run(
    requestType: string,
    requestData: unknown,
  ): [ObsRequestOutcome, Array<[string, Record<string, unknown>]>] {
    if (requestType === "") {
      return [
        {
          ok: false,
          code: ObsRequestStatus.MissingRequestType,
          comment: "Your request is missing a `requestType`",
        },
        [],
      ];
    }
    const events: Array<[string, Record<string, unknown>]> = [];
    this.#pendingEvents = events;
    try {
      return [this.model.handle(requestType, requestData), events];
    } finally {
      this.#pendingEvents = undefined;
    }
  }

  #send(session: Session, op: number, d: Record<string, unknown>): void {
    if (session.socket.readyState !== session.socket.OPEN) return;
    const message = { op, d };
    if (session.protocol === "obswebsocket.msgpack") session.socket.send(encode(message), { binary: true });
    else session.socket.send(JSON.stringify(message));
  }
}

function responseFields(outcome: ObsRequestOutcome): Record<string, unknown> {
  if (!outcome.ok) return { requestStatus: { result: false, code: outcome.code, comment: outcome.comment } };
  return {
    requestStatus: { result: true, code: ObsRequestStatus.Success },
    ...(outcome.responseData ? { responseData: outcome.responseData } : {}),
  };
}

/** Starts a {@link FakeObsServer} on 127.0.0.1. */
export function createFakeObsServer(options: FakeObsServerOptions = {}): Promise<FakeObsServer> {
  return FakeObsServer.start(options);
}
