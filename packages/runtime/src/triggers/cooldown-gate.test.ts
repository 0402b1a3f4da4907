import {
  type ChatUser,
  command,
  cooldown,
  type LifecycleContext,
  type Logger,
  type StarEvent,
  type TriggerDescriptor,
} from "starstreamer";
import { describe, expect, it } from "vitest";
import { HandlerRunner, type HandlerRunnerOptions } from "../worker/handler-runner.ts";
import type { HandlerReport } from "../worker/protocol.ts";
import type { Predicate } from "../worker/registration-scope.ts";
import { compileTriggers } from "./compile.ts";
import { type CooldownGate, GateLedger, gateOf, verdictOf } from "./cooldown-gate.ts";
import { CooldownStore } from "./cooldown-store.ts";
import { createEventView } from "./event-view.ts";

// The gate protocol end to end, without threads: the host's compiled triggers and cooldown store on
// one side, the worker's real HandlerRunner on the other, the reports carried back as JSON.

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const KEY = "evens:even";

function user(id: string): ChatUser {
  return {
    id,
    login: `user${id}`,
    displayName: `User${id}`,
    badges: {},
    isBroadcaster: false,
    isModerator: false,
    isVip: false,
    isSubscriber: false,
  };
}

let seq = 0;
function chat(text: string, userId = "1"): StarEvent {
  return {
    id: `e${++seq}`,
    type: "twitch.chat.message",
    source: "test",
    timestamp: 0,
    data: { messageId: "m", channel: "c", text, user: user(userId), isAction: false, firstMessage: false },
  };
}

/** One handler `!even <n>` with a function trigger and a cooldown, on a host store and a worker runner. */
function setUp(options: { cooldownTrigger: TriggerDescriptor; predicate: Predicate }) {
  const cooldowns = new CooldownStore();
  const triggers = compileTriggers(
    [command("!even", { args: ["n:int"] }), { kind: "predicate", index: 0 }, options.cooldownTrigger],
    { prefix: "!", key: KEY, cooldowns },
  );
  const runs: Array<{ n: unknown; match: unknown }> = [];
  const reports: HandlerReport[] = [];
  let reportArrived = () => {};
  const runner = new HandlerRunner({
    host: {
      // What the host's report intake does with a report that carries a match: hand it to release.
      report: async (json: string) => {
        for (const report of JSON.parse(json) as HandlerReport[]) {
          reports.push(report);
          const carried = report[4];
          if (carried) triggers.release(carried.userId, carried.match);
        }
        reportArrived();
      },
      slow: async () => {},
    } as unknown as HandlerRunnerOptions["host"],
    deadlineMs: 60_000,
    handlers: () => [
      {
        info: {
          id: 0,
          name: "even",
          type: "twitch.chat.message",
          triggers: [],
          deadlineMs: null,
          description: null,
        },
        predicates: [options.predicate],
        run: async (_event, ctx) => {
          const match = ctx.match as { command?: { params: { n?: unknown } } };
          runs.push({ n: match.command?.params.n, match: ctx.match });
        },
        logger: silent,
      },
    ],
    context: () => ({ config: {} }) as unknown as LifecycleContext<unknown>,
  });
  /** Routes on the host at `now`; delivers what passes (the match as JSON, as on the wire). Returns whether it was routed. */
  const send = (text: string, now: number, userId = "1"): boolean => {
    const event = chat(text, userId);
    const result = triggers.evaluate(event, createEventView(event), now);
    if (!result.pass) return false;
    runner.deliver([{ e: event, h: [[0, JSON.parse(JSON.stringify(result.match))]] }]);
    return true;
  };
  /** Resolves once every event delivered so far has been settled and reported. */
  const settled = () =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (runner.running === 0 && cooldowns.pendingCount(KEY) === 0) resolve();
      };
      reportArrived = check;
      check();
    });
  return { cooldowns, runs, reports, send, settled };
}

const isEven: Predicate = (event) =>
  Number((event as { data: { text: string } }).data.text.split(" ")[1]) % 2 === 0;

