import {
  createOn,
  formatDuration,
  type StarStreamerError,
  type TwitchPluginApi,
  type TypedEvent,
} from "starstreamer";
import type { ChatCommand, ChatConfig } from "../config.ts";
import { commandLabel, splitList } from "../format.ts";
import type chat from "../module.ts";
import { commandTriggers } from "../triggers.ts";

const on = createOn<typeof chat>();

const codeOf = (error: unknown): string | undefined => (error as StarStreamerError | null)?.code;
const statusOf = (error: unknown): unknown => (error as StarStreamerError | null)?.data?.status;

/**
 * With `cooldown.notify`, a handler runs during its cooldown: it answers how long to wait instead
 * of doing its work again. Returns whether it answered.
 */
async function coolingDown(
  event: TypedEvent<"twitch.chat.message">,
  twitch: TwitchPluginApi,
  cooldown: { remainingMs: number } | undefined,
): Promise<boolean> {
  if (cooldown === undefined) return false;
  const used = event.data.text.trim().split(/\s+/, 1)[0] ?? "";
  await twitch.sendMessage(
    `@${event.data.user.displayName} ${used} is cooling down; try again in ${formatDuration(cooldown.remainingMs)}.`,
  );
  return true;
}

/** Registers the enabled commands, with the triggers their settings give. */
export function registerChatCommands(config: ChatConfig): void {
  const triggersOf = (name: ChatCommand) => commandTriggers(name, config[name], config.prefix);

  if (config.hello.enabled) {
    on(
      "twitch.chat.message",
      triggersOf("hello"),
      async function hello(event, { twitch, config, match }) {
        if (await coolingDown(event, twitch, match.cooldown)) return;
        await twitch.sendMessage(config.hello.message.replaceAll("{user}", event.data.user.displayName));
      },
      { description: "Says hello" },
    );
  }

  if (config.ping.enabled) {
    on(
      "twitch.chat.message",
      triggersOf("ping"),
      async function ping(event, { twitch, match }) {
        if (await coolingDown(event, twitch, match.cooldown)) return;
        // From the moment the event entered the bus to this handler: the bot's own handling latency.
        const ms = Math.max(0, Date.now() - event.timestamp);
        await twitch.sendMessage(`@${event.data.user.displayName} pong (${ms} ms)`);
      },
      { description: "Checks the bot is alive and how fast it answers" },
    );
  }

  if (config.commands.enabled) {
    on(
      "twitch.chat.message",
      triggersOf("commands"),
      async function commands(event, ctx) {
        if (await coolingDown(event, ctx.twitch, ctx.match.cooldown)) return;
        const seen = new Set<string>();
        const labels: string[] = [];
        for (const info of await ctx.commands.list()) {
          if (seen.has(info.command)) continue;
          seen.add(info.command);
          labels.push(commandLabel(info));
        }
        for (const text of splitList("Commands", labels)) await ctx.twitch.sendMessage(text);
      },
      { description: "Lists the bot's commands" },
    );
  }

  if (config.uptime.enabled) {
    on(
      "twitch.chat.message",
      triggersOf("uptime"),
      async function uptime(event, { twitch, logger, match }) {
        if (await coolingDown(event, twitch, match.cooldown)) return;
        try {
          const stream = await twitch.getStreamInfo();
          if (stream === null) {
            await twitch.sendMessage("The stream is offline.");
            return;
          }
          const live = Math.max(0, Date.now() - Date.parse(stream.startedAt));
          await twitch.sendMessage(`The stream has been live for ${formatDuration(live)}.`);
        } catch (error) {
          if (codeOf(error) === "SS_TWITCH_NOT_AVAILABLE_OFFLINE") {
            await twitch.sendMessage("I can't see the stream from the offline chat: uptime needs Twitch.");
            return;
          }
          logger.warn(`uptime: ${(error as Error).message}`);
          await twitch.sendMessage("I couldn't ask Twitch about the stream; try again in a moment.");
        }
      },
      { description: "How long the stream has been live" },
    );
  }

  if (config.clip.enabled) {
    on(
      "twitch.chat.message",
      triggersOf("clip"),
      async function clip(event, { twitch, match, logger }) {
        const name = event.data.user.displayName;
        if (match.cooldown) {
          await twitch.sendMessage(
            `@${name} a clip was just made; try again in ${formatDuration(match.cooldown.remainingMs)}.`,
          );
          return;
        }
        try {
          // Asked first so an offline channel gets a plain answer rather than a Helix error.
          if ((await twitch.getStreamInfo()) === null) {
            await twitch.sendMessage(`@${name} the stream is offline, so there is nothing to clip.`);
            return;
          }
          const made = await twitch.createClip();
          await twitch.sendMessage(`@${name} clip created: ${made.url}`);
        } catch (error) {
          await twitch.sendMessage(`@${name} ${clipFailure(error)}`);
          if (codeOf(error) !== "SS_TWITCH_NOT_AVAILABLE_OFFLINE")
            logger.warn(`clip: ${(error as Error).message}`);
        }
      },
      { description: "Clips the last seconds of the stream" },
    );
  }
}

/** What to tell chat when a clip could not be made, from the plugin's error. */
function clipFailure(error: unknown): string {
  switch (codeOf(error)) {
    case "SS_TWITCH_NOT_AVAILABLE_OFFLINE":
      return "clips need Twitch; the offline chat can't make one.";
    case "SS_TWITCH_MISSING_SCOPE":
      return "the bot isn't allowed to make clips (it needs the clips:edit permission).";
    case "SS_TWITCH_API_FAILED":
      // Helix: 404 when the channel is not live, 403 when clips are off or limited to followers/subs.
      if (statusOf(error) === 404) return "the stream is offline, so there is nothing to clip.";
      if (statusOf(error) === 403) return "clips are disabled on this channel.";
      return "Twitch couldn't make a clip right now; try again in a moment.";
    default:
      return "Twitch couldn't make a clip right now; try again in a moment.";
  }
}
