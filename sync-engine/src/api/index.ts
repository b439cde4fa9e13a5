export * from './views.js';
export * from './record-history.js';
export * from './sync-run-detail.js';
export * from './contract.js';
export * from './health-display.js';
export * from './input-shape.js';
