export { overlayPage } from "./overlay-page.ts";
export {
  ALERT_SHOW_EVENT,
  createOverlayRoutes,
  type OverlayAlert,
  type OverlayRoutesDeps,
  overlayAlertSchema,
} from "./overlay-routes.ts";
