import { z } from "zod";
import { SdkErrorCodes, StarStreamerError } from "../errors.ts";
import { USER_LEVELS } from "../events/event.ts";
import {
  ARG_NAME,
  ARG_TYPES,
  argListIssues,
  describeTriggerIssues,
  isLowerCase,
  isNormalWord,
  NO_SPACE,
  REGEX_FLAGS,
  regexCompileIssue,
  RULE_MESSAGES as SAYS,
} from "./trigger-rules.ts";

export { ARG_TYPES } from "./trigger-rules.ts";

// The host parses what workers declare with this schema; the builders, which run in every module
// worker, check with the same rules (trigger-rules.ts) without loading zod.

/** A command name or alias as stored: one lower-case word, without prefix. */
export const commandNameSchema = z
  .string()
  .min(1, SAYS.nameEmpty)
  .regex(NO_SPACE, SAYS.nameOneWord)
  .refine(isLowerCase, SAYS.lowerCase);

/** A pinned command prefix: no spaces, lower-case (`""` means no prefix at all). */
export const commandPrefixSchema = z
  .string()
  .regex(NO_SPACE, SAYS.prefixOneWord)
  .refine(isLowerCase, SAYS.lowerCase);

/** One argument of a command, in order; the name becomes a key of `ctx.match.command.params`. */
export const argSpecSchema = z.strictObject({
  name: z.string().regex(ARG_NAME, SAYS.argName),
  type: z.enum(ARG_TYPES),
  optional: z.boolean(),
});

/** Optional arguments come last, `rest` is the very last, and no name repeats. */
const argListSchema = z.array(argSpecSchema).superRefine((args, ctx) => {
  for (const issue of argListIssues(args)) ctx.addIssue({ code: "custom", ...issue });
});

/** A chat command: the first word of the message is a prefix plus one of `names` (the first is the main name). */
export const commandTriggerSchema = z.strictObject({
  kind: z.literal("command"),
  names: z.array(commandNameSchema).min(1, SAYS.noName),
  /** `null` for the host's configured prefix (`!` unless configured). */
  prefix: commandPrefixSchema.nullable(),
  args: argListSchema,
});

/** A regular expression tested against the chat text; never `g` or `y` (they make matching stateful). */
export const regexTriggerSchema = z
  .strictObject({
    kind: z.literal("regex"),
    source: z.string(),
    flags: z.string().regex(REGEX_FLAGS, SAYS.regexFlags),
  })
  .superRefine((value, ctx) => {
    const message = regexCompileIssue(value.source, value.flags);
    if (message !== null) ctx.addIssue({ code: "custom", path: ["source"], message });
  });

/** Any of `words` (lower-case, trimmed) in the chat text; `wholeWord`: "hi" matches "hi there", not "this". */
export const keywordTriggerSchema = z.strictObject({
  kind: z.literal("keyword"),
  words: z
    .array(z.string().min(1, SAYS.wordEmpty).refine(isNormalWord, SAYS.wordNormal))
    .min(1, SAYS.noWords),
  wholeWord: z.boolean(),
});

/** The author holds at least `min` (viewer < subscriber < vip < moderator < broadcaster). */
export const userLevelTriggerSchema = z.strictObject({
  kind: z.literal("userLevel"),
  min: z.enum(USER_LEVELS, { error: SAYS.userLevel }),
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
  .refine((value) => value.globalMs !== null || value.userMs !== null, { message: SAYS.noWindow });

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

/** A zod error's issues as the contract reports them: `path` (symbols as text) and `message`. */
function issuesOf(error: z.ZodError): Array<{ path: PropertyKey[]; message: string }> {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    message: issue.message,
  }));
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
    const issues = issuesOf(parsed.error);
    const detail = describeTriggerIssues(issues);
    throw new StarStreamerError(
      SdkErrorCodes.TRIGGER_INVALID,
      `${where}: trigger #${i + 1} is not a valid trigger (${detail}); build triggers with command(), regex(), ` +
        "keyword(), userLevel() or cooldown()",
      { data: { index: i, issues } },
    );
  });
}
