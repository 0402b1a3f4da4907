import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Child } from "../lib/child.ts";
import { type Measured, median, p99, round, sleep } from "../lib/figure.ts";
import { setGreeting, setRevision } from "./reload.ts";

/** How an editor puts a file on disk. */
export type SaveMode = "in_place" | "rename";

/** One save of a module in a running `dev`, timed from the write to the new reply in the chat. */
export interface Save {
  module: "greeter" | "economy";
  mode: SaveMode;
  ms: number;
  /** The reload time dev printed. */
  loggedMs: number | null;
}

let marks = 0;

/**
 * Saves a module of the project `dev` runs in (greeter's reply word, or economy's REVISION) the way
 * an editor does, waits for dev's reload line, types the command at once and stops the clock when
 * the new reply is printed. Throws when the reply does not come within 10 s: the figure fails.
 */
export async function saveOnce(
  dev: Child,
  project: string,
  module: "greeter" | "economy",
  mode: SaveMode,
): Promise<Save> {
  const mark = `Save${++marks}`;
  const file =
    module === "greeter"
      ? join(project, "modules", "greeter", "actions", "greetings.ts")
      : join(project, "modules", "economy", "module.ts");
  const source = readFileSync(file, "utf8");
  const next = module === "greeter" ? setGreeting(source, mark) : setRevision(source, mark);
  const reloaded = dev.line(
    (l) => l.includes(`reloaded ${module} `) || l.includes(`of ${module} failed`),
    10_000,
  );
  const reply = dev.line(
    (l) =>
      module === "greeter" ? l.includes(`[bot] ${mark} `) : l.includes("[bot] ") && l.endsWith(`[${mark}]`),
    10_000,
  );
  // Awaited below; a failure earlier must not leave it rejecting unhandled.
  reply.catch(() => {});
  reloaded.catch(() => {});
  const started = performance.now();
  if (mode === "in_place") writeFileSync(file, next);
  else {
    const temp = `${file}.${mark}.tmp`;
    writeFileSync(temp, next);
    renameSync(temp, file);
  }
  const { line } = await reloaded;
  if (line.includes("failed")) {
    throw new Error(`dev: ${line}`);
  }
  dev.send(module === "greeter" ? "!greet" : "!balance");
  const { at } = await reply;
  const logged = /in (\d+) ms/.exec(line);
  return { module, mode, ms: at - started, loggedMs: logged ? Number(logged[1]) : null };
}

/** A series of later saves in one dev process: 1 s apart, alternating module and save mode. */
export async function repeatSaves(dev: Child, project: string, count: number): Promise<Save[]> {
  const saves: Save[] = [];
  for (let i = 0; i < count; i++) {
    await sleep(1000);
    const module = i % 2 === 0 ? "greeter" : "economy";
    const mode: SaveMode = Math.floor(i / 2) % 2 === 0 ? "in_place" : "rename";
    saves.push(await saveOnce(dev, project, module, mode));
  }
  return saves;
}

/** save_to_live_first_ms and save_to_live_ms from the saves of the dev launches. */
export function saveFigures(first: Save[], later: Save[]): Measured[] {
  const figure = (name: string, saves: Save[], note: string): Measured => {
    const ms = saves.map((s) => s.ms);
    const by = (test: (s: Save) => boolean) => round(median(saves.filter(test).map((s) => s.ms)), 0);
    return {
      name,
      unit: "ms",
      n: ms.length,
      median: round(median(ms), 0),
      p99: round(p99(ms), 0),
      baseline: null,
      ratio: null,
      stand_in: true,
      note,
      details: {
        greeter_p50_ms: by((s) => s.module === "greeter"),
        economy_p50_ms: by((s) => s.module === "economy"),
        in_place_p50_ms: by((s) => s.mode === "in_place"),
        rename_p50_ms: by((s) => s.mode === "rename"),
        reload_logged_by_dev_p50_ms: round(
          median(saves.flatMap((s) => (s.loggedMs === null ? [] : [s.loggedMs]))),
          0,
        ),
      },
    };
  };
  return [
    figure(
      "save_to_live_first_ms",
      first,
      "starstreamer dev --offline, the first save after the banner (greeter and the economy stand-in alternately, one per launch); file write to the new reply printed",
    ),
    figure(
      "save_to_live_ms",
      later,
      "starstreamer dev --offline, later saves 1 s apart, greeter and economy, written in place and written to a temp file then renamed",
    ),
  ];
}
