export {
  eventSubCondition,
  eventSubEvent,
  FAKE_EVENTSUB_TYPES,
  type FakeEventSubType,
} from "./eventsub-payloads.ts";
export { FakeAuth, type FakeDeviceLogin } from "./fake-auth.ts";
export type {
  BotChatMessage,
  FakeChatLevel,
  FakeChatOptions,
  FakeRoomModes,
} from "./fake-chat-lines.ts";
export { FakeEventSub, type FakeEventSubFrame, type FakeSubscription } from "./fake-eventsub.ts";
export { type FakeBan, FakeHelix, type FakeStream, type HelixCall } from "./fake-helix.ts";
export { FakeIrc } from "./fake-irc.ts";
export { ALL_SCOPES, FakeState, type FakeToken, type FakeUser } from "./fake-state.ts";
export {
  createFakeTwitch,
  type FakeTwitchOptions,
  FakeTwitchServer,
  type FireOptions,
} from "./fake-twitch.ts";
export { formatIrcLine, type IrcLine, parseIrcLine } from "./irc-line.ts";
