import { describe, expect, it } from "vitest";
import { createLogger, type LogRecord, redact, registerSecret } from "./logger.ts";

describe("logger", () => {
  it("never writes token-like values", () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => lines.push(line) });
    logger.info("connecting", {
      accessToken: "oauth:abc123",
      twitch: { clientSecret: "s3cret", channel: "me" },
    });
    expect(lines.join("\n")).not.toMatch(/abc123|s3cret/);
    expect(lines[0]).toContain("[redacted]");
    expect(redact({ password: "x", nested: { apiKey: "y", ok: 1 } })).toEqual({
      password: "[redacted]",
      nested: { apiKey: "[redacted]", ok: 1 },
    });
  });

  it("tags lines with module and handler and respects the level", () => {
    const records: LogRecord[] = [];
    const logger = createLogger({ level: "info", write: null });
    logger.onRecord((r) => records.push(r));
    const child = logger.child({ module: "greeter", handler: "greet" });
    child.debug("hidden");
    child.warn("shown", { user: "ada" });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      level: "warn",
      message: "shown",
      fields: { module: "greeter", handler: "greet", user: "ada" },
    });
  });
});

describe("logger redaction of secret values", () => {
  it("never writes a registered or environment token, in arrays, nested fields or the message text", () => {
    process.env.TWITCH_TEST_ACCESS_TOKEN = "tok-env-0123456789";
    registerSecret("db-token-abcdef");
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => lines.push(line) });
    logger.warn("auth failed for tok-env-0123456789 (PASS oauth:zzz999yyy)", {
      tried: ["db-token-abcdef", { value: "tok-env-0123456789" }],
      error: new Error("bad token db-token-abcdef"),
    });
    const out = lines.join("\n");
    expect(out).not.toMatch(/tok-env-0123456789|db-token-abcdef|zzz999yyy/);
    expect(out).toContain("oauth:[redacted]");
    expect(out).toContain("auth failed for [redacted]");
    delete process.env.TWITCH_TEST_ACCESS_TOKEN;
  });
});
