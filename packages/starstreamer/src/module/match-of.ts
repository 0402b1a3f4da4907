import type { CommandTrigger } from "../triggers/descriptors.ts";
import type { CommandMatch, RegexMatch, TriggerMatchInfo } from "./context.ts";

type Items<TR> = TR extends readonly unknown[] ? TR[number] : TR;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
type Has<TR, K extends string> = [Extract<Items<TR>, { kind: K }>] extends [never] ? false : true;
type ParamsIn<TR> = Items<TR> extends infer I ? (I extends CommandTrigger<infer P> ? P : never) : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * `ctx.match` for a handler with the triggers `TR`: what its triggers always fill is present (a
 * handler behind `command(...)` always has `match.command`, with `params` typed from the argument
 * specs); the rest stays optional. So a handler needs no `!` and no cast.
 * @example
 * // MatchOf<[CommandTrigger<{ sides: number | undefined }>]>["command"]["params"]["sides"]: number | undefined
 */
export type MatchOf<TR> = Simplify<
  Pick<TriggerMatchInfo, "cooldown"> &
    (Has<TR, "command"> extends true
      ? { command: CommandMatch<Simplify<UnionToIntersection<ParamsIn<TR>>>> }
      : Pick<TriggerMatchInfo, "command">) &
    (Has<TR, "regex"> extends true ? { regex: RegexMatch } : Pick<TriggerMatchInfo, "regex">) &
    (Has<TR, "keyword"> extends true ? { keyword: { word: string } } : Pick<TriggerMatchInfo, "keyword">) &
    (Has<TR, "userLevel"> extends true
      ? { userLevel: NonNullable<TriggerMatchInfo["userLevel"]> }
      : Pick<TriggerMatchInfo, "userLevel">)
>;
