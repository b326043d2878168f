export { mayDepend, RANKS, FOLDERS, TESTING } from './layers.js';
export { layerRules } from './rules.js';
export { importViolations } from './cruise.js';
export { manifestViolations, readManifests } from './manifests.js';
