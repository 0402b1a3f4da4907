import { z } from "zod";
import { unknownPlaceholders } from "./template.ts";

/** The kinds of alert, as config keys and as the `type` the overlay receives. */
export const ALERT_TYPES = [
  "follow",
  "subscription",
  "resubscription",
  "gift",
  "cheer",
  "raid",
  "hypeTrainBegin",
  "hypeTrainProgress",
  "hypeTrainEnd",
  "redemption",
] as const;
/** One of {@link ALERT_TYPES}. */
export type AlertType = (typeof ALERT_TYPES)[number];

/** The placeholders each alert type's template may use. */
export const ALERT_PLACEHOLDERS: Record<AlertType, readonly string[]> = {
  follow: ["user"],
  subscription: ["user", "tier"],
  resubscription: ["user", "tier", "months", "streak", "message"],
  gift: ["user", "amount", "tier", "total"],
  cheer: ["user", "amount", "message"],
  raid: ["user", "viewers"],
  hypeTrainBegin: ["level", "total", "progress", "goal"],
  hypeTrainProgress: ["level", "total", "progress", "goal"],
  hypeTrainEnd: ["level", "total"],
  redemption: ["user", "reward", "cost", "input"],
};

const DEFAULT_TEMPLATES: Record<AlertType, string> = {
  follow: "Welcome {user}! Thanks for following!",
  subscription: "{user} just subscribed! Thank you!",
  resubscription: "{user} resubscribed for {months} months!",
  gift: "{user} gifted {amount} subs! Thank you!",
  cheer: "{user} cheered {amount} bits!",
  raid: "{user} is raiding with {viewers} viewers!",
  hypeTrainBegin: "A hype train has started!",
  hypeTrainProgress: "The hype train reached level {level}!",
  hypeTrainEnd: "The hype train ended at level {level}!",
  redemption: "{user} redeemed {reward}!",
};

/** A source shown for a while, or a scene switched to, when an alert plays. */
const obsActionSchema = z.strictObject({
  /** Show this source (scene item) while the alert plays, then hide it again. */
  showSource: z
    .strictObject({
      scene: z.string().min(1),
      source: z.string().min(1),
      /** How long to show it; default: the alert's duration. */
      seconds: z.number().positive().max(600).optional(),
    })
    .optional(),
  /** Switch the program scene to this one when the alert plays. */
  switchScene: z.string().min(1).optional(),
});
/** The OBS action of an alert type. */
export type ObsAction = z.infer<typeof obsActionSchema>;

function alertSchema<T extends AlertType, Extra extends z.ZodRawShape>(type: T, extra: Extra) {
  const allowed = ALERT_PLACEHOLDERS[type];
  return (
    z
      .strictObject({
        /** Off: events of this type make no alert at all. */
        enabled: z.boolean().default(true),
        /** The alert's text, for chat and the overlay. */
        template: z
          .string()
          .min(1)
          .default(DEFAULT_TEMPLATES[type])
          .superRefine((template, ctx) => {
            const unknown = unknownPlaceholders(template, allowed);
            if (unknown.length > 0) {
              ctx.addIssue({
                code: "custom",
                message: `unknown placeholder ${unknown.map((n) => `{${n}}`).join(", ")}; ${type} alerts offer ${allowed.map((n) => `{${n}}`).join(", ")}`,
              });
            }
          }),
        /** Also say the text in chat. */
        chat: z.boolean().default(true),
        /** How long the overlay shows it, in ms (and the queue waits before the next alert). */
        durationMs: z.int().min(0).max(600_000).optional(),
        obs: obsActionSchema.optional(),
        ...extra,
      })
      // Generic over `extra`, so TypeScript cannot see that {} is a valid input; every field has a default.
      .prefault({} as never)
  );
}

/** The alerts module's configuration (`modules.alerts.config`), checked when the module loads. */
export const alertsConfigSchema = z.strictObject({
  /** Default on-screen time of an alert, in ms. */
  durationMs: z.int().min(0).max(600_000).default(5000),
  /** Pause between two alerts, in ms. */
  gapMs: z.int().min(0).max(60_000).default(1000),
  /** Alerts waiting beyond this many are refused (and logged): a flood guard, far above any real burst. */
  maxQueued: z.int().min(1).max(100_000).default(1000),
  /** The name shown for anonymous gifters and cheerers. */
  anonymousName: z.string().min(1).default("Anonymous"),
  follow: alertSchema("follow", {}),
  subscription: alertSchema("subscription", {}),
  resubscription: alertSchema("resubscription", {}),
  gift: alertSchema("gift", { minAmount: z.int().min(1).default(1) }),
  cheer: alertSchema("cheer", { minBits: z.int().min(1).default(1) }),
  raid: alertSchema("raid", { minViewers: z.int().min(0).default(0) }),
  hypeTrainBegin: alertSchema("hypeTrainBegin", {}),
  hypeTrainProgress: alertSchema("hypeTrainProgress", {}),
  hypeTrainEnd: alertSchema("hypeTrainEnd", {}),
  redemption: alertSchema("redemption", {
    /** Reward titles that make an alert (case-insensitive); empty: every reward. */
    rewards: z.array(z.string().min(1)).default([]),
  }),
});

/** The validated configuration. */
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
/** The settings every alert type has. */
export type AlertTypeConfig = AlertsConfig[AlertType];
