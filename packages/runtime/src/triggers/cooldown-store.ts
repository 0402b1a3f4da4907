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
  /** Tentative holds by serial, in routing order (see {@link CooldownStore.hold}). */
  pending: Map<number, PendingHold>;
  /** The same holds as candidates to block later events: globally, and per author. */
  pendingGlobal: Map<number, PendingHold>;
  pendingUsers: Map<string, Map<number, PendingHold>>;
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

  /** `pruneEvery`: how many starts and holds between two sweeps of expired entries. */
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
   * answered) and returns its serial, with, per scope, the oldest earlier pending hold that would
   * block it if it took its window: `[serial, scope, remainingMs]`. Serials increase in the order
   * of the calls. Call {@link check} first: a started window that blocks makes a hold pointless.
   * Amortised constant time, however many holds wait.
   */
  hold(
    key: string,
    userId: string | null,
    spec: CooldownSpec,
    now: number,
  ): { serial: number; blockers: GateBlocker[] } {
    const state = this.#state(key);
    this.#widen(state, spec);
    const blockers: GateBlocker[] = [];
    const globalMs = spec.globalMs ?? 0;
    const userMs = spec.userMs ?? 0;
    const serial = ++this.#serial;
    const hold: PendingHold = { serial, userId, at: now };
    state.pending.set(serial, hold);
    if (globalMs > 0) {
      const oldest = oldestWithin(state.pendingGlobal, globalMs, now);
      if (oldest !== null) blockers.push([oldest.serial, "global", oldest.at + globalMs - now]);
      state.pendingGlobal.set(serial, hold);
    }
    if (userMs > 0 && userId !== null) {
      let mine = state.pendingUsers.get(userId);
      if (mine === undefined) {
        mine = new Map();
        state.pendingUsers.set(userId, mine);
      }
      const oldest = oldestWithin(mine, userMs, now);
      if (oldest !== null) blockers.push([oldest.serial, "user", oldest.at + userMs - now]);
      mine.set(serial, hold);
    }
    if (++this.#startsSincePrune >= this.#pruneEvery) {
      this.#startsSincePrune = 0;
      this.prune(now);
    }
    return { serial, blockers };
  }

  /**
   * The worker's verdict on a pending hold: `took` starts the windows at the time the event was let
   * through; otherwise the hold is dropped and leaves no trace. An unknown serial (already settled,
   * expired, or forged) changes nothing.
   */
  settle(key: string, serial: number, took: boolean, spec: CooldownSpec): void {
    const state = this.#keys.get(key);
    const hold = state?.pending.get(serial);
    if (state === undefined || hold === undefined) return;
    forget(state, hold);
    if (took) this.start(key, hold.userId, spec, hold.at);
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
      for (const hold of state.pending.values()) {
        // Expired unanswered (its event was dropped, or its worker died): it blocks nothing.
        if (hold.at + horizon <= now) forget(state, hold);
      }
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
    return this.#keys.get(key)?.pending.size ?? 0;
  }

  #state(key: string): KeyState {
    let state = this.#keys.get(key);
    if (state === undefined) {
      state = {
        global: null,
        users: new Map(),
        globalMs: 0,
        userMs: 0,
        pending: new Map(),
        pendingGlobal: new Map(),
        pendingUsers: new Map(),
      };
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
  return state.global === null && state.users.size === 0 && state.pending.size === 0;
}

/**
 * The oldest hold in `holds` (routing order) whose window of `windowMs` is still open at `now`;
 * drops the ones in front whose window has closed, as no later event can meet them.
 */
function oldestWithin(holds: Map<number, PendingHold>, windowMs: number, now: number): PendingHold | null {
  for (const [serial, hold] of holds) {
    if (hold.at + windowMs > now) return hold;
    holds.delete(serial);
  }
  return null;
}

function forget(state: KeyState, hold: PendingHold): void {
  state.pending.delete(hold.serial);
  state.pendingGlobal.delete(hold.serial);
  if (hold.userId !== null) {
    const mine = state.pendingUsers.get(hold.userId);
    mine?.delete(hold.serial);
    if (mine?.size === 0) state.pendingUsers.delete(hold.userId);
  }
}
