import type { LifecycleContext, Logger } from "starstreamer";
import { describe, expect, it } from "vitest";
import { HandlerRunner, type HandlerRunnerOptions } from "./handler-runner.ts";
import type { HandlerReport } from "./protocol.ts";
import type { Predicate, RegisteredHandler } from "./registration-scope.ts";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function handler(
  id: number,
  name: string,
  run: RegisteredHandler["run"],
  predicates: Predicate[] = [],
): RegisteredHandler {
  return {
    info: { id, name, type: "twitch.chat.message", triggers: [], deadlineMs: null, description: null },
    run,
    predicates,
    logger: silent,
  };
}

/** A runner whose reports arrive in `reports`; the host side is a plain recorder. */
function runnerWith(handlers: RegisteredHandler[]) {
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
  });
  const reported = (count: number) =>
    new Promise<HandlerReport[]>((resolve) => {
      const check = () => {
        if (reports.length >= count) resolve(reports);
      };
      flushed = check;
      check();
    });
  return { runner, reported };
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
          [0, { command: { name: "greet" } }],
          [1, null],
          [2, { cooldown: undefined }],
        ],
      },
    ]);
    const reports = await reported(3);
    expect(seen).toEqual([["greet", "hi", { command: { name: "greet" } }]]);
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
});
