export * from './ports.js';
export * from './sync-schedule.js';
export * from './scheduler.js';
export * from './outbox-watchdog.js';
