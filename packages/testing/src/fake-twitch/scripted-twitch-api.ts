import {
  type AnnouncementColor,
  type Chatter,
  type ClipInfo,
  type SendMessageOptions,
  StarStreamerError,
  type StreamInfo,
  type TwitchPluginApi,
  type TwitchUserInfo,
} from "starstreamer";

/**
 * The Helix half of `ctx.twitch` in memory, for module tests that need no fake server: set
 * `stream`, `users`, `moderators`, `vips`, `chatters`; read `clips`, `bans`, `announcements`,
 * `shoutouts`. Subclasses supply `sendMessage` (the test kit's FakeTwitch records it). A call
 * Twitch would refuse (clip or shoutout while offline) rejects with SS_TWITCH_API_FAILED, as the
 * real plugin does.
 */
export abstract class ScriptedTwitchApi implements TwitchPluginApi {
  /** The live stream; `null`: offline. */
  stream: StreamInfo | null = null;
  /** Users `getUserByLogin` finds, by login. */
  readonly users = new Map<string, TwitchUserInfo>();
  readonly moderators = new Set<string>();
  readonly vips = new Set<string>();
  chatters: Chatter[] = [];
  readonly clips: ClipInfo[] = [];
  readonly bans: Array<{ userId: string; durationSeconds: number | null; reason: string }> = [];
  readonly announcements: Array<{ text: string; color: AnnouncementColor }> = [];
  readonly shoutouts: string[] = [];

  abstract sendMessage(text: string, options?: SendMessageOptions): Promise<void>;

  reply(messageId: string, text: string): Promise<void> {
    return this.sendMessage(text, { replyTo: messageId });
  }

  async getStreamInfo(): Promise<StreamInfo | null> {
    return this.stream;
  }

  async createClip(): Promise<ClipInfo> {
    if (!this.stream) throw refused("createClip", 404, "The broadcaster is not live");
    const id = `FakeClip${this.clips.length + 1}`;
    const clip = { id, url: `https://clips.twitch.tv/${id}`, editUrl: `https://clips.twitch.tv/${id}/edit` };
    this.clips.push(clip);
    return clip;
  }

  async getUserByLogin(login: string): Promise<TwitchUserInfo | null> {
    return this.users.get(login.replace(/^@/, "").toLowerCase()) ?? null;
  }

  async getChatters(): Promise<Chatter[]> {
    return [...this.chatters];
  }

  async isModerator(userId: string): Promise<boolean> {
    return this.moderators.has(userId);
  }

  async isVip(userId: string): Promise<boolean> {
    return this.vips.has(userId);
  }

  async shoutout(userId: string): Promise<void> {
    if (!this.stream) throw refused("shoutout", 400, "The broadcaster is not streaming live");
    this.shoutouts.push(userId);
  }

  async sendAnnouncement(text: string, options: { color?: AnnouncementColor } = {}): Promise<void> {
    this.announcements.push({ text, color: options.color ?? "primary" });
  }

  async timeout(userId: string, durationSeconds: number, reason = ""): Promise<void> {
    this.bans.push({ userId, durationSeconds, reason });
  }

  async ban(userId: string, reason = ""): Promise<void> {
    this.bans.push({ userId, durationSeconds: null, reason });
  }
}

function refused(endpoint: string, status: number, message: string): StarStreamerError {
  return new StarStreamerError("SS_TWITCH_API_FAILED", `Twitch ${endpoint} failed (${status}): ${message}`, {
    data: { status, message, endpoint },
  });
}
