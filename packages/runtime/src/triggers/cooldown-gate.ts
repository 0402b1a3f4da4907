/**
 * The cooldown gate: how a handler with function triggers and a cooldown takes its window only for
 * an event that passes every trigger, although the host (which keeps cooldowns) cannot run the
 * function triggers and the worker (which runs them) does not keep cooldowns. The host lets such an
 * event through with a gate in its match; the worker decides, in delivery order, whether the event
 * took the window and sends the verdict back. See `compileTriggers` for the whole protocol.
 *
 * This file is imported by module workers: it must stay free of heavy imports.
 */

/** An earlier pending hold: `[serial, scope, remainingMs]`, the cooldown it imposes if it took its window. */
export type GateBlocker = [serial: number, scope: "global" | "user", remainingMs: number];

/** What the host puts in a delivered match, as `match.gate` (the handler never sees it). */
export interface CooldownGate {
  /** The serial of this event's pending hold in the host's cooldown store. */
  n: number;
  /** Earlier holds whose verdict the host did not know when it let this event through. */
  after: GateBlocker[];
  /** Run a blocked event anyway with `ctx.match.cooldown` (`notify: true`) instead of skipping it. */
  notify: boolean;
}

/** The worker's verdict on one gated event, sent back as the match `{ gate: verdict }` of a report. */
export interface GateVerdict {
  n: number;
  /** Whether the event passed every trigger and found no earlier hold that took the window. */
  took: boolean;
}

/** How many decisions a worker remembers for later events to look up (far above what can be in flight). */
const REMEMBERED = 10_000;

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
  if (typeof gate.n !== "number" || typeof gate.notify !== "boolean" || !Array.isArray(gate.after))
    return null;
  return gate.after.every(isBlocker) ? (gate as CooldownGate) : null;
}

/** The verdict in a report's match, or `null` (a plain skip, or something malformed from the worker). */
export function verdictOf(match: unknown): GateVerdict | null {
  const gate = (match as { gate?: unknown } | null | undefined)?.gate as Partial<GateVerdict> | undefined;
  if (gate === undefined || gate === null || typeof gate !== "object") return null;
  return Number.isSafeInteger(gate.n) && typeof gate.took === "boolean" ? (gate as GateVerdict) : null;
}

/**
 * The worker's side of the gate: the decision of every gated event it was delivered, so a later
 * event can wait for the earlier ones its gate names. Decisions are opened in delivery order (in the
 * same turn as the delivery), so a later event always finds the earlier ones, decided or not.
 */
export class GateLedger {
  readonly #decisions = new Map<number, Promise<boolean>>();

  /**
   * Opens the decision of the event with gate serial `serial`; call it as the event is delivered,
   * before any later event is. Returns the function that settles it (`took`).
   */
  open(serial: number): (took: boolean) => void {
    let settle!: (took: boolean) => void;
    this.#decisions.set(serial, new Promise<boolean>((resolve) => (settle = resolve)));
    if (this.#decisions.size > REMEMBERED) {
      const oldest = this.#decisions.keys().next().value;
      if (oldest !== undefined) this.#decisions.delete(oldest);
    }
    return settle;
  }

  /**
   * Waits for the decisions of the earlier holds `gate.after` names and returns the cooldown that
   * blocks this event: the longest one among those that took their window, or `null`. A hold this
   * worker was never delivered (it ran in a worker since replaced by a reload or a crash restart)
   * counts as taken: the cooldown is kept rather than risk a second run inside it.
   */
  async blocker(gate: CooldownGate): Promise<{ scope: "global" | "user"; remainingMs: number } | null> {
    let found: { scope: "global" | "user"; remainingMs: number } | null = null;
    for (const [serial, scope, remainingMs] of gate.after) {
      const took = await (this.#decisions.get(serial) ?? true);
      if (took && (found === null || remainingMs > found.remainingMs)) found = { scope, remainingMs };
    }
    return found;
  }
}
