import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { CliErrorCodes, UsageError } from "../errors.ts";

/** A valid module name: what a module's folder and its `name` field must be. */
export const MODULE_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

const words = (name: string) => name.split(/[-_]/).filter(Boolean);
const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** The files of a new module, by path inside its folder. */
export function moduleTemplate(name: string): Record<string, string> {
  const className = `${words(name).map(capital).join("")}Module`;
  const handler = words(name)
    .map((w, i) => (i === 0 ? w : capital(w)))
    .join("");
  const reply = `Hi \${event.data.user.displayName}, ${name} is working!`;
  return {
    "module.ts": `import { BaseModule } from "starstreamer";

/** ${name}: say here what the module does. */
export default class ${className} extends BaseModule {
  readonly name = "${name}";
  override readonly description = "Answers !${name}";
  override readonly version = "0.1.0";
  override readonly author = "";

  override async registerActions(): Promise<void> {
    await import("./actions/commands.ts");
  }
}
`,
    "actions/commands.ts": `import { command, on } from "starstreamer";

// Save this file while \`npx starstreamer dev\` runs: the module reloads and chat sees the change.
on("twitch.chat.message", command("!${name}"), async function ${handler}(event, { twitch }) {
  await twitch.sendMessage(\`${reply}\`);
});
`,
    "module.test.ts": `import { fileURLToPath } from "node:url";
import { createTestHost, type TestHost } from "@starstreamer/testing";
import { afterEach, describe, expect, it } from "vitest";

const moduleDir = fileURLToPath(new URL(".", import.meta.url));

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("${name}", () => {
  it("answers !${name} in chat", async () => {
    t = await createTestHost({ modules: [moduleDir] });
    expect(t.host.registry.info("${name}").state).toBe("enabled");
    t.chat("!${name}", { login: "ada" });
    await t.waitForMessage("Hi Ada, ${name} is working!");
  });
});
`,
  };
}

/**
 * Creates `<modulesDir>/<name>/` with a module, an action and a test. Refuses a name that is not a
 * module name and a folder that exists.
 * @returns the files written, absolute.
 */
export async function createModule(
  modulesDir: string,
  name: string,
  root = process.cwd(),
): Promise<string[]> {
  if (!MODULE_NAME.test(name)) {
    throw new UsageError(
      CliErrorCodes.SCAFFOLD,
      `"${name}" is not a valid module name: use lower-case letters, digits, "-" and "_", starting with a letter, at most 64 characters (e.g. "shoutout")`,
      { name },
    );
  }
  const dir = join(modulesDir, name);
  if (existsSync(dir)) {
    throw new UsageError(
      CliErrorCodes.SCAFFOLD,
      `${relative(root, dir) || dir} already exists; pick another name or remove the folder`,
      { name, dir },
    );
  }
  const written: string[] = [];
  for (const [path, content] of Object.entries(moduleTemplate(name))) {
    const target = join(dir, path);
    await mkdir(join(target, ".."), { recursive: true });
    await writeFile(target, content, { flag: "wx" });
    written.push(target);
  }
  return written;
}
