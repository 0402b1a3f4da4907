import { command, cooldown, type StarEvent, userLevel } from "starstreamer";
import { describe, expect, it } from "vitest";
import { CooldownStore } from "./cooldown-store.ts";
import { chat, chatUser, compile, follow, passed, run } from "./test-harness.ts";

describe("compileTriggers: cooldown", () => {
  const alice = chatUser("viewer", "a", "alice");
  const bob = chatUser("viewer", "b", "bob");

  it("blocks everyone during a global window and lets through after it", () => {
    const t = compile([command("!hug"), cooldown({ global: "10s" })]);
    expect(passed(run(t, chat("!hug", alice), 0)).cooldown).toBeUndefined();
    expect(run(t, chat("!hug", bob), 9_999)).toEqual({ pass: false });
    expect(run(t, chat("!hug", bob), 10_000).pass).toBe(true);
  });

  it("blocks per user during a user window", () => {
    const t = compile([command("!hug"), cooldown({ user: "1m" })]);
    expect(run(t, chat("!hug", alice), 0).pass).toBe(true);
    expect(run(t, chat("!hug", alice), 30_000).pass).toBe(false);
    expect(run(t, chat("!hug", bob), 30_000).pass).toBe(true);
    expect(run(t, chat("!hug", alice), 60_000).pass).toBe(true);
  });

  it("reports the remaining time in notify mode without restarting the window", () => {
    const t = compile([command("!hug"), cooldown({ global: "5s", user: "1m", notify: true })]);
    run(t, chat("!hug", alice), 0);
    expect(passed(run(t, chat("!hug", alice), 1_000)).cooldown).toEqual({
      active: true,
      scope: "user",
      remainingMs: 59_000,
    });
    expect(passed(run(t, chat("!hug", bob), 2_000)).cooldown).toEqual({
      active: true,
      scope: "global",
      remainingMs: 3_000,
    });
    expect(passed(run(t, chat("!hug", alice), 59_000)).cooldown?.remainingMs).toBe(1_000);
    expect(passed(run(t, chat("!hug", alice), 60_000)).cooldown).toBeUndefined();
  });

  it("starts only when every other trigger passed", () => {
    const t = compile([
      command("!give", { args: ["amount:int"] }),
      userLevel("vip"),
      cooldown({ global: "1m" }),
    ]);
    expect(run(t, chat("!give 5", alice), 0).pass).toBe(false);
    expect(run(t, chat("!give", chatUser("vip")), 0).pass).toBe(false);
    expect(run(t, chat("!give 5", chatUser("vip")), 0).pass).toBe(true);
    expect(run(t, chat("!give 5", chatUser("moderator")), 1).pass).toBe(false);
  });

  const predicate = { kind: "predicate", index: 0 } as const;

  it("with a function trigger: holds the window tentatively and lets later events through, gated on it", () => {
    const cooldowns = new CooldownStore();
    const t = compile([command("!even"), predicate, cooldown({ global: "1m" })], { cooldowns });
    expect(t.hasPredicates).toBe(true);
    const first = passed(run(t, chat("!even", alice), 0));
    expect(first.gate).toEqual({
      n: expect.any(Number),
      at: 0,
      user: "a",
      g: 60_000,
      u: 0,
      notify: false,
      blockers: [],
    });
    // Not refused: the first event's function trigger has not answered yet.
    const second = passed(run(t, chat("!even", bob), 10));
    expect(second.gate).toMatchObject({ at: 10, user: "b", blockers: [[first.gate!.n, "global", 59_990]] });
    expect(cooldowns.size).toBe(0);
    expect(cooldowns.pendingCount("test:handler")).toBe(2);
  });

  it("a verdict that took the window starts it from the event's time: later events are refused on the host", () => {
    const t = compile([command("!even"), predicate, cooldown({ global: "1m" })]);
    const first = passed(run(t, chat("!even", alice), 1_000));
    t.release("a", { gate: { n: first.gate!.n, took: true } });
    expect(run(t, chat("!even", bob), 2_000)).toEqual({ pass: false });
    expect(passed(run(t, chat("!even", bob), 61_000)).gate?.blockers).toEqual([]);
  });

  it("a verdict that did not take it leaves the handler free, and a plain skip report changes nothing", () => {
    const t = compile([command("!even"), predicate, cooldown({ global: "1m" })]);
    const first = passed(run(t, chat("!even", alice), 0));
    t.release("a", { cooldown: undefined });
    expect(passed(run(t, chat("!even", bob), 1)).gate?.blockers).toHaveLength(1);
    t.release("a", { gate: { n: first.gate!.n, took: false } });
    expect(passed(run(t, chat("!even", bob), 2)).gate?.blockers).toHaveLength(1);
  });

  it("ignores a malformed verdict from the worker", () => {
    const t = compile([command("!even"), predicate, cooldown({ global: "1m" })]);
    const first = passed(run(t, chat("!even", alice), 0));
    for (const bad of [null, "x", { gate: null }, { gate: { n: String(first.gate!.n), took: true } }]) {
      t.release("a", bad);
    }
    t.release("a", { gate: { n: first.gate!.n, took: "yes" } });
    expect(run(t, chat("!even", bob), 1).pass).toBe(true);
  });

  it("with notify, a started window passes with match.cooldown and no gate", () => {
    const t = compile([command("!even"), predicate, cooldown({ user: "1m", notify: true })]);
    const first = passed(run(t, chat("!even", alice), 0));
    expect(first.gate?.notify).toBe(true);
    t.release("a", { gate: { n: first.gate!.n, took: true } });
    const during = passed(run(t, chat("!even", alice), 1_000));
    expect(during.cooldown).toEqual({ active: true, scope: "user", remainingMs: 59_000 });
    expect(during.gate).toBeUndefined();
  });

  it("gives no gate when the cooldown has no window for the event (a user cooldown, no author)", () => {
    const t = compile([predicate, cooldown({ user: "1m" })]);
    const scene: StarEvent = { ...follow, type: "obs.scene.changed", data: { sceneName: "Live" } };
    expect(passed(run(t, scene)).gate).toBeUndefined();
    expect(passed(run(t, chat("hi", alice))).gate).toBeDefined();
  });

  it("without function triggers, starts the window at once and never gates", () => {
    const t = compile([command("!hug"), cooldown({ global: "1m" })]);
    expect(passed(run(t, chat("!hug", alice), 0)).gate).toBeUndefined();
    expect(run(t, chat("!hug", bob), 1).pass).toBe(false);
  });

  it("keeps cooldown state across two compilations with the same key (a module reload)", () => {
    const cooldowns = new CooldownStore();
    const before = compile([command("!hug"), cooldown({ user: "1m" })], { key: "greeter:hug", cooldowns });
    expect(run(before, chat("!hug", alice), 0).pass).toBe(true);
    const after = compile([command("!hug"), cooldown({ user: "1m" })], { key: "greeter:hug", cooldowns });
    expect(run(after, chat("!hug", alice), 10_000).pass).toBe(false);
    const other = compile([command("!hug"), cooldown({ user: "1m" })], { key: "greeter:other", cooldowns });
    expect(run(other, chat("!hug", alice), 10_000).pass).toBe(true);
  });
});
