export {
  createFakeObsServer,
  type FakeObsRequest,
  FakeObsServer,
  type FakeObsServerOptions,
  type FakeObsSessionRecord,
} from "./fake-obs-server.ts";
export {
  type FakeInput,
  FakeObsModel,
  type FakeObsSetup,
  type FakeScene,
  type FakeSceneItem,
} from "./obs-model.ts";
export {
  OBS_EVENT_INTENTS,
  OBS_SUBPROTOCOLS,
  ObsCloseCode,
  ObsEventSubscription,
  ObsOpCode,
  type ObsRequestOutcome,
  ObsRequestStatus,
  type ObsSubprotocol,
  obsAuthenticationString,
} from "./protocol.ts";
