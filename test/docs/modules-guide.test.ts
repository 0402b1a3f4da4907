import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createTestHost, type TestHost } from "@starstreamer/testing";
import { cooldown, on, type StarEvent } from "starstreamer";
import ts from "typescript";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../paths.ts";

/** One fenced code block of the guide. */
interface Block {
  lang: string;
  /** The `file=` path for a whole-file example, else null (a fragment). */
  file: string | null;
  code: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
}

const guidePath = join(repoRoot, "docs", "modules.md");
const guide = readFileSync(guidePath, "utf8");

function parseBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;
  for (let m = fence.exec(markdown); m !== null; m = fence.exec(markdown)) {
    const [lang = "", ...attrs] = (m[1] ?? "").trim().split(/\s+/);
    const file = attrs.find((a) => a.startsWith("file="))?.slice(5) ?? null;
    blocks.push({
      lang,
      file,
      code: m[2] ?? "",
      line: markdown.slice(0, m.index).split("\n").length,
    });
  }
  return blocks;
}

const blocks = parseBlocks(guide);
const tsBlocks = blocks.filter((b) => b.lang === "ts");
const files = tsBlocks.filter((b): b is Block & { file: string } => b.file !== null);
const fragments = tsBlocks.filter((b) => b.file === null);

// The extracted examples live in a temp project whose node_modules points at the repository's, so
// `starstreamer`, `zod`, `kysely` and `@starstreamer/testing` resolve as they do for a real module.
let root: string;

function ambientDeclarations(): string[] {
  const found: string[] = [];
  for (const pkg of readdirSync(join(repoRoot, "packages"))) {
    const src = join(repoRoot, "packages", pkg, "src");
    if (!existsSync(src)) continue;
    for (const entry of readdirSync(src, { recursive: true })) {
      const path = String(entry);
      if (path.endsWith(".d.ts") && !path.includes("node_modules")) found.push(join(src, path));
    }
  }
  return found;
}
const modulesDir = () => join(root, "modules");
const moduleFolder = (name: string) => join(modulesDir(), name);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "starstreamer-guide-"));
  symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules"), "dir");
  writeFileSync(join(root, "package.json"), JSON.stringify({ type: "module", private: true }));
  for (const block of files) {
    const target = join(modulesDir(), block.file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, block.code);
  }
  fragments.forEach((block, i) => {
    const target = join(root, "fragments", `fragment-${i + 1}-line-${block.line}.ts`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, block.code);
  });
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A host kept open across the tests of one group (the afterEach above closes only `t`). */
let shared: TestHost | undefined;
const current = () => (shared ?? t)!;
/** The index of the next message the bot will send, for `waitForMessage({ since })`. */
const mark = () => current().twitch.sent.items.length;
const sentSince = (since: number) =>
  current()
    .twitch.sent.items.slice(since)
    .map((m) => m.text);

