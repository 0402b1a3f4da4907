import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.ts";

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));
const project = (files: Record<string, string> = {}) => {
  root = mkdtempSync(join(tmpdir(), "starstreamer-config-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, name), content);
  return root;
};

describe("project config", () => {
  it("has defaults for everything, with paths resolved against the project folder", async () => {
    const config = await loadConfig({ cwd: project(), env: {} });
    expect(config).toMatchObject({
      modulesDir: join(root, "modules"),
      dataDir: join(root, "data"),
      commandPrefix: "!",
      logLevel: "info",
      admin: { host: "127.0.0.1", port: 8888 },
      reload: { debounceMs: 300 },
      twitch: {},
      modules: {},
      configFile: null,
      twitchCredentials: null,
    });
    expect(config.reload.watchDirs[0]).toBe(join(root, "modules"));
    expect(config.moduleWatchDirs).toEqual([join(root, "modules")]);
    expect(config.frameworkWatchDirs.some((d) => d.endsWith("packages/runtime/src"))).toBe(true);
  });

  it("layers file < .env < environment < flags, and maps modules to host settings", async () => {
    project({
      "starstreamer.config.json": JSON.stringify({
        dataDir: "from-file",
        admin: { port: 1000 },
        modules: { greeter: { config: { greeting: "Hi" }, maxHeapMb: 64, deadlineMs: 2000 } },
      }),
      ".env":
        "STARSTREAMER_DATA_DIR=from-dotenv\nSTARSTREAMER_PORT=2000\nTWITCH_CLIENT_ID=abc\nTWITCH_ACCESS_TOKEN=secret\n",
    });
    const env: NodeJS.ProcessEnv = { STARSTREAMER_PORT: "3000" };
    const config = await loadConfig({
      cwd: root,
      env,
      flags: { host: "0.0.0.0", watchDirs: ["modules", "lib"] },
    });
    expect(config.dataDir).toBe(join(root, "from-dotenv"));
    expect(config.admin).toEqual({ host: "0.0.0.0", port: 3000 });
    expect(config.modules.greeter).toEqual({ config: { greeting: "Hi" }, maxHeapMb: 64, deadlineMs: 2000 });
    expect(config.twitchCredentials).toMatchObject({ clientId: "abc", accessToken: "secret" });
    expect(config.moduleWatchDirs).toEqual([join(root, "modules")]);
    expect(config.frameworkWatchDirs).toEqual([join(root, "lib")]);
  });

  it("names the flag or variable that set a bad value", async () => {
    project();
    await expect(loadConfig({ cwd: root, env: { STARSTREAMER_PORT: "http" } })).rejects.toThrow(
      'STARSTREAMER_PORT: expected an integer port from 1 to 65535, got "http"',
    );
    await expect(loadConfig({ cwd: root, env: {}, flags: { logLevel: "loud" } })).rejects.toThrow(
      /--log-level: expected one of "debug", "info", "warn", "error", got "loud"/,
    );
  });

  it("reports module settings and file problems by key", async () => {
    project({
      "starstreamer.config.json": JSON.stringify({
        modules: { Greeter: {}, quiz: { maxHeapMb: 1, extra: 1 } },
      }),
    });
    const error = await loadConfig({ cwd: root, env: {} }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: "SS_CLI_CONFIG" });
    const message = (error as Error).message;
    expect(message).toContain('"Greeter" is not a module name');
    expect(message).toContain(
      "modules.quiz.maxHeapMb: expected an integer number of MB from 16 to 8192, got 1",
    );
    expect(message).toContain('modules.quiz: unknown key "extra"; accepted: config, maxHeapMb, deadlineMs');
  });

  it("says what is wrong with a config file that does not parse or does not export a config", async () => {
    project({ "starstreamer.config.json": "{ nope" });
    await expect(loadConfig({ cwd: root, env: {} })).rejects.toThrow(
      /starstreamer\.config\.json: not valid JSON/,
    );
    rmSync(join(root, "starstreamer.config.json"));
    writeFileSync(join(root, "starstreamer.config.mjs"), "export const config = {};\n");
    await expect(loadConfig({ cwd: root, env: {} })).rejects.toThrow(/export the config as default/);
    await expect(loadConfig({ cwd: root, env: {}, flags: { config: "missing.ts" } })).rejects.toThrow(
      "--config: no such file: missing.ts",
    );
  });
});
