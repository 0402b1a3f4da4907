/** When a crashing module is restarted, and when it is given up on. */
export interface CrashPolicyOptions {
  /** This many failures within `windowMs` marks the module failed (default 3). */
  maxFailures?: number;
  /** Default 5 minutes. */
  windowMs?: number;
  /** First restart delay; doubles with each failure in the window (default 250 ms). */
  backoffMs?: number;
  /** Cap on the restart delay (default 10 s). */
  maxBackoffMs?: number;
}

/** What to do after a failure. */
export type CrashDecision =
  | { action: "restart"; delayMs: number; failures: number[] }
  | { action: "give-up"; failures: number[]; reason: string };

/**
 * Decides what follows a worker failure at `now`, given the times of earlier failures: restart
 * after `backoffMs * 2^(n-1)` (capped), or give up once `maxFailures` happened within the window.
 * Pure: the registry keeps the returned `failures` and acts on the decision.
 * @example decideAfterCrash([], Date.now()) // { action: "restart", delayMs: 250, ... }
 */
export function decideAfterCrash(
  previous: readonly number[],
  now: number,
  options: CrashPolicyOptions = {},
): CrashDecision {
  const windowMs = options.windowMs ?? 300_000;
  const failures = [...previous.filter((t) => now - t < windowMs), now];
  const maxFailures = options.maxFailures ?? 3;
  if (failures.length >= maxFailures) {
    return {
      action: "give-up",
      failures,
      reason: `${failures.length} failures within ${Math.round(windowMs / 1000)} s; left stopped`,
    };
  }
  const delayMs = Math.min(
    (options.backoffMs ?? 250) * 2 ** (failures.length - 1),
    options.maxBackoffMs ?? 10_000,
  );
  return { action: "restart", delayMs, failures };
}
