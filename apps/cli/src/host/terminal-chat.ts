import { createLocalChat, type LocalChat, type LocalChatOutput } from "@starstreamer/plugins";
import { type Host, type HostLogger, reloadChange } from "@starstreamer/runtime";
import type { ResolvedConfig } from "../config/load-config.ts";
import type { Terminal } from "../terminal/terminal.ts";
import { describeChange } from "./change-lines.ts";
import type { ModuleNotes } from "./module-notes.ts";
import { chatQueueSettings } from "./plugins.ts";

/** True when an enabled module has a handler for `type` (exactly, by its family `a.*`, or `*`). */
function handled(host: Host, type: string): boolean {
  return host.registry
    .stats()
    .modules.some(
      (m) =>
        m.state === "enabled" &&
        m.handlers.some(
          (h) =>
            h.type === type ||
            h.type === "*" ||
            (h.type.endsWith(".*") && type.startsWith(h.type.slice(0, -1))),
        ),
    );
}

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
  /** The CLI's own record of module changes (reloads done here, failed reloads). */
  notes: ModuleNotes;
  quit(): void;
}

/**
 * The local chat in the terminal: typed lines are chat messages from a local viewer, the bot's
 * replies print, and `/modules`, `/reload <name>`, `/quit` control the bot.
 */
export function createTerminalChat(deps: TerminalChatDeps): LocalChat {
  const { config, terminal, logger, notes } = deps;
  const chat = createLocalChat({
    emit: (type, data, source) => {
      const host = deps.host();
      if (!host) throw new Error("the bot is still starting");
      const event = host.emit(type, data, source);
      if (type !== "twitch.chat.message" && !handled(host, type)) {
        // After the chat's own "simulated <type>" line, which it prints once emit returns.
        queueMicrotask(() =>
          terminal.print(`  no enabled module handles ${type}; /modules lists what is loaded`),
        );
      }
      return event;
    },
    channel: config.twitch.channel,
    chatQueue: chatQueueSettings(config),
    commands: [
      {
        name: "modules",
        usage: "/modules",
        description: "list modules and their state",
        run: () => {
          const stats = deps.host()?.registry.stats();
          if (!stats) return;
          const rows = stats.modules.map((m) => {
            const failedReload =
              m.state === "enabled" || m.state === "disabled" ? notes.failedReload(m.name) : null;
            const note = failedReload
              ? ` (the last reload failed; the previous version serves): ${failedReload}`
              : m.reason
                ? `: ${m.reason}`
                : "";
            return `  ${m.name.padEnd(16)} ${(m.version ?? "-").padEnd(8)} ${m.state}${note}`;
          });
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
          const change = reloadChange(name, await notes.changing(name, () => host.registry.reload(name)));
          if (change.action === "reloaded") notes.reloaded(name, null);
          if (change.action === "failed" && change.kept) notes.reloaded(name, change.error);
          const { level, text } = describeChange(change, config.root);
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