describe("docs/modules.md: its code blocks", () => {
  it("marks whole-file examples with file=<module>/<path> and gives each module a module.ts", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    const paths = files.map((b) => b.file);
    expect(new Set(paths).size, "a file= path appears twice").toBe(paths.length);
    for (const path of paths)
      expect(path, `bad file= path ${path}`).toMatch(/^[a-z][a-z0-9_-]*\/[\w./-]+\.ts$/);
    const modules = new Set(paths.map((p) => p.split("/")[0]!));
    for (const name of modules) {
      expect(paths, `module ${name} has no module.ts`).toContain(`${name}/module.ts`);
    }
  });

  it("type-checks every example and fragment with the project's strict compiler options", () => {
    const base = ts.readConfigFile(join(repoRoot, "tsconfig.base.json"), ts.sys.readFile);
    expect(base.error).toBeUndefined();
    const rootNames = [
      // Ambient declarations the packages rely on (the repo's tsconfig includes them via packages/*/src).
      ...ambientDeclarations(),
      ...files.map((b) => join(modulesDir(), b.file)),
      ...fragments.map((b, i) => join(root, "fragments", `fragment-${i + 1}-line-${b.line}.ts`)),
    ];
    const parsed = ts.parseJsonConfigFileContent(
      { ...base.config, files: rootNames, include: [] },
      ts.sys,
      root,
    );
    const options: ts.CompilerOptions = {
      ...parsed.options,
      noEmit: true,
      typeRoots: [join(repoRoot, "node_modules", "@types")],
    };
    const program = ts.createProgram(rootNames, options);
    const diagnostics = ts.getPreEmitDiagnostics(program);
    const report = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => root,
      getNewLine: () => "\n",
    });
    expect(report, "the guide's examples do not type-check").toBe("");
  });

  it("needs no non-null assertion (!) and no type assertion (as) in any example", () => {
    const found: string[] = [];
    for (const block of tsBlocks) {
      const source = ts.createSourceFile("example.ts", block.code, ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        const isConst =
          ts.isAsExpression(node) &&
          ts.isTypeReferenceNode(node.type) &&
          node.type.getText(source) === "const";
        if (
          ts.isNonNullExpression(node) ||
          ts.isTypeAssertionExpression(node) ||
          (ts.isAsExpression(node) && !isConst)
        ) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
          found.push(`docs/modules.md:${block.line + 1 + line}: ${node.getText(source)}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });
});

describe("docs/modules.md: the modules behave as the guide says", () => {
  it("the class-form hello module answers !hello and welcomes followers", async () => {
    t = await createTestHost({ modules: [moduleFolder("hello")] });
    expect(t.host.registry.info("hello")).toMatchObject({
      state: "enabled",
      version: "1.0.0",
      description: "Says hello in chat and welcomes new followers",
    });
    t.chat("!hello", { login: "ada" });
    await t.waitForMessage("Hello Ada from the hello module!");
    t.emit("twitch.follow", { user: { id: "42", login: "grace", displayName: "Grace" } });
    await t.waitForMessage("Welcome Grace! Thanks for following!");
    // Worker logs travel on their own port, so they may land just after the load completes.
    const started = await t.logs.waitFor(
      (r) => r.message === "hello is starting",
      2000,
      "the initialize log",
    );
    expect(started.fields.module).toBe("hello");
    await t.host.registry.unload("hello");
    expect(t.host.registry.info("hello").state).toBe("unloaded");
  });

  it("the defineModule ping module answers !ping", async () => {
    t = await createTestHost({ modules: [moduleFolder("ping")] });
    t.chat("!ping");
    await t.waitForMessage("pong");
  });

  it("dice reads its typed optional argument, and defaults it when it is left out", async () => {
    t = await createTestHost({ modules: [moduleFolder("dice")] });
    t.chat("!dice 1");
    await t.waitForMessage("🎲 1 (d1)");
    const since = mark();
    t.chat("!dice");
    await t.waitForMessage(/^🎲 [1-6] \(d6\)$/, { since });
  });

  it("an anonymous handler loads with a warning saying why its id matters; a repeated id fails the load", async () => {
    const extra = join(root, "extra");
    const write = (name: string, body: string) => {
      mkdirSync(join(extra, name), { recursive: true });
      writeFileSync(
        join(extra, name, "module.ts"),
        `import { command, defineModule, on } from "starstreamer";
export default defineModule({
  name: "${name}",
  version: "1.0.0",
  registerActions() {
${body}
  },
});
`,
      );
      return join(extra, name);
    };
    const anon = write(
      "anon",
      `    on("twitch.chat.message", command("!anon"), async (_event, { twitch }) => {
      await twitch.sendMessage("anon here");
    });`,
    );
    const twins = write(
      "twins",
      `    on("twitch.chat.message", command("!a"), async function twin() {});
    on("twitch.follow", async () => {}, { id: "twin" });`,
    );
    t = await createTestHost({ modules: [anon, twins] });
    t.chat("!anon");
    await t.waitForMessage("anon here");
    expect(t.host.registry.info("anon").handlers.map((h) => h.name)).toEqual(["twitch.chat.message#1"]);
    const warning = await t.logs.waitFor(
      (r) => r.level === "warn" && r.fields.module === "anon",
      5000,
      "the anonymous-handler warning",
    );
    expect(warning.message).toMatch(/cooldowns and queued events are keyed by its position/);
    const info = t.host.registry.info("twins");
    expect(info.state).toBe("failed");
    expect(info.reason).toContain('two handlers have the id "twin"');
  });

  describe("chatbox triggers, risky, wordcount and counter in one host", () => {
    beforeAll(async () => {
      shared = await createTestHost({
        modules: ["chatbox", "risky", "wordcount", "counter"].map(moduleFolder),
      });
    });
    afterAll(async () => {
      await shared?.close();
      shared = undefined;
    });
    const host = () => shared!;

    it("command with args and aliases fills ctx.match.command.params", async () => {
      const h = host();
      const since = mark();
      h.chat("!give @Bob 50 thanks for the raid", { login: "ada" });
      await h.waitForMessage('ada gives 50 to bob for "thanks for the raid"', { since });
      h.chat("!TRANSFER bob 7", { login: "ada" });
      await h.waitForMessage("ada gives 7 to bob", { since });
    });

    it("a malformed argument is answered with the usage and the handler does not run", async () => {
      const h = host();
      const since = mark();
      h.chat("!give bob lots");
      await h.waitForMessage(
        '@Viewer Usage: !give <to> <amount> [reason...] (<amount> must be a whole number, got "lots")',
        {
          since,
        },
      );
      expect(sentSince(since).filter((text) => text.includes(" gives "))).toEqual([]);
    });

    it("a command with a pinned prefix answers only to that prefix", async () => {
      const h = host();
      const since = mark();
      h.chat("!help");
      h.chat("?help");
      await h.waitForMessage(/^Commands: /, { since });
      expect(sentSince(since)).toHaveLength(1);
    });

    it("regex groups arrive in ctx.match.regex", async () => {
      const h = host();
      const since = mark();
      h.chat("2d6");
      await h.waitForMessage("Rolling 2 dice with 6 sides", { since });
    });

    it("keywords match whole words only", async () => {
      const h = host();
      const since = mark();
      h.chat("what a dogma", { login: "ada" });
      h.chat("gm everyone", { login: "ada" });
      await h.waitForMessage("Good morning, Ada! (gm)", { since });
      expect(sentSince(since)).toEqual(["Good morning, Ada! (gm)"]);
    });

    it("userLevel lets moderators through and ignores viewers", async () => {
      const h = host();
      const since = mark();
      h.chat("!so streamer_friend", { login: "viewer1" });
      h.chat("!so @Streamer_Friend", { login: "mod1", level: "moderator" });
      await h.waitForMessage("Go follow https://twitch.tv/streamer_friend", { since });
      expect(sentSince(since)).toHaveLength(1);
    });

    it("a notify cooldown runs the handler with ctx.match.cooldown, and survives a reload", async () => {
      const h = host();
      const since = mark();
      h.chat("!hug", { login: "ada" });
      await h.waitForMessage("Ada hugs chat", { since });
      h.chat("!hug", { login: "ada" });
      await h.waitForMessage(/^Ada, wait (30|29)s$/, { since });
      h.chat("!hug", { login: "bob" });
      await h.waitForMessage("Bob hugs chat", { since });
      expect((await h.host.registry.reload("chatbox")).ok).toBe(true);
      const after = mark();
      h.chat("!hug", { login: "ada" });
      await h.waitForMessage(/^Ada, wait \d+s$/, { since: after });
    });

    it("a silent global cooldown ignores messages during the window", async () => {
      const h = host();
      const since = mark();
      h.chat("!lurk", { login: "ada" });
      h.chat("!lurk", { login: "bob" });
      h.chat("2d20");
      await h.waitForMessage("Rolling 2 dice with 20 sides", { since });
      expect(sentSince(since).filter((text) => text.endsWith("is lurking"))).toEqual(["Ada is lurking"]);
    });

    it("a function trigger runs in the worker and can say no", async () => {
      const h = host();
      const since = mark();
      h.chat("!shout this message is much too long to be shouted in chat");
      h.chat("!shout hi there");
      await h.waitForMessage("HI THERE", { since });
      expect(sentSince(since)).toEqual(["HI THERE"]);
    });

    it("a handler that catches its error answers and logs it", async () => {
      const h = host();
      const since = mark();
      h.chat("!quote");
      await h.waitForMessage("Something went wrong, try again later!", { since });
      const log = await h.logs.waitFor(
        (r) => r.message.includes("could not fetch a quote: quote service is down"),
        2000,
        "the error log",
      );
      expect(log).toMatchObject({ level: "error", fields: { module: "risky", handler: "quote" } });
      expect(h.host.registry.info("risky").errors).toBe(0);
    });

    it("ctx.jobs.run runs jobs/<name>.ts on the pool", async () => {
      const h = host();
      const since = mark();
      h.chat("!words one two  three");
      await h.waitForMessage("3 words", { since });
    });

    it("snapshot/restore carries the count across a reload", async () => {
      const h = host();
      const since = mark();
      h.chat("!count");
      h.chat("!count");
      await h.waitForMessage("count 2", { since });
      expect((await h.host.registry.reload("counter")).ok).toBe(true);
      h.chat("!count");
      await h.waitForMessage("count 3", { since });
    });
  });

  it("config values come from modules.<name>.config, with defaults and typed access", async () => {
    t = await createTestHost({
      modules: [moduleFolder("greeting")],
      settings: { greeting: { config: { message: "Ahoy", greetFirstTimers: true } } },
    });
    t.chat("!welcome", { login: "ada" });
    await t.waitForMessage("Ahoy, Ada!");
    t.emit("twitch.chat.message", { text: "first time here", firstMessage: true });
    await t.waitForMessage("Ahoy to the channel, Viewer!");
    await t.close();

    t = await createTestHost({ modules: [moduleFolder("greeting")] });
    t.chat("!welcome", { login: "ada" });
    await t.waitForMessage("Welcome, Ada!");
    expect(t.host.registry.info("greeting").handlers.map((h) => h.name)).toEqual(["welcome"]);
  });

  it("a defineModule module's own on() types ctx.config in its actions file", async () => {
    t = await createTestHost({
      modules: [moduleFolder("award")],
      settings: { award: { config: { points: 7 } } },
    });
    t.chat("!award", { login: "ada" });
    await t.waitForMessage("Ada gets 7 points");
  });

  it("invalid config stops the module with a message naming the field", async () => {
    t = await createTestHost({
      modules: [moduleFolder("greeting")],
      settings: { greeting: { config: { message: "" } } },
    });
    const info = t.host.registry.info("greeting");
    expect(info.state).toBe("failed");
    expect(info.reason).toContain("config of greeting is not valid: modules.greeting.config.message:");
  });

  it("points provides a service backed by its own database; shop uses it and depends on it", async () => {
    t = await createTestHost({ modules: [moduleFolder("points"), moduleFolder("shop")] });
    const since = mark();
    t.chat("!buy hat", { login: "ada" });
    await t.waitForMessage("ada needs 10 points for a hat (has 0)", { since });
    t.chat("!addpoints ada 15", { login: "ada" });
    t.chat("!addpoints @Ada 15", { login: "mod1", level: "moderator" });
    await t.waitForMessage("ada has 15 points", { since });
    t.chat("!buy hat", { login: "ada" });
    await t.waitForMessage("ada bought a hat (5 points left)", { since });
    t.chat("!points", { login: "ada" });
    await t.waitForMessage("ada has 5 points", { since });
    expect(sentSince(since).filter((text) => text === "ada has 15 points")).toHaveLength(1);
    expect(existsSync(join(t.dataDir, "modules", "points.db"))).toBe(true);

    await expect(t.host.registry.disable("points")).rejects.toMatchObject({
      code: "SS_DEPENDENTS_ACTIVE",
      message: expect.stringContaining("shop depends on it"),
    });
    expect(await t.host.registry.disable("points", { cascade: true })).toEqual(["shop", "points"]);
    await expect(t.host.registry.enable("shop")).rejects.toMatchObject({ code: "SS_DEPENDENCY_MISSING" });
  });

  it("a module whose dependency is missing fails with SS_DEPENDENCY_MISSING", async () => {
    t = await createTestHost({ modules: [moduleFolder("shop")] });
    const info = t.host.registry.info("shop");
    expect(info.state).toBe("failed");
    expect(info.reason).toContain('shop depends on "points", which is not in the modules directory');
  });

  it("raffle emits custom.raffle.winner, announcer handles it, and no module may emit in another's namespace", async () => {
    const sneaky = join(root, "extra", "sneaky");
    mkdirSync(sneaky, { recursive: true });
    writeFileSync(
      join(sneaky, "module.ts"),
      `import { command, defineModule, on } from "starstreamer";
export default defineModule({
  name: "sneaky",
  version: "1.0.0",
  registerActions() {
    on("twitch.chat.message", command("!sneak"), async function sneak(_event, { bus }) {
      await bus.emit("custom.raffle.winner", { login: "sneaky", prize: "everything" });
    });
  },
});
`,
    );
    t = await createTestHost({ modules: [moduleFolder("raffle"), moduleFolder("announcer"), sneaky] });
    t.chat("!join", { login: "ada" });
    t.chat("!draw a sub", { login: "mod1", level: "moderator" });
    await t.waitForMessage("🎉 ada wins a sub!");
    const winner = await t.waitForEvent("custom.raffle.winner");
    expect(winner).toMatchObject({ source: "module:raffle", data: { login: "ada", prize: "a sub" } });

    t.chat("!sneak");
    const error = await t.waitForEvent("system.handler.error");
    expect(error.data).toMatchObject({
      module: "sneaky",
      handler: "sneak",
      eventType: "twitch.chat.message",
      error: { code: "SS_EMIT_FORBIDDEN" },
    });
    const winners = t.events.items.filter((e: StarEvent) => e.type === "custom.raffle.winner");
    expect(winners).toHaveLength(1);
  });

  it("on() outside a module and impossible trigger options fail with their codes", () => {
    expect(() => on("twitch.follow", async () => {})).toThrow(
      expect.objectContaining({ code: "SS_MODULE_NO_SCOPE" }),
    );
    expect(() => cooldown({ user: "10 seconds" })).toThrow(
      expect.objectContaining({ code: "SS_TRIGGER_INVALID" }),
    );
  });
});
