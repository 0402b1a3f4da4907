export { ChatQueue, createChatQueue } from "./chat-queue.ts";
export {
  type ChatModuleQuota,
  type ChatModuleStats,
  type ChatQueueSettings,
  type ChatQueueStats,
  type ChatSend,
  DEFAULT_CHAT_MAX_QUEUED,
  DEFAULT_CHAT_PRIORITIES,
  DEFAULT_CHAT_PRIORITY,
  type OutgoingChatMessage,
  RetryableSendError,
} from "./chat-queue-types.ts";
