import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAdminServer } from "@starstreamer/admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminHost, startAdminHost } from "../../../../test/admin/admin-host.ts";
import { type CliIo, main } from "../main.ts";

// `starstreamer modules ...` against a real running bot: a host with real workers and the admin
// server on a free port, driven through the CLI's own main().

let bot: AdminHost;
let cwd: string;

async function run(args: string[], env: NodeJS.ProcessEnv = {}, dir = cwd) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), cwd: dir, env: { ...env } };
  const code = await main(["modules", ...args], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const port = () => String(bot.admin.port);

beforeAll(async () => {
  bot = await startAdminHost();
  cwd = mkdtempSync(join(tmpdir(), "starstreamer-modules-cmd-"));
}, 60_000);

afterAll(async () => {
  await bot?.close();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

describe("starstreamer modules", () => {
  it("lists the modules as the page shows them", async () => {
    bot.admin.reportTypeCheck({
      module: "greeter",
      diagnostics: [
        { file: "actions/greetings.ts", line: 4, column: 9, code: 2322, message: "Type 'number'..." },
      ],
    });
    const { code, out, err } = await run(["list", "--port", port()]);
    bot.admin.reportTypeCheck({ module: "greeter", diagnostics: [] });
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain(`StarStreamer at ${bot.admin.url}: 3 modules: 3 loaded, 3 enabled, 0 failed`);
    expect(out).toMatch(
      /^ {2}name +version +state +handlers +events +errors +p50 \/ p99 +memory +last reload$/m,
    );
    expect(out).toMatch(/^ {2}greeter +1\.0\.0 +enabled +2 /m);
    expect(out).toMatch(/^ {2}pinger-fan +0\.2\.0 +enabled +1 /m);
    expect(out).toContain(
      "      ! 1 type error (the new version runs anyway):\n      !   actions/greetings.ts:4:9 TS2322 Type 'number'...",
    );
  });

  it("reads the port from the project config, like the bot does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "starstreamer-modules-cfg-"));
    try {
      writeFileSync(
        join(dir, "starstreamer.config.json"),
        JSON.stringify({ admin: { port: bot.admin.port } }),
      );
      const { code, out } = await run(["list"], {}, dir);
      expect(code).toBe(0);
      expect(out).toContain(`StarStreamer at ${bot.admin.url}:`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("disables with the API's refusal when others depend on it, and cascades when asked", async () => {
    const refused = await run(["disable", "pinger", "--port", port()]);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      "starstreamer: disable pinger failed: cannot disable pinger: pinger-fan depends on it (disable it first, or cascade)",
    );
    const cascaded = await run(["disable", "pinger", "--cascade", "--port", port()]);
    expect(cascaded.out).toBe("pinger is disabled (also: pinger-fan)");
    expect(bot.host.registry.info("pinger-fan").state).toBe("disabled");
    expect((await run(["enable", "pinger", "--port", port()])).out).toBe("pinger is enabled");
    expect((await run(["enable", "pinger-fan", "--port", port()])).out).toBe("pinger-fan is enabled");
  });

  it("reloads with the duration, and a broken module fails with file:line while the old one serves", async () => {
    const ok = await run(["reload", "pinger", "--port", port()]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^Reloaded pinger 1\.0\.0 in [\d.]+ ms$/);

    const file = join(bot.modulesDir, "pinger", "actions", "ping.ts");
    const source = readFileSync(file, "utf8");
    writeFileSync(file, `${source}\nconst broken = ;\n`);
    try {
      const failed = await run(["reload", "pinger", "--port", port()]);
      expect(failed.code).toBe(1);
      expect(failed.err).toMatch(
        /^starstreamer: reload pinger failed: .*ping\.ts:\d+:\d+.*previous version keeps serving/,
      );
      const list = await run(["list", "--port", port()]);
      expect(list.out).toMatch(/^ {2}pinger +1\.0\.0 +enabled .* failed in [\d.]+ ms$/m);
      expect(list.out).toMatch(
        /^ {6}! last reload failed \(the previous version keeps serving\): .*ping\.ts:\d+:\d+/m,
      );
    } finally {
      writeFileSync(file, source);
    }
  });

  it("unloads and loads, and says when the action does not fit or the module is unknown", async () => {
    const again = await run(["load", "greeter", "--port", port()]);
    expect(again).toMatchObject({
      code: 1,
      err: "starstreamer: load greeter failed: greeter is already loaded",
    });
    expect((await run(["unload", "greeter", "--port", port()])).out).toBe("greeter is unloaded");
    expect((await run(["load", "greeter", "--port", port()])).out).toBe("greeter is enabled");
    const unknown = await run(["enable", "nobody", "--port", port()]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('starstreamer: enable nobody failed: no module named "nobody"');
    const bad = await run(["reload", "Bad.Name", "--port", port()]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("is not a module name");
  });

  it("says that no bot is running, and how to start one, when nothing answers", async () => {
    const free = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port: p } = server.address() as { port: number };
        server.close(() => resolve(p));
      });
    });
    const { code, out, err } = await run(["list", "--port", String(free)]);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toBe(
      `starstreamer: no bot running at http://127.0.0.1:${free}: start one with npx starstreamer dev`,
    );
  });

  it("sends STARSTREAMER_ADMIN_TOKEN, from the environment or .env, when the bot needs it", async () => {
    const token = "cli-test-token-0123456789";
    const guarded = await startAdminServer({ host: bot.host, port: 0, token, logger: { info() {} } });
    const dir = mkdtempSync(join(tmpdir(), "starstreamer-modules-env-"));
    try {
      const args = ["list", "--port", String(guarded.port)];
      const missing = await run(args);
      expect(missing.code).toBe(1);
      expect(missing.err).toContain("needs its token");
      expect(missing.err).not.toContain(token);
      expect((await run(args, { STARSTREAMER_ADMIN_TOKEN: token })).code).toBe(0);
      writeFileSync(join(dir, ".env"), `STARSTREAMER_ADMIN_TOKEN=${token}\n`);
      expect((await run(args, {}, dir)).code).toBe(0);
    } finally {
      await guarded.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers bad command lines with exit code 2 and what is accepted", async () => {
    for (const [args, message] of [
      [[], "say what to do: list, reload, enable, disable, load, unload"],
      [["frob"], 'unknown action "frob"'],
      [["reload"], "reload needs a module name"],
      [["list", "greeter"], "list takes no module name"],
      [["enable", "greeter", "--cascade"], "--cascade goes with disable or unload"],
      [["list", "--force"], "unknown option --force"],
    ] as const) {
      const { code, err } = await run([...args]);
      expect(code, args.join(" ")).toBe(2);
      expect(err).toContain(message);
    }
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("starstreamer modules reload <name>");
  });
});
