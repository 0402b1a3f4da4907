import type {
  AnnouncementColor,
  Chatter,
  ClipInfo,
  ObsMediaAction,
  ObsPluginApi,
  ObsRequestData,
  ObsRequestType,
  ObsResponseData,
  SendMessageOptions,
  StreamInfo,
  TwitchPluginApi,
  TwitchUserInfo,
} from "starstreamer";
import { StarStreamerError } from "starstreamer";

/** A chat message the bot sent. */
export interface SentMessage {
  text: string;
  options: SendMessageOptions | undefined;
  at: number;
}

type Waiter<T> = { test: (item: T) => boolean; since: number; resolve: (item: T) => void };

/** Collects items and lets a test wait for one that matches. */
export class Recorder<T> {
  readonly items: T[] = [];
  #waiters: Array<Waiter<T>> = [];

  push(item: T): void {
    const index = this.items.push(item) - 1;
    this.#waiters = this.#waiters.filter((w) => {
      // An item before `since` never counts, even when the waiter was set up before it arrived.
      if (index < w.since || !w.test(item)) return true;
      w.resolve(item);
      return false;
    });
  }

  /** Resolves with the first item (already recorded, or to come) that passes `test`. */
  waitFor(test: (item: T) => boolean, timeoutMs: number, what: string, since = 0): Promise<T> {
    const found = this.items.slice(since).find(test);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const waiter: Waiter<T> = {
        test,
        since,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  clear(): void {
    this.items.length = 0;
  }
}

/** A Helix action a module took on the fake (clip, shoutout, announcement, timeout, ban). */
export interface TwitchAction {
  method: string;
  args: unknown[];
}

/**
 * A Twitch plugin for module tests: records what modules send and do, and answers Helix
 * questions from what the test set (`stream`, `users`, `chatters`, `moderators`, `vips`).
 * @example
 * t.twitch.stream = { ...liveStream, startedAt: new Date(Date.now() - 3_600_000).toISOString() };
 * t.chat("!uptime");
 * await t.waitForMessage(/live for 1h/);
 */
export class FakeTwitch implements TwitchPluginApi {
  readonly sent = new Recorder<SentMessage>();
  readonly actions = new Recorder<TwitchAction>();
  /** What `getStreamInfo` answers: null is offline. */
  stream: StreamInfo | null = null;
  /** Users `getUserByLogin` knows, by login. */
  readonly users = new Map<string, TwitchUserInfo>();
  chatters: Chatter[] = [];
  readonly moderators = new Set<string>();
  readonly vips = new Set<string>();
  #clips = 0;

  async sendMessage(text: string, options?: SendMessageOptions): Promise<void> {
    if (typeof text !== "string" || text.length === 0) throw new Error("sendMessage needs non-empty text");
    this.sent.push({ text, options, at: Date.now() });
  }

  async reply(messageId: string, text: string): Promise<void> {
    await this.sendMessage(text, { replyTo: messageId });
  }

  async getStreamInfo(): Promise<StreamInfo | null> {
    return this.stream;
  }

  async createClip(options?: { hasDelay?: boolean }): Promise<ClipInfo> {
    this.actions.push({ method: "createClip", args: [options] });
    if (!this.stream) {
      // What Helix answers for a channel that is not live.
      throw new StarStreamerError(
        "SS_TWITCH_API_FAILED",
        "Twitch refused createClip (404): the channel is offline",
        {
          data: {
            status: 404,
            message: "Clipping is not possible for an offline channel.",
            endpoint: "createClip",
          },
        },
      );
    }
    const id = `FakeClip${++this.#clips}`;
    return { id, url: `https://clips.twitch.tv/${id}`, editUrl: `https://clips.twitch.tv/${id}/edit` };
  }

  async getUserByLogin(login: string): Promise<TwitchUserInfo | null> {
    return this.users.get(login.toLowerCase()) ?? null;
  }

  async getChatters(): Promise<Chatter[]> {
    return [...this.chatters];
  }

  async isModerator(userId: string): Promise<boolean> {
    return this.moderators.has(userId);
  }

  async isVip(userId: string): Promise<boolean> {
    return this.vips.has(userId);
  }

  async shoutout(userId: string): Promise<void> {
    this.actions.push({ method: "shoutout", args: [userId] });
  }

  async sendAnnouncement(text: string, options?: { color?: AnnouncementColor }): Promise<void> {
    this.actions.push({ method: "sendAnnouncement", args: [text, options] });
  }

  async timeout(userId: string, durationSeconds: number, reason?: string): Promise<void> {
    this.actions.push({ method: "timeout", args: [userId, durationSeconds, reason] });
  }

  async ban(userId: string, reason?: string): Promise<void> {
    this.actions.push({ method: "ban", args: [userId, reason] });
  }
}

/** An OBS call a module made on the fake. */
export interface ObsCall {
  method: string;
  args: unknown[];
}

/**
 * An OBS plugin with an in-memory current scene that records every call (for module tests that do
 * not need a fake obs-websocket server; `@starstreamer/testing` has that too).
 */
export class FakeObs implements ObsPluginApi {
  scene = "Starting Soon";
  readonly changes = new Recorder<string>();
  readonly calls = new Recorder<ObsCall>();

  async getCurrentScene(): Promise<string> {
    return this.scene;
  }

  async setCurrentScene(sceneName: string): Promise<void> {
    this.scene = sceneName;
    this.calls.push({ method: "setCurrentScene", args: [sceneName] });
    this.changes.push(sceneName);
  }

  async setSceneItemEnabled(sceneName: string, sourceName: string, enabled: boolean): Promise<void> {
    this.calls.push({ method: "setSceneItemEnabled", args: [sceneName, sourceName, enabled] });
  }

  async setText(inputName: string, text: string): Promise<void> {
    this.calls.push({ method: "setText", args: [inputName, text] });
  }

  async setInputMute(inputName: string, muted: boolean): Promise<void> {
    this.calls.push({ method: "setInputMute", args: [inputName, muted] });
  }

  async triggerMediaInputAction(inputName: string, action: ObsMediaAction): Promise<void> {
    this.calls.push({ method: "triggerMediaInputAction", args: [inputName, action] });
  }

  async call<T extends ObsRequestType>(
    requestType: T,
    requestData?: ObsRequestData<T>,
  ): Promise<ObsResponseData<T>> {
    this.calls.push({ method: "call", args: [requestType, requestData] });
    return undefined as ObsResponseData<T>;
  }
}
