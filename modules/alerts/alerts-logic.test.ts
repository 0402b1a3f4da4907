import { describe, expect, it } from "vitest";
import { AlertQueue } from "./alert-queue.ts";
import {
  cheerAlert,
  giftAlert,
  HypeTrainTracker,
  raidAlert,
  redemptionAlert,
  subscriptionAlert,
} from "./build-alert.ts";
import { alertsConfigSchema } from "./config.ts";
import { renderTemplate, unknownPlaceholders } from "./template.ts";

/** Promise.withResolvers, which Node 20 lacks. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const ada = { id: "42", login: "ada", displayName: "Ada" };
const now = new Date().toISOString();

describe("alert templates and config", () => {
  it("renders placeholders and lists unknown ones", () => {
    expect(renderTemplate("{user} raided with {viewers}!", { user: "Ada", viewers: 42 })).toBe(
      "Ada raided with 42!",
    );
    expect(unknownPlaceholders("{user} gave {amount} {bogus}", ["user", "amount"])).toEqual(["bogus"]);
  });

  it("fills every alert type with defaults from an empty config", () => {
    const config = alertsConfigSchema.parse({});
    expect(config.raid).toMatchObject({ enabled: true, chat: true, minViewers: 0 });
    expect(config.follow.template).toContain("{user}");
    expect(config.durationMs).toBe(5000);
  });

  it("refuses a template with a placeholder its type does not offer, naming the field and the choices", () => {
    const result = alertsConfigSchema.safeParse({ follow: { template: "{user} gave {amount}" } });
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path).toEqual(["follow", "template"]);
    expect(issue?.message).toBe("unknown placeholder {amount}; follow alerts offer {user}");
  });

  it("refuses unknown keys and bad OBS actions", () => {
    expect(alertsConfigSchema.safeParse({ raid: { minViewer: 10 } }).success).toBe(false);
    expect(alertsConfigSchema.safeParse({ raid: { obs: { showSource: { scene: "Main" } } } }).success).toBe(
      false,
    );
  });
});

describe("building alerts from events", () => {
  const config = alertsConfigSchema.parse({
    cheer: { minBits: 100 },
    raid: { minViewers: 10 },
    gift: { template: "{user} gifted {amount} tier {tier} subs ({total} total)" },
    redemption: { rewards: ["Hydrate!"] },
  });

  it("applies minimums for cheers and raids", () => {
    expect(cheerAlert({ user: ada, isAnonymous: false, bits: 99, message: "" }, config)).toBeNull();
    expect(cheerAlert({ user: ada, isAnonymous: false, bits: 100, message: "" }, config)?.text).toBe(
      "Ada cheered 100 bits!",
    );
    expect(raidAlert({ from: ada, viewers: 9 }, config)).toBeNull();
    expect(raidAlert({ from: ada, viewers: 10 }, config)?.text).toBe("Ada is raiding with 10 viewers!");
  });

  it("makes one alert for a gift bomb and none for its recipients", () => {
    const gift = giftAlert(
      { user: null, isAnonymous: true, tier: "2000", total: 50, cumulativeTotal: 120 },
      config,
    );
    expect(gift?.text).toBe("Anonymous gifted 50 tier 2 subs (120 total)");
    expect(subscriptionAlert({ user: ada, tier: "2000", isGift: true }, config)).toBeNull();
  });

  it("tells a resub from a new sub", () => {
    expect(subscriptionAlert({ user: ada, tier: "1000", isGift: false }, config)?.type).toBe("subscription");
    const resub = subscriptionAlert({ user: ada, tier: "1000", isGift: false, months: 7 }, config);
    expect(resub).toMatchObject({ type: "resubscription", text: "Ada resubscribed for 7 months!" });
  });

  it("alerts only for listed rewards", () => {
    const data = {
      id: "r1",
      user: ada,
      reward: { id: "x", title: "Hydrate!", cost: 100, prompt: "" },
      input: "",
      status: "unfulfilled" as const,
      redeemedAt: now,
    };
    expect(redemptionAlert(data, config)?.text).toBe("Ada redeemed Hydrate!!");
    expect(
      redemptionAlert({ ...data, reward: { ...data.reward, title: "Posture check" } }, config),
    ).toBeNull();
  });

  it("announces a hype train's level-ups once each", () => {
    const trains = new HypeTrainTracker();
    const train = {
      id: "t1",
      total: 0,
      progress: 0,
      goal: 100,
      topContributions: [],
      startedAt: now,
      expiresAt: now,
    };
    expect(trains.begin({ ...train, level: 1 }, config)?.type).toBe("hypeTrainBegin");
    expect(trains.progress({ ...train, level: 1 }, config)).toBeNull();
    expect(trains.progress({ ...train, level: 2 }, config)?.text).toBe("The hype train reached level 2!");
    expect(trains.progress({ ...train, level: 2 }, config)).toBeNull();
  });
});

describe("alert queue", () => {
  it("plays a burst one at a time, in arrival order, with nothing dropped", async () => {
    const log: string[] = [];
    const finished = deferred();
    const queue: AlertQueue<number> = new AlertQueue<number>({
      play: async (n) => {
        log.push(`start ${n}`);
        await queue.wait(5);
        log.push(`end ${n}`);
        if (n === 20) finished.resolve();
      },
      gapMs: 1,
      maxQueued: 100,
      onError: () => {},
    });
    for (let n = 1; n <= 20; n++) expect(queue.push(n)).toBe(true);
    await finished.promise;
    expect(log).toEqual(Array.from({ length: 20 }, (_, i) => [`start ${i + 1}`, `end ${i + 1}`]).flat());
  });

  it("refuses beyond maxQueued and goes on after an alert that throws", async () => {
    const played: number[] = [];
    const errors: number[] = [];
    const release = deferred();
    const done = deferred();
    const queue = new AlertQueue<number>({
      play: async (n) => {
        if (n === 1) await release.promise;
        if (n === 2) throw new Error("boom");
        played.push(n);
        if (n === 3) done.resolve();
      },
      gapMs: 0,
      maxQueued: 2,
      onError: (n) => errors.push(n),
    });
    expect([queue.push(1), queue.push(2), queue.push(3), queue.push(4)]).toEqual([true, true, true, false]);
    release.resolve();
    await done.promise;
    expect(played).toEqual([1, 3]);
    expect(errors).toEqual([2]);
  });
});
