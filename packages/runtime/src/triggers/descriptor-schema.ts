import {
  ARG_TYPES,
  SdkErrorCodes,
  StarStreamerError,
  type TriggerDescriptor,
  USER_LEVELS,
} from "starstreamer/internal";
import { z } from "zod";

const duration = z.number().finite().nonnegative().nullable();
const word = z.string().min(1).regex(/^\S+$/, "must be one word without spaces");

/**
 * The shape of every trigger descriptor. Descriptors come from module code in a worker, so the host
 * checks them before compiling, as it would any other outside input.
 */
export const triggerDescriptorSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("command"),
    names: z.array(word).min(1),
    prefix: z.string().regex(/^\S*$/, "must not contain spaces").nullable(),
    args: z.array(
      z.strictObject({
        name: z.string().min(1),
        type: z.enum(ARG_TYPES),
        optional: z.boolean(),
      }),
    ),
  }),
  z.strictObject({ kind: z.literal("regex"), source: z.string(), flags: z.string() }),
  z.strictObject({
    kind: z.literal("keyword"),
    words: z.array(z.string().min(1)).min(1),
    wholeWord: z.boolean(),
  }),
  z.strictObject({ kind: z.literal("userLevel"), min: z.enum(USER_LEVELS) }),
  z.strictObject({ kind: z.literal("cooldown"), globalMs: duration, userMs: duration, notify: z.boolean() }),
  z.strictObject({ kind: z.literal("predicate"), index: z.number().int().nonnegative() }),
]);

/**
 * Checks a list of descriptors as received from a worker.
 * @throws StarStreamerError `SS_TRIGGER_INVALID` naming the trigger and what is wrong with it.
 */
export function parseTriggerDescriptors(triggers: unknown, where: string): TriggerDescriptor[] {
  if (!Array.isArray(triggers)) {
    throw new StarStreamerError(SdkErrorCodes.TRIGGER_INVALID, `${where}: triggers must be an array`);
  }
  return triggers.map((trigger, i) => {
    const parsed = triggerDescriptorSchema.safeParse(trigger);
    if (parsed.success) return parsed.data as TriggerDescriptor;
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
      message: issue.message,
    }));
    const detail = issues
      .map((issue) => `${issue.path.join(".") || "(trigger)"}: ${issue.message}`)
      .join("; ");
    throw new StarStreamerError(
      SdkErrorCodes.TRIGGER_INVALID,
      `${where}: trigger #${i + 1} is not a valid trigger (${detail}); build triggers with command(), regex(), ` +
        "keyword(), userLevel() or cooldown()",
      { data: { index: i, issues } },
    );
  });
}
