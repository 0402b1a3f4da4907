import { randomUUID } from "node:crypto";
import type { WebSocket } from "ws";
import { Recorder } from "../fake-plugins.ts";
import {
  type BotChatMessage,
  clearChatTags,
  clearMsgTags,
  type FakeChatOptions,
  type FakeRoomModes,
  privmsgTags,
  userNoticeTags,
} from "./fake-chat-lines.ts";
import type { FakeState, FakeUser } from "./fake-state.ts";
import { formatIrcLine, type IrcLine, parseIrcLine } from "./irc-line.ts";

const SERVER = "tmi.twitch.tv";
const CAPABILITIES = ["twitch.tv/membership", "twitch.tv/tags", "twitch.tv/commands"];
interface Session {
  socket: WebSocket;
  nick: string | null;
  pass: string | null;
  caps: Set<string>;
  negotiating: boolean;
  registered: boolean;
  user: FakeUser | null;
  channels: Set<string>;
}

/** The IRC-over-WebSocket part of the fake Twitch: what `wss://irc-ws.chat.twitch.tv` does. */
export class FakeIrc {
  readonly #state: FakeState;
  readonly #sessions = new Set<Session>();
  readonly #messages = new Map<string, { user: FakeUser; text: string }>();
  /** Every line the fake received from clients (PASS lines are kept with the token masked). */
  readonly received = new Recorder<string>();
  /** Every chat message the bot sent. */
  readonly sent = new Recorder<BotChatMessage>();
  /** Every channel joined, as `<login>#<channel>`. */
  readonly joins = new Recorder<string>();
  /** Room modes in force; set them with {@link FakeIrc.setRoomModes}. */
  readonly modes: FakeRoomModes = {};

  constructor(state: FakeState) {
    this.#state = state;
  }

  /** Number of open chat connections. */
  get connections(): number {
    return this.#sessions.size;
  }

