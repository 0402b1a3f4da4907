import type { ArgSpec, CommandMatch, TriggerDescriptor, TriggerMatchInfo } from "starstreamer";
import type { DeliveryMatch } from "../worker/protocol.ts";
import { argWords, firstWordStart, parseArgs, restOf, wordEnd } from "./command-text.ts";

/**
 * The worker's half of a command match. The host sends a command's match as the name the author
 * used (`DeliveryMatch`); the words, the parameters and the rest of the line are in the event's
 * text, and how to parse them is in the handler's own command triggers, so the worker rebuilds
 * `ctx.match.command` with the same functions the host parsed it with (`command-text.ts`), and the
 * line's text crosses the thread once. Imported by module workers: no imports but types.
 */

/** What rebuilding a handler's command match needs from its triggers: the main name, each command's arguments. */
export interface CommandShape {
  readonly name: string;
  readonly args: readonly (readonly ArgSpec[])[];
}

/** The command triggers of a handler as {@link rebuildCommand} reads them; `null` without a command. */
export function commandShapeOf(triggers: readonly TriggerDescriptor[]): CommandShape | null {
  const commands = triggers.filter((t) => t.kind === "command");
  const first = commands[0];
  if (first === undefined) return null;
  return { name: first.names[0] ?? "", args: commands.map((c) => c.args) };
}

/**
 * A command's match, as the host's triggers build it, from the name or alias the author used and
 * the line. The host parsed the same text with the same triggers, so the arguments parse again;
 * should a handler's command have changed since (a reload while the event waited in the queue),
 * the parameters are read per the new command and one that no longer parses is left out. A missing
 * optional argument is left out of `params` as well (as it was when the whole match crossed as JSON).
 */
export function rebuildCommand(shape: CommandShape | null, used: string, text: string): CommandMatch {
  const words = argWords(text, wordEnd(text, firstWordStart(text)));
  const params: Record<string, string | number | undefined> = {};
  for (const args of shape?.args ?? []) {
    if (parseArgs(args, text, words, params) === null) continue;
    for (const arg of args) if (!(arg.name in params)) params[arg.name] = undefined;
  }
  // The match used to cross as JSON, which drops a missing optional argument's key: still so.
  for (const key in params) if (params[key] === undefined) delete params[key];
  // The words' array is this call's own (argWords makes one per call, the shared empty one aside).
  const args = words.tokens.length === 0 ? [] : (words.tokens as string[]);
  return { name: shape?.name ?? used, used, args, params, rest: restOf(text, words) };
}

/**
 * `ctx.match` from a delivered match: the command rebuilt (see {@link rebuildCommand}), the cooldown
 * gate taken off (the handler never sees it), every other field as the host wrote it, in its order.
 * A match that carries no command name is returned as it is, or without its gate.
 */
export function visibleMatch(
  match: DeliveryMatch | null | undefined,
  shape: CommandShape | null,
  event: { data?: unknown },
): TriggerMatchInfo {
  if (match === null || match === undefined) return {};
  const used = match.command;
  if (typeof used !== "string") {
    if (match.gate === undefined) return match as TriggerMatchInfo;
    const { gate: _gate, ...visible } = match;
    return visible as TriggerMatchInfo;
  }
  const text = (event.data as { text?: unknown } | null | undefined)?.text;
  const visible: Record<string, unknown> = {
    command: rebuildCommand(shape, used, typeof text === "string" ? text : ""),
  };
  for (const key in match) {
    if (key !== "command" && key !== "gate") visible[key] = match[key as keyof DeliveryMatch];
  }
  return visible as TriggerMatchInfo;
}
