import { fileURLToPath } from "node:url";
import { createTestHost, type TestHost } from "@starstreamer/testing";
import type { StarEvent } from "starstreamer";
import { afterEach, describe, expect, it } from "vitest";

const moduleDir = fileURLToPath(new URL(".", import.meta.url));

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Fast pacing, so a test waits milliseconds, not seconds; tests assert order, never time. */
const fast = { durationMs: 30, gapMs: 5 };

async function start(config: Record<string, unknown> = {}): Promise<TestHost> {
  t = await createTestHost({
    modules: [moduleDir],
    settings: { alerts: { config: { ...fast, ...config } } },
  });
  expect(t.host.registry.info("alerts")).toMatchObject({ state: "enabled" });
  return t;
}

const user = (name: string) => ({
  id: String(name.length * 1000 + name.charCodeAt(0)),
  login: name.toLowerCase(),
  displayName: name,
});
const alertEvents = (host: TestHost) =>
  host.events.items.filter((e): e is StarEvent<string, Record<string, unknown>> =>
    e.type.startsWith("custom.alerts."),
  );
const shows = (host: TestHost) =>
  alertEvents(host)
    .filter((e) => e.type === "custom.alerts.show")
    .map((e) => e.data);

describe("alerts module (real worker)", () => {
  it("renders a raid from its template in chat and announces it to the overlay", async () => {
    const host = await start({ raid: { template: "RAID! {user} brings {viewers} friends", durationMs: 40 } });
    host.emit("twitch.raid", { from: user("Ada"), viewers: 42 });
    await host.waitForMessage("RAID! Ada brings 42 friends");
    const show = await host.waitForEvent("custom.alerts.show");
    expect(show.source).toBe("module:alerts");
    expect(show.data).toMatchObject({ type: "raid", text: "RAID! Ada brings 42 friends", durationMs: 40 });
    expect(typeof (show.data as { id: unknown }).id).toBe("string");
  });

  it("skips a raid and a cheer under their minimums", async () => {
    const host = await start({ raid: { minViewers: 10 }, cheer: { minBits: 100 } });
    host.emit("twitch.raid", { from: user("Small"), viewers: 3 });
    host.emit("twitch.cheer", { user: user("Cheap"), bits: 99, message: "Cheer99" });
    host.emit("twitch.raid", { from: user("Big"), viewers: 10 }); // sentinel
    await host.waitForMessage("Big is raiding with 10 viewers!");
    expect(host.twitch.sent.items.map((m) => m.text)).toEqual(["Big is raiding with 10 viewers!"]);
  });

  it("makes one alert for a 50-sub gift bomb, not one per recipient", async () => {
    const host = await start();
    host.emit("twitch.subscription.gift", { user: user("Santa"), total: 50, cumulativeTotal: 50 });
    for (let i = 0; i < 50; i++) host.emit("twitch.subscription", { user: user(`Lucky${i}`), isGift: true });
    host.emit("twitch.follow", { user: user("Sentinel") });
    await host.waitForMessage("Welcome Sentinel! Thanks for following!");
    expect(host.twitch.sent.items.map((m) => m.text)).toEqual([
      "Santa gifted 50 subs! Thank you!",
      "Welcome Sentinel! Thanks for following!",
    ]);
  });

  it("plays a burst one alert at a time, in order: each is done before the next shows", async () => {
    const host = await start();
    host.emit("twitch.follow", { user: user("First") });
    host.emit("twitch.cheer", { user: user("Second"), bits: 500, message: "Cheer500" });
    host.emit("twitch.hype_train.begin", { id: "train-1", level: 1 });
    host.emit("twitch.raid", { from: user("Fourth"), viewers: 77 });
    host.emit("twitch.resubscription", { user: user("Fifth"), months: 6, durationMonths: 1, message: "" });
    await host.waitForEvent(
      "custom.alerts.done",
      (e) => (e.data as { type: string }).type === "resubscription",
    );
    const sequence = alertEvents(host).map(
      (e) => `${e.type.slice("custom.alerts.".length)} ${(e.data as { type: string }).type}`,
    );
    expect(sequence).toEqual([
      "show follow",
      "done follow",
      "show cheer",
      "done cheer",
      "show hypeTrainBegin",
      "done hypeTrainBegin",
      "show raid",
      "done raid",
      "show resubscription",
      "done resubscription",
    ]);
    expect(host.twitch.sent.items.map((m) => m.text)).toEqual([
      "Welcome First! Thanks for following!",
      "Second cheered 500 bits!",
      "A hype train has started!",
      "Fourth is raiding with 77 viewers!",
      "Fifth resubscribed for 6 months!",
    ]);
  });

  it("keeps disabled types silent, in chat and on the overlay", async () => {
    const host = await start({ follow: { enabled: false }, cheer: { chat: false } });
    host.emit("twitch.follow", { user: user("Ignored") });
    host.emit("twitch.cheer", { user: user("Quiet"), bits: 100, message: "Cheer100" });
    host.emit("twitch.raid", { from: user("Sentinel"), viewers: 5 });
    await host.waitForMessage("Sentinel is raiding with 5 viewers!");
    expect(host.twitch.sent.items.map((m) => m.text)).toEqual(["Sentinel is raiding with 5 viewers!"]);
    expect(shows(host).map((s) => s.type)).toEqual(["cheer", "raid"]);
  });

  it("switches the OBS scene when a configured alert plays", async () => {
    const host = await start({ raid: { obs: { switchScene: "Raid Scene" } } });
    host.emit("twitch.raid", { from: user("Ada"), viewers: 42 });
    await host.obs.changes.waitFor((scene) => scene === "Raid Scene", 5000, "the raid scene");
    expect(host.obs.scene).toBe("Raid Scene");
  });

  it("keeps waiting alerts across a hot reload: each plays exactly once, in order", async () => {
    const host = await start({ durationMs: 400 });
    const names = ["One", "Two", "Three", "Four"];
    for (const name of names) host.emit("twitch.follow", { user: user(name) });
    await host.waitForEvent("custom.alerts.show"); // "One" is playing, the others wait
    const result = await host.host.registry.reload("alerts");
    expect(result.ok).toBe(true);
    await host.waitForMessage("Welcome Four! Thanks for following!", { timeoutMs: 15_000 });
    host.emit("twitch.raid", { from: user("Sentinel"), viewers: 1 });
    await host.waitForMessage("Sentinel is raiding with 1 viewers!", { timeoutMs: 15_000 });
    expect(host.twitch.sent.items.map((m) => m.text)).toEqual([
      ...names.map((n) => `Welcome ${n}! Thanks for following!`),
      "Sentinel is raiding with 1 viewers!",
    ]);
  });

  it("refuses a config whose template uses a placeholder its type lacks", async () => {
    t = await createTestHost({
      modules: [moduleDir],
      settings: { alerts: { config: { follow: { template: "{user} brought {viewers}" } } } },
    });
    const info = t.host.registry.info("alerts");
    expect(info.state).toBe("failed");
    expect(String(info.reason)).toContain("unknown placeholder {viewers}; follow alerts offer {user}");
  });

  it("plays a test alert of any type on !testalert from a moderator", async () => {
    const host = await start({ gift: { enabled: false } });
    host.chat("!testalert gift", { login: "viewer" }); // not a moderator: ignored
    host.chat("!testalert gift", { login: "mod", level: "moderator" });
    await host.waitForMessage("Viewer gifted 5 subs! Thank you!");
    host.chat("!testalert nope", { login: "mod", level: "moderator" });
    await host.waitForMessage(/^Usage: !testalert/);
    expect(shows(host).map((s) => s.type)).toEqual(["gift"]);
  });
});
