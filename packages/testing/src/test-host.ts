import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import {
  createHost,
  createLogger,
  type Host,
  type LogRecord,
  type ModuleSettings,
  pluginFromObject,
} from "@starstreamer/runtime";
import type { AnyHostPlugin } from "starstreamer";
import { localChatUser, type StarEvent, simulatedEventData, type UserLevel } from "starstreamer/internal";
import { FakeObs, FakeTwitch, Recorder, type SentMessage } from "./fake-plugins.ts";

/** How to start a test host. */
export interface TestHostOptions {
  /**
   * Module folders to load. They are copied into a fresh modules directory, so a test may edit
   * them (`writeModuleFile`) without touching the originals.
   */
  modules?: string[];
  /** Per-module settings (config, heap cap, deadline). */
  settings?: Record<string, ModuleSettings>;
  commandPrefix?: string;
  /** Registry limits (crash policy, watchdog, timeouts) for the test. */
  limits?: Parameters<typeof createHost>[0]["limits"];
  /** Keep a warm spare worker for the next load, reload or restart, as the CLI does. */
  spare?: boolean;
  /** Reuse a data directory (to test what survives a restart). */
  dataDir?: string;
  /** Start (discover + load) right away; default true. */
  start?: boolean;
  /**
   * Real plugins to use instead of the fakes, by name: e.g. the OBS plugin against a fake
   * obs-websocket server. `t.twitch` / `t.obs` then record nothing for that plugin.
   */
  plugins?: AnyHostPlugin[];
}

/** A real host with real workers, fake plugins and helpers to drive it from a test. */
export interface TestHost {
  readonly host: Host;
  readonly twitch: FakeTwitch;
  readonly obs: FakeObs;
  readonly modulesDir: string;
  readonly dataDir: string;
  /** Every event published on the bus, in order. */
  readonly events: Recorder<StarEvent>;
  /** Every log record. */
  readonly logs: Recorder<LogRecord>;
  /** Sends a chat message as `user` (default a viewer named "viewer"). */
  chat(text: string, user?: { login?: string; level?: UserLevel }): StarEvent;
  /** Emits any event; built-in types start from sensible defaults merged with `data`. */
  emit(type: string, data?: unknown): StarEvent;
  /** Waits for the bot to send a chat message matching `match` (sent after `since`, an index). */
  waitForMessage(
    match: string | RegExp | ((text: string) => boolean),
    options?: { timeoutMs?: number; since?: number },
  ): Promise<SentMessage>;
  /**
   * Waits until the module (or every loaded module) has nothing left to do: its queue empty and no
   * handler running. Rejects after `timeoutMs` naming the modules still busy.
   */
  waitForIdle(module?: string, timeoutMs?: number): Promise<void>;
  /** Waits for an event of `type` on the bus. */
  waitForEvent(type: string, test?: (event: StarEvent) => boolean, timeoutMs?: number): Promise<StarEvent>;
  /** Writes a file inside a module's folder (for reload tests). */
  writeModuleFile(module: string, path: string, content: string): void;
  /** Copies another module folder in after start. */
  addModule(dir: string): string;
  close(): Promise<void>;
}

/**
 * Loads modules into a real host for a test.
 * @example
 * const t = await createTestHost({ modules: ["modules/greeter"] });
 * t.chat("!greet", { login: "ada" });
 * await t.waitForMessage("Hello Ada! 👋");
 * await t.close();
 */
export async function createTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const root = mkdtempSync(join(tmpdir(), "starstreamer-test-"));
  const modulesDir = join(root, "modules");
  const dataDir = options.dataDir ?? join(root, "data");
  mkdirSync(modulesDir, { recursive: true });
  const copy = (dir: string) => {
    const name = basename(resolve(dir));
    cpSync(resolve(dir), join(modulesDir, name), {
      recursive: true,
      filter: (src) => !src.includes("node_modules") && !/\.(test|spec)\.ts$/.test(src),
    });
    return name;
  };
  for (const dir of options.modules ?? []) copy(dir);
  const twitch = new FakeTwitch();
  const obs = new FakeObs();
  const logs = new Recorder<LogRecord>();
  const events = new Recorder<StarEvent>();
  const logger = createLogger({
    level: "debug",
    write: process.env.STARSTREAMER_TEST_LOGS ? undefined : null,
  });
  logger.onRecord((record) => logs.push(record));
  const host = await createHost({
    modulesDir,
    dataDir,
    plugins: [
      ...(options.plugins ?? []),
      ...[pluginFromObject("twitch", twitch), pluginFromObject("obs", obs)].filter(
        (fake) => !options.plugins?.some((real) => real.name === fake.name),
      ),
    ],
    modules: options.settings,
    commandPrefix: options.commandPrefix,
    limits: options.limits,
    spare: options.spare,
    logger,
  });
  host.bus.on("*", (event) => events.push(event));
  if (options.start !== false) await host.start();

  return {
    host,
    twitch,
    obs,
    modulesDir,
    dataDir,
    events,
    logs,
    chat(text, user = {}) {
      const login = user.login ?? "viewer";
      return host.emit(
        "twitch.chat.message",
        simulatedEventData("twitch.chat.message", {
          text,
          user: localChatUser(login, user.level ?? "viewer"),
        }),
        "test",
      );
    },
    emit(type, data) {
      return host.emit(
        type,
        type.startsWith("custom.") ? (data ?? {}) : simulatedEventData(type as never, data),
        "test",
      );
    },
    waitForMessage(match, { timeoutMs = 5000, since = 0 } = {}) {
      const test =
        typeof match === "string"
          ? (text: string) => text === match
          : match instanceof RegExp
            ? (text: string) => match.test(text)
            : match;
      return twitch.sent
        .waitFor((m) => test(m.text), timeoutMs, `a chat message matching ${String(match)}`, since)
        .catch((error: Error) => {
          // Say what the bot did say: the usual cause is a reply that differs by a word.
          const said = twitch.sent.items.slice(since).map((m) => `  ${JSON.stringify(m.text)}`);
          throw new Error(
            `${error.message}; the bot said ${said.length === 0 ? "nothing" : `${said.length} message${said.length > 1 ? "s" : ""}:\n${said.join("\n")}`}`,
          );
        });
    },
    async waitForIdle(module, timeoutMs = 5000) {
      const names = module ? [module] : host.registry.names().filter((name) => host.registry.isLoaded(name));
      const idle = await Promise.all(names.map((name) => host.registry.whenIdle(name, timeoutMs)));
      const busy = names.filter((_, i) => !idle[i]);
      if (busy.length > 0) throw new Error(`still busy after ${timeoutMs} ms: ${busy.join(", ")}`);
    },
    waitForEvent(type, test = () => true, timeoutMs = 5000) {
      return events.waitFor((e) => e.type === type && test(e), timeoutMs, `an event ${type}`);
    },
    writeModuleFile(module, path, content) {
      const target = join(modulesDir, module, path);
      mkdirSync(join(target, ".."), { recursive: true });
      writeFileSync(target, content);
    },
    addModule(dir) {
      return copy(dir);
    },
    async close() {
      await host.close();
      if (!options.dataDir) rmSync(root, { recursive: true, force: true });
      else rmSync(modulesDir, { recursive: true, force: true });
    },
  };
}
