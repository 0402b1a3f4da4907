import { randomUUID } from "node:crypto";
import { z } from "zod";
import { SdkErrorCodes, StarStreamerError } from "../errors.ts";
import type { BuiltInEventMap, EventData, EventType, TypedEvent } from "./event-map.ts";
import { builtInEventSchemas } from "./event-map.ts";

/**
 * Each built-in type's schema with zod's compiled fast path (`z.compile`: the same schema, a
 * generated parser for valid data, the runtime parser for the rest, so errors are the same), made
 * on the type's first use: the host validates every event, and a chat line parses ~3x faster.
 */
const compiledSchemas = new Map<keyof BuiltInEventMap, z.ZodType>();

function compiledSchema(type: keyof BuiltInEventMap): z.ZodType {
  let schema = compiledSchemas.get(type);
  if (schema === undefined) {
    schema = z.compile(builtInEventSchemas[type] as z.ZodType);
    compiledSchemas.set(type, schema);
  }
  return schema;
}

/** One reason an event's data was rejected; carried in `error.data.issues`. */
export interface EventDataIssue {
  /** Where in `data` the problem is; empty for `data` itself. */
  path: (string | number)[];
  message: string;
}

const CUSTOM_EVENT_TYPE = /^custom(\.[a-z0-9_-]+){2,}$/;

/** True for the event types StarStreamer defines (`twitch.chat.message`, `obs.scene.changed`, …). */
export function isBuiltInEventType(type: string): type is keyof BuiltInEventMap {
  return Object.hasOwn(builtInEventSchemas, type);
}

/**
 * True for a module's own event type, `custom.<module>.<name>`: lower-case segments of
 * `a-z 0-9 _ -`, at least two after `custom.` (`custom.quiz.started`, `custom.quiz.round.ended`).
 */
export function isCustomEventType(type: string): type is `custom.${string}` {
  return CUSTOM_EVENT_TYPE.test(type);
}

/** The event types {@link parseEventData} accepts, as listed in its error messages. */
export function acceptedEventTypes(): string[] {
  return [...Object.keys(builtInEventSchemas), "custom.<module>.<name>"];
}

/**
 * Checks `data` against the schema of `type` and returns the parsed value (defaults filled in).
 * Custom events have no schema: their data must be a plain object of JSON values, so it survives
 * the trip to a worker and into logs unchanged.
 * @throws StarStreamerError `SS_EVENT_UNKNOWN_TYPE` for a type that is neither built in nor custom;
 *   `SS_EVENT_INVALID` naming each bad field, with the issues in `error.data.issues`.
 * @example
 * const data = parseEventData("twitch.raid", { from: user, viewers: 12 });
 */
export function parseEventData<T extends EventType>(type: T, data: unknown): EventData<T>;
export function parseEventData(type: string, data: unknown): unknown;
export function parseEventData(type: string, data: unknown): unknown {
  if (typeof type === "string" && isBuiltInEventType(type)) {
    const result = compiledSchema(type).safeParse(data);
    if (result.success) return result.data;
    throw invalidData(
      type,
      result.error.issues.map((issue) => ({ path: toPath(issue.path), message: describeIssue(issue, data) })),
    );
  }
  if (typeof type === "string" && isCustomEventType(type)) {
    const issues: EventDataIssue[] = [];
    checkJsonObject(data, [], [], issues);
    if (issues.length > 0) throw invalidData(type, issues);
    return data;
  }
  const shown = typeof type === "string" ? JSON.stringify(type) : `${typeof type} ${String(type)}`;
  const hint =
    typeof type === "string" && type.startsWith("custom.")
      ? " (a custom type needs a module and a name: custom.<module>.<name>, lower-case a-z 0-9 _ -)"
      : "";
  throw new StarStreamerError(
    SdkErrorCodes.EVENT_UNKNOWN_TYPE,
    `Unknown event type ${shown}${hint}; accepted: ${acceptedEventTypes().join(", ")}`,
    { data: { type, accepted: acceptedEventTypes() } },
  );
}

/**
 * Builds an event ready for the bus: validates `data` with {@link parseEventData}, then stamps a
 * fresh id and the current time unless given.
 * @example
 * const event = createEvent("custom.quiz.started", { question: "2+2?" }, "module:quiz");
 */
