import {
  type ArgSpec,
  type CommandTrigger,
  parseTriggerDescriptors,
  type StarEvent,
  type TriggerMatchInfo,
  USER_LEVELS,
  type UserLevel,
  usageOf,
} from "starstreamer/internal";
import type { DeliveryMatch } from "../worker/protocol.ts";
import { parseArgs } from "./command-text.ts";
import { type CooldownGate, verdictOf } from "./cooldown-gate.ts";
import { type CooldownSpec, CooldownStore } from "./cooldown-store.ts";
import type { EventView } from "./event-view.ts";
import { compileLinearRegex, type LinearRegex } from "./linear-regex.ts";
import type { RequiredText } from "./text-filter.ts";

/**
 * What the host delivers with an event: `ctx.match`, plus the cooldown gate the worker strips off
 * (present only for a handler with function triggers and a cooldown; see {@link compileTriggers}).
 */
export type RoutedMatch = TriggerMatchInfo & { gate?: CooldownGate };

/**
 * The verdict on one event for one handler. A failed command carries `usage` when the command
 * matched but its arguments did not: the host may answer with `usage.text` and `usage.error`.
 */
export type TriggerResult<M = RoutedMatch> =
  | { pass: true; match: M }
  | { pass: false; usage?: { text: string; error: string } };

/**
 * The verdict with the match as it travels to the worker ({@link CompiledTriggers.route}); `json`,
 * when present, is the match's JSON, written once when the triggers were compiled.
 */
export type RouteResult =
  | { pass: true; match: DeliveryMatch; json?: string }
  | { pass: false; usage?: { text: string; error: string } };

/** Options of {@link compileTriggers}. */
export interface CompileTriggersOptions {
  /** The host's command prefix, for commands that do not pin their own. */
  prefix: string;
  /** The handler's key in the cooldown store; keep it stable across reloads (`"<module>:<handler>"`). */
  key: string;
  cooldowns: CooldownStore;
}

/** A handler's triggers, ready to be evaluated on the host for every event of its type. */
export interface CompiledTriggers {
  readonly key: string;
  /**
   * The full first words (prefix included, lower-cased) that can match, e.g. `["!give", "!transfer"]`,
   * when the handler has a command trigger; the bus can index handlers by them. `null` otherwise.
   */
  readonly commandNames: string[] | null;
  /**
   * Text the handler cannot pass without (one of its keyword sets, or the literal its regex
   * requires), for the bus's one-pass pre-filter; `null` when there is none.
   */
  readonly requiredText: RequiredText | null;
  /** True when a function trigger still has to pass in the worker (see {@link release}). */
  readonly hasPredicates: boolean;
  /**
   * Whether the handler may run for this event. Starts its cooldown when it does, or, for a handler
   * with function triggers, holds it tentatively and puts a gate in the match.
   */
  evaluate(event: StarEvent, view: EventView, now: number): TriggerResult;
  /**
   * {@link evaluate} for delivery, with the same effects: the match as it travels
   * (`DeliveryMatch`), a command's match cut to the name used, which the worker rebuilds in full
   * from the event's text (`visibleMatch` in `command-match.ts`), so the host neither splits the line into words nor
   * writes them to the wire.
   */
  route(event: StarEvent, view: EventView, now: number): RouteResult;
  /**
   * Takes the worker's report on an event it did not run, or its verdict on a gated event: the
   * `match` the worker sent back. A gate verdict (`{ gate: { n, took } }`) settles that event's
   * tentative hold (a window when it took it, nothing otherwise); anything else changes nothing
   * (`userId` is the event's author, kept for the report's shape).
   */
  release(userId: string | null, match: unknown): void;
}

const REJECT: TriggerResult = Object.freeze({ pass: false }) as TriggerResult;
/** The parameters of a command without arguments when they are not sent (never written to). */
const NO_PARAMS: Record<string, string | number | undefined> = Object.freeze({});
const RANK: Readonly<Record<UserLevel, number>> = Object.fromEntries(
  USER_LEVELS.map((level, i) => [level, i]),
) as Record<UserLevel, number>;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

