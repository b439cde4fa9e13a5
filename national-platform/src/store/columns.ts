import type { ValueTransformer } from 'typeorm';

/**
 * PostgreSQL hands `bigint` columns back as strings (node-pg keeps 64-bit
 * precision); seq numbers stay far below 2^53, so both drivers read them as numbers.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};

/** ISO-8601 UTC strings sort and compare as text on both drivers, so times are stored that way. */
export const TIME_LENGTH = 30;
