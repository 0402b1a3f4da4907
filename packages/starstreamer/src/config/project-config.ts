import { z } from "zod";
import { SdkErrorCodes, StarStreamerError } from "../errors.ts";
import { LOG_LEVELS } from "./log-levels.ts";

export { LOG_LEVELS, type LogLevel } from "./log-levels.ts";

const MODULE_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const TWITCH_LOGIN = /^[A-Za-z0-9_]{1,25}$/;

const moduleSettingsSchema = z.strictObject({
  config: z.unknown().optional(),
  maxHeapMb: z.int().min(16).max(8192).optional(),
  deadlineMs: z.int().min(1).max(600_000).optional(),
  /** Environment variables the module's worker may read (besides NODE_ENV and TZ). */
  env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).optional(),
  /**
   * The module's place in the outgoing chat queue: a higher `priority` goes first (alerts 80, most
   * modules 50, games 20 by default), `maxQueued` messages may wait before more are refused (20).
   */
  chat: z
    .strictObject({
      priority: z.int().min(0).max(100).optional(),
      maxQueued: z.int().min(1).max(10_000).optional(),
    })
    .optional(),
});

/** The schema of `starstreamer.config.ts` / `.json`; every field is optional and has a default. */
export const projectConfigSchema = z.strictObject({
  modulesDir: z.string().min(1).default("modules"),
  dataDir: z.string().min(1).default("data"),
  commandPrefix: z
    .string()
    .regex(/^\S{1,8}$/)
    .default("!"),
  logLevel: z.enum(LOG_LEVELS).default("info"),
  admin: z
    .strictObject({
      host: z.string().min(1).default("127.0.0.1"),
      port: z.int().min(1).max(65_535).default(8888),
    })
    .prefault({}),
  reload: z
    .strictObject({
      debounceMs: z.int().min(0).max(10_000).default(300),
      watchDirs: z.array(z.string().min(1)).min(1).optional(),
    })
    .prefault({}),
  twitch: z
    .strictObject({
      channel: z.string().regex(TWITCH_LOGIN).optional(),
      botLogin: z.string().regex(TWITCH_LOGIN).optional(),
    })
    .prefault({}),
  modules: z.record(z.string().regex(MODULE_NAME), moduleSettingsSchema).default({}),
});

/** What a project config file may contain (all optional). */
export type ProjectConfigInput = z.input<typeof projectConfigSchema>;
/** A validated project config with every default filled in. */
export type ProjectConfig = z.output<typeof projectConfigSchema>;

/**
 * Declares the project config with types and autocompletion; returns it unchanged (the CLI
 * validates it when it loads). Secrets never go here: Twitch tokens come from the environment.
 * @example
 * // starstreamer.config.ts
 * import { defineConfig } from "starstreamer";
 * export default defineConfig({
 *   twitch: { channel: "mychannel" },
 *   modules: { greeter: { deadlineMs: 2000 } },
 * });
 */
export function defineConfig(config: ProjectConfigInput): ProjectConfigInput {
  return config;
}

/** What each key expects, in words, for error messages; `*` stands for any module name. */
const EXPECTED: Record<string, string> = {
  "": 'an object, e.g. export default defineConfig({ modulesDir: "modules" })',
  modulesDir: "a folder path (a non-empty string)",
  dataDir: "a folder path (a non-empty string)",
  commandPrefix: 'one to eight characters without spaces, e.g. "!"',
  logLevel: `one of ${LOG_LEVELS.map((l) => `"${l}"`).join(", ")}`,
  admin: "an object { host, port }",
  "admin.host": 'a host name or IP address, e.g. "127.0.0.1"',
  "admin.port": "an integer port from 1 to 65535",
  reload: "an object { debounceMs, watchDirs }",
  "reload.debounceMs": "an integer number of milliseconds from 0 to 10000",
  "reload.watchDirs": 'a non-empty array of folder paths, e.g. ["modules", "packages"]',
  "reload.watchDirs.*": "a folder path (a non-empty string)",
  twitch: "an object { channel, botLogin }",
  "twitch.channel": "a Twitch login (letters, digits and _, up to 25)",
  "twitch.botLogin": "a Twitch login (letters, digits and _, up to 25)",
  modules: "an object of module name to settings, e.g. { greeter: { deadlineMs: 2000 } }",
  "modules.*": "an object { config?, maxHeapMb?, deadlineMs?, env?, chat? }",
  "modules.*.chat":
    "an object { priority?, maxQueued? }: priority 0 to 100 (higher first), maxQueued 1 to 10000",
  "modules.*.env": 'an array of environment variable names the module may read, e.g. ["WEATHER_API_KEY"]',
  "modules.*.maxHeapMb": "an integer number of MB from 16 to 8192",
  "modules.*.deadlineMs": "an integer number of milliseconds from 1 to 600000",
};

