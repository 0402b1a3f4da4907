import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type CliIo, main } from "../main.ts";
import { EARLY_HOST_ENV, startsSupervisedDev } from "./host-process.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A CLI run with its output collected; `early`: as the launcher's early dev host runs. */
function io(early: boolean, cwd = process.cwd()): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    out: (text) => lines.push(text),
    err: (text) => lines.push(text),
    cwd,
    env: early ? { STARSTREAMER_SUPERVISED: "1", [EARLY_HOST_ENV]: "1" } : {},
  };
}

describe("the first dev host, started before the command line is parsed", () => {
  it("is started for `dev` unless a flag may ask for help, no reload, or something a quick look cannot tell", () => {
    expect(startsSupervisedDev(["dev"])).toBe(true);
    expect(startsSupervisedDev(["dev", "--offline", "--port", "9000", "--watch-dirs", "modules,fw"])).toBe(
      true,
    );
    expect(startsSupervisedDev(["dev", "--reload", "--config=bot.config.ts"])).toBe(true);
    for (const argv of [
      ["start"],
      ["new", "module", "dev"],
      ["dev", "--help"],
      ["dev", "-h"],
      ["dev", "--no-reload"],
      ["dev", "--port", "-1"],
      ["dev", "--", "x"],
      [],
    ])
      expect(startsSupervisedDev(argv)).toBe(false);
  });

  it("leaves a bad command line to the launcher: exit code 2 and not a word, where a normal run says what is wrong", async () => {
    for (const argv of [
      ["dev", "--relaod"],
      ["dev", "--port"],
      ["dev", "stray"],
    ]) {
      const quiet = io(true);
      expect(await main(argv, quiet)).toBe(2);
      expect(quiet.lines).toEqual([]);
      const loud = io(false);
      expect(await main(argv, loud)).toBe(2);
      expect(loud.lines.join("\n")).toMatch(/^starstreamer: /);
    }
  });

  it("exits quietly when the full parse says it is not a supervised dev after all (help, no reload)", async () => {
    for (const argv of [
      ["dev", "--help"],
      ["dev", "--no-reload"],
    ]) {
      const quiet = io(true);
      expect(await main(argv, quiet)).toBe(2);
      expect(quiet.lines).toEqual([]);
    }
  });

  it("leaves a missing project to the launcher too", async () => {
    const empty = mkdtempSync(join(tmpdir(), "starstreamer-no-project-"));
    dirs.push(empty);
    const quiet = io(true, empty);
    expect(await main(["dev", "--offline"], quiet)).toBe(2);
    expect(quiet.lines).toEqual([]);
    const loud = io(false, empty);
    expect(await main(["dev", "--offline"], loud)).toBe(2);
    expect(loud.lines.join("\n")).toContain("starstreamer: ");
  });
});
