import { actionResultSchema, moduleListSchema, statsSchema } from "@starstreamer/admin";
import { loadConfig } from "../config/load-config.ts";
import { ExitCode } from "../errors.ts";
import type { CliIo } from "../main.ts";
import { AdminCallError, AdminClient } from "./admin-client.ts";
import { formatAction, formatModules, formatStats } from "./format.ts";
import type { ModulesCommand } from "./parse-modules-args.ts";

/** Where to reach the bot's admin API from this machine (a wildcard bind is reached on loopback). */
export function adminBaseUrl(host: string, port: number): string {
  if (host === "0.0.0.0") return `http://127.0.0.1:${port}`;
  if (host === "::" || host === "[::]") return `http://[::1]:${port}`;
  return `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`;
}

/**
 * Runs `starstreamer modules <action> [name]` against the running bot's admin API and prints what
 * the page would show. Resolves with the exit code: 0, or 1 with the API's message (or "no bot
 * running at ...") on stderr.
 */
export async function runModulesCommand(command: ModulesCommand, io: CliIo): Promise<number> {
  const config = await loadConfig({ cwd: io.cwd, env: io.env, flags: command.flags });
  const client = new AdminClient(
    adminBaseUrl(config.admin.host, config.admin.port),
    io.env.STARSTREAMER_ADMIN_TOKEN?.trim() || undefined,
  );
  const { action, moduleName } = command;
  try {
    if (action === "list") {
      const [stats, list] = await Promise.all([
        client.call(statsSchema, "/api/stats"),
        client.call(moduleListSchema, "/api/modules"),
      ]);
      io.out(`StarStreamer at ${client.url}: ${formatStats(stats)}`);
      io.out(formatModules(list.modules));
      return ExitCode.OK;
    }
    const name = moduleName!;
    const result = await client.call(
      actionResultSchema,
      `/api/modules/${encodeURIComponent(name)}/${action}`,
      command.flags.cascade ? { cascade: true } : {},
    );
    io.out(formatAction(action, result));
    return ExitCode.OK;
  } catch (error) {
    if (!(error instanceof AdminCallError)) throw error;
    io.err(
      `starstreamer: ${error.kind === "api" ? `${action}${moduleName ? ` ${moduleName}` : ""} failed: ` : ""}${error.message}`,
    );
    return ExitCode.FAILURE;
  }
}
