import { relative } from "node:path";
import type { LogLevel, ModuleChange } from "@starstreamer/runtime";

/** A module change as the one line the CLI prints for it. */
export function describeChange(change: ModuleChange, root: string): { level: LogLevel; text: string } {
  const ms = `${Math.round(change.durationMs)} ms`;
  switch (change.action) {
    case "reloaded":
      return { level: "info", text: `reloaded ${change.module} ${change.version} in ${ms}` };
    case "loaded":
      return { level: "info", text: `loaded new module ${change.module} ${change.version} in ${ms}` };
    case "unloaded":
      return {
        level: "info",
        text: `unloaded ${change.module} (folder removed)${
          change.also.length
            ? `, and ${change.also.join(", ")}, which depend${change.also.length === 1 ? "s" : ""} on it`
            : ""
        }`,
      };
    case "none":
      return { level: "debug", text: `${change.module}: nothing to do` };
    case "failed": {
      const files = change.files.map((f) => relative(root, f)).filter(Boolean);
      return {
        level: "error",
        text: `${change.kept ? "reload" : "load"} of ${change.module} failed in ${ms}: ${change.error}${
          change.kept ? " (the previous version keeps serving)" : ""
        }${files.length > 0 && !/:\d+:\d+/.test(change.error) ? ` [changed: ${files.join(", ")}]` : ""}`,
      };
    }
  }
}
