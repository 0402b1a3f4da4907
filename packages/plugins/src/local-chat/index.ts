export {
  createLocalChat,
  LOCAL_CHAT_SOURCE,
  LocalChat,
  type LocalChatCommand,
  type LocalChatOptions,
  type LocalChatOutput,
} from "./local-chat.ts";
