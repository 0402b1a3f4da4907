import type { FakeUser } from "./fake-state.ts";

/** Words the fake treats as Twitch global emotes, with their ids. */
const KNOWN_EMOTES: Record<string, string> = {
  Kappa: "25",
  LUL: "425618",
  PogChamp: "305954156",
  HeyGuys: "30259",
};

/** Chat privilege of a fake chatter; sets the badges and tags Twitch would send. */
export type FakeChatLevel = "viewer" | "subscriber" | "vip" | "moderator" | "broadcaster";

/** Who says a line in fake chat and how. */
export interface FakeChatOptions {
  /** The chatter's login (default `viewer`); the user is created on first use. */
  user?: string;
  displayName?: string;
  level?: FakeChatLevel;
  /** Extra or replacing badges, e.g. `{ subscriber: "12" }`. */
  badges?: Record<string, string>;
  color?: string;
  bits?: number;
  firstMessage?: boolean;
  /** Sent with /me. */
  action?: boolean;
  /** The id of a chat message this one replies to. */
  replyTo?: string;
  /** Defaults to the main channel. */
  channel?: string;
  /** Force the message id (to deliver the same message twice). */
  id?: string;
}

/** A chat message the bot sent to the fake, as the fake received it. */
export interface BotChatMessage {
  channel: string;
  text: string;
  /** `reply-parent-msg-id`, when the bot replied in a thread. */
  replyTo: string | null;
  /** The bot's login (the NICK it registered with). */
  login: string;
  /** Whether the fake accepted it; a room mode makes it answer with a NOTICE instead. */
  accepted: boolean;
  /** The NOTICE msg-id when refused. */
  refusedWith?: string;
  at: number;
}

/** Room modes that make the fake refuse the bot's messages, like Twitch does. */
export interface FakeRoomModes {
  followersOnly?: boolean;
  subsOnly?: boolean;
  emoteOnly?: boolean;
}

const LEVEL_BADGES: Record<FakeChatLevel, Record<string, string>> = {
  viewer: {},
  subscriber: { subscriber: "0" },
  vip: { vip: "1" },
  moderator: { moderator: "1" },
  broadcaster: { broadcaster: "1" },
};

/** The IRCv3 tags of a chat line from `user`, as Twitch sends them. */
export function privmsgTags(
  user: FakeUser,
  roomId: string,
  id: string,
  text: string,
  options: FakeChatOptions,
  isBroadcaster = false,
): Record<string, string> {
  const level = options.level ?? (isBroadcaster ? "broadcaster" : "viewer");
  const badges = { ...LEVEL_BADGES[level], ...options.badges };
  const tags: Record<string, string> = {
    "badge-info": badges.subscriber ? `subscriber/${badges.subscriber}` : "",
    badges: Object.entries(badges)
      .map(([k, v]) => `${k}/${v}`)
      .join(","),
    color: options.color ?? "",
    "display-name": user.displayName,
    emotes: emoteTag(text),
    "first-msg": options.firstMessage ? "1" : "0",
    flags: "",
    id,
    mod: badges.moderator ? "1" : "0",
    "returning-chatter": "0",
    "room-id": roomId,
    subscriber: badges.subscriber ? "1" : "0",
    "tmi-sent-ts": String(Date.now()),
    turbo: "0",
    "user-id": user.id,
    "user-type": badges.moderator ? "mod" : "",
  };
  if (badges.vip) tags.vip = "1";
  if (options.bits !== undefined) tags.bits = String(options.bits);
  return tags;
}

/** The IRCv3 tags of a USERNOTICE (`msg-id` sub, resub, raid...) from `user`, as Twitch sends them. */
export function userNoticeTags(
  user: FakeUser,
  roomId: string,
  id: string,
  msgId: string,
  options: { params?: Record<string, string>; systemMessage?: string },
): Record<string, string> {
  const tags: Record<string, string> = {
    "badge-info": "",
    badges: "",
    color: "",
    "display-name": user.displayName,
    emotes: "",
    id,
    login: user.login,
    mod: "0",
    "msg-id": msgId,
    "room-id": roomId,
    subscriber: "0",
    "system-msg": options.systemMessage ?? `${user.displayName} did ${msgId}`,
    "tmi-sent-ts": String(Date.now()),
    "user-id": user.id,
    "user-type": "",
  };
  for (const [key, value] of Object.entries(options.params ?? {})) tags[`msg-param-${key}`] = value;
  return tags;
}

/** The `emotes` tag for the known emote words in `text`. */
export function emoteTag(text: string): string {
  const found = new Map<string, string[]>();
  let index = 0;
  for (const word of text.split(" ")) {
    const id = KNOWN_EMOTES[word];
    if (id) {
      // Twitch counts positions in code points, not UTF-16 units.
      const start = [...text.slice(0, index)].length;
      found.set(id, [...(found.get(id) ?? []), `${start}-${start + word.length - 1}`]);
    }
    index += word.length + 1;
  }
  return [...found.entries()].map(([id, ranges]) => `${id}:${ranges.join(",")}`).join("/");
}

/** CLEARCHAT tags: a timeout (with `durationSeconds`) or a ban (without) of one user. */
export function clearChatTags(
  roomId: string,
  userId: string,
  durationSeconds?: number,
): Record<string, string> {
  const tags: Record<string, string> = {
    "room-id": roomId,
    "target-user-id": userId,
    "tmi-sent-ts": String(Date.now()),
  };
  if (durationSeconds !== undefined) tags["ban-duration"] = String(durationSeconds);
  return tags;
}

/** CLEARMSG tags: one deleted message, and its author's login. */
export function clearMsgTags(login: string, messageId: string): Record<string, string> {
  return { login, "room-id": "", "target-msg-id": messageId, "tmi-sent-ts": String(Date.now()) };
}
