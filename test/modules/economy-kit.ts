import { join } from "node:path";
import { createTestHost, type TestHost, type TestHostOptions } from "@starstreamer/testing";
import Database from "better-sqlite3";
import type { CustomEventMap, TwitchUserInfo } from "starstreamer";
import { moduleDir, repoRoot } from "../paths.ts";

/** The rpg and chat module folders. */
export const rpgDir = moduleDir("rpg");
export const chatDir = moduleDir("chat");
/** A module of this suite's fixtures (test/modules/fixtures/<name>). */
export const economyFixture = (name: string) => join(repoRoot, "test", "modules", "fixtures", name);

/** Starts a host with the rpg module (plus `modules`) and `config` as the rpg config. */
export async function startRpg(
  config: Record<string, unknown> = {},
  options: Omit<TestHostOptions, "modules" | "settings"> & { modules?: string[] } = {},
): Promise<TestHost> {
  const { modules = [], ...rest } = options;
  const t = await createTestHost({
    ...rest,
    modules: [rpgDir, ...modules],
    settings: { rpg: { config } },
  });
  const state = t.host.registry.info("rpg").state;
  if (state !== "enabled") {
    await t.close();
    throw new Error(`rpg did not load: ${state} ${t.host.registry.info("rpg").reason ?? ""}`);
  }
  return t;
}

/** A Twitch user for `t.twitch.users`, so `!give` finds them. */
export function twitchUser(login: string): TwitchUserInfo {
  return {
    id: String(100_000 + ([...login].reduce((sum, c) => sum * 31 + c.charCodeAt(0), 7) % 900_000)),
    login,
    displayName: login.charAt(0).toUpperCase() + login.slice(1),
    type: "",
    broadcasterType: "",
    description: "",
    profileImageUrl: "",
    createdAt: "2020-01-01T00:00:00Z",
  };
}

/** What the rpg module's SQLite file holds, read with a separate connection (as an auditor would). */
export interface EconomyAudit {
  balances: Record<string, number>;
  sumOfBalances: number;
  sumOfLedger: number;
  /** Per login, the sum of its ledger rows. */
  ledgerByLogin: Record<string, number>;
  ledgerRows: number;
  negativeBalances: number;
}

/** Reads the rpg module's database file of a test host. */
export function auditEconomy(t: TestHost): EconomyAudit {
  const db = new Database(join(t.dataDir, "modules", "rpg.db"), { readonly: true, fileMustExist: true });
  try {
    const accounts = db.prepare("select login, balance from accounts").all() as Array<{
      login: string;
      balance: number;
    }>;
    const ledger = db
      .prepare("select login, sum(amount) as total, count(*) as n from ledger group by login")
      .all() as Array<{
      login: string;
      total: number;
      n: number;
    }>;
    const balances = Object.fromEntries(accounts.map((a) => [a.login, a.balance]));
    return {
      balances,
      sumOfBalances: accounts.reduce((sum, a) => sum + a.balance, 0),
      sumOfLedger: ledger.reduce((sum, l) => sum + l.total, 0),
      ledgerByLogin: Object.fromEntries(ledger.map((l) => [l.login, l.total])),
      ledgerRows: ledger.reduce((sum, l) => sum + l.n, 0),
      negativeBalances: accounts.filter((a) => a.balance < 0).length,
    };
  } finally {
    db.close();
  }
}

/** The texts the bot said, in order. */
export const said = (t: TestHost): string[] => t.twitch.sent.items.map((m) => m.text);

/**
 * Sends `text` as `login` and waits for the next message the bot says that starts with `@Login`
 * (the reply to it), returning its text.
 */
export async function ask(
  t: TestHost,
  login: string,
  text: string,
  level?: "viewer" | "moderator",
): Promise<string> {
  const since = t.twitch.sent.items.length;
  const display = login.charAt(0).toUpperCase() + login.slice(1);
  t.chat(text, { login, level });
  const reply = await t.waitForMessage((m) => m.startsWith(`@${display} `), { since, timeoutMs: 10_000 });
  return reply.text.slice(display.length + 2);
}

/** Moves the rpg module's clock (the module must run with `testClock: true`) and waits until it moved. */
export async function moveClock(t: TestHost, move: CustomEventMap["custom.rpg.clock"]): Promise<void> {
  const since = t.events.items.length;
  t.emit("custom.rpg.clock", move);
  await t.events.waitFor((e) => e.type === "custom.rpg.clock-moved", 10_000, "the rpg clock to move", since);
}
