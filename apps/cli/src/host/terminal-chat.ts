import { createLocalChat, type LocalChat, type LocalChatOutput } from "@starstreamer/plugins";
import { type Host, type HostLogger, reloadChange } from "@starstreamer/runtime";
import type { ResolvedConfig } from "../config/load-config.ts";
import type { Terminal } from "../terminal/terminal.ts";
import { describeChange } from "./change-lines.ts";

function chatLine(output: LocalChatOutput): string | null {
  switch (output.kind) {
    case "bot":
      return output.replyTo ? `[bot → ${output.replyTo}] ${output.text}` : `[bot] ${output.text}`;
    case "notice":
      return output.text;
    case "error":
      return `! ${output.text}`;
    case "chat":
      return null;
  }
}

/** What the terminal chat needs from the running bot. */
export interface TerminalChatDeps {
  config: ResolvedConfig;
  terminal: Terminal;
  logger: HostLogger;
  /** The host once it exists (lines typed before that are refused with a message). */
  host(): Host | null;
  quit(): void;
}

/**
 * The local chat in the terminal: typed lines are chat messages from a local viewer, the bot's
 * replies print, and `/modules`, `/reload <name>`, `/quit` control the bot.
 */
export function createTerminalChat(deps: TerminalChatDeps): LocalChat {
  const { config, terminal, logger } = deps;
  const chat = createLocalChat({
    emit: (type, data, source) => {
      const host = deps.host();
      if (!host) throw new Error("the bot is still starting");
      return host.emit(type, data, source);
    },
    channel: config.twitch.channel,
    commands: [
      {
        name: "modules",
        usage: "/modules",
        description: "list modules and their state",
        run: () => {
          const stats = deps.host()?.registry.stats();
          if (!stats) return;
          const rows = stats.modules.map(
            (m) =>
              `  ${m.name.padEnd(16)} ${(m.version ?? "-").padEnd(8)} ${m.state}${m.reason ? `: ${m.reason}` : ""}`,
          );
          terminal.print(rows.length > 0 ? rows.join("\n") : "  no modules");
        },
      },
      {
        name: "reload",
        usage: "/reload <module>",
        description: "reload a module now",
        run: async (name) => {
          const host = deps.host();
          if (!host || !name) throw new Error("/reload needs a module name; /modules lists them");
          const { level, text } = describeChange(
            reloadChange(name, await host.registry.reload(name)),
            config.root,
          );
          logger.log(level, text, { module: name });
        },
      },
      { name: "quit", usage: "/quit", description: "stop the bot", run: () => deps.quit() },
    ],
  });
  chat.onOutput((output) => {
    const line = chatLine(output);
    if (line !== null) terminal.print(line, output.kind === "error" ? "stderr" : "stdout");
  });
  return chat;
}
