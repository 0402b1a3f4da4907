import { describe, expect, it } from "vitest";
import { parseCommandLine } from "./args.ts";

describe("command line", () => {
  it("dev reloads by default, start does not, and --no-reload / --reload flip that", () => {
    expect(parseCommandLine(["dev"])).toMatchObject({ name: "dev", flags: { reload: true, offline: false } });
    expect(parseCommandLine(["start"])).toMatchObject({ name: "start", flags: { reload: false } });
    expect(parseCommandLine(["dev", "--no-reload"])).toMatchObject({ flags: { reload: false } });
    expect(parseCommandLine(["start", "--reload"])).toMatchObject({ flags: { reload: true } });
  });

  it("reads every run flag, splitting --watch-dirs on commas", () => {
    const command = parseCommandLine([
      "dev",
      "--watch-dirs",
      "modules, packages",
      "--modules-dir=mods",
      "--port",
      "9000",
      "--host",
      "0.0.0.0",
      "--config",
      "bot.config.ts",
      "--offline",
      "--log-level",
      "debug",
    ]);
    expect(command).toEqual({
      name: "dev",
      flags: {
        reload: true,
        watchDirs: ["modules", "packages"],
        modulesDir: "mods",
        port: "9000",
        host: "0.0.0.0",
        config: "bot.config.ts",
        offline: true,
        logLevel: "debug",
      },
    });
  });

  it("gives help for every command", () => {
    for (const argv of [[], ["--help"], ["dev", "--help"], ["start", "-h"], ["new", "module", "--help"]]) {
      expect(parseCommandLine(argv)).toMatchObject({ name: "help", text: expect.stringContaining("Usage") });
    }
  });

  it("refuses unknown commands, unknown flags, missing values and stray arguments, saying what is accepted", () => {
    expect(() => parseCommandLine(["deploy"])).toThrow(
      /unknown command "deploy"; accepted: dev, start, new module/,
    );
    expect(() => parseCommandLine(["dev", "--verbose"])).toThrow(
      /unknown option --verbose; accepted: --reload/,
    );
    expect(() => parseCommandLine(["dev", "--port"])).toThrow(/option --port needs a value/);
    expect(() => parseCommandLine(["start", "now"])).toThrow(/unexpected argument "now"/);
    expect(() => parseCommandLine(["dev", "--watch-dirs", "a,,b"])).toThrow(/comma-separated folders/);
    expect(() => parseCommandLine(["new", "widget", "x"])).toThrow(
      /cannot create "widget"; accepted: module/,
    );
    expect(() => parseCommandLine(["new", "module"])).toThrow(/give the module a name/);
  });

  it("parses new module <name>", () => {
    expect(parseCommandLine(["new", "module", "shoutout", "--modules-dir", "mods"])).toEqual({
      name: "new-module",
      moduleName: "shoutout",
      flags: { modulesDir: "mods", config: undefined },
    });
  });
});
