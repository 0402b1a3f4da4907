/** The windows of one handler's cooldown, in ms; `null` (or 0) turns a scope off. */
export interface CooldownSpec {
  readonly globalMs: number | null;
  readonly userMs: number | null;
}

/** Which window blocks and for how long. */
export interface CooldownHit {
  scope: "global" | "user";
  remainingMs: number;
}

interface Stamp {
  /** When the window started. */
  at: number;
  /** The start before this one, restored by `release`; `null` when there was none. */
  prev: number | null;
  /** Who started it, so `release` only undoes its own start; `undefined` once released. */
  by: string | null | undefined;
}

interface KeyState {
  global: Stamp | null;
  users: Map<string, Stamp>;
  // The longest windows seen for this key, so pruning never drops an entry a spec still counts.
  globalMs: number;
  userMs: number;
}

/**
 * Cooldown state of every handler, kept on the host. Entries are keyed by a handler key that stays
 * the same across a module reload (e.g. `"<module>:<handler>"`), so reloading a module does not
 * reset its cooldowns. Windows are measured from their start with the spec given at check time,
 * so a reload that shortens a cooldown takes effect at once. Expired entries are pruned lazily.
 */
export class CooldownStore {
  readonly #keys = new Map<string, KeyState>();
  readonly #pruneEvery: number;
  #startsSincePrune = 0;

  /** `pruneEvery`: how many starts between two sweeps of expired entries. */
  constructor(options: { pruneEvery?: number } = {}) {
    this.#pruneEvery = Math.max(1, options.pruneEvery ?? 512);
  }

  /**
   * Whether a cooldown blocks now. Both windows are checked; when both block, the one with the
   * longer remaining time is reported. A `null` user (an event without an author) skips the
   * per-user window.
   */
  check(key: string, userId: string | null, spec: CooldownSpec, now: number): CooldownHit | null {
    const state = this.#keys.get(key);
    if (state === undefined) return null;
    let hit: CooldownHit | null = null;
    const globalMs = spec.globalMs ?? 0;
    if (globalMs > 0) {
      if (globalMs > state.globalMs) state.globalMs = globalMs;
      if (state.global !== null) {
        const remaining = state.global.at + globalMs - now;
        if (remaining > 0) hit = { scope: "global", remainingMs: remaining };
      }
    }
    const userMs = spec.userMs ?? 0;
    if (userMs > 0 && userId !== null) {
      if (userMs > state.userMs) state.userMs = userMs;
      const stamp = state.users.get(userId);
      if (stamp !== undefined) {
        const remaining = stamp.at + userMs - now;
        if (remaining > 0 && (hit === null || remaining > hit.remainingMs)) {
          hit = { scope: "user", remainingMs: remaining };
        }
      }
    }
    return hit;
  }

  /** Starts the windows of `spec` at `now` (the handler was let through). */
  start(key: string, userId: string | null, spec: CooldownSpec, now: number): void {
    const globalMs = spec.globalMs ?? 0;
    const userMs = spec.userMs ?? 0;
    const applyUser = userMs > 0 && userId !== null;
    if (globalMs <= 0 && !applyUser) return;
    let state = this.#keys.get(key);
    if (state === undefined) {
      state = { global: null, users: new Map(), globalMs: 0, userMs: 0 };
      this.#keys.set(key, state);
    }
    if (globalMs > 0) {
      if (globalMs > state.globalMs) state.globalMs = globalMs;
      state.global = { at: now, prev: state.global?.at ?? null, by: userId };
    }
    if (applyUser) {
      if (userMs > state.userMs) state.userMs = userMs;
      state.users.set(userId, { at: now, prev: state.users.get(userId)?.at ?? null, by: userId });
    }
    if (++this.#startsSincePrune >= this.#pruneEvery) {
      this.#startsSincePrune = 0;
      this.prune(now);
    }
  }

  /**
   * Undoes the last `start` for this key and user, restoring the windows as they were before.
   * Used when a predicate trigger in the worker rejects an event the host already let through.
   */
  release(key: string, userId: string | null): void {
    const state = this.#keys.get(key);
    if (state === undefined) return;
    const global = state.global;
    if (global !== null && global.by !== undefined && global.by === userId) {
      state.global = global.prev === null ? null : { at: global.prev, prev: null, by: undefined };
    }
    if (userId !== null) {
      const stamp = state.users.get(userId);
      if (stamp !== undefined && stamp.by !== undefined) {
        if (stamp.prev === null) state.users.delete(userId);
        else state.users.set(userId, { at: stamp.prev, prev: null, by: undefined });
      }
    }
    if (state.global === null && state.users.size === 0) this.#keys.delete(key);
  }

  /**
   * Forgets the cooldowns of every key starting with `prefix`, e.g. `"greeter:"` when a module is
   * unloaded for good (a reload keeps them).
   */
  clearModule(prefix: string): void {
    for (const key of this.#keys.keys()) {
      if (key.startsWith(prefix)) this.#keys.delete(key);
    }
  }

  /** Drops every window that has run out by `now`. Runs by itself every few starts. */
  prune(now: number): void {
    for (const [key, state] of this.#keys) {
      if (state.global !== null && state.global.at + state.globalMs <= now) state.global = null;
      for (const [userId, stamp] of state.users) {
        if (stamp.at + state.userMs <= now) state.users.delete(userId);
      }
      if (state.global === null && state.users.size === 0) this.#keys.delete(key);
    }
  }

  /** How many windows are held (for stats and tests). */
  get size(): number {
    let count = 0;
    for (const state of this.#keys.values()) count += (state.global === null ? 0 : 1) + state.users.size;
    return count;
  }
}
