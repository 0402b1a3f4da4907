import { relative } from "node:path";
import type { ModuleInfo } from "@starstreamer/runtime";
import type { ResolvedConfig } from "../config/load-config.ts";

/** What the ready banner reports. */
export interface BannerFacts {
  mode: "dev" | "start";
  readyMs: number;
  modules: ModuleInfo[];
  failed: Array<{ module: string; error: string }>;
  /** Modules still in initialize when the bot said ready (they join when they are done). */
  starting?: string[];
  twitch: string;
  /** The admin page's URL, or null when it could not start. */
  admin: string | null;
  reload: boolean;
  config: ResolvedConfig;
}

const show = (root: string, path: string) => relative(root, path) || ".";

/** The ready banner: which modules loaded and which failed (with why), Twitch, reload, paths. */
export function formatBanner(facts: BannerFacts): string {
  const { config } = facts;
  const loaded = facts.modules.filter((m) => m.state === "enabled" || m.state === "disabled");
  const failedNames = new Set(facts.failed.map((f) => f.module));
  const lines = [
    "",
    `StarStreamer ${facts.mode} ready in ${Math.round(facts.readyMs)} ms`,
    `  modules  ${
      loaded.length > 0
        ? loaded.map((m) => `${m.name} ${m.version}${m.state === "disabled" ? " (disabled)" : ""}`).join(", ")
        : `none loaded (add a folder to ${show(config.root, config.modulesDir)}/, or: npx starstreamer new module <name>)`
    }`,
  ];
  if (facts.starting?.length) {
    lines.push(`  starting ${facts.starting.join(", ")} (initialize is taking long; it joins when done)`);
  }
  for (const failure of facts.failed) lines.push(`  failed   ${failure.module}: ${failure.error}`);
  for (const m of facts.modules) {
    if (m.state === "failed" && !failedNames.has(m.name) && !facts.starting?.includes(m.name))
      lines.push(`  failed   ${m.name}: ${m.reason ?? "?"}`);
  }
  lines.push(`  twitch   ${facts.twitch}`);
  lines.push(`  admin    ${facts.admin ?? "not available (see the error above)"}`);
  if (facts.reload) {
    const modules = config.moduleWatchDirs.map((d) => `${show(config.root, d)}/`).join(", ");
    const framework = config.frameworkWatchDirs.map((d) => show(config.root, d)).join(", ");
    lines.push(
      `  reload   on: ${modules || "(modules folder not watched)"} reloads a module${
        facts.mode === "dev" && framework ? `; ${framework} restarts the bot` : ""
      }`,
    );
  } else {
    lines.push("  reload   off");
  }
  lines.push(`  data     ${show(config.root, config.dataDir)}/`);
  lines.push("");
  return lines.join("\n");
}
