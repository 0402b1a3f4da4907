import type { Logger } from "starstreamer";
import type { HostRemote, LogLevel } from "./protocol.ts";

/**
 * A module's logger: each record crosses to the host tagged with `tags` (module, handler). Fields
 * are copied as JSON first, so a field that cannot cross the thread boundary is named instead of
 * failing the call.
 */
export function createModuleLogger(host: Pick<HostRemote, "log">, tags: Record<string, unknown>): Logger {
  const send = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    let safe: Record<string, unknown> = tags;
    if (fields !== undefined) {
      try {
        safe = { ...(JSON.parse(JSON.stringify(fields)) as Record<string, unknown>), ...tags };
      } catch {
        safe = { ...tags, fields: "[not serialisable]" };
      }
    }
    void host.log(level, String(message), safe);
  };
  return { debug: send("debug"), info: send("info"), warn: send("warn"), error: send("error") };
}
