import { command, type LifecycleContext, type Logger } from "starstreamer";
import { describe, expect, it } from "vitest";
import { HandlerRunner, type HandlerRunnerOptions } from "./handler-runner.ts";
import type { HandlerReport } from "./protocol.ts";
import type { Predicate, RegisteredHandler, SerialMode } from "./registration-scope.ts";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function handler(
  id: number,
  name: string,
  run: RegisteredHandler["run"],
  predicates: Predicate[] = [],
  serial: SerialMode | null = null,
): RegisteredHandler {
  return {
    info: { id, name, type: "twitch.chat.message", triggers: [], deadlineMs: null, description: null },
    run,
    predicates,
    logger: silent,
    serial,
  };
}

/** A promise a test resolves by hand, to hold a handler run inside its await. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** A handler that records "start <event>" and "end <event>" and waits for the event's gate. */
function gated(
  id: number,
  name: string,
  log: string[],
  gates: Map<string, ReturnType<typeof gate>>,
  serial: SerialMode,
) {
  return handler(
    id,
    name,
    async (event) => {
      const eventId = (event as unknown as { id: string }).id;
      log.push(`start ${name} ${eventId}`);
      await gates.get(eventId)?.opened;
      log.push(`end ${name} ${eventId}`);
    },
    [],
    serial,
  );
}

/** A runner whose reports arrive in `reports`; the host side is a plain recorder. */
function runnerWith(handlers: RegisteredHandler[], options: Partial<HandlerRunnerOptions> = {}) {
  const reports: HandlerReport[] = [];
  let flushed: () => void = () => {};
  const runner = new HandlerRunner({
    host: {
      report: async (json: string) => {
        reports.push(...(JSON.parse(json) as HandlerReport[]));
        flushed();
      },
      slow: async () => {},
      // The host answers over Comlink; these two plain functions stand in for its remote methods.
    } as unknown as HandlerRunnerOptions["host"],
    deadlineMs: 60_000,
    handlers: () => handlers,
    context: () => ({ config: { greeting: "hi" } }) as unknown as LifecycleContext<unknown>,
    ...options,
  });
  const reported = (count: number) =>
    new Promise<HandlerReport[]>((resolve) => {
      const check = () => {
        if (reports.length >= count) resolve(reports);
      };
      flushed = check;
      check();
    });
  return { runner, reported, reports };
}

const chat = (id: string, userId = "u1") => ({
  id,
  type: "twitch.chat.message",
  data: { user: { id: userId } },
});

