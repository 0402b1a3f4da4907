/**
 * The envelope every event travels in, from a plugin through the bus to a module's handler.
 * `type` is dotted (`twitch.chat.message`, `custom.quiz.started`); `data` is typed per type by
 * the event map in `event-map.ts`.
 */
export interface StarEvent<TType extends string = string, TData = unknown> {
  /** Unique id (UUID); a handler sees each id at most once. */
  readonly id: string;
  readonly type: TType;
  /** Who produced it: `twitch`, `obs`, `local-chat`, `simulate`, or `module:<name>` for custom events. */
  readonly source: string;
  /** Milliseconds since the epoch, when the event entered the bus. */
  readonly timestamp: number;
  readonly data: TData;
}

/** Chat privilege, lowest to highest. `userLevel("moderator")` passes moderators and the broadcaster. */
export const USER_LEVELS = ["viewer", "subscriber", "vip", "moderator", "broadcaster"] as const;
export type UserLevel = (typeof USER_LEVELS)[number];

/** A user as Twitch identifies them outside chat (follows, raids, redemptions). */
export interface TwitchUser {
  id: string;
  login: string;
  displayName: string;
}

/** A chat author: a Twitch user plus what their badges say about them. */
export interface ChatUser extends TwitchUser {
  color?: string | undefined;
  badges: Record<string, string>;
  isBroadcaster: boolean;
  isModerator: boolean;
  isVip: boolean;
  isSubscriber: boolean;
}

/** The highest level a chat user holds. */
export function userLevelOf(
  user: Pick<ChatUser, "isBroadcaster" | "isModerator" | "isVip" | "isSubscriber">,
): UserLevel {
  if (user.isBroadcaster) return "broadcaster";
  if (user.isModerator) return "moderator";
  if (user.isVip) return "vip";
  if (user.isSubscriber) return "subscriber";
  return "viewer";
}
