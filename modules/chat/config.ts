import { type UserLevel, userLevel } from "starstreamer";
import { z } from "zod";
import { commandTriggers } from "./triggers.ts";

/** The chat module's commands, by the name they answer to (before aliases). */
export const CHAT_COMMANDS = ["hello", "ping", "commands", "uptime", "clip"] as const;
/** One of {@link CHAT_COMMANDS}. */
export type ChatCommand = (typeof CHAT_COMMANDS)[number];

/** A user level, checked by the SDK's own `userLevel()` (viewer, subscriber, vip, moderator, broadcaster). */
const levelSchema = z.string().refine(
  (level) => {
    try {
      userLevel(level as UserLevel);
      return true;
    } catch {
      return false;
    }
  },
  { message: "a user level is viewer, subscriber, vip, moderator or broadcaster" },
) as unknown as z.ZodType<UserLevel, string>;

const durationSchema = z.union([z.string(), z.number()]);

function commandSchema<Extra extends z.ZodRawShape = Record<never, never>>(
  defaults: { cooldown?: { user?: string; global?: string; notify?: boolean } } = {},
  extra?: Extra,
) {
  return (
    z
      .strictObject({
        ...(extra as Extra),
        /** Off: the command does not exist (and `!commands` does not list it). */
        enabled: z.boolean().default(true),
        /** Other names for the command, e.g. ["hi"] for !hello. */
        aliases: z.array(z.string().min(1)).max(10).default([]),
        /** The lowest level that may use it. */
        userLevel: levelSchema.default("viewer"),
        /** Per user and/or for everyone ("30s", "5m", or ms); `notify` answers during the wait. */
        cooldown: z
          .strictObject({
            user: durationSchema.optional(),
            global: durationSchema.optional(),
            notify: z.boolean().optional(),
          })
          .default(defaults.cooldown ?? {}),
      })
      // Generic over `extra`, so TypeScript cannot see that {} is valid; every field has a default.
      .prefault({} as never)
  );
}

/** The chat module's configuration (`modules.chat.config`), checked when the module loads. */
export const chatConfigSchema = z
  .strictObject({
    /** A prefix for this module's commands only (e.g. "?"); default: the bot's prefix, "!". */
    prefix: z.string().min(1).max(3).optional(),
    hello: commandSchema(
      {},
      {
        /** The greeting; `{user}` is the viewer's display name. */
        message: z.string().min(1).max(400).default("Hello {user}! 👋"),
      },
    ),
    ping: commandSchema(),
    commands: commandSchema({ cooldown: { global: "10s" } }),
    uptime: commandSchema(),
    clip: commandSchema({ cooldown: { global: "30s", notify: true } }),
  })
  .superRefine((config, ctx) => {
    for (const name of CHAT_COMMANDS) {
      try {
        commandTriggers(name, config[name], config.prefix);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: [name], message: (error as Error).message });
      }
    }
  });

/** The validated configuration. */
export type ChatConfig = z.infer<typeof chatConfigSchema>;
