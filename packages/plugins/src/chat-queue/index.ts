export {
  type ChatModuleQuota,
  type ChatModuleStats,
  ChatQueue,
  type ChatQueueSettings,
  type ChatQueueStats,
  type ChatSend,
  createChatQueue,
  DEFAULT_CHAT_MAX_QUEUED,
  DEFAULT_CHAT_PRIORITIES,
  DEFAULT_CHAT_PRIORITY,
  type OutgoingChatMessage,
  RetryableSendError,
} from "./chat-queue.ts";