export function createEvent<T extends EventType>(
  type: T,
  data: unknown,
  source: string,
  opts: { id?: string; timestamp?: number } = {},
): TypedEvent<T> {
  const parsed = parseEventData(type, data);
  if (typeof source !== "string" || source.length === 0) {
    throw new StarStreamerError(SdkErrorCodes.EVENT_INVALID, `${type}: source must be a non-empty string`, {
      data: { type, issues: [] },
    });
  }
  return {
    id: opts.id ?? randomUUID(),
    type,
    source,
    timestamp: opts.timestamp ?? Date.now(),
    data: parsed,
  };
}

function invalidData(type: string, issues: EventDataIssue[]): StarStreamerError {
  const lines = issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  return new StarStreamerError(SdkErrorCodes.EVENT_INVALID, `${type}: ${lines.join("; ")}`, {
    data: { type, issues },
  });
}

function toPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((key) => (typeof key === "symbol" ? String(key) : key));
}

function formatPath(path: readonly (string | number)[]): string {
  let out = "data";
  for (const key of path) {
    out +=
      typeof key === "number"
        ? `[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(key)
          ? `.${key}`
          : `[${JSON.stringify(key)}]`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A short name for what a value is: `string`, `null`, `array`, `Date`, … */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto === null || proto === Object.prototype) return "object";
    return (proto.constructor as { name?: string } | undefined)?.name || "object";
  }
  return typeof value;
}

const EXPECTED_NAMES: Record<string, string> = {
  int: "an integer",
  number: "a number",
  string: "a string",
  boolean: "a boolean",
  object: "an object",
  array: "an array",
  record: "an object",
};

function preview(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const value = valueAt(data, issue.path);
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
      if (value === undefined) return `missing: expected ${expected}`;
      if (issue.expected === "int" && typeof value === "number") return `expected an integer, got ${value}`;
      return `expected ${expected}, got ${kindOf(value)}`;
    }
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) === 1) return "expected a non-empty string";
      if (issue.origin === "number" || issue.origin === "int") {
        return `expected a number ${issue.inclusive ? ">=" : ">"} ${issue.minimum}, got ${preview(value)}`;
      }
      return lowerFirst(issue.message);
    case "too_big":
      if (issue.origin === "number" || issue.origin === "int") {
        return `expected a number ${issue.inclusive ? "<=" : "<"} ${issue.maximum}, got ${preview(value)}`;
      }
      return lowerFirst(issue.message);
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${preview(value)}`;
    case "invalid_format":
      if (issue.format === "datetime") {
        return `expected an ISO 8601 date-time (e.g. 2024-05-01T20:00:00Z), got ${preview(value)}`;
      }
      return `${lowerFirst(issue.message)}, got ${preview(value)}`;
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    default:
      return lowerFirst(issue.message);
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Collects why `value` is not a plain object of JSON values; `ancestors` catches cycles. */
function checkJsonObject(
  value: unknown,
  path: (string | number)[],
  ancestors: object[],
  issues: EventDataIssue[],
): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    issues.push({ path, message: `expected a plain object of JSON values, got ${kindOf(value)}` });
    return;
  }
  checkJsonValue(value, path, ancestors, issues, true);
}

function checkJsonValue(
  value: unknown,
  path: (string | number)[],
  ancestors: object[],
  issues: EventDataIssue[],
  inObject: boolean,
): void {
  switch (typeof value) {
    case "string":
    case "boolean":
      return;
    case "number":
      if (!Number.isFinite(value)) issues.push({ path, message: `expected a finite number, got ${value}` });
      return;
    case "undefined":
      // An absent optional field is fine (JSON drops it); inside an array it would turn into null.
      if (!inObject) issues.push({ path, message: "expected a JSON value, got undefined" });
      return;
    case "object":
      break;
    default:
      issues.push({ path, message: `expected a JSON value, got ${typeof value}` });
      return;
  }
  if (value === null) return;
  if (ancestors.includes(value)) {
    issues.push({ path, message: "circular reference" });
    return;
  }
  const inner = [...ancestors, value];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      checkJsonValue(item, [...path, index], inner, issues, false);
    });
    return;
  }
  const kind = kindOf(value);
  if (kind !== "object") {
    issues.push({ path, message: `expected a JSON value, got a ${kind} (class instance)` });
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    checkJsonValue(item, [...path, key], inner, issues, true);
  }
}
