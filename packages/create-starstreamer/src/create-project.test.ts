import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createProject, projectNameFor } from "./create-project.ts";
import { CreateErrorCodes } from "./errors.ts";
import { ALLOWED_SCRIPTS, TOOL_VERSIONS, templateDir } from "./project-files.ts";
import { type CreateIo, runCreate } from "./run-create.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "create-starstreamer-"));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A CreateIo that records what was said and asked. */
function io(cwd: string, options: { interactive: boolean; answer?: string }) {
  const said: string[] = [];
  const asked: string[] = [];
  const value: CreateIo = {
    out: (text) => said.push(text),
    err: (text) => said.push(text),
    cwd,
    interactive: options.interactive,
    async ask(question) {
      asked.push(question);
      return options.answer ?? "";
    },
  };
  return { io: value, said, asked };
}

describe("createProject", () => {
  it("writes the project files, the greeter exactly as the repository has it, depending on this release", async () => {
    const dir = join(tempDir(), "My Bot");
    const files = await createProject({ dir });
    expect(files.sort()).toEqual([
      ".env.example",
      ".gitignore",
      "README.md",
      "modules/greeter/actions/greetings.ts",
      "modules/greeter/module.test.ts",
      "modules/greeter/module.ts",
      "package.json",
      "starstreamer.config.ts",
      "tsconfig.json",
      "vitest.config.ts",
    ]);
    for (const path of ["module.ts", "module.test.ts", "actions/greetings.ts"]) {
      expect(readFileSync(join(dir, "modules", "greeter", path), "utf8")).toBe(
        readFileSync(join(repoRoot, "modules", "greeter", path), "utf8"),
      );
    }
    const manifest = readJson(join(dir, "package.json"));
    const version = readJson(join(repoRoot, "packages", "starstreamer", "package.json")).version as string;
    expect(manifest).toMatchObject({
      name: "my-bot",
      private: true,
      type: "module",
      scripts: { dev: "starstreamer dev", start: "starstreamer start", test: "tsc && vitest run" },
      dependencies: { starstreamer: `^${version}`, "@starstreamer/cli": `^${version}` },
      devDependencies: { "@starstreamer/testing": `^${version}` },
    });
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    expect(readme).toMatch(/^# my-bot$/m);
    expect(readme).toContain("npm install && npx starstreamer dev");
    expect(readme).toContain("npm test");
  });

  it("refuses a folder that holds anything and writes nothing into it", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "notes.txt"), "mine");
    await expect(createProject({ dir })).rejects.toMatchObject({ code: CreateErrorCodes.FOLDER_NOT_EMPTY });
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
  });

  it("accepts an existing empty folder and one holding only .git", async () => {
    const empty = join(tempDir(), "empty");
    mkdirSync(empty);
    await createProject({ dir: empty });
    const withGit = join(tempDir(), "with-git");
    mkdirSync(join(withGit, ".git"), { recursive: true });
    await createProject({ dir: withGit });
    expect(readdirSync(withGit)).toContain("package.json");
  });

  it("refuses a name that cannot be a package name", async () => {
    const dir = join(tempDir(), "bot");
    await expect(createProject({ dir, name: "Bad Name" })).rejects.toMatchObject({
      code: CreateErrorCodes.BAD_NAME,
    });
    expect(projectNameFor("/x/__Cool Bot!")).toBe("cool-bot-");
  });

  it("gives the new project the test tools and allowed install scripts this repository has", () => {
    const root = readJson(join(repoRoot, "package.json"));
    const tools = root.devDependencies as Record<string, string>;
    for (const [name, version] of Object.entries(TOOL_VERSIONS)) {
      expect([name, tools[name]]).toEqual([name, version]);
    }
    expect(root.allowScripts).toEqual(ALLOWED_SCRIPTS);
    expect(readdirSync(templateDir)).not.toContain("package.json");
  });
});

describe("runCreate", () => {
  it("asks nothing without a terminal: writes my-bot and says what to run", async () => {
    const cwd = tempDir();
    const { io: noTty, said, asked } = io(cwd, { interactive: false });
    expect(await runCreate([], noTty)).toBe(0);
    expect(asked).toEqual([]);
    expect(readJson(join(cwd, "my-bot", "package.json")).name).toBe("my-bot");
    expect(said.join("\n")).toContain("cd my-bot");
  });

  it("in a terminal with no folder given, asks for it", async () => {
    const cwd = tempDir();
    const { io: tty, asked } = io(cwd, { interactive: true, answer: "stream-bot" });
    expect(await runCreate([], tty)).toBe(0);
    expect(asked).toEqual(["Project folder (my-bot): "]);
    expect(readJson(join(cwd, "stream-bot", "package.json")).name).toBe("stream-bot");
  });

  it("exits 1 with the reason for a non-empty folder, 2 for bad usage", async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "taken"));
    writeFileSync(join(cwd, "taken", "x"), "");
    const first = io(cwd, { interactive: false });
    expect(await runCreate(["taken"], first.io)).toBe(1);
    expect(first.said.join("\n")).toMatch(/taken is not empty: choose a new folder name/);
    const second = io(cwd, { interactive: false });
    expect(await runCreate(["a", "b"], second.io)).toBe(2);
    expect(second.said.join("\n")).toMatch(/one folder, please/);
  });
});
