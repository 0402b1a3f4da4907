import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { waitUntil } from "@starstreamer/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../config/load-config.ts";
import { changedSince, stampedSince } from "./changed-since.ts";
import { runSupervisor } from "./supervisor.ts";
import type { WatchPlan } from "./watch-plan.ts";

/**
 * A host process that speaks the supervisor's IPC protocol and does what `script.json` says for
 * its launch (the n-th entry, or the last): write or remove a file before saying ready (an edit
 * made while the host boots), exit before ready, or ask to stop (as Ctrl-C in its terminal does) once ready.
 * It logs each step to `host.log`.
 */
const FAKE_HOST = `
import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
const dir = process.env.FAKE_DIR;
const log = (line) => appendFileSync(join(dir, "host.log"), line + "\\n");
const launch = readFileSync(join(dir, "host.log"), { encoding: "utf8", flag: "a+" }).split("\\n").filter((l) => l.startsWith("launch")).length;
const script = JSON.parse(readFileSync(join(dir, "script.json"), "utf8"));
const step = script[Math.min(launch, script.length - 1)];
log("launch " + launch);
process.on("message", (message) => {
  if (message?.type === "shutdown") {
    log("shutdown " + message.why);
    process.exit(0);
  }
});
if (step.touch) writeFileSync(step.touch, "export const edited = " + launch + ";\\n");
if (step.remove) rmSync(step.remove);
if (step.exitCode !== undefined) {
  log("exit " + step.exitCode);
  process.exit(step.exitCode);
}
process.send({ type: "ready", watch: JSON.parse(process.env.FAKE_PLAN) }, () => {
  log("ready " + launch);
  if (step.interrupt) process.send({ type: "interrupt", why: "Ctrl-C" });
  if (step.crash) {
    log("crash");
    process.exit(1);
  }
});
`;

interface Step {
  touch?: string;
  remove?: string;
  exitCode?: number;
  interrupt?: boolean;
  /** Exit with code 1 once ready (a crash while serving). */
  crash?: boolean;
}

let dir: string;
let fw: string;
let plan: WatchPlan;
let printed: string[];
let configLoads: number;

const hostLog = () => (existsSync(join(dir, "host.log")) ? readFileSync(join(dir, "host.log"), "utf8") : "");
const lines = (pattern: RegExp) => printed.filter((line) => pattern.test(line));