interface CompiledCommand {
  readonly tokens: string[];
  readonly names: string[];
  readonly args: ArgSpec[];
  readonly usage: string;
}

interface CompiledKeyword {
  readonly word: string;
  readonly boundStart: boolean;
  readonly boundEnd: boolean;
}

function isWordChar(text: string, index: number): boolean {
  return index >= 0 && index < text.length && WORD_CHAR.test(text[index]!);
}

function findKeyword(text: string, words: readonly CompiledKeyword[]): string | null {
  for (const { word, boundStart, boundEnd } of words) {
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
      if (boundStart && isWordChar(text, at - 1)) continue;
      if (boundEnd && isWordChar(text, at + word.length)) continue;
      return word;
    }
  }
  return null;
}

/**
 * Turns a handler's trigger descriptors into a fast check the host runs on the main thread for
 * every event of the handler's type. Every trigger must pass. Text triggers (command, regex,
 * keyword) read `data.text` and fail for events without it; regexes run on a linear-time engine
 * (see `compileLinearRegex`); `userLevel` reads the author's chat flags; cooldowns are checked
 * last, only when everything else passed. Function triggers (`predicate`) pass here: only the
 * worker can run them.
 *
 * A cooldown window is started only by an event that passes every trigger, function triggers
 * included. Without function triggers the host knows at once: it starts the window as it lets
 * the event through. With them (the *gated* case) it cannot, and must not refuse a later event
 * over a window an earlier one may never take (`!even 3` then `!even 4`, the first rejected by
 * the predicate in the worker, must answer 4). The gate protocol:
 * 1. Host, `evaluate`: a started window that blocks refuses the event (or, with `notify`, lets it
 *    through with `match.cooldown`) exactly as without function triggers. Otherwise the event is
 *    let through with a *pending hold* in the cooldown store and a `match.gate` (`CooldownGate`):
 *    the hold's serial, the time, the author, the windows, `notify`, and per scope the oldest
 *    earlier hold still waiting for its verdict that would block this event if it took the window.
 * 2. Worker (`HandlerRunner` with a `GateLedger`): gated events of a handler decide in delivery
 *    order. One with no pending blocker decides as soon as its function triggers answer; one with
 *    a blocker first waits for every earlier gated event of its handler to decide. The event
 *    *took* the window when its triggers pass and no window taken in this worker (by an earlier
 *    event) blocks it. Otherwise, if its triggers pass, it runs with `ctx.match.cooldown`
 *    (`notify`) or is skipped, like a blocked event on the host. Every gated event sends its
 *    verdict `{ gate: { n, took } }` back in a report; the handler never sees the gate.
 * 3. Host, {@link CompiledTriggers.release}: the verdict settles the hold: a window started at the
 *    time the event was let through when it took it, no trace otherwise.
 * The host stays the one store of cooldowns, keyed `"<module>:<handler>"`, so a window survives a
 * reload and a crash restart. The one approximation: an event whose gate names a hold delivered to
 * a worker since replaced (a reload, or a crash, also one the dying worker never decided) cannot
 * learn that verdict and counts the hold as taken, keeping the cooldown rather than risking a
 * second run inside it; a hold whose verdict never comes expires with its window.
 * @throws StarStreamerError `SS_TRIGGER_INVALID` for a malformed descriptor or a regex that does
 * not compile; `SS_TRIGGER_REGEX_UNSUPPORTED` for a regex the linear-time engine cannot run.
 * @example
 * const triggers = compileTriggers(info.triggers, { prefix: "!", key: "economy:give", cooldowns });
 * const result = triggers.evaluate(event, createEventView(event), Date.now());
 * if (result.pass) deliver(event, result.match);
 */
