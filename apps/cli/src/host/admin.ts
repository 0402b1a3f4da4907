import { type AdminChat, AdminErrorCodes, type AdminServer, startAdminServer } from "@starstreamer/admin";
import { asError, type Host, type HostLogger } from "@starstreamer/runtime";
import type { ResolvedConfig } from "../config/load-config.ts";
import { CliErrorCodes, UsageError } from "../errors.ts";

/**
 * Serves the admin page and REST API for the running bot (`admin.host`/`admin.port` from the
 * config, `STARSTREAMER_ADMIN_TOKEN` from the environment). Refusing to listen beyond loopback
 * without a token is a config error; a port already in use is logged and the bot runs without
 * its admin page rather than not at all.
 */
export async function startAdmin(
  host: Host,
  chat: AdminChat,
  config: ResolvedConfig,
  logger: HostLogger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AdminServer | null> {
  try {
    return await startAdminServer({
      host,
      chat,
      bindHost: config.admin.host,
      port: config.admin.port,
      token: env.STARSTREAMER_ADMIN_TOKEN,
      logger,
    });
  } catch (error) {
    const e = asError(error);
    if (e.code === AdminErrorCodes.TOKEN_REQUIRED) throw new UsageError(CliErrorCodes.CONFIG, e.message);
    const inUse = (error as { code?: string }).code === "EADDRINUSE";
    logger.error(
      inUse
        ? `admin page not available: port ${config.admin.port} on ${config.admin.host} is in use (another bot running? choose another with --port)`
        : `admin page not available: ${e.message}`,
    );
    return null;
  }
}