/** Runs the supervisor over the fake host with this script; the config, when read, gives `plan`. */
function supervise(script: Step[], loadConfig?: () => Promise<ResolvedConfig>): Promise<number> {
  writeFileSync(join(dir, "script.json"), JSON.stringify(script));
  return runSupervisor({
    root: dir,
    hostArgs: [join(dir, "fake-host.mjs")],
    env: { ...process.env, FAKE_DIR: dir, FAKE_PLAN: JSON.stringify(plan) },
    print: (line) => printed.push(line),
    loadConfig: async () => {
      configLoads++;
      if (loadConfig) return loadConfig();
      return {
        frameworkWatchDirs: plan.frameworkDirs,
        moduleWatchDirs: plan.moduleDirs,
        modulesDir: plan.modulesDir,
        dataDir: plan.dataDir,
        reload: { debounceMs: plan.debounceMs, watchDirs: [...plan.frameworkDirs, ...plan.moduleDirs] },
        configFile: plan.configFile,
        envFile: plan.envFile,
      } as ResolvedConfig;
    },
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "starstreamer-supervisor-"));
  fw = join(dir, "fw");
  mkdirSync(fw);
  mkdirSync(join(dir, "modules"));
  writeFileSync(join(fw, "lib.ts"), "export const x = 1;\n");
  writeFileSync(join(dir, "fake-host.mjs"), FAKE_HOST);
  plan = {
    frameworkDirs: [fw],
    moduleDirs: [join(dir, "modules")],
    modulesDir: join(dir, "modules"),
    dataDir: join(dir, "data"),
    debounceMs: 50,
    configFile: null,
    envFile: null,
  };
  printed = [];
  configLoads = 0;
  // What the project had before the spawn: let the clock pass its file times and their slack.
  const written = Math.max(...[fw, join(fw, "lib.ts"), dir].map((p) => statSync(p).ctimeMs));
  await waitUntil(() => Date.now() > written + 100, "the clock to pass the project's file times");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the dev supervisor", () => {
  it("restarts the host for a framework file changed while it booted, before the watchers existed", async () => {
    const running = supervise([{ touch: join(fw, "lib.ts") }, { interrupt: true }]);
    await waitUntil(() => lines(/restarting the bot/).length > 0, "a restart");
    expect(await running).toBe(0);
    expect(lines(/restarting the bot/)).toEqual(["fw/lib.ts changed: restarting the bot"]);
    expect(lines(/the bot is back: it was down for \d+\.\d s/)).toHaveLength(1);
    expect(hostLog().trim().split("\n")).toEqual([
      "launch 0",
      "ready 0",
      "shutdown restart: fw/lib.ts changed",
      "launch 1",
      "ready 1",
      "shutdown Ctrl-C",
    ]);
    // The watch plan came with "ready": the supervisor never loaded the config.
    expect(configLoads).toBe(0);
  });

  it("restarts the host for a framework file removed while it booted, naming its folder", async () => {
    const running = supervise([{ remove: join(fw, "lib.ts") }, { interrupt: true }]);
    await waitUntil(() => lines(/restarting the bot/).length > 0, "a restart");
    expect(await running).toBe(0);
    expect(lines(/restarting the bot/)).toEqual([`fw${sep} changed: restarting the bot`]);
    expect(hostLog()).toContain(`shutdown restart: fw${sep} changed\nlaunch 1\nready 1\nshutdown Ctrl-C`);
  });

  it("does not restart for what changed before the host was spawned; a later change restarts it once", async () => {
    // lib.ts and fw/ were written in beforeEach, before the spawn.
    const running = supervise([{}, { interrupt: true }]);
    await waitUntil(() => hostLog().includes("ready 0"), "the first host to be ready");
    // The sentinel: a change after ready, whether the catch-up or an event finds it.
    writeFileSync(join(fw, "other.ts"), "export const y = 1;\n");
    expect(await running).toBe(0);
    expect(lines(/restarting the bot/)).toEqual(["fw/other.ts changed: restarting the bot"]);
    expect(hostLog().match(/^launch/gm)).toHaveLength(2);
  });

  it("reads the config itself when the first host exits before ready, reports the exit, and restarts on a change", async () => {
    const running = supervise([{ exitCode: 1 }, { interrupt: true }]);
    await waitUntil(() => lines(/the bot exited/).length > 0, "the exit to be reported");
    expect(lines(/the bot exited/)).toEqual([
      "the bot exited (code 1); fix the problem and save a file to restart it",
    ]);
    expect(configLoads).toBe(1);
    writeFileSync(join(fw, "lib.ts"), "export const x = 2;\n");
    expect(await running).toBe(0);
    expect(lines(/restarting the bot/)).toEqual(["fw/lib.ts changed: restarting the bot"]);
    expect(hostLog()).toContain("launch 1\nready 1\nshutdown Ctrl-C");
  });

  it("reports a host that crashes while serving, keeps running, and restarts it on the next change", async () => {
    const running = supervise([{ crash: true }, { interrupt: true }]);
    await waitUntil(() => lines(/the bot exited/).length > 0, "the crash to be reported");
    expect(lines(/the bot exited/)).toEqual([
      "the bot exited (code 1); fix the problem and save a file to restart it",
    ]);
    // The host is down: a change in the modules folder restarts it too (the host is not there to reload it).
    writeFileSync(join(dir, "modules", "fix.ts"), "export {};\n");
    expect(await running).toBe(0);
    expect(lines(/restarting the bot/)).toEqual(["modules/fix.ts changed: restarting the bot"]);
    expect(lines(/the bot is back: it was down for \d+\.\d s/)).toHaveLength(1);
    expect(hostLog().trim().split("\n")).toEqual([
      "launch 0",
      "ready 0",
      "crash",
      "launch 1",
      "ready 1",
      "shutdown Ctrl-C",
    ]);
    expect(configLoads).toBe(0);
  });

  it("exits with the host's code 2, saying nothing more, when neither can load the config", async () => {
    const code = await supervise([{ exitCode: 2 }], async () => {
      throw new Error("3 problems in the config");
    });
    expect(code).toBe(2);
    expect(printed).toEqual([]);
    expect(hostLog().trim().split("\n")).toEqual(["launch 0", "exit 2"]);
  });
});

describe("changes found by file times", () => {
  it("counts a time at or after the spawn, with a tick of slack, and two seconds for whole-second file systems", () => {
    const since = 1_700_000_000_500;
    expect(stampedSince(since + 1.5, since)).toBe(true);
    expect(stampedSince(since - 10.25, since)).toBe(true);
    expect(stampedSince(since - 30.25, since)).toBe(false);
    expect(stampedSince(1_700_000_000_000, since)).toBe(true);
    expect(stampedSince(1_699_999_998_000, since)).toBe(false);
  });

  it("finds files and folders touched since a time, and leaves out missing paths", async () => {
    const before = join(fw, "lib.ts");
    const since = Date.now();
    const after = join(fw, "new.ts");
    writeFileSync(after, "export {};\n");
    const found = await changedSince([before, after, fw, join(fw, "missing.ts")], since);
    expect(found.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: fw, directory: true },
      { path: after, directory: false },
    ]);
  });
});
