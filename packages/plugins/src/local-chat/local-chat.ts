import {
  type AnnouncementColor,
  acceptedEventTypes,
  type Chatter,
  type ChatUser,
  type ClipInfo,
  type HostPlugin,
  localChatUser,
  type PluginContext,
  type PluginStatus,
  type SendMessageOptions,
  SIMULATED_BROADCASTER,
  StarStreamerError,
  type StreamInfo,
  simulatedEventData,
  type TwitchPluginApi,
  type TwitchUserInfo,
  type UserLevel,
} from "starstreamer/internal";
import { ChatQueue, type ChatQueueSettings, type ChatQueueStats } from "../chat-queue/index.ts";
import { PluginErrorCodes } from "../errors.ts";
import { TWITCH_MODULE_METHODS } from "../twitch/module-methods.ts";

/** Something the local chat shows: a bot reply, a viewer's line, a notice, or an error. */
export type LocalChatOutput =
  | { kind: "bot"; text: string; replyTo: string | null; channel: string; module?: string }
  | { kind: "chat"; user: ChatUser; text: string }
  | { kind: "notice"; text: string }
  | { kind: "error"; text: string };

/** An extra `/command` offered by whoever runs the local chat (the CLI adds `/modules`, `/quit`). */
export interface LocalChatCommand {
  /** Without the slash: `modules`. */
  name: string;
  /** Shown by /help: `/reload <module>`. */
  usage: string;
  description: string;
  run(args: string): void | Promise<void>;
}

/** How to build a local chat. */
export interface LocalChatOptions {
  /** Publishes an event on the host's bus (`host.emit`); it validates and may throw. */
  emit(type: string, data: unknown, source: string): unknown;
  /** The channel messages are sent to; the local broadcaster's login. Default `streamer`. */
  channel?: string;
  /** Who speaks when no `/as` was given. Default a viewer named `viewer`. */
  speaker?: { login: string; level: UserLevel };
  /** More slash commands, listed by /help. */
  commands?: LocalChatCommand[];
  /**
   * Priorities and quotas of the outgoing queue (the same queue the Twitch plugin uses). By default
   * it also paces replies like Twitch's limit for a broadcaster (100 messages per 30 s), so a
   * rehearsal shows what live would do.
   */
  chatQueue?: ChatQueueSettings;
}

const LEVELS: Record<string, UserLevel> = {
  viewer: "viewer",
  sub: "subscriber",
  subscriber: "subscriber",
  vip: "vip",
  mod: "moderator",
  moderator: "moderator",
  broadcaster: "broadcaster",
  streamer: "broadcaster",
};

/** The event source of everything typed into the local chat. */
export const LOCAL_CHAT_SOURCE = "local-chat";

/**
 * A stand-in for Twitch chat when the bot runs offline. It IS the `twitch` plugin the host hands to
 * modules (a `HostPlugin<"twitch">`): their `ctx.twitch.sendMessage` goes through the same chat
 * queue, quotas and priorities as on Twitch and is shown, and every typed line becomes a
 * `twitch.chat.message` event from a local viewer, so modules cannot tell the difference. What
 * needs Twitch itself (clips, bans, stream info, user look-ups) rejects with
 * SS_TWITCH_NOT_AVAILABLE_OFFLINE and says so in the chat; it never pretends to succeed.
 * Lines starting with `/` are commands: `/as`, `/simulate`, `/help` and any extra ones.
 * @example
 * const chat = createLocalChat({ emit: (type, data, source) => host.emit(type, data, source) });
 * chat.onOutput((line) => console.log(line));
 * await chat.input("!greet");
 */
export class LocalChat implements TwitchPluginApi, HostPlugin<"twitch"> {
  readonly name = "twitch";
  readonly moduleMethods = TWITCH_MODULE_METHODS;
  readonly #emit: LocalChatOptions["emit"];
  readonly #queue: ChatQueue;
  /** Users seen in the local chat, by id: answers getChatters, isModerator and isVip. */
  readonly #seen = new Map<string, ChatUser>();
  readonly #channel: string;
  readonly #commands = new Map<string, LocalChatCommand>();
  readonly #listeners = new Set<(output: LocalChatOutput) => void>();
  /** Who wrote recent messages, so a threaded reply can say whom it answers. */
  readonly #authors = new Map<string, string>();
  #speaker: { login: string; level: UserLevel };
  #closed = false;