const ACCEPTED_KEYS: Record<string, string[]> = {
  "": Object.keys(projectConfigSchema.shape),
  admin: ["host", "port"],
  reload: ["debounceMs", "watchDirs"],
  twitch: ["channel", "botLogin"],
  "modules.*": ["config", "maxHeapMb", "deadlineMs", "env", "chat"],
  "modules.*.chat": ["priority", "maxQueued"],
};

const SECRET_KEY = /token|secret|password|client_?id|api_?key/i;

/** One problem in a project config: the key (or the flag / environment variable that set it) and what is wrong. */
export interface ProjectConfigIssue {
  key: string;
  message: string;
}

/** Where values came from, by key, when not from the file: `{ "admin.port": "--port" }`. */
export type ConfigOrigins = Record<string, string>;

/**
 * Validates a project config and fills in defaults.
 * @param source names the file in messages (`starstreamer.config.ts`).
 * @param origins names the flag or environment variable that set a key, so a bad `--port` is
 *   reported as `--port`, not as `admin.port`.
 * @throws StarStreamerError `SS_CONFIG_INVALID`, one line per problem naming the key and what it
 *   expects; the problems are in `error.data.issues`.
 */
export function parseProjectConfig(
  input: unknown,
  options: { source?: string; origins?: ConfigOrigins } = {},
): ProjectConfig {
  const result = projectConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const source = options.source ?? "config";
  const origins = options.origins ?? {};
  const issues: ProjectConfigIssue[] = result.error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : String(p)));
    const key = path.join(".");
    const origin = origins[key];
    const where = origin ?? `${source}: ${key || "(the whole config)"}`;
    return { key: origin ?? key, message: `${where}: ${describe(issue, path, input)}` };
  });
  throw new StarStreamerError(
    SdkErrorCodes.CONFIG_INVALID,
    issues.length === 1
      ? issues[0]!.message
      : `${issues.length} problems in the config:\n  ${issues.map((i) => i.message).join("\n  ")}`,
    { data: { issues, source } },
  );
}

function pattern(path: string[]): string {
  return path.map((p, i) => (path[0] === "modules" && i === 1 ? "*" : p)).join(".");
}

function describe(issue: z.core.$ZodIssue, path: string[], input: unknown): string {
  if (issue.code === "unrecognized_keys") {
    const accepted = ACCEPTED_KEYS[pattern(path)] ?? [];
    const secret = issue.keys.find((k) => SECRET_KEY.test(k));
    const hint = secret
      ? "; tokens and client ids come only from the environment (TWITCH_CLIENT_ID, TWITCH_ACCESS_TOKEN, ... in .env)"
      : accepted.length > 0
        ? `; accepted: ${accepted.join(", ")}`
        : "";
    return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}${hint}`;
  }
  if (issue.code === "invalid_key" && path[0] === "modules") {
    return `${JSON.stringify(path[1])} is not a module name: expected lower-case letters, digits, "-" or "_", starting with a letter`;
  }
  const expected = EXPECTED[pattern(path)] ?? issue.message;
  const value = valueAt(input, path);
  return value === undefined
    ? `missing: expected ${expected}`
    : `expected ${expected}, got ${preview(value)}`;
}

function valueAt(root: unknown, path: string[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
