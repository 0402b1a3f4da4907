/**
 * The one base error of StarStreamer. Every error the framework raises carries a stable `code`
 * (`SS_<AREA>_<PROBLEM>`, listed with cause and fix in docs/errors.md) and structured `data`, and
 * both survive the trip across a worker boundary.
 */
export class StarStreamerError extends Error {
  readonly code: string;
  readonly data: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; data?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "StarStreamerError";
    this.code = code;
    this.data = options.data ?? {};
  }
}

/** The codes the SDK itself raises; each package keeps its own in its `errors.ts`. */
export const SdkErrorCodes = {
  /** An event's `data` does not match the schema of its type. */
  EVENT_INVALID: "SS_EVENT_INVALID",
  /** An event type that is neither built in nor `custom.<module>.<name>`. */
  EVENT_UNKNOWN_TYPE: "SS_EVENT_UNKNOWN_TYPE",
  /** A trigger was declared with options that cannot work (bad duration, bad regex, empty command). */
  TRIGGER_INVALID: "SS_TRIGGER_INVALID",
  /** A module definition is missing a field or has a bad value (name, version, dependencies). */
  MODULE_INVALID: "SS_MODULE_INVALID",
  /** Two handlers of one module have the same id (function name or `{ id }`). */
  HANDLER_ID_DUPLICATE: "SS_HANDLER_ID_DUPLICATE",
  /** `on()` was called outside a module's `registerActions`. */
  MODULE_NO_SCOPE: "SS_MODULE_NO_SCOPE",
  /** A module's config values do not match its config schema. */
  CONFIG_INVALID: "SS_CONFIG_INVALID",
} as const;
