/**
 * Polls `condition` every 10 ms until it holds; rejects after `timeoutMs` saying what it waited
 * for. For conditions no event announces (a socket's message count, a file's content).
 * @example await waitUntil(() => fake.requests.length === 2, "two requests");
 */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
