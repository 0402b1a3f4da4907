import { z } from "zod";
import { SdkErrorCodes, StarStreamerError } from "../errors.ts";
import { USER_LEVELS } from "../events/event.ts";

/** The kinds of value a command argument can hold. */
export const ARG_TYPES = ["string", "int", "number", "user", "rest"] as const;

const NO_SPACE = /^\S*$/;
const lowerCase = (text: string) => text === text.toLowerCase();

/** A command name or alias as stored: one lower-case word, without prefix. */
export const commandNameSchema = z
  .string()
  .min(1, 'must not be empty, e.g. "!greet" or "greet"')
  .regex(NO_SPACE, 'must be one word without spaces, e.g. "!greet" or "greet"')
  .refine(lowerCase, "must be lower-case");

/** A pinned command prefix: no spaces, lower-case (`""` means no prefix at all). */
export const commandPrefixSchema = z
  .string()
  .regex(NO_SPACE, 'must be a string without spaces, e.g. "?"')
  .refine(lowerCase, "must be lower-case");

/** One argument of a command, in order; the name becomes a key of `ctx.match.command.params`. */
export const argSpecSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, "must start with a letter or _ (then letters, digits, _ or -)"),
  type: z.enum(ARG_TYPES),
  optional: z.boolean(),
});

/** Optional arguments come last, `rest` is the very last, and no name repeats. */
const argListSchema = z.array(argSpecSchema).superRefine((args, ctx) => {
  const seen = new Set<string>();
  let sawOptional = false;
  args.forEach((arg, i) => {
    if (seen.has(arg.name)) {
      ctx.addIssue({
        code: "custom",
        path: [i, "name"],
        message: `argument "${arg.name}" is declared twice`,
      });
    }
    seen.add(arg.name);
    if (arg.type === "rest" && i !== args.length - 1) {
      ctx.addIssue({
        code: "custom",
        path: [i],
        message: `"${arg.name}:rest" takes the rest of the message and must be last`,
      });
    }
    if (arg.optional) sawOptional = true;
    else if (sawOptional) {
      ctx.addIssue({
        code: "custom",
        path: [i],
        message: `required argument "${arg.name}" comes after an optional one; put optional arguments last`,
      });
    }
  });
});

/** A chat command: the first word of the message is a prefix plus one of `names` (the first is the main name). */
export const commandTriggerSchema = z.strictObject({
  kind: z.literal("command"),
  names: z.array(commandNameSchema).min(1, "give the command a name"),
  /** `null` for the host's configured prefix (`!` unless configured). */
  prefix: commandPrefixSchema.nullable(),
  args: argListSchema,
});

/** A regular expression tested against the chat text; never `g` or `y` (they make matching stateful). */
export const regexTriggerSchema = z
  .strictObject({
    kind: z.literal("regex"),
    source: z.string(),
    flags: z.string().regex(/^[dimsuv]*$/, "flags may be d, i, m, s, u or v (g and y are dropped)"),
  })
  .superRefine((value, ctx) => {
    try {
      new RegExp(value.source, value.flags);
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        path: ["source"],
        message: `regex ${JSON.stringify(value.source)} does not compile: ${(error as Error).message}`,
      });
    }
  });

/** Any of `words` (lower-case, trimmed) in the chat text; `wholeWord`: "hi" matches "hi there", not "this". */
export const keywordTriggerSchema = z.strictObject({
  kind: z.literal("keyword"),
  words: z
    .array(
      z
        .string()
        .min(1, "every word must be non-empty text")
        .refine((word) => word === word.trim() && lowerCase(word), "words are stored trimmed and lower-case"),
    )
    .min(1, 'give at least one word, e.g. keyword("hello") or keyword(["hi", "hello"])'),
  wholeWord: z.boolean(),
});

/** The author holds at least `min` (viewer < subscriber < vip < moderator < broadcaster). */
export const userLevelTriggerSchema = z.strictObject({
  kind: z.literal("userLevel"),
  min: z.enum(USER_LEVELS, { error: `expected one of ${USER_LEVELS.join(", ")}` }),
});

const windowMs = z.number().finite().nonnegative().nullable();

/** A pause after the handler runs: for everyone (`globalMs`), per user (`userMs`), or both. */
export const cooldownTriggerSchema = z
  .strictObject({
    kind: z.literal("cooldown"),
    globalMs: windowMs,
    userMs: windowMs,
    /** When true, the handler still runs while cooling down, with `ctx.match.cooldown` telling it so. */
    notify: z.boolean(),
  })
  .refine((value) => value.globalMs !== null || value.userMs !== null, {
    message: 'give a global and/or a per-user window, e.g. cooldown({ user: "10s" })',
  });

/** Stands in for a function trigger, which runs in the module's worker; `index` points at it there. */
export const predicateTriggerSchema = z.strictObject({
  kind: z.literal("predicate"),
  index: z.number().int().nonnegative(),
});

/**
 * The trigger contract: a trigger as data, plain JSON, so it crosses to the host, which evaluates
 * it on the main thread before waking a module's worker. The SDK's builders produce values of it
 * and check them with it; the host checks what a worker declares with it; nothing normalises again.
 */
export const triggerDescriptorSchema = z.discriminatedUnion("kind", [
  commandTriggerSchema,
  regexTriggerSchema,
  keywordTriggerSchema,
  userLevelTriggerSchema,
  cooldownTriggerSchema,
  predicateTriggerSchema,
]);

/** Where a trigger is checked, in issue messages: `path: message; ...`. */
function describeIssues(error: z.ZodError): {
  detail: string;
  issues: Array<{ path: PropertyKey[]; message: string }>;
} {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    message: issue.message,
  }));
  const detail = issues.map((issue) => `${issue.path.join(".") || "(trigger)"}: ${issue.message}`).join("; ");
  return { detail, issues };
}

/**
 * Checks `value` with `schema`, as a builder does with what it built.
 * @throws StarStreamerError `SS_TRIGGER_INVALID`: `<where>: <path>: <what is wrong>`.
 */
export function checkTrigger<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { detail, issues } = describeIssues(parsed.error);
  throw new StarStreamerError(SdkErrorCodes.TRIGGER_INVALID, `${where}: ${detail}`, { data: { issues } });
}

/**
 * Checks a list of descriptors as a worker declared them (module code is outside input to the host).
 * @throws StarStreamerError `SS_TRIGGER_INVALID` naming the trigger and what is wrong with it.
 */
export function parseTriggerDescriptors(
  triggers: unknown,
  where: string,
): Array<z.output<typeof triggerDescriptorSchema>> {
  if (!Array.isArray(triggers)) {
    throw new StarStreamerError(SdkErrorCodes.TRIGGER_INVALID, `${where}: triggers must be an array`);
  }
  return triggers.map((trigger, i) => {
    const parsed = triggerDescriptorSchema.safeParse(trigger);
    if (parsed.success) return parsed.data;
    const { detail, issues } = describeIssues(parsed.error);
    throw new StarStreamerError(
      SdkErrorCodes.TRIGGER_INVALID,
      `${where}: trigger #${i + 1} is not a valid trigger (${detail}); build triggers with command(), regex(), ` +
        "keyword(), userLevel() or cooldown()",
      { data: { index: i, issues } },
    );
  });
}
