import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the vectors benchmark leaves each catalogue's PGlite folder (the serve benchmark reuses it). */
export const benchDbDir = (slug: string) => join(tmpdir(), 'lmrec-bench', `vectors-${slug}`);