  /** Takes over a new WebSocket connection. */
  accept(socket: WebSocket): void {
    const session: Session = {
      socket,
      nick: null,
      pass: null,
      caps: new Set(),
      negotiating: false,
      registered: false,
      user: null,
      channels: new Set(),
    };
    this.#sessions.add(session);
    socket.on("message", (data) => {
      for (const raw of data.toString().split("\r\n")) {
        if (raw.trim() !== "") this.#handle(session, raw);
      }
    });
    socket.on("close", () => this.#sessions.delete(session));
    socket.on("error", () => this.#sessions.delete(session));
  }

  /** Says `text` in chat as a user; returns the message id. */
  chat(text: string, options: FakeChatOptions = {}): string {
    const channel = (options.channel ?? this.#state.broadcaster.login).toLowerCase();
    const user = this.#state.user(options.user ?? "viewer", options.displayName);
    const id = options.id ?? randomUUID();
    const isBroadcaster = user.id === this.#state.broadcaster.id;
    const tags = privmsgTags(user, this.#state.user(channel).id, id, text, options, isBroadcaster);
    const parent = options.replyTo ? this.#messages.get(options.replyTo) : undefined;
    if (options.replyTo && parent) {
      Object.assign(tags, {
        "reply-parent-display-name": parent.user.displayName,
        "reply-parent-msg-body": parent.text,
        "reply-parent-msg-id": options.replyTo,
        "reply-parent-user-id": parent.user.id,
        "reply-parent-user-login": parent.user.login,
        "reply-thread-parent-msg-id": options.replyTo,
        "reply-thread-parent-user-login": parent.user.login,
      });
    }
    this.#messages.set(id, { user, text });
    const body = options.action ? `\u0001ACTION ${text}\u0001` : text;
    this.broadcast(channel, {
      tags,
      prefix: `${user.login}!${user.login}@${user.login}.${SERVER}`,
      command: "PRIVMSG",
      params: [`#${channel}`, body],
    });
    return id;
  }

  /** Sends a USERNOTICE (`msg-id` sub, resub, subgift, raid, announcement, ...) from a user. */
  userNotice(
    msgId: string,
    options: { user?: string; text?: string; params?: Record<string, string>; systemMessage?: string } = {},
  ): string {
    const channel = this.#state.broadcaster.login;
    const user = this.#state.user(options.user ?? "viewer");
    const id = randomUUID();
    const tags = userNoticeTags(user, this.#state.broadcaster.id, id, msgId, options);
    const params = [`#${channel}`];
    if (options.text !== undefined) params.push(options.text);
    this.broadcast(channel, { tags, prefix: SERVER, command: "USERNOTICE", params });
    return id;
  }

  /** A timeout (with `durationSeconds`) or a ban (without) of a user, as CLEARCHAT. */
  clearChat(login: string, durationSeconds?: number): void {
    const channel = this.#state.broadcaster.login;
    const user = this.#state.user(login);
    this.broadcast(channel, {
      tags: clearChatTags(this.#state.broadcaster.id, user.id, durationSeconds),
      prefix: SERVER,
      command: "CLEARCHAT",
      params: [`#${channel}`, user.login],
    });
  }

  /** A moderator deleted one message, as CLEARMSG. */
  clearMessage(messageId: string): void {
    const channel = this.#state.broadcaster.login;
    const message = this.#messages.get(messageId);
    this.broadcast(channel, {
      tags: clearMsgTags(message?.user.login ?? "viewer", messageId),
      prefix: SERVER,
      command: "CLEARMSG",
      params: [`#${channel}`, message?.text ?? ""],
    });
  }

  /** Sets room modes; later bot messages are refused with the NOTICE Twitch would send. */
  setRoomModes(modes: FakeRoomModes): void {
    Object.assign(this.modes, modes);
    const channel = this.#state.broadcaster.login;
    const tags: Record<string, string> = { "room-id": this.#state.broadcaster.id };
    if (modes.followersOnly !== undefined) tags["followers-only"] = modes.followersOnly ? "0" : "-1";
    if (modes.subsOnly !== undefined) tags["subs-only"] = modes.subsOnly ? "1" : "0";
    if (modes.emoteOnly !== undefined) tags["emote-only"] = modes.emoteOnly ? "1" : "0";
    this.broadcast(channel, { tags, prefix: SERVER, command: "ROOMSTATE", params: [`#${channel}`] });
  }

  /** Sends Twitch's `RECONNECT`: the server is going away, the client should reconnect. */
  requestReconnect(): void {
    for (const session of this.#sessions)
      this.#send(session, { tags: {}, prefix: SERVER, command: "RECONNECT", params: [] });
  }

  /** Sends a raw line (malformed input tests) to every registered connection. */
  sendRaw(line: string): void {
    for (const session of this.#sessions) if (session.registered) session.socket.send(`${line}\r\n`);
  }

  /** Cuts every chat connection without a goodbye. */
  drop(): void {
    for (const session of this.#sessions) session.socket.terminate();
    this.#sessions.clear();
  }

  /** Sends a line to every connection that joined `channel`. */
  broadcast(channel: string, line: IrcLine): void {
    for (const session of this.#sessions) if (session.channels.has(channel)) this.#send(session, line);
  }

  #send(session: Session, line: IrcLine): void {
    const out: IrcLine = session.caps.has("twitch.tv/tags") ? line : { ...line, tags: {} };
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(`${formatIrcLine(out)}\r\n`);
  }

  #reply(session: Session, command: string, ...params: string[]): void {
    this.#send(session, { tags: {}, prefix: SERVER, command, params });
  }

  #handle(session: Session, raw: string): void {
    const line = parseIrcLine(raw);
    this.received.push(raw.startsWith("PASS ") ? "PASS ***" : raw);
    if (!line) return;
    const [first = "", second = ""] = line.params;
    switch (line.command) {
      case "CAP":
        this.#cap(session, first.toUpperCase(), line.params);
        return;
      case "PASS":
        session.pass = first;
        return;
      case "NICK":
        session.nick = first.toLowerCase();
        if (!session.negotiating) this.#register(session);
        return;
      case "USER":
        return;
      case "PING":
        this.#reply(session, "PONG", SERVER, first || SERVER);
        return;
      case "PONG":
        return;
      case "JOIN":
        for (const name of first.split(",")) this.#join(session, name.replace(/^#/, "").toLowerCase());
        return;
      case "PART": {
        const channel = first.replace(/^#/, "").toLowerCase();
        session.channels.delete(channel);
        this.#send(session, {
          tags: {},
          prefix: this.#userPrefix(session),
          command: "PART",
          params: [`#${channel}`],
        });
        return;
      }
      case "PRIVMSG":
        this.#privmsg(session, first.replace(/^#/, "").toLowerCase(), second, line.tags);
        return;
      case "QUIT":
        session.socket.close();
        return;
      default:
        this.#reply(session, "421", session.nick ?? "*", line.command, "Unknown command");
        return;
    }
  }

  #cap(session: Session, sub: string, params: string[]): void {
    if (sub === "LS") {
      session.negotiating = true;
      this.#reply(session, "CAP", "*", "LS", CAPABILITIES.join(" "));
    } else if (sub === "REQ") {
      const wanted = (params[1] ?? "").split(" ").filter(Boolean);
      const known = wanted.every((cap) => CAPABILITIES.includes(cap));
      if (known) for (const cap of wanted) session.caps.add(cap);
      this.#reply(session, "CAP", "*", known ? "ACK" : "NAK", wanted.join(" "));
    } else if (sub === "END") {
      session.negotiating = false;
      if (session.nick !== null) this.#register(session);
    }
  }

  #register(session: Session): void {
    if (session.registered) return;
    const nick = session.nick ?? "";
    if (!/^justinfan\d+$/.test(nick)) {
      const token = this.#state.lookup(session.pass);
      const user = token ? this.#state.userById(token.userId) : undefined;
      if (!token || !user || user.login !== nick) {
        this.#send(session, {
          tags: {},
          prefix: SERVER,
          command: "NOTICE",
          params: ["*", "Login authentication failed"],
        });
        session.socket.close();
        return;
      }
      session.user = user;
    }
    session.registered = true;
    const welcome: Array<[string, string]> = [
      ["001", "Welcome, GLHF!"],
      ["002", `Your host is ${SERVER}`],
      ["003", "This server is rather new"],
      ["004", "-"],
      ["375", "-"],
      ["372", "You are in a maze of twisty passages, all alike."],
      ["376", ">"],
    ];
    for (const [code, text] of welcome) this.#reply(session, code, nick, text);
    if (session.user) {
      this.#send(session, {
        tags: {
          "badge-info": "",
          badges: "",
          color: "",
          "display-name": session.user.displayName,
          "emote-sets": "0",
          "user-id": session.user.id,
          "user-type": "",
        },
        prefix: SERVER,
        command: "GLOBALUSERSTATE",
        params: [],
      });
    }
  }

  #userPrefix(session: Session): string {
    const nick = session.nick ?? "justinfan0";
    return `${nick}!${nick}@${nick}.${SERVER}`;
  }

