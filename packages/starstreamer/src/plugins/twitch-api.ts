/** Options of a chat message sent by the bot. */
export interface SendMessageOptions {
  /** Reply in the thread of this chat message id. */
  replyTo?: string;
  /** Channel login to send to; defaults to the bot's main channel. */
  channel?: string;
}

/** A live stream, as Helix reports it (`getStreamInfo`). */
export interface StreamInfo {
  id: string;
  title: string;
  gameId: string;
  gameName: string;
  viewerCount: number;
  /** ISO 8601; `Date.now() - Date.parse(startedAt)` is the uptime. */
  startedAt: string;
  language: string;
  tags: string[];
  isMature: boolean;
  /** Thumbnail URL with `{width}` and `{height}` placeholders. */
  thumbnailUrl: string;
}

/** A clip just created (`createClip`); Twitch needs a few seconds before the URL works. */
export interface ClipInfo {
  id: string;
  url: string;
  editUrl: string;
}

/** A Twitch user, as Helix reports one (`getUserByLogin`). */
export interface TwitchUserInfo {
  id: string;
  login: string;
  displayName: string;
  /** `""`, `admin`, `global_mod` or `staff`. */
  type: string;
  /** `""`, `affiliate` or `partner`. */
  broadcasterType: string;
  description: string;
  profileImageUrl: string;
  /** ISO 8601. */
  createdAt: string;
}

/** Someone in the channel's chat (`getChatters`). */
export interface Chatter {
  id: string;
  login: string;
  displayName: string;
}

/** The colours Twitch offers for announcements. */
export type AnnouncementColor = "primary" | "blue" | "green" | "orange" | "purple";

/**
 * `data` of the error a Twitch call rejects with (code `SS_TWITCH_API_FAILED`): Twitch's HTTP
 * status and message, and which call failed. A missing scope rejects with
 * `SS_TWITCH_MISSING_SCOPE` (`data.scopes`), the local chat with `SS_TWITCH_NOT_AVAILABLE_OFFLINE`.
 * @example
 * try { await twitch.createClip(); } catch (e) {
 *   if (e.code === "SS_TWITCH_API_FAILED" && e.data.status === 404) await twitch.sendMessage("Not live!");
 * }
 */
export interface TwitchApiErrorData {
  status: number;
  message: string;
  /** The call: `createClip`, `ban`... */
  endpoint: string;
}

/** The Twitch plugin as a module sees it (`ctx.twitch`): the same for the local chat and Twitch. */
export interface TwitchPluginApi {
  /** Sends a chat message as the bot (through the shared queue, within Twitch's limits). */
  sendMessage(text: string, options?: SendMessageOptions): Promise<void>;
  /** Replies to a chat message in its thread. */
  reply(messageId: string, text: string): Promise<void>;
  /** The channel's live stream (or another channel's, by login); `null` when offline. */
  getStreamInfo(login?: string): Promise<StreamInfo | null>;
  /** Clips the last seconds of the live stream. */
  createClip(options?: { hasDelay?: boolean }): Promise<ClipInfo>;
  /** Looks a user up by login; `null` when there is none. */
  getUserByLogin(login: string): Promise<TwitchUserInfo | null>;
  /** Who is in chat now (up to 1,000). */
  getChatters(): Promise<Chatter[]>;
  isModerator(userId: string): Promise<boolean>;
  isVip(userId: string): Promise<boolean>;
  /** Twitch's /shoutout of another broadcaster (the channel must be live). */
  shoutout(userId: string): Promise<void>;
  /** A highlighted chat announcement. */
  sendAnnouncement(text: string, options?: { color?: AnnouncementColor }): Promise<void>;
  /** Times a user out for `durationSeconds` (1 to 1,209,600). */
  timeout(userId: string, durationSeconds: number, reason?: string): Promise<void>;
  /** Bans a user from chat. */
  ban(userId: string, reason?: string): Promise<void>;
}
