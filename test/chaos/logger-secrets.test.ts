import { createLogger, type HostLogger, type LogRecord } from "@starstreamer/runtime";
import { afterEach, describe, expect, it } from "vitest";

// Issue 8.16: a token value never reaches a log line or a log record, whatever the structure.

/** Shaped like a Twitch user token (30 lower-case letters and digits). */
const token = "k3x9q2m7w1z8c4v6b0n5j2h7g9f1d3";
const saved = process.env.TWITCH_ACCESS_TOKEN;

afterEach(() => {
  if (saved === undefined) delete process.env.TWITCH_ACCESS_TOKEN;
  else process.env.TWITCH_ACCESS_TOKEN = saved;
});

/**
 * A logger that writes into arrays. The host knows the token the way it does at run time: it is in
 * `process.env` (loaded from `.env`) under a secret-looking name when the logger is created.
 */
function capture(): { logger: HostLogger; output: () => string; lines: string[] } {
  process.env.TWITCH_ACCESS_TOKEN = token;
  const lines: string[] = [];
  const records: LogRecord[] = [];
  const logger = createLogger({ level: "debug", write: (line) => lines.push(line) });
  logger.onRecord((record) => records.push(record));
  return { logger, lines, output: () => `${lines.join("\n")}\n${JSON.stringify(records)}` };
}

describe("8.16 the logger and a token value", () => {
  it("redacts it inside an array field (an object with a secret key, in a list)", () => {
    const { logger, lines, output } = capture();
    logger.info("connecting", { scopes: ["chat:read", { accessToken: token }] });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("chat:read");
    expect(output()).not.toContain(token);
  });

  it("redacts it inside header pairs (an Authorization value in nested arrays)", () => {
    const { logger, lines, output } = capture();
    logger.warn("helix request failed", { headers: [["Authorization", `Bearer ${token}`]] });
    expect(lines[0]).toContain("helix request failed");
    expect(output()).not.toContain(token);
  });

  it("redacts it inside the message text (an IRC login line)", () => {
    const { logger, lines, output } = capture();
    logger.error(`irc login failed: PASS oauth:${token}`);
    expect(lines[0]).toContain("irc login failed");
    expect(output()).not.toContain(token);
  });

  it("redacts the bare value the host knows, in text, in an error's message and in a child's tags", () => {
    const { logger, lines, output } = capture();
    logger.info(`refreshing ${token}`);
    logger.error("token refresh failed", { error: new Error(`invalid ${token}`) });
    logger.child({ session: token }).debug("child logger");
    expect(lines).toHaveLength(3);
    expect(output()).not.toContain(token);
  });
});