  constructor(options: LocalChatOptions) {
    this.#emit = options.emit;
    this.#channel = options.channel ?? SIMULATED_BROADCASTER.login;
    this.#speaker = options.speaker ?? { login: "viewer", level: "viewer" };
    localChatUser(this.#speaker.login, this.#speaker.level);
    for (const command of options.commands ?? []) this.#commands.set(command.name, command);
    this.#queue = new ChatQueue(
      async (message) => {
        const replyTo = message.replyTo ? (this.#authors.get(message.replyTo) ?? null) : null;
        this.#show({
          kind: "bot",
          text: message.text,
          replyTo,
          channel: message.channel,
          module: message.module,
        });
      },
      { accountLimit: { messages: 100, windowMs: 30_000 }, ...options.chatQueue },
    );
    this.#queue.setReady(true);
  }

  /** The user lines are sent as, unless a line says `/as`. */
  get speaker(): ChatUser {
    return localChatUser(this.#speaker.login, this.#speaker.level);
  }

  /** Listens to everything the chat shows; returns the function that stops listening. */
  onOutput(listener: (output: LocalChatOutput) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sends a chat message as the bot (as the host): shown to the local viewer. */
  sendMessage(text: string, options?: SendMessageOptions): Promise<void> {
    return this.forModule("host").sendMessage(text, options);
  }

  /** Replies to a chat message (as the host). */
  reply(messageId: string, text: string): Promise<void> {
    return this.forModule("host").reply(messageId, text);
  }

  getStreamInfo(): Promise<StreamInfo | null> {
    return this.forModule("host").getStreamInfo();
  }

  createClip(): Promise<ClipInfo> {
    return this.forModule("host").createClip();
  }

  getUserByLogin(login: string): Promise<TwitchUserInfo | null> {
    return this.forModule("host").getUserByLogin(login);
  }

  getChatters(): Promise<Chatter[]> {
    return this.forModule("host").getChatters();
  }

  isModerator(userId: string): Promise<boolean> {
    return this.forModule("host").isModerator(userId);
  }

  isVip(userId: string): Promise<boolean> {
    return this.forModule("host").isVip(userId);
  }

  shoutout(userId: string): Promise<void> {
    return this.forModule("host").shoutout(userId);
  }

  sendAnnouncement(text: string, options?: { color?: AnnouncementColor }): Promise<void> {
    return this.forModule("host").sendAnnouncement(text, options);
  }

  timeout(userId: string, durationSeconds: number, reason?: string): Promise<void> {
    return this.forModule("host").timeout(userId, durationSeconds, reason);
  }

  ban(userId: string, reason?: string): Promise<void> {
    return this.forModule("host").ban(userId, reason);
  }

  /**
   * `ctx.twitch` as `module` sees it: its messages go through its own lane of the chat queue
   * (priority, quota), and what needs Twitch rejects with SS_TWITCH_NOT_AVAILABLE_OFFLINE.
   */
  forModule(module: string): TwitchPluginApi {
    const offline = <T>(method: string): Promise<T> => {
      this.#show({
        kind: "error",
        text: `${module} called twitch.${method}: not available offline (needs Twitch)`,
      });
      return Promise.reject(
        new StarStreamerError(
          PluginErrorCodes.TWITCH_NOT_AVAILABLE_OFFLINE,
          `twitch.${method} is not available offline: the local chat has no Twitch to ask (run with Twitch or TWITCH_MOCK_PORT)`,
          { data: { module, method } },
        ),
      );
    };
    const send = (text: string, channel: string | undefined, replyTo: string | null) =>
      this.#queue.send(module, text, { channel: channel ?? this.#channel, replyTo });
    return {
      sendMessage: (text, options) => send(text, options?.channel, options?.replyTo ?? null),
      reply: (messageId, text) => send(text, undefined, messageId),
      getStreamInfo: () => offline("getStreamInfo"),
      createClip: () => offline("createClip"),
      getUserByLogin: () => offline("getUserByLogin"),
      getChatters: async () =>
        [...this.#seen.values()].map((u) => ({ id: u.id, login: u.login, displayName: u.displayName })),
      isModerator: async (userId) => this.#seen.get(userId)?.isModerator === true,
      isVip: async (userId) => this.#seen.get(userId)?.isVip === true,
      shoutout: () => offline("shoutout"),
      sendAnnouncement: async (text, options) => {
        if (typeof text !== "string" || text.trim() === "") {
          throw new StarStreamerError(
            PluginErrorCodes.CHAT_MESSAGE_INVALID,
            "sendAnnouncement needs a non-empty text",
          );
        }
        this.#show({
          kind: "notice",
          text: `[announcement${options?.color ? ` ${options.color}` : ""}] ${text}`,
        });
      },
      timeout: () => offline("timeout"),
      ban: () => offline("ban"),
    };
  }

  /** HostPlugin: nothing to connect; the local chat is live as soon as it exists. */
  async start(_context?: PluginContext): Promise<void> {}

  /** HostPlugin: stops taking input and refuses queued replies (the bot is shutting down). */
  async stop(): Promise<void> {
    this.close();
    this.#queue.close();
  }

  status(): PluginStatus {
    return {
      kind: "local",
      state: "offline",
      detail: `local chat as #${this.#channel} (no Twitch connection)`,
    };
  }

  /** Per-module chat counts, as the Twitch plugin reports them. */
  chatStats(): ChatQueueStats {
    return this.#queue.stats();
  }

  /**
   * Handles one typed line: a chat message, or a `/command`. Never throws: problems are shown as
   * `error` output. Ignored once closed.
   */
  async input(line: string): Promise<void> {
    if (this.#closed) return;
    const text = line.trim();
    if (text === "") return;
    try {
      if (text.startsWith("/")) await this.#command(text);
      else this.say(text);
    } catch (error) {
      this.#show({ kind: "error", text: (error as Error).message });
    }
  }

  /** Sends `text` as a chat message from `user` (default: the current speaker). */
  say(text: string, user: ChatUser = this.speaker, options: { isAction?: boolean } = {}): void {
    const data = simulatedEventData("twitch.chat.message", {
      text,
      channel: this.#channel,
      user,
      isAction: options.isAction ?? false,
    });
    this.#remember(data.messageId, user.displayName);
    this.#seen.set(user.id, user);
    this.#show({ kind: "chat", user, text });
    this.#emit("twitch.chat.message", data, LOCAL_CHAT_SOURCE);
  }

  /** Stops taking input (on shutdown); the bot's replies are still shown. */
  close(): void {
    this.#closed = true;
  }

  /** The /help text. */
  help(): string {
    const rows: Array<[string, string]> = [
      ["<message>", `chat as ${this.speaker.displayName} (${this.#speaker.level}), e.g. !greet`],
      ["/as <user> [mod|sub|vip|broadcaster] [message]", "speak as someone else (alone: from now on)"],
      ["/me <action>", "an action message (/me waves)"],
      ["/simulate <event-type> [json]", 'fire an event, e.g. /simulate twitch.raid {"viewers": 500}'],
      ...[...this.#commands.values()].map((c): [string, string] => [c.usage, c.description]),
      ["/help", "this list"],
    ];
    const width = Math.max(...rows.map(([usage]) => usage.length));
    return ["Local chat (the bot runs offline; modules see these as Twitch chat):"]
      .concat(rows.map(([usage, what]) => `  ${usage.padEnd(width)}  ${what}`))
      .join("\n");
  }

  async #command(text: string): Promise<void> {
    const space = text.indexOf(" ");
    const name = (space < 0 ? text.slice(1) : text.slice(1, space)).toLowerCase();
    const args = space < 0 ? "" : text.slice(space + 1).trim();
    switch (name) {
      case "help":
      case "?":
        this.#show({ kind: "notice", text: this.help() });
        return;
      case "as":
        this.#as(args);
        return;
      case "me":
        if (!args) throw new Error("/me needs an action, e.g. /me waves");
        this.say(args, this.speaker, { isAction: true });
        return;
      case "simulate":
        this.#simulate(args);
        return;
    }
    const extra = this.#commands.get(name);
    if (!extra) throw new Error(`unknown command /${name}; /help lists the commands`);
    await extra.run(args);
  }

  #as(args: string): void {
    const words = args.split(/\s+/).filter(Boolean);
    const login = words.shift();
    if (!login) throw new Error("/as needs a user, e.g. /as alice mod !so bob");
    let level: UserLevel = "viewer";
    const maybeLevel = words[0]?.toLowerCase();
    if (maybeLevel !== undefined && Object.hasOwn(LEVELS, maybeLevel)) {
      level = LEVELS[maybeLevel]!;
      words.shift();
    }
    const user = localChatUser(login, level);
    if (words.length === 0) {
      this.#speaker = { login, level };
      this.#show({ kind: "notice", text: `now chatting as ${user.displayName} (${level})` });
      return;
    }
    this.say(words.join(" "), user);
  }

  #simulate(args: string): void {
    const match = /^(\S+)\s*([\s\S]*)$/.exec(args);
    if (!match) {
      throw new Error(
        `/simulate needs an event type, e.g. /simulate twitch.follow; types: ${acceptedEventTypes().join(", ")}`,
      );
    }
    const type = match[1]!;
    const json = match[2]!.trim();
    let overrides: unknown;
    if (json !== "") {
      try {
        overrides = JSON.parse(json);
      } catch (error) {
        throw new Error(
          `/simulate ${type}: the data is not valid JSON (${(error as Error).message}); e.g. /simulate twitch.raid {"viewers": 500}`,
        );
      }
    }
    const data = simulatedEventData(type, overrides);
    this.#emit(type, data, LOCAL_CHAT_SOURCE);
    this.#show({ kind: "notice", text: `simulated ${type}` });
  }

  #remember(messageId: string, displayName: string): void {
    this.#authors.set(messageId, displayName);
    if (this.#authors.size > 200) this.#authors.delete(this.#authors.keys().next().value!);
  }

  #show(output: LocalChatOutput): void {
    for (const listener of this.#listeners) listener(output);
  }
}

/** Creates the local chat; see {@link LocalChat}. */
export function createLocalChat(options: LocalChatOptions): LocalChat {
  return new LocalChat(options);
}
