import { existsSync, readFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { config as loadDotenv } from "dotenv";
import {
  type ConfigOrigins,
  type ProjectConfig,
  parseProjectConfig,
  StarStreamerError,
} from "starstreamer/internal";
import type { RunFlags } from "../args.ts";
import { CliErrorCodes, UsageError } from "../errors.ts";
import { CONFIG_FILES } from "./config-files.ts";
import { frameworkSourceDirs } from "./framework-dirs.ts";

export { CONFIG_FILES } from "./config-files.ts";

/** Twitch credentials from the environment. Secrets: never logged, never printed. */
export interface TwitchCredentials {
  clientId: string;
  accessToken: string;
  clientSecret?: string;
  refreshToken?: string;
}

/** The project config with absolute paths and everything the CLI derived. */
export interface ResolvedConfig extends ProjectConfig {
  /** The project folder (where the command runs). */
  root: string;
  configFile: string | null;
  envFile: string | null;
  modulesDir: string;
  dataDir: string;
  reload: { debounceMs: number; watchDirs: string[] };
  /** Watched folders inside the modules folder: changes reload one module. */
  moduleWatchDirs: string[];
  /** Watched folders outside it: changes restart the host. */
  frameworkWatchDirs: string[];
  offline: boolean;
  /** Present when TWITCH_CLIENT_ID and TWITCH_ACCESS_TOKEN are set. */
  twitchCredentials: TwitchCredentials | null;
}

/** What to resolve the config from. */
export interface LoadConfigOptions {
  cwd?: string;
  flags?: Partial<RunFlags>;
  /** The environment; `.env` is loaded into it (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Finds the config file: `--config`, or the first of {@link CONFIG_FILES} in the project folder. */
export function findConfigFile(root: string, explicit?: string): string | null {
  if (explicit !== undefined) {
    const file = resolve(root, explicit);
    if (!existsSync(file)) {
      throw new UsageError(CliErrorCodes.CONFIG, `--config: no such file: ${explicit}`);
    }
    if (!/\.(ts|mts|js|mjs|json)$/.test(file)) {
      throw new UsageError(
        CliErrorCodes.CONFIG,
        `--config: ${explicit} is not a config file; expected .ts, .mts, .js, .mjs or .json`,
      );
    }
    return file;
  }
  for (const name of CONFIG_FILES) {
    const file = join(root, name);
    if (existsSync(file)) return file;
  }
  return null;
}

/** Reads a config file: JSON parsed, TypeScript/JavaScript bundled with esbuild and imported. */
export async function readConfigFile(file: string): Promise<unknown> {
  const name = basename(file);
  if (file.endsWith(".json")) {
    try {
      return JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new UsageError(CliErrorCodes.CONFIG, `${name}: not valid JSON (${(error as Error).message})`);
    }
  }
  // esbuild loads only for a TypeScript or JavaScript config.
  const { importConfigModule } = await import("./bundle-config.ts");
  const loaded = await importConfigModule(file);
  if (loaded.default === undefined) {
    throw new UsageError(
      CliErrorCodes.CONFIG,
      `${name}: export the config as default: export default defineConfig({ ... })`,
    );
  }
  return loaded.default;
}

function setIn(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

/** `"8888"` becomes 8888; anything else stays a string so the error shows what was typed. */
function integerOrText(value: string): number | string {
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
}

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

/**
 * Resolves the project config: defaults, then the config file, then environment variables
 * (`.env` loaded first, never overriding what is already set), then flags. Every problem is a
 * UsageError naming the key, flag or variable and what it expects.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const root = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const flags = options.flags ?? {};
  const envFile = join(root, ".env");
  const hasEnvFile = existsSync(envFile);
  if (hasEnvFile) loadDotenv({ path: envFile, quiet: true, processEnv: env as Record<string, string> });

  const configFile = findConfigFile(root, flags.config);
  const fromFile = configFile ? await readConfigFile(configFile) : {};
  if (fromFile === null || typeof fromFile !== "object" || Array.isArray(fromFile)) {
    throw new UsageError(
      CliErrorCodes.CONFIG,
      `${configFile ? basename(configFile) : "config"}: expected an object, e.g. export default defineConfig({ modulesDir: "modules" })`,
    );
  }
  const raw = structuredCloneLoose(fromFile as Record<string, unknown>);
  const origins: ConfigOrigins = {};
  const override = (path: string[], value: unknown, origin: string) => {
    if (value === undefined) return;
    setIn(raw, path, value);
    origins[path.join(".")] = origin;
  };
  override(["dataDir"], env.STARSTREAMER_DATA_DIR || undefined, "STARSTREAMER_DATA_DIR");
  override(["modulesDir"], env.STARSTREAMER_MODULES_DIR || undefined, "STARSTREAMER_MODULES_DIR");
  override(["logLevel"], env.STARSTREAMER_LOG_LEVEL || undefined, "STARSTREAMER_LOG_LEVEL");
  override(["admin", "host"], env.STARSTREAMER_HOST || undefined, "STARSTREAMER_HOST");
  if (env.STARSTREAMER_PORT) {
    override(["admin", "port"], integerOrText(env.STARSTREAMER_PORT), "STARSTREAMER_PORT");
  }
  override(["twitch", "channel"], env.TWITCH_CHANNEL || undefined, "TWITCH_CHANNEL");
  override(["twitch", "botLogin"], env.TWITCH_BOT_LOGIN || undefined, "TWITCH_BOT_LOGIN");
  override(["modulesDir"], flags.modulesDir, "--modules-dir");
  override(["logLevel"], flags.logLevel, "--log-level");
  override(["admin", "host"], flags.host, "--host");
  if (flags.port !== undefined) override(["admin", "port"], integerOrText(flags.port), "--port");
  override(["reload", "watchDirs"], flags.watchDirs, "--watch-dirs");

  let parsed: ProjectConfig;
  try {
    parsed = parseProjectConfig(raw, {
      source: configFile ? relative(root, configFile) : "config",
      origins,
    });
  } catch (error) {
    if (error instanceof StarStreamerError) {
      throw new UsageError(CliErrorCodes.CONFIG, error.message, error.data);
    }
    throw error;
  }

  const modulesDir = resolve(root, parsed.modulesDir);
  const dataDir = resolve(root, parsed.dataDir);
  const watchDirs = parsed.reload.watchDirs
    ? parsed.reload.watchDirs.map((d) => resolve(root, d))
    : [modulesDir, ...frameworkSourceDirs()];
  const clientId = env.TWITCH_CLIENT_ID?.trim();
  const accessToken = env.TWITCH_ACCESS_TOKEN?.trim();
  return {
    ...parsed,
    root,
    configFile,
    envFile: hasEnvFile ? envFile : null,
    modulesDir,
    dataDir,
    reload: { debounceMs: parsed.reload.debounceMs, watchDirs },
    moduleWatchDirs: watchDirs.filter((d) => isInside(d, modulesDir)),
    frameworkWatchDirs: watchDirs.filter((d) => !isInside(d, modulesDir)),
    offline: flags.offline ?? false,
    twitchCredentials:
      clientId && accessToken
        ? {
            clientId,
            accessToken,
            clientSecret: env.TWITCH_CLIENT_SECRET?.trim() || undefined,
            refreshToken: env.TWITCH_REFRESH_TOKEN?.trim() || undefined,
          }
        : null,
  };
}

/** A copy deep enough that overriding nested keys never touches the imported module's object. */
function structuredCloneLoose(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      item !== null && typeof item === "object" && Object.getPrototypeOf(item) === Object.prototype
        ? structuredCloneLoose(item as Record<string, unknown>)
        : item;
  }
  return out;
}
