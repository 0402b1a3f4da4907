import { ApiClient } from "@twurple/api";
import {
  type ConnectionState,
  type HostPlugin,
  type Logger,
  type PluginContext,
  type PluginStatus,
  StarStreamerError,
  type TwitchPluginApi,
} from "starstreamer";
import {
  ChatQueue,
  type ChatQueueSettings,
  type ChatQueueStats,
  RetryableSendError,
} from "../chat-queue/index.ts";
import { PluginErrorCodes } from "../errors.ts";
import { TWITCH_MODULE_METHODS } from "./module-methods.ts";
import { SecretRedactor, safeMessage, twurpleLoggerOptions } from "./redact.ts";
import { createTwitchAuth } from "./twitch-auth.ts";
import { TwitchChat } from "./twitch-chat.ts";
import { TwitchEventSub } from "./twitch-eventsub.ts";
import { createTwitchHelix, type TwitchHelixApi } from "./twitch-helix.ts";
import type { TwitchAccount, TwitchSettings, TwitchTokens } from "./twitch-settings.ts";

/** How to build the Twitch plugin. */
export interface TwitchPluginOptions {
  settings: TwitchSettings;
  /** Priorities and quotas of the outgoing chat queue. */
  chatQueue?: ChatQueueSettings;
  /** Saves refreshed tokens so the next start uses them (the CLI stores them in the database). */
  saveTokens?(account: TwitchAccount, tokens: TwitchTokens): void | Promise<void>;
  /** Pass twurple's debug lines to the logger (tokens are still scrubbed). */
  debug?: boolean;
  /** How long `start` waits for chat and EventSub to connect before resolving anyway. Default 15 s. */
  startTimeoutMs?: number;
}

/** The Twitch plugin as the host holds it: a HostPlugin plus its chat queue's stats. */
export interface TwitchPlugin extends HostPlugin<"twitch"> {
  start(context: PluginContext): Promise<void>;
  stop(): Promise<void>;
  status(): PluginStatus;
  /** Per-module chat counts (sent, queued, dropped, refused) and the last messages sent. */
  chatStats(): ChatQueueStats;
  /** Subscriptions that failed or were revoked, by EventSub type, in words. */
  problems(): Record<string, string>;
}

type Connection = "chat" | "eventsub";

/**
 * The Twitch plugin: chat (twurple ChatClient), EventSub over WebSocket and Helix, all on the main
 * thread. Modules reach it through `ctx.twitch` (one view per module, so the chat queue can share
 * the chat fairly) and through the events it publishes. Tokens stay here: never logged, never in
 * an event, a status or a module's view. In mock mode (`settings.kind === "mock"`) all traffic goes
 * to 127.0.0.1:<mockPort>, the Twitch CLI mock layout (it sets TWURPLE_MOCK_API_PORT for twurple).
 * @example
 * const settings = resolveTwitchSettings({ env: process.env });
 * const twitch = createTwitchPlugin({ settings: settings! });
 * await twitch.start?.({ emit: host.emit, logger });
 */
