/** Query subscriptions: controls, schedules, the GS1-Signature scheme and the delivery engine. */
export {
  assertControls,
  parseWebhookControls,
  parseWebSocketControls,
  SUBSCRIPTION_CONTROL_PARAMETERS,
  type SubscriptionControls,
  SubscriptionError,
  type SubscriptionExceptionName,
  type WebhookControls,
} from './controls.ts';
export {
  type AttachedSubscription,
  type AttachOptions,
  CLOSE_QUERY_DELETED,
  DeliveryError,
  type DeliveryStatus,
  type EngineLogger,
  type RetryPolicy,
  SubscriptionEngine,
  type SubscriptionEngineOptions,
} from './engine.ts';
export {
  parseSchedule,
  parseScheduleField,
  QuerySchedule,
  SCHEDULE_FIELDS,
  ScheduleError,
  type ScheduleField,
  type ScheduleSpec,
} from './schedule.ts';
export { SIGNATURE_HEADER, signBody, verifySignature } from './signature.ts';
