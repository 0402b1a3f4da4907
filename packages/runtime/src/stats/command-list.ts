import type { CommandInfo } from "starstreamer";
import type { ModuleRecord } from "../registry/module-record.ts";

/** The chat commands the handlers of these modules answer, with their aliases and user level. */
export function listCommands(records: Iterable<ModuleRecord>, defaultPrefix: string): CommandInfo[] {
  const out: CommandInfo[] = [];
  for (const record of records) {
    for (const { info } of record.handlers) {
      if (info.type !== "twitch.chat.message") continue;
      const level = info.triggers.find((t) => t.kind === "userLevel");
      for (const trigger of info.triggers) {
        if (trigger.kind !== "command") continue;
        const prefix = trigger.prefix ?? defaultPrefix;
        const [main, ...aliases] = trigger.names.map((n) => `${prefix}${n}`);
        if (!main) continue;
        out.push({
          module: record.name,
          command: main,
          aliases,
          userLevel: level?.kind === "userLevel" ? level.min : null,
          description: info.description ?? null,
        });
      }
    }
  }
  return out.sort((a, b) => a.command.localeCompare(b.command) || a.module.localeCompare(b.module));
}
