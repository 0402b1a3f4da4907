import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";

/**
 * The outside world for a latency figure: a thread of its own sends message `i` at `start + i /
 * rate` (it sleeps between sends in `Atomics.wait`, which wakes within a fraction of a
 * millisecond and costs no CPU while it waits), and the main thread hears of it the way it hears
 * of a chat line, when its event loop is woken and free. Latency counts from the send. A message that arrives while the main
 * thread is busy waits for it, as a chat line waits in the socket; one that arrives while it is
 * idle is handled at once, not at the next timer tick (timer pacing adds up to a millisecond of
 * its own).
 */
const SENDER = `
const { parentPort, workerData } = require("node:worker_threads");
const { count, rate, startAt } = workerData;
const nap = new Int32Array(new SharedArrayBuffer(4));
const now = () => performance.timeOrigin + performance.now();
for (let i = 0; i < count; i++) {
  const due = startAt + (i * 1000) / rate;
  for (let wait = due - now(); wait > 0; wait = due - now()) Atomics.wait(nap, 0, 0, wait);
  parentPort.postMessage([i, now()]);
}
`;

/**
 * Delivers `count` arrivals at `rate` per second to `onArrive(i, sent)`, `sent` being when the
 * sender sent `i` (on this thread's `performance.now()` clock; the sender's own lateness against
 * its schedule is not counted). Resolves with the wall time from the first scheduled arrival to
 * the last handled one.
 */
export function arrivals(
  count: number,
  rate: number,
  onArrive: (i: number, sent: number) => void,
): Promise<number> {
  // A little ahead, so the sender's own start-up is not counted as waiting.
  const start = performance.now() + 50;
  const sender = new Worker(SENDER, {
    eval: true,
    workerData: { count, rate, startAt: performance.timeOrigin + start },
  });
  return new Promise((resolve, reject) => {
    let handled = 0;
    sender.on("message", ([i, sentAt]: [number, number]) => {
      onArrive(i, sentAt - performance.timeOrigin);
      if (++handled === count) {
        resolve(performance.now() - start);
        void sender.terminate();
      }
    });
    sender.once("error", reject);
    sender.once("exit", (code) => {
      if (handled < count) reject(new Error(`arrival sender exited (${code}) after ${handled} of ${count}`));
    });
  });
}