export function createTwitchPlugin(options: TwitchPluginOptions): TwitchPlugin {
  const { settings } = options;
  const redactor = new SecretRedactor();
  for (const t of [settings.broadcaster, settings.bot]) {
    redactor.add(t?.accessToken);
    redactor.add(t?.refreshToken);
  }
  redactor.add(settings.clientSecret);
  const states: Record<Connection, ConnectionState> = { chat: "disconnected", eventsub: "disconnected" };
  const reasons: Partial<Record<Connection, string>> = {};
  const problems: Record<string, string> = {};
  let context: PluginContext | null = null;
  let logger: Logger | null = null;
  let chat: TwitchChat | null = null;
  let eventSub: TwitchEventSub | null = null;
  let helix: TwitchHelixApi | null = null;
  let fatal: StarStreamerError | null = null;
  let setMockEnv = false;
  let stateListeners: Array<() => void> = [];

  // Twitch's chat budget for the account that chats (twurple paces to it; the queue keeps a reserve
  // of it for other modules): 100 per 30 s as a moderator or the broadcaster, 20 otherwise.
  const moderator = settings.botIsModerator ?? settings.bot === null;
  const queue = new ChatQueue(
    (message) =>
      chat ? chat.send(message) : Promise.reject(new RetryableSendError("chat is not connected yet")),
    { budget: { messages: moderator ? 100 : 20, windowMs: 32_000 }, ...options.chatQueue },
    {
      debug: (m, f) => logger?.debug(m, f),
      info: (m, f) => logger?.info(m, f),
      warn: (m, f) => logger?.warn(m, f),
      error: (m, f) => logger?.error(m, f),
    },
  );

  const emit = (type: string, data: unknown) => {
    if (!context) return;
    context.emit(type, data, "twitch");
  };

  const setState = (connection: Connection, state: ConnectionState, reason?: string) => {
    const previous = states[connection];
    states[connection] = state;
    if (reason) reasons[connection] = reason;
    else delete reasons[connection];
    for (const listener of stateListeners) listener();
    if (previous === state || state === "connecting" || state === "offline") return;
    if (state !== "connected") logger?.warn(`twitch ${connection}: ${state}${reason ? ` (${reason})` : ""}`);
    else logger?.info(`twitch ${connection}: connected`);
    try {
      emit(`twitch.connection.${state}`, { connection, state, ...(reason ? { reason } : {}) });
    } catch (error) {
      logger?.warn(`twitch: could not publish the connection state: ${(error as Error).message}`);
    }
  };

  const fail = (error: StarStreamerError) => {
    fatal = error;
    queue.close(error);
    logger?.error(error.message, { code: error.code });
    setState("chat", "disconnected", error.message);
    setState("eventsub", "disconnected", error.message);
  };

  const notStarted = () =>
    fatal ??
    new StarStreamerError(PluginErrorCodes.TWITCH_API_FAILED, "Twitch is not connected yet", {
      data: { status: 0, message: "not connected", endpoint: "" },
    });

  const helixCall =
    <K extends keyof TwitchHelixApi>(name: K) =>
    (...args: Parameters<TwitchHelixApi[K]>): ReturnType<TwitchHelixApi[K]> => {
      if (!helix) return Promise.reject(notStarted()) as ReturnType<TwitchHelixApi[K]>;
      return (helix[name] as (...a: unknown[]) => ReturnType<TwitchHelixApi[K]>)(...args);
    };

  const waitConnected = (timeoutMs: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (fatal || (states.chat === "connected" && states.eventsub === "connected")) done();
      };
      const timer = setTimeout(() => done(), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        stateListeners = stateListeners.filter((l) => l !== check);
        resolve();
      };
      stateListeners.push(check);
      check();
    });

  return {
    name: "twitch",
    moduleMethods: TWITCH_MODULE_METHODS,
    forModule(module: string): TwitchPluginApi {
      return {
        sendMessage: (text, opts = {}) => {
          if (fatal) return Promise.reject(fatal);
          return queue.send(module, text, {
            channel: opts.channel ?? settings.channel,
            replyTo: opts.replyTo ?? null,
          });
        },
        reply: (messageId, text) => {
          if (fatal) return Promise.reject(fatal);
          if (typeof messageId !== "string" || messageId === "") {
            return Promise.reject(
              new StarStreamerError(
                PluginErrorCodes.CHAT_MESSAGE_INVALID,
                "reply needs the id of the message to answer",
                {
                  data: { module },
                },
              ),
            );
          }
          return queue.send(module, text, { channel: settings.channel, replyTo: messageId });
        },
        getStreamInfo: helixCall("getStreamInfo"),
        createClip: helixCall("createClip"),
        getUserByLogin: helixCall("getUserByLogin"),
        getChatters: helixCall("getChatters"),
        isModerator: helixCall("isModerator"),
        isVip: helixCall("isVip"),
        shoutout: helixCall("shoutout"),
        sendAnnouncement: helixCall("sendAnnouncement"),
        timeout: helixCall("timeout"),
        ban: helixCall("ban"),
      };
    },
    async start(ctx: PluginContext): Promise<void> {
      context = ctx;
      logger = ctx.logger;
      if (settings.kind === "mock") {
        // twurple reads this for Helix, auth and EventSub; chat gets its host name below.
        if (process.env.TWURPLE_MOCK_API_PORT !== String(settings.mockPort)) {
          process.env.TWURPLE_MOCK_API_PORT = String(settings.mockPort);
          setMockEnv = true;
        }
      }
      setState("chat", "connecting");
      setState("eventsub", "connecting");
      let auth: Awaited<ReturnType<typeof createTwitchAuth>>;
      try {
        auth = await createTwitchAuth(settings, {
          redactor,
          onRefresh: (account, tokens) => {
            Promise.resolve(options.saveTokens?.(account, tokens)).catch((error: unknown) =>
              logger?.warn(
                `twitch: could not save the refreshed ${account} token: ${safeMessage(error, redactor)}`,
              ),
            );
          },
          onRefreshFailure: (_account, error) => fail(error),
        });
      } catch (error) {
        fail(
          error instanceof StarStreamerError
            ? error
            : new StarStreamerError(
                PluginErrorCodes.TWITCH_AUTH_FAILED,
                `Twitch login failed: ${safeMessage(error, redactor)}`,
              ),
        );
        return;
      }
      if (auth.broadcaster.login !== settings.channel) {
        logger.warn(
          `twitch: the broadcaster login is ${auth.broadcaster.login} but the channel is ${settings.channel}; EventSub and Helix act on ${auth.broadcaster.login}`,
        );
      }
      const api = new ApiClient({
        authProvider: auth.api,
        logger: twurpleLoggerOptions(ctx.logger, redactor, { debug: options.debug ?? false }),
      });
      helix = createTwitchHelix(api, auth.broadcaster.userId, redactor);
      chat = new TwitchChat({
        auth: auth.chat,
        channel: settings.channel,
        botLogin: auth.bot.login,
        ...(settings.kind === "mock" ? { mockPort: settings.mockPort } : {}),
        isModerator: settings.botIsModerator ?? auth.bot.userId === auth.broadcaster.userId,
        queue,
        logger: ctx.logger,
        redactor,
        debug: options.debug ?? false,
        emit,
        onState: (state, reason) => setState("chat", state, reason),
        covers: (type) => eventSub?.active.has(type) ?? false,
      });
      eventSub = new TwitchEventSub({
        api,
        broadcasterId: auth.broadcaster.userId,
        scopes: auth.broadcaster.scopes,
        logger: ctx.logger,
        redactor,
        debug: options.debug ?? false,
        emit,
        onState: (state, reason) => setState("eventsub", state, reason),
        onProblem: (type, problem) => {
          problems[type] = problem;
          ctx.logger.warn(`twitch eventsub: ${type}: ${problem}`, { subscription: type });
        },
      });
      chat.start();
      eventSub.start();
      await waitConnected(options.startTimeoutMs ?? 15_000);
    },
    async stop(): Promise<void> {
      queue.close();
      chat?.stop();
      eventSub?.stop();
      states.chat = "disconnected";
      states.eventsub = "disconnected";
      if (setMockEnv) delete process.env.TWURPLE_MOCK_API_PORT;
    },
    status(): PluginStatus {
      const both = [states.chat, states.eventsub];
      const state: ConnectionState = both.every((s) => s === "connected")
        ? "connected"
        : both.includes("reconnecting")
          ? "reconnecting"
          : both.includes("connecting")
            ? "connecting"
            : both.includes("connected")
              ? "reconnecting"
              : "disconnected";
      const failed = Object.keys(problems);
      const detail = [
        `#${settings.channel}${settings.kind === "mock" ? ` (mock on 127.0.0.1:${settings.mockPort})` : ""}`,
        fatal ? fatal.message : (reasons.chat ?? reasons.eventsub),
        failed.length > 0
          ? `EventSub problems: ${failed.map((t) => `${t}: ${problems[t]}`).join("; ")}`
          : undefined,
      ]
        .filter(Boolean)
        .join("; ");
      return { kind: settings.kind, state, detail, connections: { ...states } };
    },
    chatStats: () => queue.stats(),
    problems: () => ({ ...problems }),
  };
}
