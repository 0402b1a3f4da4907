import { relative } from "node:path";
import { fileURLToPath } from "node:url";

/** A stack frame's file, line and column: `(file:1:2)` or `at file:1:2`. */
const FRAME = /(?:\(|at )((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?$/;
/** Frames that are not the author's code: the SDK, packages, the host's builds, Node itself. */
const NOT_MODULE_CODE = /\/node_modules\/|\/starstreamer\/src\/|\/runtime\/src\/|\/\.build\//;

/**
 * Where in the module's own source an error was thrown: the first stack frame outside the SDK,
 * packages and Node, relative to the project folder (`modules/dice/module.ts:12:5`). Stacks are
 * source-mapped in module workers (linked source maps, `process.setSourceMapsEnabled`), so the
 * frame names the `.ts` file the author wrote. Null when no frame is the module's.
 */
export function moduleSourceLocation(error: unknown, cwd = process.cwd()): string | null {
  const stack = error instanceof Error ? error.stack : undefined;
  if (!stack) return null;
  for (const line of stack.split("\n").slice(1)) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    const file = match[1]!.startsWith("file:") ? fileURLToPath(match[1]!) : match[1]!;
    if (NOT_MODULE_CODE.test(file)) continue;
    return `${relative(cwd, file) || file}:${match[2]}:${match[3]}`;
  }
  return null;
}

/**
 * Adds the module source location to an error thrown by module code (` (at file:line:column)`),
 * unless its message already has one; the error keeps its code and data. Returns the error.
 */
export function withModuleLocation(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const site = (error as { [CALL_SITE]?: Error })[CALL_SITE];
  const where = moduleSourceLocation(error) ?? (site ? moduleSourceLocation(site) : null);
  if (where && !/:\d+:\d+/.test(error.message)) error.message = `${error.message} (at ${where})`;
  return error;
}

/** Where module code called a host API whose call failed (the error's own stack is the host's). */
const CALL_SITE = Symbol("starstreamer.call-site");

/**
 * Wraps a plugin API the host serves (`ctx.twitch`, `ctx.obs`) so that a failed call remembers the
 * module's line that made it: the error comes from the main thread, with the host's stack, and
 * {@link withModuleLocation} uses the call site instead. Messages and codes are unchanged. Sites
 * are captured only while `capturing()` says so (while the module starts: a stack per call would
 * cost every handler's reply, and only start-up errors are located this way).
 */
export function rememberCallSites<T extends object>(remote: T, capturing: () => boolean = () => true): T {
  return new Proxy(remote, {
    get(target, method) {
      const value = Reflect.get(target, method) as unknown;
      if (typeof method !== "string" || method === "then") return value;
      if (!capturing()) return value;
      return (...args: unknown[]) => {
        const site = new Error("call site");
        return Promise.resolve(
          (target as Record<string, (...a: unknown[]) => unknown>)[method]!(...args),
        ).catch((error: unknown) => {
          if (error instanceof Error && !(CALL_SITE in error)) {
            Object.defineProperty(error, CALL_SITE, { value: site, enumerable: false });
          }
          throw error;
        });
      };
    },
  });
}
