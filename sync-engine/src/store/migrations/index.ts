import { InitialSchema1767225600000 } from './0001-initial-schema.js';

/** Every migration, oldest first. Append; never edit one that has shipped. */
export const MIGRATIONS = [InitialSchema1767225600000];
