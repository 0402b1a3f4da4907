import type { GateBlocker } from "./cooldown-gate.ts";

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

/** An event let through while its function triggers, run in the worker, have not answered yet. */
interface PendingHold {
  readonly serial: number;
  readonly userId: string | null;
  readonly at: number;
}

interface KeyState {
  /** When the global window started (by an event that passed every trigger), or `null`. */
  global: number | null;
  users: Map<string, number>;
  // The longest windows seen for this key, so pruning never drops an entry a spec still counts.
  globalMs: number;
  userMs: number;
  /** Tentative holds in routing order (see {@link CooldownStore.hold}). */
  pending: PendingHold[];
}

/**
 * Cooldown state of every handler, kept on the host. Entries are keyed by a handler key that stays
 * the same across a module reload and a crash restart (e.g. `"<module>:<handler>"`), so neither
 * resets a cooldown. Windows are measured from their start with the spec given at check time, so a
 * reload that shortens a cooldown takes effect at once. Expired entries are pruned lazily.
 *
 * A window is started only by an event that passed every trigger of the handler. For a handler
 * with function triggers (which only the worker can run), the host records a *pending hold* per
 * event it lets through ({@link hold}) and the worker's verdict settles it ({@link settle}): a
 * hold that took the window becomes a window, any other is dropped.
 */
export class CooldownStore {
  readonly #keys = new Map<string, KeyState>();
  readonly #pruneEvery: number;
  #startsSincePrune = 0;
  #serial = 0;

  /** `pruneEvery`: how many starts between two sweeps of expired entries. */
  constructor(options: { pruneEvery?: number } = {}) {
    this.#pruneEvery = Math.max(1, options.pruneEvery ?? 512);
  }

  /** Whether `spec` has a window for this event at all (a user window needs an author). */
  static applies(userId: string | null, spec: CooldownSpec): boolean {
    return (spec.globalMs ?? 0) > 0 || ((spec.userMs ?? 0) > 0 && userId !== null);
  }

  /**
   * Whether a started window blocks now (pending holds do not count). Both windows are checked;
   * when both block, the one with the longer remaining time is reported. A `null` user (an event
   * without an author) skips the per-user window.
   */
  check(key: string, userId: string | null, spec: CooldownSpec, now: number): CooldownHit | null {
    const state = this.#keys.get(key);
    if (state === undefined) return null;
    this.#widen(state, spec);
    return longer(
      remaining(state.global, spec.globalMs, now, "global"),
      userId === null ? null : remaining(state.users.get(userId) ?? null, spec.userMs, now, "user"),
    );
  }

  /** Starts the windows of `spec` at `at` (the handler was let through); a later start is kept. */
  start(key: string, userId: string | null, spec: CooldownSpec, at: number): void {
    const globalMs = spec.globalMs ?? 0;
    const userMs = spec.userMs ?? 0;
    const applyUser = userMs > 0 && userId !== null;
    if (globalMs <= 0 && !applyUser) return;
    const state = this.#state(key);
    this.#widen(state, spec);
    if (globalMs > 0 && (state.global === null || state.global < at)) state.global = at;
    if (applyUser) {
      const previous = state.users.get(userId);
      if (previous === undefined || previous < at) state.users.set(userId, at);
    }
    if (++this.#startsSincePrune >= this.#pruneEvery) {
      this.#startsSincePrune = 0;
      this.prune(at);
    }
  }

  /**
   * Records that an event was let through tentatively at `now` (its function triggers have not
   * answered) and returns its serial, with the earlier pending holds that would block it if they
   * took their window: `[serial, scope, remainingMs]`, the longer scope when both would. Call
   * {@link check} first: a started window that blocks makes a hold pointless.
   */
  hold(
    key: string,
    userId: string | null,
    spec: CooldownSpec,
    now: number,
  ): { serial: number; after: GateBlocker[] } {
    const state = this.#state(key);
    this.#widen(state, spec);
    const after: GateBlocker[] = [];
    const kept: PendingHold[] = [];
    const horizon = Math.max(state.globalMs, state.userMs);
    for (const hold of state.pending) {
      if (hold.at + horizon <= now) continue; // Expired unanswered (its worker died): it blocks nothing.
      kept.push(hold);
      const hit = longer(
        remaining(hold.at, spec.globalMs, now, "global"),
        userId !== null && hold.userId === userId ? remaining(hold.at, spec.userMs, now, "user") : null,
      );
      if (hit !== null) after.push([hold.serial, hit.scope, hit.remainingMs]);
    }
    const serial = ++this.#serial;
    kept.push({ serial, userId, at: now });
    state.pending = kept;
    return { serial, after };
  }

  /**
   * The worker's verdict on a pending hold: `took` starts the windows at the time the event was let
   * through; otherwise the hold is dropped and leaves no trace. An unknown serial (already settled,
   * expired, or forged) changes nothing.
   */
  settle(key: string, serial: number, took: boolean, spec: CooldownSpec): void {
    const state = this.#keys.get(key);
    if (state === undefined) return;
    const index = state.pending.findIndex((hold) => hold.serial === serial);
    if (index === -1) return;
    const [hold] = state.pending.splice(index, 1);
    if (took) this.start(key, hold!.userId, spec, hold!.at);
    else if (isEmpty(state)) this.#keys.delete(key);
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

  /** Drops every window and pending hold that has run out by `now`. Runs by itself every few starts. */
  prune(now: number): void {
    for (const [key, state] of this.#keys) {
      if (state.global !== null && state.global + state.globalMs <= now) state.global = null;
      for (const [userId, at] of state.users) {
        if (at + state.userMs <= now) state.users.delete(userId);
      }
      const horizon = Math.max(state.globalMs, state.userMs);
      if (state.pending.length > 0) state.pending = state.pending.filter((h) => h.at + horizon > now);
      if (isEmpty(state)) this.#keys.delete(key);
    }
  }

  /** How many windows are held (for stats and tests); pending holds are not windows. */
  get size(): number {
    let count = 0;
    for (const state of this.#keys.values()) count += (state.global === null ? 0 : 1) + state.users.size;
    return count;
  }

  /** How many holds of `key` wait for the worker's verdict. */
  pendingCount(key: string): number {
    return this.#keys.get(key)?.pending.length ?? 0;
  }

  #state(key: string): KeyState {
    let state = this.#keys.get(key);
    if (state === undefined) {
      state = { global: null, users: new Map(), globalMs: 0, userMs: 0, pending: [] };
      this.#keys.set(key, state);
    }
    return state;
  }

  #widen(state: KeyState, spec: CooldownSpec): void {
    if ((spec.globalMs ?? 0) > state.globalMs) state.globalMs = spec.globalMs ?? 0;
    if ((spec.userMs ?? 0) > state.userMs) state.userMs = spec.userMs ?? 0;
  }
}

function remaining(
  at: number | null,
  windowMs: number | null,
  now: number,
  scope: CooldownHit["scope"],
): CooldownHit | null {
  if (at === null || windowMs === null || windowMs <= 0) return null;
  const left = at + windowMs - now;
  return left > 0 ? { scope, remainingMs: left } : null;
}

/** The hit that blocks longer; the global one on a tie. */
function longer(global: CooldownHit | null, user: CooldownHit | null): CooldownHit | null {
  if (user !== null && (global === null || user.remainingMs > global.remainingMs)) return user;
  return global;
}

function isEmpty(state: KeyState): boolean {
  return state.global === null && state.users.size === 0 && state.pending.length === 0;
}