  #join(session: Session, channel: string): void {
    if (!session.registered || channel === "") return;
    session.channels.add(channel);
    const nick = session.nick ?? "";
    this.#send(session, {
      tags: {},
      prefix: this.#userPrefix(session),
      command: "JOIN",
      params: [`#${channel}`],
    });
    this.#send(session, {
      tags: {},
      prefix: `${nick}.${SERVER}`,
      command: "353",
      params: [nick, "=", `#${channel}`, nick],
    });
    this.#send(session, {
      tags: {},
      prefix: `${nick}.${SERVER}`,
      command: "366",
      params: [nick, `#${channel}`, "End of /NAMES list"],
    });
    this.#userState(session, channel);
    this.#send(session, {
      tags: {
        "emote-only": this.modes.emoteOnly ? "1" : "0",
        "followers-only": this.modes.followersOnly ? "0" : "-1",
        r9k: "0",
        "room-id": this.#state.user(channel).id,
        slow: "0",
        "subs-only": this.modes.subsOnly ? "1" : "0",
      },
      prefix: SERVER,
      command: "ROOMSTATE",
      params: [`#${channel}`],
    });
    this.joins.push(`${nick}#${channel}`);
  }

  #userState(session: Session, channel: string): void {
    const isBroadcaster = session.user?.login === channel;
    this.#send(session, {
      tags: {
        "badge-info": "",
        badges: isBroadcaster ? "broadcaster/1" : "",
        color: "",
        "display-name": session.user?.displayName ?? "",
        "emote-sets": "0",
        mod: "0",
        subscriber: "0",
        "user-type": "",
      },
      prefix: SERVER,
      command: "USERSTATE",
      params: [`#${channel}`],
    });
  }

  #privmsg(session: Session, channel: string, text: string, tags: Record<string, string>): void {
    if (!session.user) {
      this.#notice(session, channel, "msg_anon", "You need to log in to chat.");
      return;
    }
    const refusal = this.modes.followersOnly
      ? ["msg_followersonly", "This room is in followers-only mode."]
      : this.modes.subsOnly
        ? ["msg_subsonly", "This room is in subscribers-only mode."]
        : this.modes.emoteOnly
          ? ["msg_emoteonly", "This room is in emote-only mode."]
          : null;
    const message: BotChatMessage = {
      channel,
      text,
      replyTo: tags["reply-parent-msg-id"] ?? null,
      login: session.user.login,
      accepted: refusal === null,
      at: Date.now(),
    };
    if (refusal) {
      message.refusedWith = refusal[0]!;
      this.#notice(session, channel, refusal[0]!, refusal[1]!);
    } else {
      this.#messages.set(randomUUID(), { user: session.user, text });
      this.#userState(session, channel);
    }
    this.sent.push(message);
  }

  #notice(session: Session, channel: string, msgId: string, text: string): void {
    this.#send(session, {
      tags: { "msg-id": msgId },
      prefix: SERVER,
      command: "NOTICE",
      params: [`#${channel}`, text],
    });
  }
}
