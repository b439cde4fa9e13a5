export { HealthMonitor, type HealthListener, type HealthMonitorOptions } from './health-monitor.js';
export { errorCodeOf, sampleFromError, sampleFromProbe, skewFromDate, STICKY_AUTH_CODES } from './probe-samples.js';
