import type { ApiClient } from "@twurple/api";
import {
  type AnnouncementColor,
  type Chatter,
  type ClipInfo,
  StarStreamerError,
  type StreamInfo,
  type TwitchApiErrorData,
  type TwitchUserInfo,
} from "starstreamer";
import { PluginErrorCodes } from "../errors.ts";
import type { SecretRedactor } from "./redact.ts";

/** The Helix half of `ctx.twitch`, acting as the broadcaster. */
export type TwitchHelixApi = Pick<
  import("starstreamer").TwitchPluginApi,
  | "getStreamInfo"
  | "createClip"
  | "getUserByLogin"
  | "getChatters"
  | "isModerator"
  | "isVip"
  | "shoutout"
  | "sendAnnouncement"
  | "timeout"
  | "ban"
>;

const COLORS = new Set(["primary", "blue", "green", "orange", "purple"]);

/**
 * Turns what twurple throws into the typed error a module gets: SS_TWITCH_MISSING_SCOPE naming the
 * scopes, or SS_TWITCH_API_FAILED with Twitch's status and message. Never carries a token.
 */
export function helixError(error: unknown, endpoint: string, redactor: SecretRedactor): StarStreamerError {
  if (error instanceof StarStreamerError) return error;
  const e = error as { statusCode?: number; body?: string; message?: string };
  const scopes = /requested scopes \(([^)]*)\)/.exec(e.message ?? "");
  if (scopes) {
    const list = scopes[1]!.split(",").map((s) => s.trim());
    return new StarStreamerError(
      PluginErrorCodes.TWITCH_MISSING_SCOPE,
      `Twitch ${endpoint}: the broadcaster's login lacks the scope ${list.join(" or ")}; run \`npx starstreamer auth\` to grant it`,
      { data: { endpoint, scopes: list } },
    );
  }
  let status = typeof e.statusCode === "number" ? e.statusCode : 0;
  let message = e.message ?? String(error);
  if (e.body) {
    try {
      const body = JSON.parse(e.body) as { message?: string; status?: number };
      message = body.message ?? message;
      status = body.status ?? status;
    } catch {
      message = e.body;
    }
  }
  const data: TwitchApiErrorData = { status, message: redactor.redact(message), endpoint };
  return new StarStreamerError(
    PluginErrorCodes.TWITCH_API_FAILED,
    `Twitch ${endpoint} failed${status ? ` (${status})` : ""}: ${data.message}`,
    { data: { ...data } },
  );
}

function invalid(endpoint: string, message: string): StarStreamerError {
  return new StarStreamerError(PluginErrorCodes.TWITCH_API_FAILED, `Twitch ${endpoint}: ${message}`, {
    data: { status: 400, message, endpoint },
  });
}

function requireId(endpoint: string, userId: unknown): string {
  if (typeof userId !== "string" || !/^\d+$/.test(userId)) {
    throw invalid(endpoint, `expected a numeric Twitch user id, got ${JSON.stringify(userId)}`);
  }
  return userId;
}

/** Builds the Helix calls modules may make, as the broadcaster (`broadcasterId`). */
export function createTwitchHelix(
  api: ApiClient,
  broadcasterId: string,
  redactor: SecretRedactor,
): TwitchHelixApi {
  const call = async <T>(endpoint: string, run: (ctx: ApiClient) => Promise<T>): Promise<T> => {
    try {
      return await api.asUser(broadcasterId, async (ctx) => run(ctx as unknown as ApiClient));
    } catch (error) {
      throw helixError(error, endpoint, redactor);
    }
  };
  return {
    getStreamInfo: (login) =>
      call("getStreamInfo", async (ctx): Promise<StreamInfo | null> => {
        const stream =
          login === undefined
            ? await ctx.streams.getStreamByUserId(broadcasterId)
            : await ctx.streams.getStreamByUserName(login);
        if (!stream) return null;
        return {
          id: stream.id,
          title: stream.title,
          gameId: stream.gameId,
          gameName: stream.gameName,
          viewerCount: stream.viewers,
          startedAt: stream.startDate.toISOString(),
          language: stream.language,
          tags: stream.tags,
          isMature: stream.isMature,
          thumbnailUrl: stream.thumbnailUrl,
        };
      }),
    createClip: (options = {}) =>
      call("createClip", async (ctx): Promise<ClipInfo> => {
        const id = await ctx.clips.createClip({
          channel: broadcasterId,
          createAfterDelay: options.hasDelay ?? false,
        });
        return { id, url: `https://clips.twitch.tv/${id}`, editUrl: `https://clips.twitch.tv/${id}/edit` };
      }),
    getUserByLogin: (login) => {
      if (typeof login !== "string" || !/^@?[A-Za-z0-9_]{1,25}$/.test(login)) {
        return Promise.reject(
          invalid("getUserByLogin", `expected a Twitch login, got ${JSON.stringify(login)}`),
        );
      }
      return call("getUserByLogin", async (ctx): Promise<TwitchUserInfo | null> => {
        const user = await ctx.users.getUserByName(login.replace(/^@/, "").toLowerCase());
        if (!user) return null;
        return {
          id: user.id,
          login: user.name,
          displayName: user.displayName,
          type: user.type,
          broadcasterType: user.broadcasterType,
          description: user.description,
          profileImageUrl: user.profilePictureUrl,
          createdAt: user.creationDate.toISOString(),
        };
      });
    },
    getChatters: () =>
      call("getChatters", async (ctx): Promise<Chatter[]> => {
        const page = await ctx.chat.getChatters(broadcasterId, { limit: 1000 });
        return page.data.map((c) => ({ id: c.userId, login: c.userName, displayName: c.userDisplayName }));
      }),
    isModerator: async (userId) => {
      const id = requireId("isModerator", userId);
      return call("isModerator", (ctx) => ctx.moderation.checkUserMod(broadcasterId, id));
    },
    isVip: async (userId) => {
      const id = requireId("isVip", userId);
      return call("isVip", (ctx) => ctx.channels.checkVipForUser(broadcasterId, id));
    },
    shoutout: async (userId) => {
      const id = requireId("shoutout", userId);
      await call("shoutout", (ctx) => ctx.chat.shoutoutUser(broadcasterId, id));
    },
    sendAnnouncement: async (text, options = {}) => {
      if (typeof text !== "string" || text.trim() === "")
        throw invalid("sendAnnouncement", "needs a non-empty text");
      const color = options.color ?? "primary";
      if (!COLORS.has(color))
        throw invalid("sendAnnouncement", `color must be one of ${[...COLORS].join(", ")}`);
      await call("sendAnnouncement", (ctx) =>
        ctx.chat.sendAnnouncement(broadcasterId, { message: text, color: color as AnnouncementColor }),
      );
    },
    timeout: async (userId, durationSeconds, reason = "") => {
      const id = requireId("timeout", userId);
      if (!Number.isInteger(durationSeconds) || durationSeconds < 1 || durationSeconds > 1_209_600) {
        throw invalid(
          "timeout",
          `durationSeconds must be a whole number from 1 to 1209600, got ${durationSeconds}`,
        );
      }
      await call("timeout", (ctx) =>
        ctx.moderation.banUser(broadcasterId, { user: id, duration: durationSeconds, reason }),
      );
    },
    ban: async (userId, reason = "") => {
      const id = requireId("ban", userId);
      await call("ban", (ctx) => ctx.moderation.banUser(broadcasterId, { user: id, reason }));
    },
  };
}
