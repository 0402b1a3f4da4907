import { StarStreamerError } from "starstreamer";
import { RuntimeErrorCodes } from "../errors.ts";
import type { HostApi } from "../worker/protocol.ts";

/**
 * A host API that looks its target up on every call: Comlink walks property paths on the exposed
 * object (`twitch.sendMessage`), so each step is read from the target current at call time.
 */
export function forwardTo(target: () => HostApi | null): HostApi {
  return new Proxy({} as HostApi, {
    get(_, key) {
      const api = target();
      if (!api) {
        throw new StarStreamerError(
          RuntimeErrorCodes.MODULE_STATE,
          "a spare worker called the host before it was given a module",
        );
      }
      const value = (api as unknown as Record<PropertyKey, unknown>)[key];
      return typeof value === "function" ? value.bind(api) : value;
    },
  });
}
