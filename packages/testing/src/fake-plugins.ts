import type { ObsPluginApi, SendMessageOptions, TwitchPluginApi } from "starstreamer";

/** A chat message the bot sent. */
export interface SentMessage {
  text: string;
  options: SendMessageOptions | undefined;
  at: number;
}

type Waiter<T> = { test: (item: T) => boolean; resolve: (item: T) => void };

/** Collects items and lets a test wait for one that matches. */
export class Recorder<T> {
  readonly items: T[] = [];
  #waiters: Array<Waiter<T>> = [];

  push(item: T): void {
    this.items.push(item);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.test(item)) return true;
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

/** A Twitch plugin that records what modules send instead of talking to Twitch. */
export class FakeTwitch implements TwitchPluginApi {
  readonly sent = new Recorder<SentMessage>();

  async sendMessage(text: string, options?: SendMessageOptions): Promise<void> {
    if (typeof text !== "string" || text.length === 0) throw new Error("sendMessage needs non-empty text");
    this.sent.push({ text, options, at: Date.now() });
  }
}

/** An OBS plugin with an in-memory current scene. */
export class FakeObs implements ObsPluginApi {
  scene = "Starting Soon";
  readonly changes = new Recorder<string>();

  async getCurrentScene(): Promise<string> {
    return this.scene;
  }

  async setCurrentScene(sceneName: string): Promise<void> {
    this.scene = sceneName;
    this.changes.push(sceneName);
  }
}
