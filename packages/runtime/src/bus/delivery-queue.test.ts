import { describe, expect, it } from "vitest";
import { encodeEntry } from "./delivery-entry.ts";
import { DeliveryQueue, type DeliveryTarget } from "./delivery-queue.ts";

function controlledTarget() {
  const batches: string[][] = [];
  const acks: Array<{ resolve: (n: number) => void; reject: (e: Error) => void }> = [];
  const target: DeliveryTarget = {
    deliver(batch) {
      batches.push(batch.map((json) => JSON.parse(json) as string));
      return new Promise<number>((resolve, reject) => acks.push({ resolve, reject }));
    },
  };
  return { target, batches, acks };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("DeliveryQueue", () => {
  it("sends a lone event at once and gathers the rest while a batch is in flight, in order", async () => {
    const q = new DeliveryQueue({ capacity: 100, onOverflow: () => {} });
    const { target, batches, acks } = controlledTarget();
    q.setTarget(target);
    q.push('"a"');
    await tick();
    expect(batches).toEqual([["a"]]);
    q.push('"b"');
    q.push('"c"');
    await tick();
    expect(batches).toHaveLength(1);
    acks[0]!.resolve(1);
    await tick();
    expect(batches).toEqual([["a"], ["b", "c"]]);
    acks[1]!.resolve(2);
    await tick();
    expect(q.delivered).toBe(3);
    expect(q.length).toBe(0);
  });

  it("counts and reports every event refused when full", () => {
    const reported: number[] = [];
    const q = new DeliveryQueue({ capacity: 2, onOverflow: (n) => reported.push(n) });
    expect([q.push("1"), q.push("2"), q.push("3"), q.push("4")]).toEqual([true, true, false, false]);
    expect(q.dropped).toBe(2);
    expect(reported).toEqual([1, 2]);
  });

  it("pause waits for the in-flight batch; nothing is sent until resume", async () => {
    const q = new DeliveryQueue({ capacity: 100, onOverflow: () => {} });
    const { target, batches, acks } = controlledTarget();
    q.setTarget(target);
    q.push('"a"');
    await tick();
    let paused = false;
    const pausing = q.pause().then(() => {
      paused = true;
    });
    q.push('"b"');
    await tick();
    expect(paused).toBe(false);
    acks[0]!.resolve(1);
    await pausing;
    await tick();
    expect(batches).toHaveLength(1);
    const next = controlledTarget();
    q.setTarget(next.target);
    q.resume();
    await tick();
    expect(next.batches).toEqual([["b"]]);
  });

  it("after a worker dies, gives the next target only the entries it had not started, in order", async () => {
    const q = new DeliveryQueue({ capacity: 100, onOverflow: () => {} });
    const first = controlledTarget();
    q.setTarget(first.target);
    q.push('"a"');
    await tick();
    q.push('"b"');
    q.push('"c"');
    first.acks[0]!.resolve(1);
    await tick();
    expect(first.batches).toEqual([["a"], ["b", "c"]]);
    // Died while handling "b": "b" is not delivered again, "c" is.
    first.acks[1]!.reject(Object.assign(new Error("worker died"), { data: { started: 1 } }));
    await tick();
    expect(q.target).toBeNull();
    expect(q.length).toBe(1);
    const second = controlledTarget();
    q.setTarget(second.target);
    await tick();
    expect(second.batches).toEqual([["c"]]);
    expect(q.delivered).toBe(2);
  });

  it("keeps order across batches cut at maxBatch, a rewrite while paused and a death mid-batch", async () => {
    const q = new DeliveryQueue({ capacity: 100, maxBatch: 2, onOverflow: () => {} });
    const first = controlledTarget();
    q.setTarget(first.target);
    q.push('"a"');
    for (const item of ["b", "c", "d", "e", "f"]) q.push(JSON.stringify(item));
    first.acks[0]!.resolve(1);
    await tick();
    expect(first.batches).toEqual([["a"], ["b", "c"]]);
    const pausing = q.pause();
    first.acks[1]!.resolve(2);
    await pausing;
    // "d" is dropped by the rewrite; the others are upper-cased.
    q.rewrite((json) => (json === '"d"' ? null : json.toUpperCase()));
    expect(q.length).toBe(2);
    q.resume();
    await tick();
    expect(first.batches.at(-1)).toEqual(["E", "F"]);
    q.push('"g"');
    // Died before starting anything of ["E", "F"]: both go again, before "g".
    first.acks[2]!.reject(Object.assign(new Error("worker died"), { data: { started: 0 } }));
    await tick();
    const second = controlledTarget();
    q.setTarget(second.target);
    await tick();
    expect(second.batches).toEqual([["E", "F"]]);
    second.acks[0]!.resolve(1);
    await tick();
    expect(second.batches).toEqual([["E", "F"], ["g"]]);
    second.acks[1]!.resolve(1);
    await tick();
    expect(q.delivered).toBe(6);
    expect(q.length).toBe(0);
  });

  it("hands each entry over as the string it was queued as, line breaks in texts and matches included", async () => {
    const entries = [
      encodeEntry(JSON.stringify({ id: "e1", data: { text: "two\nlines\r\n" } }), [[0, { rest: "a\nb" }]]),
      encodeEntry(JSON.stringify({ id: "e2", data: { text: "" } }), [[1, null]]),
    ];
    const q = new DeliveryQueue({ capacity: 100, onOverflow: () => {} });
    const sent: Array<readonly string[]> = [];
    q.setTarget({
      deliver: (batch) => {
        sent.push(batch);
        return Promise.resolve();
      },
    });
    q.push(entries[0]!);
    q.push(entries[1]!);
    await tick();
    await tick();
    expect(sent.flat()).toEqual(entries);
    expect(sent.flat().map((json) => JSON.parse(json).e.data.text)).toEqual(["two\nlines\r\n", ""]);
  });
});
