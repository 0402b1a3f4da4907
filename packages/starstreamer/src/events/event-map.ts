import type { z } from "zod";
import type { StarEvent } from "./event.ts";
import {
  chatMessageDeletedSchema,
  chatMessageSchema,
  chatUserBannedSchema,
  chatUserTimedOutSchema,
  cheerSchema,
  followSchema,
  handlerErrorSchema,
  hypeTrainEndSchema,
  hypeTrainSchema,
  moduleStateSchema,
  obsConnectedSchema,
  obsDisconnectedSchema,
  obsInputMuteChangedSchema,
  obsRecordingSchema,
  obsSceneChangedSchema,
  obsStreamSchema,
  raidSchema,
  redemptionSchema,
  resubscriptionSchema,
  streamOfflineSchema,
  streamOnlineSchema,
  subscriptionGiftSchema,
  subscriptionSchema,
  twitchConnectionSchema,
} from "./schemas.ts";

/**
 * The schema of `data` for every built-in event type. The bus parses incoming data with these,
 * and the types of {@link BuiltInEventMap} are derived from them.
 */
export const builtInEventSchemas = {
  "twitch.chat.message": chatMessageSchema,
  "twitch.follow": followSchema,
  "twitch.subscription": subscriptionSchema,
  "twitch.subscription.gift": subscriptionGiftSchema,
  "twitch.raid": raidSchema,
  "twitch.cheer": cheerSchema,
  "twitch.hype_train.begin": hypeTrainSchema,
  "twitch.hype_train.progress": hypeTrainSchema,
  "twitch.hype_train.end": hypeTrainEndSchema,
  "twitch.redemption": redemptionSchema,
  "twitch.stream.online": streamOnlineSchema,
  "twitch.stream.offline": streamOfflineSchema,
  "twitch.resubscription": resubscriptionSchema,
  "twitch.chat.message_deleted": chatMessageDeletedSchema,
  "twitch.chat.user_timed_out": chatUserTimedOutSchema,
  "twitch.chat.user_banned": chatUserBannedSchema,
  "twitch.connection.connected": twitchConnectionSchema,
  "twitch.connection.disconnected": twitchConnectionSchema,
  "twitch.connection.reconnecting": twitchConnectionSchema,
  "obs.scene.changed": obsSceneChangedSchema,
  "obs.stream.started": obsStreamSchema,
  "obs.stream.stopped": obsStreamSchema,
  "obs.recording.started": obsRecordingSchema,
  "obs.recording.stopped": obsRecordingSchema,
  "obs.input.mute_changed": obsInputMuteChangedSchema,
  "obs.connection.connected": obsConnectedSchema,
  "obs.connection.disconnected": obsDisconnectedSchema,
  "system.handler.error": handlerErrorSchema,
  "system.module.state": moduleStateSchema,
} as const;

/** The `data` type of each built-in event type, after parsing (defaults filled in). */
export type BuiltInEventMap = {
  [K in keyof typeof builtInEventSchemas]: z.output<(typeof builtInEventSchemas)[K]>;
};

/**
 * The `data` types of custom events, by type. Empty here; a module that emits custom events
 * declares them so that emitters and handlers agree on the shape.
 * @example
 * declare module "starstreamer" {
 *   interface CustomEventMap {
 *     "custom.quiz.started": { question: string };
 *   }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: extended by declaration merging
export interface CustomEventMap {}

/** Every event type whose `data` type is known: built in or declared in {@link CustomEventMap}. */
export type EventMap = BuiltInEventMap & CustomEventMap;

/** An event type a handler can subscribe to or a module can emit. */
export type EventType = keyof EventMap | `custom.${string}`;

/**
 * The `data` type of an event type: the mapped type when known, `Record<string, unknown>` for a
 * custom event nobody declared, `unknown` otherwise.
 */
export type EventData<T extends string> = T extends keyof EventMap
  ? EventMap[T]
  : T extends `custom.${string}`
    ? Record<string, unknown>
    : unknown;

/** The event a handler for `T` receives. */
export type TypedEvent<T extends string> = StarEvent<T, EventData<T>>;

/** `data` of `twitch.chat.message`. */
export type ChatMessageData = BuiltInEventMap["twitch.chat.message"];
/** `data` of `twitch.follow`. */
export type FollowData = BuiltInEventMap["twitch.follow"];
/** `data` of `twitch.subscription`. */
export type SubscriptionData = BuiltInEventMap["twitch.subscription"];
/** `data` of `twitch.subscription.gift`. */
export type SubscriptionGiftData = BuiltInEventMap["twitch.subscription.gift"];
/** `data` of `twitch.raid`. */
export type RaidData = BuiltInEventMap["twitch.raid"];
/** `data` of `twitch.cheer`. */
export type CheerData = BuiltInEventMap["twitch.cheer"];
/** `data` of `twitch.hype_train.begin` and `twitch.hype_train.progress`. */
export type HypeTrainData = BuiltInEventMap["twitch.hype_train.begin"];
/** `data` of `twitch.hype_train.end`. */
export type HypeTrainEndData = BuiltInEventMap["twitch.hype_train.end"];
/** `data` of `twitch.redemption`. */
export type RedemptionData = BuiltInEventMap["twitch.redemption"];
/** `data` of `twitch.stream.online`. */
export type StreamOnlineData = BuiltInEventMap["twitch.stream.online"];
/** `data` of `twitch.stream.offline`. */
export type StreamOfflineData = BuiltInEventMap["twitch.stream.offline"];
/** `data` of `twitch.resubscription`. */
export type ResubscriptionData = BuiltInEventMap["twitch.resubscription"];
/** `data` of `twitch.chat.message_deleted`. */
export type ChatMessageDeletedData = BuiltInEventMap["twitch.chat.message_deleted"];
/** `data` of `twitch.chat.user_timed_out`. */
export type ChatUserTimedOutData = BuiltInEventMap["twitch.chat.user_timed_out"];
/** `data` of `twitch.chat.user_banned`. */
export type ChatUserBannedData = BuiltInEventMap["twitch.chat.user_banned"];
/** `data` of `twitch.connection.connected`, `.disconnected` and `.reconnecting`. */
export type TwitchConnectionData = BuiltInEventMap["twitch.connection.connected"];
/** `data` of `obs.scene.changed`. */
export type ObsSceneChangedData = BuiltInEventMap["obs.scene.changed"];
/** `data` of `obs.stream.started` and `obs.stream.stopped`. */
export type ObsStreamData = BuiltInEventMap["obs.stream.started"];
/** `data` of `obs.recording.started` and `obs.recording.stopped`. */
export type ObsRecordingData = BuiltInEventMap["obs.recording.started"];
/** `data` of `obs.input.mute_changed`. */
export type ObsInputMuteChangedData = BuiltInEventMap["obs.input.mute_changed"];
/** `data` of `obs.connection.connected`. */
export type ObsConnectedData = BuiltInEventMap["obs.connection.connected"];
/** `data` of `obs.connection.disconnected`. */
export type ObsDisconnectedData = BuiltInEventMap["obs.connection.disconnected"];
/** `data` of `system.handler.error`. */
export type HandlerErrorData = BuiltInEventMap["system.handler.error"];
/** `data` of `system.module.state`. */
export type ModuleStateData = BuiltInEventMap["system.module.state"];
