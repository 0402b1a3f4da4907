import { defineModule } from "starstreamer";
import { type ChatConfig, chatConfigSchema } from "./config.ts";

/**
 * Everyday chat commands: `!hello`, `!ping`, `!commands`, `!uptime` and `!clip`. Each can be
 * turned off, renamed with aliases, limited to a user level and given a cooldown in the config;
 * `prefix` gives the module's commands a prefix of their own.
 */
const chat = defineModule<ChatConfig>({
  name: "chat",
  description: "Everyday chat commands: !hello, !ping, !commands, !uptime, !clip",
  version: "1.0.0",
  author: "StarStreamer",
  config: chatConfigSchema,
  async registerActions(ctx) {
    const { registerChatCommands } = await import("./actions/commands.ts");
    registerChatCommands(ctx.config);
  },
});

export default chat;
