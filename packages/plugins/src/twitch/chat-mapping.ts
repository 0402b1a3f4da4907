import type { ChatMessage } from "@twurple/chat";

// twurple's parsed IRC messages → the data of StarStreamer's chat events (validated by the bus).

/** `twitch.chat.message` data for a PRIVMSG (or a /me action). */
export function chatMessageData(channel: string, text: string, msg: ChatMessage, isAction: boolean) {
  const info = msg.userInfo;
  const emotes = [...msg.emoteOffsets].flatMap(([id, ranges]) =>
    ranges.map((range) => {
      const [start = "0", end = "0"] = range.split("-");
      return { id, start: Number(start), end: Number(end) };
    }),
  );
  const color = info.color && /^#[0-9a-f]{6}$/i.test(info.color) ? info.color : undefined;
  return {
    messageId: msg.id,
    channel,
    text,
    user: {
      id: info.userId,
      login: info.userName,
      displayName: info.displayName || info.userName,
      ...(color ? { color } : {}),
      badges: Object.fromEntries(info.badges),
      isBroadcaster: info.isBroadcaster,
      isModerator: info.isMod,
      isVip: info.isVip,
      isSubscriber: info.isSubscriber || info.isFounder,
    },
    ...(msg.bits > 0 ? { bits: msg.bits } : {}),
    isAction,
    firstMessage: msg.isFirst,
    ...(emotes.length > 0 ? { emotes } : {}),
    ...(msg.parentMessageId && msg.parentMessageUserId && msg.parentMessageUserName
      ? {
          replyTo: {
            messageId: msg.parentMessageId,
            user: {
              id: msg.parentMessageUserId,
              login: msg.parentMessageUserName,
              displayName: msg.parentMessageUserDisplayName || msg.parentMessageUserName,
            },
            text: msg.parentMessageText ?? "",
          },
        }
      : {}),
  };
}

/** Why Twitch refused a message, from a NOTICE msg-id, in words for the log. */
export function describeRefusal(msgId: string): string {
  const reasons: Record<string, string> = {
    msg_followersonly: "the channel is in followers-only mode",
    msg_followersonly_followed: "the channel is in followers-only mode",
    msg_followersonly_zero: "the channel is in followers-only mode",
    msg_subsonly: "the channel is in subscribers-only mode",
    msg_emoteonly: "the channel is in emote-only mode",
    msg_slowmode: "the channel is in slow mode",
    msg_r9k: "the channel is in unique-chat mode and the message was not unique",
    msg_duplicate: "the same message was sent within 30 seconds",
    msg_timedout: "the bot is timed out in this channel",
    msg_banned: "the bot is banned from this channel",
    msg_ratelimit: "the bot sent too fast (Twitch's rate limit)",
    msg_verified_email: "the bot account needs a verified e-mail address",
    msg_rejected_mandatory: "the message broke the channel's moderation settings",
    msg_channel_blocked: "the channel is blocked",
  };
  return reasons[msgId] ?? msgId;
}
