export * from './plugin.js';
export * from './data.js';
export * from './encoder.js';
export * from './models.js';
export * from './crs.js';
