/**
 * The cooldown gate: how a handler with function triggers and a cooldown takes its window only for
 * an event that passes every trigger, although the host (which keeps cooldowns) cannot run the
 * function triggers and the worker (which runs them) does not keep cooldowns. The host lets such an
 * event through with a gate in its match; the worker decides, in delivery order, whether the event
 * took the window and sends the verdict back. See `compileTriggers` for the whole protocol.
 *
 * This file is imported by module workers: it must stay free of heavy imports.
 */

/**
 * The oldest earlier pending hold that would block an event in one scope if it took its window:
 * `[serial, scope, remainingMs]`.
 */
export type GateBlocker = [serial: number, scope: "global" | "user", remainingMs: number];

/** What the host puts in a delivered match, as `match.gate` (the handler never sees it). */
export interface CooldownGate {
  /** The serial of this event's pending hold in the host's cooldown store (increasing per handler). */
  n: number;
  /** When the host let the event through (its clock); windows are measured from it. */
  at: number;
  /** The author, or `null`. */
  user: string | null;
  /** The global and per-user windows, ms (0: off). */
  g: number;
  u: number;
  /** Run a blocked event anyway with `ctx.match.cooldown` (`notify: true`) instead of skipping it. */
  notify: boolean;
  /** Per scope, the oldest earlier hold still waiting for its verdict that would block this event. */
  blockers: GateBlocker[];
}

/** The worker's verdict on one gated event, sent back as the match `{ gate: verdict }` of a report. */
export interface GateVerdict {
  n: number;
  /** Whether the event passed every trigger and found no earlier event that took the window. */
  took: boolean;
}

/** A cooldown that blocks an event: the shape of `ctx.match.cooldown` without `active`. */
export interface GateHit {
  scope: "global" | "user";
  remainingMs: number;
}

function isBlocker(value: unknown): value is GateBlocker {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    typeof value[0] === "number" &&
    (value[1] === "global" || value[1] === "user") &&
    typeof value[2] === "number"
  );
}

/** The gate of a delivered match, or `null` when the host sent none. */
export function gateOf(match: unknown): CooldownGate | null {
  const gate = (match as { gate?: unknown } | null | undefined)?.gate as Partial<CooldownGate> | undefined;
  if (gate === undefined || gate === null || typeof gate !== "object") return null;
  const numbers = [gate.n, gate.at, gate.g, gate.u].every((value) => typeof value === "number");
  const user = gate.user === null || typeof gate.user === "string";
  if (!numbers || !user || typeof gate.notify !== "boolean" || !Array.isArray(gate.blockers)) return null;
  return gate.blockers.every(isBlocker) ? (gate as CooldownGate) : null;
}

/** The verdict in a report's match, or `null` (a plain skip, or something malformed from the worker). */
export function verdictOf(match: unknown): GateVerdict | null {
  const gate = (match as { gate?: unknown } | null | undefined)?.gate as Partial<GateVerdict> | undefined;
  if (gate === undefined || gate === null || typeof gate !== "object") return null;
  return Number.isSafeInteger(gate.n) && typeof gate.took === "boolean" ? (gate as GateVerdict) : null;
}

function longer(a: GateHit | null, b: GateHit | null): GateHit | null {
  if (b !== null && (a === null || b.remainingMs > a.remainingMs)) return b;
  return a;
}

/** One handler's windows taken in this worker, and the order its gated events decide in. */
class HandlerGates {
  /** The first serial this worker was delivered: an older blocker was decided elsewhere. */
  readonly firstSeen: number;
  globalAt: number | null = null;
  readonly users = new Map<string, number>();
  /** Resolves once every gated event delivered so far has decided. */
  tail: Promise<unknown> = Promise.resolve();

  constructor(firstSeen: number) {
    this.firstSeen = firstSeen;
  }

  hit(gate: CooldownGate): GateHit | null {
    const global =
      gate.g > 0 && this.globalAt !== null && this.globalAt + gate.g > gate.at
        ? { scope: "global" as const, remainingMs: this.globalAt + gate.g - gate.at }
        : null;
    const userAt = gate.user === null ? undefined : this.users.get(gate.user);
    const user =
      gate.u > 0 && userAt !== undefined && userAt + gate.u > gate.at
        ? { scope: "user" as const, remainingMs: userAt + gate.u - gate.at }
        : null;
    return longer(global, user);
  }

  take(gate: CooldownGate): void {
    if (gate.g > 0 && (this.globalAt === null || this.globalAt < gate.at)) this.globalAt = gate.at;
    if (gate.u > 0 && gate.user !== null) {
      this.users.set(gate.user, Math.max(gate.at, this.users.get(gate.user) ?? gate.at));
      if (this.users.size > 1_000) {
        for (const [user, at] of this.users) if (at + gate.u <= gate.at) this.users.delete(user);
      }
    }
  }
}

/**
 * The worker's side of the gate: per handler, the windows its gated events took here and the
 * order they decide in. An event whose gate names no pending blocker decides at once; one that does
 * waits until every earlier gated event of its handler has decided, then checks the windows taken
 * since. A blocker older than anything this worker was delivered (decided in a worker since
 * replaced by a reload or a crash restart, its verdict unknown here) counts as taken: the cooldown
 * is kept rather than risk a second run inside it.
 */
export class GateLedger {
  readonly #handlers = new Map<number, HandlerGates>();

  /**
   * Decides one gated event of handler `handlerId`. Call it as the event is delivered, before any
   * later event is (delivery order is the decision order); `passed` resolves to whether the
   * event's function triggers passed. Resolves to the cooldown that blocks the event, `null` when
   * it took the window, or `undefined` when its function triggers rejected it (or threw).
   */
  decide(
    handlerId: number,
    gate: CooldownGate,
    passed: Promise<boolean>,
  ): Promise<GateHit | null | undefined> {
    let gates = this.#handlers.get(handlerId);
    if (gates === undefined) {
      gates = new HandlerGates(gate.n);
      this.#handlers.set(handlerId, gates);
    }
    const state = gates;
    const earlier = state.tail;
    const decision = (async () => {
      const pass = await passed.catch(() => false);
      if (!pass) return undefined;
      if (gate.blockers.length > 0) await earlier;
      let hit = state.hit(gate);
      for (const [serial, scope, remainingMs] of gate.blockers) {
        if (serial < state.firstSeen) hit = longer(hit, { scope, remainingMs });
      }
      if (hit === null) state.take(gate);
      return hit;
    })();
    state.tail = Promise.all([earlier, decision]);
    return decision;
  }
}