describe("the handler runner", () => {
  it("runs each handler with the module's context, its id and the match, and reports ok, thrown and skipped runs", async () => {
    const seen: unknown[] = [];
    const { runner, reported } = runnerWith([
      handler(0, "greet", async (_event, ctx) => {
        seen.push([ctx.handler, (ctx.config as { greeting: string }).greeting, ctx.match]);
      }),
      handler(1, "boom", async () => {
        throw Object.assign(new Error("nope"), { code: "SS_TEST" });
      }),
      handler(
        2,
        "gated",
        async () => {
          seen.push("gated ran");
        },
        [() => false],
      ),
    ]);
    runner.deliver([
      {
        e: chat("e1"),
        h: [
          [0, { keyword: { word: "greet" } }],
          [1, null],
          [2, { cooldown: undefined }],
        ],
      },
    ]);
    const reports = await reported(3);
    expect(seen).toEqual([["greet", "hi", { keyword: { word: "greet" } }]]);
    expect(reports.map((r) => r[0])).toEqual([0, 1, 2]);
    expect(reports[1]).toEqual([
      1,
      expect.any(Number),
      "e1",
      expect.objectContaining({ message: "nope", code: "SS_TEST" }),
    ]);
    expect(reports[2]).toEqual([
      2,
      expect.any(Number),
      "e1",
      null,
      { userId: "u1", match: { cooldown: undefined } },
    ]);
  });

  it("rebuilds a command's match from the event's text and the handler's own command trigger", async () => {
    const seen: unknown[] = [];
    const give = handler(0, "give", async (_event, ctx) => {
      seen.push(ctx.match);
    });
    give.info.triggers = [
      command("!give", { aliases: ["pay"], args: ["user:user", "amount:int", "note?:rest"] }),
    ];
    const { runner, reported } = runnerWith([give]);
    const event = { ...chat("e1"), data: { user: { id: "u1" }, text: "  !PAY @Bob 5  for the raid " } };
    runner.deliver([{ e: event, h: [[0, { command: "pay", userLevel: "viewer" }]] }]);
    await reported(1);
    expect(seen).toStrictEqual([
      {
        command: {
          name: "give",
          used: "pay",
          args: ["@Bob", "5", "for", "the", "raid"],
          params: { user: "bob", amount: 5, note: "for the raid" },
          rest: "@Bob 5  for the raid",
        },
        userLevel: "viewer",
      },
    ]);
  });

  it("drains: resolves 0 once the runs in progress finish, and counts what still runs at the timeout", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { runner } = runnerWith([handler(0, "slow", () => gate)]);
    runner.deliver([{ e: chat("e1"), h: [[0, null]] }]);
    expect(runner.running).toBe(1);
    expect(await runner.drain(1)).toBe(1);
    const drained = runner.drain(60_000);
    release();
    expect(await drained).toBe(0);
    expect(runner.running).toBe(0);
  });

  it("serial: true runs one event at a time in delivery order, and drain waits for the waiting run", async () => {
    const log: string[] = [];
    const gates = new Map([
      ["e1", gate()],
      ["e2", gate()],
    ]);
    const { runner, reported } = runnerWith([gated(0, "buy", log, gates, "handler")]);
    runner.deliver([
      { e: chat("e1"), h: [[0, {}]] },
      { e: chat("e2", "u2"), h: [[0, {}]] },
    ]);
    expect(log).toEqual(["start buy e1"]);
    expect(runner.running).toBe(2);
    let drained = false;
    const drain = runner.drain(60_000).then((left) => {
      drained = true;
      return left;
    });
    gates.get("e1")!.open();
    await reported(1);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(log).toEqual(["start buy e1", "end buy e1", "start buy e2"]);
    expect(drained).toBe(false);
    gates.get("e2")!.open();
    expect(await drain).toBe(0);
    await reported(2);
    expect(log).toEqual(["start buy e1", "end buy e1", "start buy e2", "end buy e2"]);
  });

  it('serial: "user" runs one event at a time per user, and different users in parallel', async () => {
    const log: string[] = [];
    const gates = new Map([
      ["a1", gate()],
      ["a2", gate()],
      ["b1", gate()],
    ]);
    const { runner, reported } = runnerWith([gated(0, "buy", log, gates, "user")]);
    runner.deliver([
      { e: chat("a1", "ann"), h: [[0, {}]] },
      { e: chat("a2", "ann"), h: [[0, {}]] },
      { e: chat("b1", "bob"), h: [[0, {}]] },
    ]);
    expect(log).toEqual(["start buy a1", "start buy b1"]);
    gates.get("b1")!.open();
    await reported(1);
    expect(log).not.toContain("start buy a2");
    gates.get("a1")!.open();
    gates.get("a2")!.open();
    expect(await runner.drain(60_000)).toBe(0);
    expect(log.indexOf("start buy a2")).toBeGreaterThan(log.indexOf("end buy a1"));
  });

  it('serial: "module" makes every such handler of the module wait for the others', async () => {
    const log: string[] = [];
    const gates = new Map([
      ["e1", gate()],
      ["e2", gate()],
    ]);
    const { runner } = runnerWith([
      gated(0, "buy", log, gates, "module"),
      gated(1, "sell", log, gates, "module"),
    ]);
    runner.deliver([
      { e: chat("e1"), h: [[0, {}]] },
      { e: chat("e2", "u2"), h: [[1, {}]] },
    ]);
    expect(log).toEqual(["start buy e1"]);
    gates.get("e1")!.open();
    gates.get("e2")!.open();
    expect(await runner.drain(60_000)).toBe(0);
    expect(log).toEqual(["start buy e1", "end buy e1", "start sell e2", "end sell e2"]);
  });

  it("sends reports through the event port's sender once one is set, none over Comlink; plain runs wait for company, errors do not", async () => {
    const { runner, reports } = runnerWith([
      handler(0, "greet", async () => {}),
      handler(1, "fails", async () => {
        throw new Error("nope");
      }),
    ]);
    const sent: string[] = [];
    let arrived: () => void = () => {};
    const next = () => new Promise<void>((resolve) => (arrived = resolve));
    runner.sendReportsTo((json) => {
      sent.push(json);
      arrived();
    });
    const ids = (json: string) => (JSON.parse(json) as HandlerReport[]).map((r) => r[0]);
    // Two plain runs: one array, sent by the delay's timer since nothing else went out.
    let first = next();
    runner.deliver([
      { e: chat("e1"), h: [[0, null]] },
      { e: chat("e2"), h: [[0, null]] },
    ]);
    await first;
    expect(sent.map(ids)).toEqual([[0, 0]]);
    // A plain run's report rides with the next message out (the event port takes it).
    runner.deliver([{ e: chat("e3"), h: [[0, null]] }]);
    await runner.drain(60_000);
    expect(sent).toHaveLength(1);
    const taken = runner.takeReports();
    expect(taken === null ? null : ids(taken)).toEqual([0]);
    expect(runner.takeReports()).toBeNull();
    // An error leaves on the next turn, with the plain runs gathered before it.
    first = next();
    runner.deliver([
      { e: chat("e4"), h: [[0, null]] },
      { e: chat("e5"), h: [[1, null]] },
    ]);
    await first;
    expect(sent.slice(1).map(ids)).toEqual([[0, 1]]);
    expect((JSON.parse(sent[1]!) as HandlerReport[])[1]).toMatchObject([
      1,
      expect.any(Number),
      "e5",
      { message: "nope" },
    ]);
    expect(reports).toEqual([]);
  });

  it("moves the thread to the background once a handler has held it twice without awaiting, and says why", async () => {
    const lowered: number[] = [];
    const warnings: string[] = [];
    const spin = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        // holds the thread, as a CPU-heavy handler does
      }
    };
    const waits = handler(0, "waits", () => new Promise<void>((resolve) => setTimeout(resolve, 15)));
    const burns = {
      ...handler(1, "burns", async () => spin(15)),
      logger: { ...silent, warn: (message: string) => warnings.push(message) },
    };
    const { runner } = runnerWith([waits, burns], { lowerPriority: () => lowered.push(1) > 0 });
    runner.deliver([{ e: chat("w1"), h: [[0, null]] }]);
    runner.deliver([{ e: chat("w2"), h: [[0, null]] }]);
    runner.deliver([{ e: chat("b1"), h: [[1, null]] }]);
    await runner.drain(60_000);
    expect(lowered).toEqual([]);
    runner.deliver([{ e: chat("b2"), h: [[1, null]] }]);
    runner.deliver([{ e: chat("b3"), h: [[1, null]] }]);
    await runner.drain(60_000);
    expect(lowered).toEqual([1]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/held its thread for \d+ ms without awaiting: .*background priority/);
  });
});
