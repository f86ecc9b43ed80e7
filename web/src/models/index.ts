// The models feature of the world page (placeholder until built).
import type { WorldFeature } from '../world-context.js';

export const installModels: WorldFeature = () => {};