describe("the cooldown gate: a handler with a function trigger and a cooldown", () => {
  it("`!even 3` then `!even 4` at once: 3 is rejected by the predicate, 4 takes the window, 6 is refused on the host", async () => {
    const t = setUp({ cooldownTrigger: cooldown({ global: "1m" }), predicate: isEven });
    expect(t.send("!even 3", 1_000)).toBe(true);
    expect(t.send("!even 4", 1_001)).toBe(true);
    await t.settled();
    expect(t.runs.map((r) => r.n)).toEqual([4]);
    expect(t.cooldowns.check(KEY, "2", { globalMs: 60_000, userMs: null }, 2_000)).toEqual({
      scope: "global",
      remainingMs: 59_001,
    });
    expect(t.send("!even 6", 2_000)).toBe(false);
    // The handler never sees the gate; the skipped and the run each reported once, plus 4's verdict.
    expect(t.runs[0]!.match).toEqual({
      command: { name: "even", used: "even", args: ["4"], params: { n: 4 }, rest: "4" },
    });
    expect(t.reports.filter((r) => r.length === 2)).toHaveLength(1);
  });

  it("`!even 4` then `!even 6` at once: 4 takes the window and 6, gated on it, is skipped", async () => {
    const t = setUp({ cooldownTrigger: cooldown({ user: "1m" }), predicate: isEven });
    t.send("!even 4", 0);
    t.send("!even 6", 5);
    await t.settled();
    expect(t.runs.map((r) => r.n)).toEqual([4]);
    expect(t.send("!even 8", 10)).toBe(false);
    // Another viewer's user window is their own.
    expect(t.send("!even 8", 10, "2")).toBe(true);
    await t.settled();
    expect(t.runs.map((r) => r.n)).toEqual([4, 8]);
  });

  it("with notify, the gated event runs with ctx.match.cooldown measured from the event that took the window", async () => {
    const t = setUp({ cooldownTrigger: cooldown({ global: "30s", notify: true }), predicate: isEven });
    t.send("!even 4", 0);
    t.send("!even 5", 100);
    t.send("!even 6", 1_000);
    await t.settled();
    expect(t.runs.map((r) => [r.n, (r.match as { cooldown?: unknown }).cooldown])).toEqual([
      [4, undefined],
      [6, { active: true, scope: "global", remainingMs: 29_000 }],
    ]);
    expect(t.cooldowns.check(KEY, "1", { globalMs: 30_000, userMs: null }, 1_000)?.remainingMs).toBe(29_000);
  });

  it("waits for an earlier event's slow predicate before deciding a later one", async () => {
    let answerFirst: (pass: boolean) => void = () => {};
    const first = new Promise<boolean>((resolve) => (answerFirst = resolve));
    let calls = 0;
    const t = setUp({
      cooldownTrigger: cooldown({ global: "1m" }),
      predicate: () => (++calls === 1 ? first : true),
    });
    t.send("!even 2", 0);
    t.send("!even 4", 1);
    const done = t.settled();
    // The second passed its own predicate but cannot know yet whether the first took the window.
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.runs).toEqual([]);
    answerFirst(false);
    await done;
    expect(t.runs.map((r) => r.n)).toEqual([4]);
  });

  it("an event whose predicate throws takes nothing, and the next one takes the window", async () => {
    let calls = 0;
    const t = setUp({
      cooldownTrigger: cooldown({ global: "1m" }),
      predicate: () => {
        if (++calls === 1) throw new Error("predicate broke");
        return true;
      },
    });
    t.send("!even 2", 0);
    t.send("!even 4", 1);
    await t.settled();
    expect(t.runs.map((r) => r.n)).toEqual([4]);
    expect(t.reports.some((r) => r[3] && (r[3] as { message: string }).message === "predicate broke")).toBe(
      true,
    );
    expect(t.send("!even 6", 2)).toBe(false);
  });
});

describe("GateLedger", () => {
  const gate = (
    n: number,
    at: number,
    blockers: CooldownGate["blockers"] = [],
    user = "u1",
  ): CooldownGate => ({
    n,
    at,
    user,
    g: 10_000,
    u: 60_000,
    notify: false,
    blockers,
  });

  it("takes the window for an event that passed with no blocker, and blocks a later one named after it", async () => {
    const ledger = new GateLedger();
    expect(await ledger.decide(0, gate(5, 0), Promise.resolve(true))).toBeNull();
    expect(await ledger.decide(0, gate(6, 1_000, [[5, "global", 9_000]]), Promise.resolve(true))).toEqual({
      scope: "user",
      remainingMs: 59_000,
    });
    // Another handler's windows are its own.
    expect(await ledger.decide(1, gate(7, 1_000), Promise.resolve(true))).toBeNull();
  });

  it("answers undefined for an event its function triggers rejected, or that threw, and takes nothing for it", async () => {
    const ledger = new GateLedger();
    expect(await ledger.decide(0, gate(5, 0), Promise.resolve(false))).toBeUndefined();
    expect(await ledger.decide(0, gate(6, 1), Promise.reject(new Error("broke")))).toBeUndefined();
    expect(await ledger.decide(0, gate(7, 2, [[5, "global", 9_998]]), Promise.resolve(true))).toBeNull();
  });

  it("counts a blocker older than anything it was delivered (decided in a replaced worker) as taken", async () => {
    const ledger = new GateLedger();
    expect(await ledger.decide(0, gate(10, 0, [[3, "global", 4_000]], "u2"), Promise.resolve(true))).toEqual({
      scope: "global",
      remainingMs: 4_000,
    });
    // Blockers it saw decide by what they did here: 10 took nothing, so 11 takes the window.
    expect(
      await ledger.decide(0, gate(11, 10, [[10, "user", 59_990]], "u2"), Promise.resolve(true)),
    ).toBeNull();
  });
});
describe("gate and verdict shapes", () => {
  it("reads a gate and a verdict, and nothing from a malformed one", () => {
    const gate = { n: 1, at: 5, user: null, g: 0, u: 10, notify: false, blockers: [[0, "user", 5]] };
    expect(gateOf({ gate })).toEqual(gate);
    expect(gateOf({ gate: { ...gate, user: 7 } })).toBeNull();
    expect(gateOf({ command: {} })).toBeNull();
    expect(gateOf(null)).toBeNull();
    expect(gateOf({ gate: { ...gate, blockers: [[0, "everyone", 5]] } })).toBeNull();
    expect(verdictOf({ gate: { n: 7, took: true } })).toEqual({ n: 7, took: true });
    expect(verdictOf({ gate: { n: 1.5, took: true } })).toBeNull();
    expect(verdictOf({ cooldown: { active: true } })).toBeNull();
  });
});
