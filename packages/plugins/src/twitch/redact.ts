import type { Logger } from "starstreamer";

const PATTERNS: Array<[RegExp, string]> = [
  [/\bPASS\s+\S+/gi, "PASS [redacted]"],
  [/\boauth:[^\s"'&]+/gi, "oauth:[redacted]"],
  [/\b(Bearer|OAuth)\s+[A-Za-z0-9_\-.]{8,}/g, "$1 [redacted]"],
  [/\b(access_token|refresh_token|client_secret|device_code|token|code)=([^&\s"']+)/gi, "$1=[redacted]"],
  [
    /"(access_token|refresh_token|client_secret|device_code|accessToken|refreshToken|clientSecret)"\s*:\s*"[^"]*"/g,
    '"$1":"[redacted]"',
  ],
];

/**
 * Scrubs secrets from text before it reaches a log or an error a module sees: the token values it
 * was told about, and anything shaped like one (`PASS oauth:...`, `Bearer ...`, `refresh_token=...`
 * in a URL twurple puts in its error messages).
 */
export class SecretRedactor {
  readonly #secrets = new Set<string>();

  /** Remembers a secret value (tokens shorter than 8 characters are not worth matching). */
  add(secret: string | null | undefined): void {
    if (secret && secret.length >= 8) this.#secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join("[redacted]");
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }
}

// @d-fischer/logger levels: 0 critical, 1 error, 2 warning, 3 info, 4 debug, 7 trace.
const LEVELS = ["error", "error", "warn", "info", "debug"] as const;

/**
 * twurple's logger options, routed to the host's logger through the redactor. Debug lines are
 * dropped unless `debug` is true (twurple logs every IRC line there); `PASS` lines never pass.
 */
export function twurpleLoggerOptions(
  logger: Logger,
  redactor: SecretRedactor,
  options: { debug?: boolean } = {},
): { minLevel: number; custom: (level: number, message: string) => void } {
  return {
    minLevel: options.debug ? 4 : 3,
    custom: (level, message) => {
      if (/^Sending message: PASS /i.test(message) || /\bPASS\s/.test(message)) return;
      const method = LEVELS[level] ?? "debug";
      logger[method](`twurple: ${redactor.redact(message)}`);
    },
  };
}

/**
 * A one-line message safe to log or return: for twurple's HTTP errors the status and Twitch's
 * message (their own message spans lines and carries the URL, query string included); otherwise
 * `error.message`. Secrets scrubbed either way.
 */
export function safeMessage(error: unknown, redactor: SecretRedactor): string {
  const e = error as { statusCode?: unknown; body?: unknown; message?: unknown } | null;
  if (e && typeof e.statusCode === "number" && typeof e.body === "string") {
    let message = e.body;
    try {
      message = String((JSON.parse(e.body) as { message?: unknown }).message ?? e.body);
    } catch {
      // a text body: keep it
    }
    return redactor.redact(`${e.statusCode} ${message}`.replace(/\s+/g, " ").trim());
  }
  return redactor.redact(error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ");
}
