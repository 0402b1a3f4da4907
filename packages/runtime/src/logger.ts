import type { Logger } from "starstreamer";
import type { LogLevel } from "./worker/protocol.ts";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /token|secret|password|authorization|client_?secret|api_?key/i;

/** One log line as the host keeps it (and the admin page shows it). */
export interface LogRecord {
  time: number;
  level: LogLevel;
  message: string;
  fields: Record<string, unknown>;
}

/** The host's logger: levelled, tagged, with secrets redacted before anything is written. */
export interface HostLogger extends Logger {
  readonly level: LogLevel;
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  child(tags: Record<string, unknown>): HostLogger;
  /** Subscribes to every record at or above the level; returns the disposer. */
  onRecord(listener: (record: LogRecord) => void): () => void;
}

const REDACTED = "[redacted]";
/** An IRC PASS line or any `oauth:` token in free text. */
const OAUTH_IN_TEXT = /oauth:[A-Za-z0-9_-]+/g;

/**
 * Values that must never be written, whatever the key or text they appear in: every environment
 * variable whose name looks secret (TWITCH_ACCESS_TOKEN, ..._CLIENT_SECRET), plus any registered.
 */
const secretValues = new Set<string>();

/** Adds a value (a token read from the database, say) that no log line may contain. */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value === "string" && value.length >= 6) secretValues.add(value);
}

function registerEnvSecrets(env: NodeJS.ProcessEnv): void {
  for (const [key, value] of Object.entries(env)) if (SECRET_KEY.test(key)) registerSecret(value);
}

/** Removes known secret values and `oauth:` tokens from a piece of text. */
export function redactText(text: string): string {
  let out = text.includes("oauth:") ? text.replace(OAUTH_IN_TEXT, `oauth:${REDACTED}`) : text;
  for (const secret of secretValues) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === "string") return redactText(value);
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return redactText(value.message);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  return redactFields(value as Record<string, unknown>, depth + 1);
}

function redactFields(fields: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactValue(value, depth);
  }
  return out;
}

/**
 * Replaces the values of token-like keys at any depth (arrays included) with "[redacted]", and
 * known secret values and `oauth:` tokens inside any string.
 */
export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  return redactFields(fields, 0);
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return /\s/.test(value) ? JSON.stringify(value) : value;
  if (value instanceof Error) return JSON.stringify(value.message);
  return JSON.stringify(value) ?? String(value);
}

/** The terminal form of a record: `12:00:01.234 WARN  [greeter/greet] message key=value`. */
export function formatRecord(record: LogRecord): string {
  const time = new Date(record.time).toISOString().slice(11, 23);
  const { module, handler, stack, ...rest } = record.fields;
  const tag = module ? ` [${String(module)}${handler ? `/${String(handler)}` : ""}]` : "";
  const extras = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(" ");
  const line = `${time} ${record.level.toUpperCase().padEnd(5)}${tag} ${record.message}${extras ? ` ${extras}` : ""}`;
  return record.level === "error" && typeof stack === "string" ? `${line}\n${stack}` : line;
}

/**
 * Creates the host logger. `write` receives formatted lines (stderr by default); pass
 * `write: null` to keep records only for listeners (tests, admin page).
 */
export function createLogger(
  options: { level?: LogLevel; write?: ((line: string, record: LogRecord) => void) | null } = {},
): HostLogger {
  const level = options.level ?? "info";
  registerEnvSecrets(process.env);
  const write =
    options.write === undefined ? (line: string) => process.stderr.write(`${line}\n`) : options.write;
  const listeners = new Set<(record: LogRecord) => void>();
  const make = (tags: Record<string, unknown>): HostLogger => {
    const log = (lvl: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[lvl] < ORDER[level]) return;
      const record: LogRecord = {
        time: Date.now(),
        level: lvl,
        message: redactText(message),
        fields: redact({ ...tags, ...fields }),
      };
      write?.(formatRecord(record), record);
      for (const listener of listeners) listener(record);
    };
    return {
      level,
      log,
      debug: (m, f) => log("debug", m, f),
      info: (m, f) => log("info", m, f),
      warn: (m, f) => log("warn", m, f),
      error: (m, f) => log("error", m, f),
      child: (more) => make({ ...tags, ...more }),
      onRecord(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
  };
  return make({});
}
