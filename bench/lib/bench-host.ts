import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import {
  createHost,
  createLogger,
  type Host,
  type LogRecord,
  pluginFromObject,
  type RegistryLimits,
} from "@starstreamer/runtime";
import type { SendMessageOptions, TwitchPluginApi } from "starstreamer";
import { type ChatUser, localChatUser, simulatedEventData } from "starstreamer/internal";

/** The repository root. */
export const repoRoot = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
/** A stand-in module folder in bench/modules. */
export const benchModule = (name: string) => join(repoRoot, "bench", "modules", name);
/** A module folder in the repository's modules/. */
export const realModule = (name: string) => join(repoRoot, "modules", name);

/**
 * A Twitch plugin that stamps every message the moment it reaches the main thread
 * (`performance.now()`, sub-millisecond) and hands it to `onSend`.
 */
export class BenchTwitch implements Pick<TwitchPluginApi, "sendMessage"> {
  sent = 0;
  onSend: ((text: string, at: number) => void) | null = null;

  async sendMessage(text: string, _options?: SendMessageOptions): Promise<void> {
    const at = performance.now();
    this.sent++;
    this.onSend?.(text, at);
  }

  /** Resolves with the time of the first message (from now on) passing `test`. */
  async next(test: (text: string) => boolean, timeoutMs = 10_000): Promise<number> {
    return (await this.nextMessage(test, timeoutMs)).at;
  }

  /** Resolves with the text and time of the first message (from now on) passing `test`. */
  nextMessage(test: (text: string) => boolean, timeoutMs = 10_000): Promise<{ text: string; at: number }> {
    const previous = this.onSend;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.onSend = previous;
        reject(new Error(`no chat message matched within ${timeoutMs} ms`));
      }, timeoutMs);
      this.onSend = (text, at) => {
        previous?.(text, at);
        if (!test(text)) return;
        clearTimeout(timer);
        this.onSend = previous;
        resolve({ text, at });
      };
    });
  }
}

/** What goes into a bench host's modules directory. */
export interface ModuleSpec {
  /** Folder to copy. */
  from: string;
  /** Name of the copy; the source's `const NAME = "..."` is rewritten to it. */
  as?: string;
  /** Rewrites the copy's module.ts (after the NAME rewrite). */
  transform?: (source: string, name: string) => string;
}

/** Copies module folders into `modulesDir`, renaming stand-in copies (chatter -> chatter3). */
export function populateModules(modulesDir: string, modules: ModuleSpec[]): string[] {
  mkdirSync(modulesDir, { recursive: true });
  return modules.map(({ from, as, transform }) => {
    const original = basename(from);
    const name = as ?? original;
    const target = join(modulesDir, name);
    cpSync(from, target, { recursive: true, filter: (path) => !path.endsWith(".test.ts") });
    if ((as && as !== original) || transform) {
      const file = join(target, "module.ts");
      let source = readFileSync(file, "utf8").replace(
        `const NAME = "${original}";`,
        `const NAME = "${name}";`,
      );
      if (transform) source = transform(source, name);
      writeFileSync(file, source);
    }
    return name;
  });
}

/** A real host with real workers in a temp folder, driven by the benchmark. */
export interface BenchHost {
  readonly host: Host;
  readonly twitch: BenchTwitch;
  readonly root: string;
  readonly modulesDir: string;
  readonly logs: LogRecord[];
  /** Chat data from `login` saying `text`, built and validated like a plugin would. */
  chatData(text: string, login?: string): unknown;
  /** Emits a chat message through the bus (validated, routed), as the Twitch plugin does. */
  chat(text: string, login?: string): void;
  /** Rewrites a file of a module in the host's modules directory. */
  edit(module: string, file: string, change: (source: string) => string): void;
  close(): Promise<void>;
}

const users = new Map<string, ChatUser>();
function user(login: string): ChatUser {
  let found = users.get(login);
  if (!found) {
    found = localChatUser(login, "viewer");
    users.set(login, found);
  }
  return found;
}

/**
 * Starts a host with `modules` copied into a fresh temp folder and a BenchTwitch plugin, at the
 * host's default limits (queue capacity included) unless `limits` says otherwise, with a spare
 * worker as the CLI runs it (`dev` and `start`) unless `spare` is false.
 */
export async function startBenchHost(
  modules: ModuleSpec[],
  options: { limits?: RegistryLimits; spare?: boolean } = {},
): Promise<BenchHost> {
  const root = mkdtempSync(join(tmpdir(), "starstreamer-bench-"));
  const modulesDir = join(root, "modules");
  populateModules(modulesDir, modules);
  const twitch = new BenchTwitch();
  const logs: LogRecord[] = [];
  const logger = createLogger({ level: "warn", write: null });
  logger.onRecord((record) => logs.push(record));
  const host = await createHost({
    modulesDir,
    dataDir: join(root, "data"),
    plugins: [pluginFromObject("twitch", twitch)],
    logger,
    limits: options.limits,
    spare: options.spare ?? true,
  });
  const { failed } = await host.start();
  if (failed.length > 0) {
    await host.close();
    throw new Error(`bench host: ${failed.map((f) => `${f.module}: ${f.error}`).join("; ")}`);
  }
  const chatData = (text: string, login = "viewer") =>
    simulatedEventData("twitch.chat.message", { text, user: user(login) });
  return {
    host,
    twitch,
    root,
    modulesDir,
    logs,
    chatData,
    chat(text, login) {
      host.emit("twitch.chat.message", chatData(text, login), "twitch");
    },
    edit(module, file, change) {
      const path = join(modulesDir, module, file);
      writeFileSync(path, change(readFileSync(path, "utf8")));
    },
    async close() {
      await host.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Makes a temp folder that `cleanup` removes. */
export function tempDir(prefix: string): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), `starstreamer-bench-${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