export function compileTriggers(triggers: unknown, options: CompileTriggersOptions): CompiledTriggers {
  const descriptors = parseTriggerDescriptors(triggers, `handler "${options.key}"`);
  const { key, cooldowns } = options;
  const commands: CompiledCommand[] = [];
  const keywordSets: CompiledKeyword[][] = [];
  const regexes: LinearRegex[] = [];
  let minRank = -1;
  let hasPredicates = false;
  let globalMs: number | null = null;
  let userMs: number | null = null;
  let notify: boolean | null = null;

  for (const descriptor of descriptors) {
    switch (descriptor.kind) {
      case "command":
        commands.push(compileCommand(descriptor, options.prefix));
        break;
      case "regex":
        // Never a backtracking engine here: a viewer's text must not be able to stall the main thread.
        regexes.push(compileLinearRegex(descriptor.source, descriptor.flags, `handler "${key}"`));
        break;
      case "keyword":
        keywordSets.push(
          descriptor.words.map((word) => {
            return descriptor.wholeWord
              ? { word, boundStart: isWordChar(word, 0), boundEnd: isWordChar(word, word.length - 1) }
              : { word, boundStart: false, boundEnd: false };
          }),
        );
        break;
      case "userLevel":
        minRank = Math.max(minRank, RANK[descriptor.min]);
        break;
      case "cooldown":
        // Several cooldowns on one handler act as one with the longest windows.
        if (descriptor.globalMs !== null) globalMs = Math.max(globalMs ?? 0, descriptor.globalMs);
        if (descriptor.userMs !== null) userMs = Math.max(userMs ?? 0, descriptor.userMs);
        notify = (notify ?? true) && descriptor.notify;
        break;
      case "predicate":
        hasPredicates = true;
        break;
    }
  }

  const cooldown: CooldownSpec | null = notify === null ? null : { globalMs, userMs };
  const notifyCooldown = notify === true;
  const first = commands[0];
  const commandNames =
    first === undefined
      ? null
      : first.tokens.filter((token) => commands.every((c) => c.tokens.includes(token)));
  // Which name each command matched, kept between the cheap checks and the argument parsing.
  const usedIndex = new Int32Array(commands.length);
  const hasArgs = commands.some((c) => c.args.length > 0);
  // A command that no other trigger adds to routes as one of a few results made here, one per name:
  // nothing is built or serialised per event.
  const commandOnly =
    first !== undefined &&
    regexes.length === 0 &&
    keywordSets.length === 0 &&
    minRank < 0 &&
    cooldown === null;
  const routedByName: RouteResult[] = commandOnly
    ? first.names.map((used) => {
        const match = Object.freeze({ command: used });
        return Object.freeze({ pass: true as const, match, json: JSON.stringify(match) });
      })
    : [];

  function check(view: EventView, now: number, full: boolean): TriggerResult<RoutedMatch | DeliveryMatch> {
    if (commands.length > 0) {
      const token = view.firstToken;
      if (token === null) return REJECT;
      for (let c = 0; c < commands.length; c++) {
        const found = commands[c]!.tokens.indexOf(token);
        if (found === -1) return REJECT;
        usedIndex[c] = found;
      }
    }
    if (minRank > 0 && RANK[view.userLevel] < minRank) return REJECT;
    let keywordWord: string | null = null;
    if (keywordSets.length > 0) {
      const lower = view.lowerText;
      if (lower === null) return REJECT;
      for (const words of keywordSets) {
        const word = findKeyword(lower, words);
        if (word === null) return REJECT;
        keywordWord ??= word;
      }
    }
    if (regexes.length > 0) {
      const text = view.text;
      if (text === null) return REJECT;
      // Most lines lack the pattern's literal; the DFA test is several times cheaper than a match
      // with groups.
      for (const re of regexes) {
        const required = re.required;
        if (required !== null) {
          const haystack = required.lowerCase ? view.lowerText! : text;
          if (haystack.indexOf(required.words[0]!) === -1) return REJECT;
        }
        if (!re.test(text)) return REJECT;
      }
    }

    const match: Omit<RoutedMatch, "command"> & { command?: RoutedMatch["command"] | string } = {};
    if (first !== undefined) {
      const params: Record<string, string | number | undefined> = full || hasArgs ? {} : NO_PARAMS;
      // A command without arguments needs no words: nothing can be missing or malformed.
      if (hasArgs) {
        const text = view.text!;
        const words = view.words;
        for (let c = 0; c < commands.length; c++) {
          const error = parseArgs(commands[c]!.args, text, words, params);
          if (error !== null) return { pass: false, usage: { text: commands[c]!.usage, error } };
        }
      }
      if (!full && commandOnly) return routedByName[usedIndex[0]!]!;
      const used = first.names[usedIndex[0]!]!;
      match.command = full
        ? { name: first.names[0]!, used, args: [...view.argTokens], params, rest: view.restText }
        : used;
    }
    const firstRegex = regexes[0];
    if (firstRegex !== undefined) {
      const found = firstRegex.exec(view.text!);
      if (found === null) return REJECT;
      match.regex = found;
    }
    if (keywordWord !== null) match.keyword = { word: keywordWord };
    if (minRank >= 0) match.userLevel = view.userLevel;

    if (cooldown !== null) {
      const userId = view.userId;
      const hit = cooldowns.check(key, userId, cooldown, now);
      if (hit !== null) {
        if (!notifyCooldown) return REJECT;
        match.cooldown = { active: true, scope: hit.scope, remainingMs: hit.remainingMs };
      } else if (!hasPredicates) {
        cooldowns.start(key, userId, cooldown, now);
      } else if (CooldownStore.applies(userId, cooldown)) {
        const { serial, blockers } = cooldowns.hold(key, userId, cooldown, now);
        const { globalMs, userMs } = cooldown;
        match.gate = {
          n: serial,
          at: now,
          user: userId,
          g: globalMs ?? 0,
          u: userMs ?? 0,
          notify: notifyCooldown,
          blockers,
        };
      }
    }
    return { pass: true, match: match as RoutedMatch | DeliveryMatch };
  }

  return {
    key,
    commandNames,
    requiredText: requiredTextOf(keywordSets, regexes),
    hasPredicates,
    evaluate: (_event, view, now) => check(view, now, true) as TriggerResult,
    route: (_event, view, now) => check(view, now, false) as RouteResult,
    release(_userId: string | null, match: unknown): void {
      const verdict = verdictOf(match);
      if (cooldown !== null && verdict !== null) cooldowns.settle(key, verdict.n, verdict.took, cooldown);
    },
  };
}

/** The most selective clause every passing event satisfies: the one whose shortest word is longest. */
function requiredTextOf(keywordSets: CompiledKeyword[][], regexes: LinearRegex[]): RequiredText | null {
  const clauses: RequiredText[] = keywordSets.map((words) => ({
    words: words.map((w) => w.word),
    lowerCase: true,
  }));
  for (const re of regexes) if (re.required !== null) clauses.push(re.required);
  let best: RequiredText | null = null;
  let bestLength = 0;
  for (const clause of clauses) {
    const shortest = Math.min(...clause.words.map((w) => w.length));
    if (clause.words.length > 0 && shortest > bestLength) {
      best = clause;
      bestLength = shortest;
    }
  }
  return best;
}

function compileCommand(descriptor: CommandTrigger<unknown>, hostPrefix: string): CompiledCommand {
  // Names and pinned prefixes are lower-case by contract; the host's configured prefix may not be.
  const prefix = descriptor.prefix ?? hostPrefix.toLowerCase();
  return {
    tokens: descriptor.names.map((name) => prefix + name),
    names: descriptor.names,
    args: descriptor.args,
    usage: `Usage: ${usageOf(descriptor, hostPrefix)}`,
  };
}
