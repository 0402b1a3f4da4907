import { command, type Logger, on } from "starstreamer";
import { afterEach, describe, expect, it } from "vitest";
import { RegistrationScope } from "./registration-scope.ts";

interface LogRecord {
  handler: string | null;
  level: string;
  message: string;
}

function scopeWithLog(): { scope: RegistrationScope; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const loggerFor = (handler: string | null): Logger => {
    const at = (level: string) => (message: string) => {
      records.push({ handler, level, message });
    };
    return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  };
  return { scope: new RegistrationScope("quiz", loggerFor), records };
}

let open: RegistrationScope | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

describe("the registration scope", () => {
  it("names a handler by its { id }, else its function's name, and gives each its index as wire id", () => {
    const { scope, records } = scopeWithLog();
    open = scope;
    scope.open();
    on("twitch.chat.message", command("!ask"), async function ask() {});
    const answer = async () => {};
    on("twitch.chat.message", command("!answer"), answer);
    on("twitch.follow", async () => {}, { id: "welcome" });
    on("twitch.raid", async function ignored() {}, { id: "raid" });
    scope.close();
    expect(scope.handlers.map((h) => [h.info.id, h.info.name])).toEqual([
      [0, "ask"],
      [1, "answer"],
      [2, "welcome"],
      [3, "raid"],
    ]);
    expect(records.filter((r) => r.level === "warn")).toEqual([]);
  });

  it("gives an anonymous handler its position and warns through the module's logger why that matters", () => {
    const { scope, records } = scopeWithLog();
    open = scope;
    scope.open();
    on("twitch.chat.message", command("!one"), async function one() {});
    on("twitch.follow", async () => {});
    scope.close();
    expect(scope.handlers[1]?.info.name).toBe("twitch.follow#2");
    const warnings = records.filter((r) => r.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.handler).toBeNull();
    expect(warnings[0]?.message).toMatch(
      /twitch\.follow#2.*cooldowns and queued events are keyed by its position/,
    );
    expect(warnings[0]?.message).toContain('{ id: "greet" }');
  });

  it("refuses a second handler with the same id, naming both", () => {
    const { scope } = scopeWithLog();
    open = scope;
    scope.open();
    on("twitch.chat.message", command("!a"), async function greet() {});
    expect(() => on("twitch.follow", async () => {}, { id: "greet" })).toThrow(
      expect.objectContaining({
        code: "SS_HANDLER_ID_DUPLICATE",
        message: expect.stringMatching(
          /quiz: two handlers have the id "greet" \(on "twitch\.chat\.message" and on "twitch\.follow"\)/,
        ),
      }),
    );
    expect(scope.handlers).toHaveLength(1);
  });

  it("keeps function triggers in the worker and declares them to the host as predicates", () => {
    const { scope } = scopeWithLog();
    open = scope;
    scope.open();
    const short = () => true;
    on("twitch.chat.message", [command("!x"), short], async function x() {});
    scope.close();
    const [handler] = scope.handlers;
    expect(handler?.info.triggers).toEqual([
      { kind: "command", names: ["x"], prefix: null, args: [] },
      { kind: "predicate", index: 0 },
    ]);
    expect(handler?.predicates).toEqual([short]);
  });

  it("is closed after close(): a later on() fails with SS_MODULE_NO_SCOPE", () => {
    const { scope } = scopeWithLog();
    scope.open();
    scope.close();
    expect(() => on("twitch.follow", async function late() {})).toThrow(
      expect.objectContaining({ code: "SS_MODULE_NO_SCOPE" }),
    );
  });
});
