import type { AuthProvider } from "@twurple/auth";
import { ChatClient, type ChatMessage } from "@twurple/chat";
import type { ConnectionState, Logger } from "starstreamer";
import { type ChatQueue, type OutgoingChatMessage, RetryableSendError } from "../chat-queue/index.ts";
import { chatMessageData, describeRefusal } from "./chat-mapping.ts";
import { type SecretRedactor, safeMessage, twurpleLoggerOptions } from "./redact.ts";

/** What the chat connection needs. */
export interface TwitchChatOptions {
  auth: AuthProvider;
  channel: string;
  /** The bot's login (to recognise its own JOIN). */
  botLogin: string;
  /** Mock server port: chat goes to ws://127.0.0.1:<port>/irc. */
  mockPort?: number;
  /** The bot is a moderator (or the broadcaster): Twitch's higher chat limits apply. */
  isModerator: boolean;
  queue: ChatQueue;
  logger: Logger;
  redactor: SecretRedactor;
  /** Pass twurple's debug lines on (scrubbed). */
  debug?: boolean;
  /** Publishes a domain event; may throw when the data is invalid (logged and dropped). */
  emit(type: string, data: unknown): void;
  onState(state: ConnectionState, reason?: string): void;
  /** Whether EventSub covers an event type (then the chat's USERNOTICE for it is not published). */
  covers(eventSubType: string): boolean;
}

/**
 * Twitch chat through twurple's ChatClient: joins the channel, publishes chat events, sends what
 * the chat queue hands it (twurple's limiter paces it), reconnects when Twitch says `RECONNECT`
 * (twurple ignores that command) and when the socket drops (twurple's own reconnect and rejoin).
 */
export class TwitchChat {
  readonly #options: TwitchChatOptions;
  readonly #client: ChatClient;
  #stopping = false;
  #abortInFlight: (() => void) | null = null;

  constructor(options: TwitchChatOptions) {
    this.#options = options;
    const { mockPort } = options;
    this.#client = new ChatClient({
      authProvider: options.auth,
      channels: [options.channel],
      isAlwaysMod: options.isModerator,
      logger: twurpleLoggerOptions(options.logger, options.redactor, { debug: options.debug ?? false }),
      // ChatClient has no port option; it appends ":80" to the host name, which the "?" turns into a query.
      ...(mockPort ? { hostName: `127.0.0.1:${mockPort}/irc?`, ssl: false, webSocket: true } : {}),
    });
    this.#listen();
  }

  /** Connects; progress arrives through `onState`. */
  start(): void {
    this.#options.onState("connecting");
    this.#client.connect();
  }

  /** Sends one queued message (the chat queue's transport). */
  send(message: OutgoingChatMessage): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#abortInFlight = () => reject(new RetryableSendError());
      const attributes = message.replyTo ? { replyTo: message.replyTo } : {};
      this.#client.say(message.channel, message.text, attributes).then(
        () => {
          this.#abortInFlight = null;
          resolve();
        },
        (error: Error) => {
          this.#abortInFlight = null;
          // twurple destroys its limiter on reconnect: the message did not go out, send it again.
          reject(error.name === "RateLimiterDestroyedError" ? new RetryableSendError(error.message) : error);
        },
      );
    });
  }

  /** Disconnects for good. */
  stop(): void {
    this.#stopping = true;
    this.#options.queue.setReady(false);
    this.#client.quit();
  }

  #lost(reason: string): void {
    this.#options.queue.setReady(false);
    const abort = this.#abortInFlight;
    this.#abortInFlight = null;
    abort?.();
    if (!this.#stopping) this.#options.onState("reconnecting", reason);
  }

  #publish(type: string, data: unknown): void {
    try {
      this.#options.emit(type, data);
    } catch (error) {
      this.#options.logger.warn(
        `twitch chat: dropped a ${type} that did not fit its schema: ${safeMessage(error, this.#options.redactor)}`,
      );
    }
  }

  #listen(): void {
    const o = this.#options;
    const chat = this.#client;
    chat.onJoin((channel, user) => {
      if (channel !== o.channel || user !== o.botLogin) return;
      o.onState("connected");
      o.queue.setReady(true);
    });
    chat.onJoinFailure((channel, reason) =>
      o.onState("disconnected", `could not join #${channel}: ${reason}`),
    );
    chat.onDisconnect((manually, reason) => {
      if (this.#stopping) return;
      this.#lost(
        manually ? "reconnecting" : `connection lost${reason ? `: ${safeMessage(reason, o.redactor)}` : ""}`,
      );
    });
    chat.onAuthenticationFailure((text) => {
      o.queue.setReady(false);
      o.onState("disconnected", `Twitch chat refused the login (${text}); run \`npx starstreamer auth\``);
    });
    chat.irc.onAnyMessage((msg) => {
      if (msg.command !== "RECONNECT" || this.#stopping) return;
      o.logger.info("twitch chat: Twitch asked to reconnect (RECONNECT); reconnecting");
      this.#lost("Twitch asked to reconnect");
      chat.reconnect();
    });
    const onMessage =
      (isAction: boolean) => (channel: string, _user: string, text: string, msg: ChatMessage) =>
        this.#publish("twitch.chat.message", chatMessageData(channel, text, msg, isAction));
    chat.onMessage(onMessage(false));
    chat.onAction(onMessage(true));
    chat.onMessageRemove((channel, messageId, msg) =>
      this.#publish("twitch.chat.message_deleted", {
        channel,
        messageId,
        userLogin: msg.userName,
        text: msg.text ?? "",
      }),
    );
    chat.onTimeout((channel, user, duration, msg) =>
      this.#publish("twitch.chat.user_timed_out", {
        channel,
        userId: msg.targetUserId ?? "",
        userLogin: user,
        durationSeconds: duration,
      }),
    );
    chat.onBan((channel, user, msg) =>
      this.#publish("twitch.chat.user_banned", { channel, userId: msg.targetUserId ?? "", userLogin: user }),
    );
    chat.onMessageFailed((channel, reason) => o.queue.recordRejection(channel, describeRefusal(reason)));
    chat.onMessageRatelimit((channel) => o.queue.recordRejection(channel, describeRefusal("msg_ratelimit")));
    // Subs and raids arrive by EventSub when it is subscribed; chat's USERNOTICE stands in otherwise.
    const tier = (plan: string) => (plan === "2000" || plan === "3000" ? plan : "1000");
    chat.onSub((_channel, user, info) => {
      if (o.covers("channel.subscribe")) return;
      this.#publish("twitch.subscription", {
        user: { id: info.userId, login: user, displayName: info.displayName },
        tier: tier(info.plan),
        isGift: false,
      });
    });
    chat.onResub((_channel, user, info) => {
      if (o.covers("channel.subscription.message")) return;
      this.#publish("twitch.resubscription", {
        user: { id: info.userId, login: user, displayName: info.displayName },
        tier: tier(info.plan),
        months: info.months,
        ...(info.streak ? { streakMonths: info.streak } : {}),
        durationMonths: 1,
        message: info.message ?? "",
      });
    });
    chat.onRaid((_channel, user, info, msg) => {
      if (o.covers("channel.raid")) return;
      this.#publish("twitch.raid", {
        from: { id: msg.userInfo.userId, login: user, displayName: info.displayName },
        viewers: info.viewerCount,
      });
    });
  }
}
