/** Options of a chat message sent by the bot. */
export interface SendMessageOptions {
  /** Reply in the thread of this chat message id. */
  replyTo?: string;
  /** Channel login to send to; defaults to the bot's main channel. */
  channel?: string;
}

/** The Twitch plugin as a module sees it (`ctx.twitch`): the same for the local chat and Twitch. */
export interface TwitchPluginApi {
  /** Sends a chat message as the bot. */
  sendMessage(text: string, options?: SendMessageOptions): Promise<void>;
}
