import { describe, expect, expectTypeOf, it } from "vitest";
import { defineConfig, type ProjectConfigInput, parseProjectConfig } from "./project-config.ts";

describe("project config schema", () => {
  it("defineConfig returns the config as given, typed", () => {
    const config = defineConfig({
      twitch: { channel: "mychannel" },
      modules: { greeter: { deadlineMs: 2000 } },
    });
    expect(config).toEqual({ twitch: { channel: "mychannel" }, modules: { greeter: { deadlineMs: 2000 } } });
    expectTypeOf(config).toEqualTypeOf<ProjectConfigInput>();
  });

  it("fills every default, nested ones included", () => {
    expect(parseProjectConfig({})).toEqual({
      modulesDir: "modules",
      dataDir: "data",
      commandPrefix: "!",
      logLevel: "info",
      admin: { host: "127.0.0.1", port: 8888 },
      reload: { debounceMs: 300 },
      twitch: {},
      modules: {},
    });
  });

  it("names each bad key and what it expects, or the flag that set it", () => {
    const error = (() => {
      try {
        parseProjectConfig(
          { commandPrefix: "! !", admin: { port: 0 }, reload: { watchDirs: [] } },
          { source: "starstreamer.config.ts", origins: { "admin.port": "--port" } },
        );
      } catch (e) {
        return e as Error & { code: string; data: { issues: Array<{ key: string }> } };
      }
    })();
    expect(error?.code).toBe("SS_CONFIG_INVALID");
    expect(error?.data.issues.map((i) => i.key)).toEqual(["commandPrefix", "--port", "reload.watchDirs"]);
    expect(error?.message).toContain(
      'starstreamer.config.ts: commandPrefix: expected one to eight characters without spaces, e.g. "!", got "! !"',
    );
    expect(error?.message).toContain("--port: expected an integer port from 1 to 65535, got 0");
    expect(error?.message).toContain("reload.watchDirs: expected a non-empty array of folder paths");
  });

  it("takes a module's environment allow-list and chat queue place, and names a bad one", () => {
    const config = parseProjectConfig(
      { modules: { alerts: { chat: { priority: 90, maxQueued: 50 }, env: ["WEATHER_KEY"] } } },
      { source: "starstreamer.config.ts" },
    );
    expect(config.modules.alerts).toEqual({ chat: { priority: 90, maxQueued: 50 }, env: ["WEATHER_KEY"] });
    expect(() =>
      parseProjectConfig(
        { modules: { alerts: { chat: { priority: 500 } } } },
        { source: "starstreamer.config.ts" },
      ),
    ).toThrow(/modules\.alerts\.chat\.priority/);
    expect(() =>
      parseProjectConfig(
        { modules: { alerts: { chat: { speed: 1 } } } },
        { source: "starstreamer.config.ts" },
      ),
    ).toThrow(/speed/);
  });
});
