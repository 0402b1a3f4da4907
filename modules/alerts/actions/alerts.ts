import { command, userLevel } from "starstreamer";
import {
  cheerAlert,
  followAlert,
  giftAlert,
  HypeTrainTracker,
  raidAlert,
  redemptionAlert,
  resubscriptionAlert,
  subscriptionAlert,
} from "../build-alert.ts";
import { ALERT_TYPES, type AlertsConfig, type AlertType } from "../config.ts";
import alerts from "../module.ts";
import { enqueue } from "../player.ts";

const trains = new HypeTrainTracker();

alerts.on("twitch.follow", async function follow(event, { config }) {
  enqueue(followAlert(event.data, config));
});

// Covers new subs and resubs; a gift's recipients are skipped (the gift itself is one alert).
alerts.on("twitch.subscription", async function subscription(event, { config }) {
  enqueue(subscriptionAlert(event.data, config));
});

// Twitch reports resubs apart from new subs (EventSub channel.subscription.message, or chat's resub notice).
alerts.on("twitch.resubscription", async function resubscription(event, { config }) {
  enqueue(resubscriptionAlert(event.data, config));
});

alerts.on("twitch.subscription.gift", async function gift(event, { config }) {
  enqueue(giftAlert(event.data, config));
});

alerts.on("twitch.cheer", async function cheer(event, { config }) {
  enqueue(cheerAlert(event.data, config));
});

alerts.on("twitch.raid", async function raid(event, { config }) {
  enqueue(raidAlert(event.data, config));
});

alerts.on("twitch.hype_train.begin", async function hypeTrainBegin(event, { config }) {
  enqueue(trains.begin(event.data, config));
});

alerts.on("twitch.hype_train.progress", async function hypeTrainProgress(event, { config }) {
  enqueue(trains.progress(event.data, config));
});

alerts.on("twitch.hype_train.end", async function hypeTrainEnd(event, { config }) {
  enqueue(trains.end(event.data, config));
});

alerts.on("twitch.redemption", async function redemption(event, { config }) {
  enqueue(redemptionAlert(event.data, config));
});

// "!testalert raid": plays a sample alert of a type, even a disabled one, for setting up the overlay.
alerts.on(
  "twitch.chat.message",
  [command("!testalert", { args: ["type?"] }), userLevel("moderator")],
  async function testAlert(_event, { config, match, twitch }) {
    const wanted = String(match.command?.params.type ?? "raid");
    const type = ALERT_TYPES.find((t) => t.toLowerCase() === wanted.toLowerCase());
    if (!type) {
      await twitch.sendMessage(`Usage: !testalert <type>; types: ${ALERT_TYPES.join(", ")}`);
      return;
    }
    enqueue(sampleAlert(type, config));
  },
);

const SAMPLE_USER = { id: "1000", login: "viewer", displayName: "Viewer" };

function sampleAlert(type: AlertType, config: AlertsConfig) {
  const force = { force: true };
  const now = new Date().toISOString();
  const train = {
    id: "test-train",
    level: 2,
    total: 900,
    progress: 100,
    goal: 500,
    topContributions: [],
    startedAt: now,
  };
  switch (type) {
    case "follow":
      return followAlert({ user: SAMPLE_USER, followedAt: now }, config, force);
    case "subscription":
      return subscriptionAlert({ user: SAMPLE_USER, tier: "1000", isGift: false }, config, force);
    case "resubscription":
      return resubscriptionAlert(
        {
          user: SAMPLE_USER,
          tier: "1000",
          months: 12,
          streakMonths: 3,
          durationMonths: 1,
          message: "Still here!",
        },
        config,
        force,
      );
    case "gift":
      return giftAlert(
        { user: SAMPLE_USER, isAnonymous: false, tier: "1000", total: 5, cumulativeTotal: 20 },
        config,
        force,
      );
    case "cheer":
      return cheerAlert(
        { user: SAMPLE_USER, isAnonymous: false, bits: 100, message: "Cheer100" },
        config,
        force,
      );
    case "raid":
      return raidAlert({ from: SAMPLE_USER, viewers: 42 }, config, force);
    case "hypeTrainBegin":
      return new HypeTrainTracker().begin({ ...train, level: 1, expiresAt: now }, config, force);
    case "hypeTrainProgress":
      return new HypeTrainTracker().progress({ ...train, expiresAt: now }, config, force);
    case "hypeTrainEnd":
      return new HypeTrainTracker().end(
        {
          id: train.id,
          level: 3,
          total: 1500,
          topContributions: [],
          startedAt: now,
          endedAt: now,
          cooldownEndsAt: now,
        },
        config,
        force,
      );
    case "redemption":
      return redemptionAlert(
        {
          id: "test-redemption",
          user: SAMPLE_USER,
          reward: { id: "test-reward", title: "Hydrate!", cost: 100, prompt: "" },
          input: "",
          status: "unfulfilled",
          redeemedAt: now,
        },
        config,
        force,
      );
  }
}
