import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AdminServer, startAdminServer } from "@starstreamer/admin";
import { createLocalChat, type LocalChat } from "@starstreamer/plugins";
import { createHost, createLogger, type Host, pluginFromObject } from "@starstreamer/runtime";
import { fixture, moduleDir } from "./paths.ts";

/** A real host wired as the CLI wires it (the local chat is its Twitch), with the admin server on a free port. */
export interface AdminHost {
  host: Host;
  chat: LocalChat;
  admin: AdminServer;
  modulesDir: string;
  close(): Promise<void>;
}

/** Starts greeter, pinger and pinger-fan in a temp folder and serves the admin page for them. */
export async function startAdminHost(options: { token?: string } = {}): Promise<AdminHost> {
  const root = mkdtempSync(join(tmpdir(), "starstreamer-admin-"));
  const modulesDir = join(root, "modules");
  for (const dir of [moduleDir("greeter"), fixture("pinger"), fixture("pinger-fan")]) {
    const name = dir.split("/").at(-1)!;
    cpSync(dir, join(modulesDir, name), { recursive: true, filter: (src) => !src.endsWith(".test.ts") });
  }
  let host: Host | null = null;
  const chat = createLocalChat({
    emit: (type, data, source) => {
      if (!host) throw new Error("the host is still starting");
      return host.emit(type, data, source);
    },
  });
  const logger = createLogger({
    level: "info",
    write: process.env.STARSTREAMER_TEST_LOGS ? undefined : null,
  });
  host = await createHost({
    modulesDir,
    dataDir: join(root, "data"),
    plugins: [pluginFromObject("twitch", chat, ["sendMessage"])],
    logger,
  });
  await host.start();
  const admin = await startAdminServer({ host, chat, port: 0, token: options.token });
  const running = host;
  return {
    host: running,
    chat,
    admin,
    modulesDir,
    async close() {
      await admin.close();
      await running.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
