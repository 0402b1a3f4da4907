import type { TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";
import { auditEconomy, startRpg, twitchUser } from "./economy-kit.ts";

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A small seeded generator (mulberry32), so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const USERS = Array.from({ length: 40 }, (_, i) => `player${i}`);
const COMMANDS = 3000;

function randomCommand(next: () => number): { login: string; text: string } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const login = pick(USERS);
  const roll = next();
  if (roll < 0.35) return { login, text: "!work" };
  const amount = pick(["1", "5", "20", "75", "300", String(1 + Math.floor(next() * 150))]);
  if (roll < 0.7) return { login, text: `!give @${pick(USERS)} ${amount}` };
  return { login, text: `!gamble ${pick([amount, amount, "all", "half"])}` };
}

describe("the economy under thousands of concurrent commands", () => {
  it("never creates or loses money: sum of balances = sum of ledger = what chat was told, none negative", async () => {
    const seed = Number(process.env.ECONOMY_SEED ?? 20_261_129);
    t = await startRpg({ work: { min: 1, max: 100, cooldown: 0 }, gamble: { winChance: 0.5, payout: 2 } });
    for (const login of USERS) t.twitch.users.set(login, twitchUser(login));
    const next = random(seed);
    // Everything is emitted at once: the worker runs the handlers overlapping, in arrival order.
    for (let i = 0; i < COMMANDS; i++) {
      const { login, text } = randomCommand(next);
      t.chat(text, { login });
    }
    // Each command gets exactly one answer; the last one means every handler has finished.
    const host = t;
    await host.waitForMessage(() => host.twitch.sent.items.length >= COMMANDS, { timeoutMs: 120_000 });

    const audit = auditEconomy(t);
    expect(audit.negativeBalances, `seed ${seed}`).toBe(0);
    expect(audit.sumOfBalances, `seed ${seed}`).toBe(audit.sumOfLedger);
    for (const [login, balance] of Object.entries(audit.balances)) {
      expect(audit.ledgerByLogin[login] ?? 0, `${login}, seed ${seed}`).toBe(balance);
    }
    // What chat was told adds up to the same total: work and wins create money, losses destroy it,
    // gifts only move it.
    let told = 0;
    const kinds = { work: 0, gave: 0, won: 0, lost: 0, refused: 0 };
    for (const { text } of t.twitch.sent.items) {
      const earned = /you worked and earned ([\d,]+) coins?!/.exec(text);
      const won = /You bet [\d,]+ coins? and won ([\d,]+) coins?!/.exec(text);
      const lost = /You bet ([\d,]+) coins? and lost it\./.exec(text);
      const number = (m: RegExpExecArray) => Number(m[1]!.replaceAll(",", ""));
      if (earned) {
        told += number(earned);
        kinds.work++;
      } else if (won) {
        told += number(won);
        kinds.won++;
      } else if (lost) {
        told -= number(lost);
        kinds.lost++;
      } else if (/ You gave /.test(text)) kinds.gave++;
      else kinds.refused++;
    }
    expect(audit.sumOfBalances, `seed ${seed}`).toBe(told);
    expect(t.twitch.sent.items.length).toBe(COMMANDS);
    // The mix really exercised every path.
    expect(kinds.work).toBeGreaterThan(500);
    expect(kinds.gave).toBeGreaterThan(100);
    expect(kinds.won).toBeGreaterThan(50);
    expect(kinds.lost).toBeGreaterThan(50);
    expect(kinds.refused).toBeGreaterThan(50);
    expect(t.host.registry.info("rpg").errors).toBe(0);
  }, 180_000);
});
