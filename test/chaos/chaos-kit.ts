import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestHost } from "@starstreamer/testing";

/** The folder of one adversarial fixture module (`test/chaos/fixtures/<name>`). */
export const chaosFixture = (name: string): string =>
  join(dirname(fileURLToPath(import.meta.url)), "fixtures", name);

/**
 * Polls `condition` until it holds; rejects with `what` after `timeoutMs`. For states the host
 * reaches on its own (a restart finished, a count reached), never to wait out a fixed time.
 */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits for a `system.module.state` event saying `module` is now `state` (published after `since`). */
export function waitForState(
  t: TestHost,
  module: string,
  state: string,
  timeoutMs: number,
  since = 0,
): Promise<unknown> {
  return t.events.waitFor(
    (e) => {
      const data = e.data as { module?: string; state?: string };
      return e.type === "system.module.state" && data.module === module && data.state === state;
    },
    timeoutMs,
    `${module} to become ${state}`,
    since,
  );
}

/** Texts of every chat message the bot sent so far. */
export const sentTexts = (t: TestHost): string[] => t.twitch.sent.items.map((m) => m.text);

/** Rejects with `what` if `promise` has not settled within `timeoutMs` (for calls that must be bounded). */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/**
 * Polls `condition` for up to `timeoutMs` and says whether it came to hold. For a state a test
 * wants to reach where the host allows it, and may legitimately never reach (then the test goes on).
 */
export async function settle(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  return until(condition, timeoutMs, "").then(
    () => true,
    () => false,
  );
}
