import { version } from '../package.json';

/** lmrec's version (the runner's): part of every step key. */
export const LMREC_VERSION: string = version;
